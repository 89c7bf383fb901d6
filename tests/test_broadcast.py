"""Direct frames (transport/broadcast.py): a broadcast written straight to each WebSocket keeps
every socket's order, never waits for a slow one, and leaves the others to engine.io.

The writer's side runs here in gevent green threads over real socket pairs; the live test at
the end runs the real server with phones on WebSocket, on long-polling and one that stops
reading."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from types import SimpleNamespace

import gevent
import gevent.event
import gevent.queue
import gevent.socket
import pytest
import requests
import socketio
from engineio import packet as eio_packet
from wsproto.frame_protocol import FrameProtocol

from caravane.transport import broadcast
from tests.live_server import (
    cookie_header,
    fresh_server,
    signed_in,
)


class EngineIOWebSocket:
    """What engine.io's WebSocket wrapper does with a message: one frame, sent on its socket."""

    def __init__(self, handler, server) -> None:
        self.app = handler

    def send(self, message: str) -> None:
        self.ws.sock.sendall(broadcast.text_frame(message))

    def close(self) -> None:
        self.ws.connected = False


def writable_pair(buffer: int | None = None):
    """A WebSocket of the adapted class on one end of a gevent socket pair; the phone's end."""
    server_end, phone_end = gevent.socket.socketpair()
    if buffer:
        server_end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, buffer)
        phone_end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
    frames = SimpleNamespace(websockets={})
    websocket = broadcast._writable(EngineIOWebSocket, frames)(lambda ws: None, None)
    websocket.ws = SimpleNamespace(sock=server_end, connected=True)
    return websocket, phone_end


def write_now(websocket, frame: bytes) -> bool:
    return websocket.write_now(frame, gevent.spawn, gevent.socket.socket)


def read_exactly(phone_end, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = phone_end.recv(size - len(data))
        assert chunk, "the connection closed early"
        data += chunk
    return data


@pytest.mark.parametrize("size", [5, 125, 126, 300, 65535, 70000])
def test_a_broadcast_frame_is_the_frame_wsproto_would_send(size):
    text = "4" + "é" * (size // 2) + "x" * (size % 2)
    assert broadcast.text_frame(text) == FrameProtocol(client=False, extensions=[]).send_data(
        text, fin=True)


def test_a_frame_goes_out_at_once_when_the_socket_has_room():
    websocket, phone_end = writable_pair()
    frame = broadcast.text_frame('42["screen:changed",{}]')
    assert write_now(websocket, frame)
    assert read_exactly(phone_end, len(frame)) == frame
    assert not websocket.lock.locked()


def test_a_full_socket_is_left_to_the_writer_without_waiting():
    websocket, phone_end = writable_pair(buffer=4096)
    filler = b"\x81\x05hello"
    with pytest.raises(BlockingIOError):
        while True:  # the phone stopped reading: fill everything between the two ends
            websocket.ws.sock.send(filler, 0, timeout=0.0)
    started = time.monotonic()
    assert not write_now(websocket, broadcast.text_frame("42[]"))
    assert time.monotonic() - started < 0.1
    phone_end.close()


def test_the_rest_of_a_frame_goes_out_before_the_writers_next_one():
    websocket, phone_end = writable_pair(buffer=4096)
    big = broadcast.text_frame("4" + "x" * 500_000)  # more than the buffers hold: partly sent
    assert write_now(websocket, big)
    assert websocket.lock.locked()  # the rest is on its way: the writer must wait for it
    assert not write_now(websocket, broadcast.text_frame("42[]"))  # nor may another broadcast
    writer = gevent.spawn(websocket.send, '42["next"]')
    following = broadcast.text_frame('42["next"]')
    received = read_exactly(phone_end, len(big) + len(following))
    writer.get(timeout=5)
    assert received == big + following
    assert not websocket.lock.locked()


class HalfTakingSocket:
    """A socket that takes 3 bytes of the first send, then everything; `sendall` waits for
    `released`, as for a phone slow to read."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.released = gevent.event.Event()

    def send(self, data: bytes, _flags: int = 0, timeout: float | None = None) -> int:
        taken = data[:3] if not self.sent else data
        self.sent.append(taken)
        return len(taken)

    def sendall(self, data: bytes) -> None:
        self.released.wait()
        self.sent.append(data)


def test_nothing_overtakes_the_rest_of_a_frame_even_when_the_socket_has_room_again():
    websocket, _phone_end = writable_pair()
    sock = websocket.ws.sock = HalfTakingSocket()
    first, second = broadcast.text_frame("42[1]"), broadcast.text_frame("42[2]")
    assert websocket.write_now(first, gevent.spawn, HalfTakingSocket)
    assert not websocket.write_now(second, gevent.spawn, HalfTakingSocket)  # left to the writer
    writer = gevent.spawn(websocket.send, "42[2]")
    gevent.sleep(0.01)
    assert sock.sent == [first[:3]]  # the writer waits for the rest
    sock.released.set()
    writer.get(timeout=5)
    assert b"".join(sock.sent) == first + second


def test_a_dead_socket_neither_blocks_nor_raises():
    websocket, phone_end = writable_pair()
    phone_end.close()
    websocket.ws.sock.close()
    assert not write_now(websocket, broadcast.text_frame("42[]"))


class FakeSocket:
    """engine.io's Socket, as far as direct frames look at it."""

    def __init__(self, **state) -> None:
        self.closed = self.closing = self.upgrading = False
        self.upgraded = True
        self.queue = gevent.queue.Queue()
        self.__dict__.update(state)

    def check_ping_timeout(self) -> bool:
        return True


@pytest.mark.parametrize("state", [
    {"upgraded": False},  # long-polling
    {"upgrading": True},
    {"closing": True},
    {"closed": True},
    {"queued": True},  # something is already waiting for this socket's writer
])
def test_a_socket_that_is_not_free_is_left_to_engineio(state):
    fake = FakeSocket(**{k: v for k, v in state.items() if k != "queued"})
    if state.get("queued"):
        fake.queue.put(eio_packet.Packet(eio_packet.MESSAGE, "2"))
    frames = broadcast.DirectFrames.__new__(broadcast.DirectFrames)
    frames.eio = SimpleNamespace(sockets={"sid": fake})
    frames.websockets = {"sid": SimpleNamespace(write_now=lambda *_: pytest.fail("written"))}
    frames.last_packet = frames.last_frame = None
    assert not frames.send("sid", eio_packet.Packet(eio_packet.MESSAGE, '2["x"]'))


def test_one_frame_is_built_for_all_the_recipients_of_a_packet():
    frames = broadcast.DirectFrames.__new__(broadcast.DirectFrames)
    frames.last_packet = frames.last_frame = None
    shared = eio_packet.Packet(eio_packet.MESSAGE, '2["screen:changed",{}]')
    first = frames.frame(shared)
    assert frames.frame(shared) is first
    assert first == broadcast.text_frame('42["screen:changed",{}]')
    assert frames.frame(eio_packet.Packet(eio_packet.MESSAGE, '2["other"]')) is not first


# --- the real server ----------------------------------------------------------------------

SHOWS = 40


@pytest.fixture
def server(tmp_path):
    with fresh_server(tmp_path) as live:
        yield live


class Phone:
    """A phone on the stop, over `transport`, recording the `seq` of each screen change."""

    def __init__(self, url: str, transport: str) -> None:
        http = requests.Session()
        http.get(url + "/calais/questions", timeout=10).raise_for_status()
        self.seqs: list[int] = []
        self.all_arrived = threading.Event()
        self.client = socketio.Client()
        self.client.on("screen:changed", self._changed)
        self.client.connect(url, transports=[transport],
                            headers={"Cookie": cookie_header(http)})
        assert self.client.call("join", {"stop": "calais"}, timeout=10)["ok"]

    def _changed(self, data: dict) -> None:
        self.seqs.append(data["seq"])
        if len(self.seqs) >= SHOWS:
            self.all_arrived.set()


def stalled_phone(url: str) -> SimpleNamespace:
    """A phone over a raw WebSocket, joined to the stop, that then stops reading (with a small
    receive buffer, so that the server's side fills up soon)."""
    phone = socket.socket()
    phone.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    phone.connect(("127.0.0.1", int(url.rsplit(":", 1)[1])))
    phone.sendall(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  b"Sec-WebSocket-Version: 13\r\n\r\n")
    reader = phone.makefile("rb")
    while reader.readline() not in (b"\r\n", b""):
        pass  # the 101 answer

    def send(text: str) -> None:
        data = text.encode()
        phone.sendall(bytes((0x81, 0x80 | len(data))) + b"\0\0\0\0" + data)  # masked by 0

    def next_text() -> bytes:
        header = reader.read(2)
        length = header[1] & 0x7F
        if length == 126:
            length = int.from_bytes(reader.read(2), "big")
        return reader.read(length)

    assert next_text().startswith(b"0")  # engine.io's open
    send("40")
    assert next_text().startswith(b"40")
    send('421["join",{"stop":"calais"}]')
    while not next_text().startswith(b"431"):
        pass
    return SimpleNamespace(socket=phone, next_text=next_text)


def test_every_phone_gets_every_screen_change_in_order_even_beside_a_stalled_one(server):
    on_websocket = Phone(server.url, "websocket")
    on_polling = Phone(server.url, "polling")
    stalled = stalled_phone(server.url)

    moderator = signed_in(server.url, "dominique", "a long enough password")
    console = socketio.Client()
    versions: dict[int, int] = {}

    def changed(question: dict) -> None:
        versions[question["id"]] = max(versions.get(question["id"], 0), question["version"])

    console.on("question:changed", changed, namespace="/moderation")
    console.connect(server.url, namespaces=["/moderation"], transports=["websocket"],
                    headers={"Cookie": cookie_header(moderator)})
    assert console.call("join", {"stop": "calais"}, namespace="/moderation", timeout=10)["ok"]

    def moderate(question_id: int, action: str) -> None:
        for _attempt in range(20):  # the other question's new version may still be on its way
            answer = console.call("moderate", {
                "question_id": question_id, "action": action, "confirm": True,
                "version": versions[question_id]}, namespace="/moderation", timeout=10)
            if answer["ok"]:
                changed(answer["question"])
                return
            assert answer["error"]["code"] == "stale_version", answer
            time.sleep(0.05)
        pytest.fail(f"{action} {question_id}: still stale")

    author = Phone(server.url, "websocket")
    ids = []
    for letter in "AB":
        # Long questions (about 1 kB a frame): the stalled phone's side fills up within the test.
        text = f"Question {letter} : qui décide de l'éclairage des quais " + "la nuit ? " * 40
        asked = author.client.call("submit", {
            "stop": "calais", "client_id": str(uuid.uuid4()), "text": text[:500]}, timeout=10)
        assert asked["ok"], asked
        changed(asked["question"])
        ids.append(asked["question"]["id"])
        moderate(ids[-1], "approve")
    for k in range(SHOWS):
        moderate(ids[k % 2], "show")

    for phone in (on_websocket, on_polling, author):
        assert phone.all_arrived.wait(10), phone.seqs
        assert len(phone.seqs) == SHOWS
        assert phone.seqs == sorted(set(phone.seqs))  # each once, in order

    # The stalled phone, reading again, finds whole frames in order.
    seqs = []
    while len(seqs) < SHOWS:
        text = stalled.next_text()
        if text.startswith(b'42["screen:changed"'):
            seqs.append(socketio.packet.Packet(encoded_packet=text[1:].decode()).data[1]["seq"])
    assert seqs == on_websocket.seqs
    stalled.socket.close()
    for client in (on_websocket.client, on_polling.client, author.client, console):
        client.disconnect()
