"""A minimal Socket.IO client over a raw WebSocket, in asyncio, light enough for 10,000 sockets.

python-socketio's AsyncClient needs aiohttp and costs a task, a queue and several coroutines per
connection; measured here it spent more time receiving 5,000 broadcasts than the server spent
sending them. This client does only what the benchmarks need: the WebSocket handshake, the
engine.io v4 open/ping/message packets and Socket.IO events and acks in one namespace. Receiving
is one `data_received` call per TCP read with one clock reading for every frame in it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections.abc import Callable

OPEN, PING, PONG, MESSAGE = "0", "2", "3", "4"


def _mask(payload: bytes) -> bytes:
    key = os.urandom(4)
    length = len(payload)
    if length < 126:
        header = bytes([0x81, 0x80 | length])
    elif length < 65536:
        header = bytes([0x81, 0x80 | 126]) + length.to_bytes(2, "big")
    else:
        header = bytes([0x81, 0x80 | 127]) + length.to_bytes(8, "big")
    repeated = (key * (length // 4 + 1))[:length]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(
        length, "big") if length else b""
    return header + key + masked


class Connection(asyncio.Protocol):
    """One Socket.IO client. `on_event(name_prefix_bytes, now)` is called for each event frame
    whose payload starts with one of `watch` (a tuple of byte prefixes such as b'42["screen:')."""

    def __init__(self, host: str, port: int, namespace: str = "/", cookie: str = "",
                 watch: tuple[bytes, ...] = (), on_event: Callable | None = None):
        self.host, self.port, self.namespace, self.cookie = host, port, namespace, cookie
        self.watch, self.on_event = watch, on_event
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.upgraded = False
        self.connected: asyncio.Future = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.acks: dict[int, asyncio.Future] = {}
        self.next_id = 0
        self.acked_at = 0.0  # when the last acknowledgement arrived (before it was parsed)
        self.prefix = "" if namespace == "/" else namespace + ","

    # --- asyncio protocol -------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
        transport.write((
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{cookie}\r\n"
        ).encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.connected.done():
            self.connected.set_exception(ConnectionError(f"closed before connect: {exc}"))
        if not self.closed.done():
            self.closed.set_result(exc)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        buffer = self.buffer + data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buffer
                return
            status = buffer[:end].split(b"\r\n", 1)[0]
            if b" 101 " not in status:
                self._fail(f"handshake refused: {status!r}")
                return
            self.upgraded = True
            buffer = buffer[end + 4:]
        offset, size = 0, len(buffer)
        while size - offset >= 2:
            opcode = buffer[offset] & 0x0F
            length = buffer[offset + 1] & 0x7F
            start = offset + 2
            if length == 126:
                if size - start < 2:
                    break
                length = int.from_bytes(buffer[start:start + 2], "big")
                start += 2
            elif length == 127:
                if size - start < 8:
                    break
                length = int.from_bytes(buffer[start:start + 8], "big")
                start += 8
            if size - start < length:
                break
            payload = buffer[start:start + length]
            offset = start + length
            if opcode == 1:
                self._packet(payload, now)
            elif opcode == 9:
                self._write_frame(payload, opcode=0xA)
            elif opcode == 8:
                self.transport.close()
                return
        self.buffer = buffer[offset:]

    # --- engine.io / socket.io --------------------------------------------------------------
    def _packet(self, payload: bytes, now: float) -> None:
        if payload.startswith(b"42"):
            for prefix in self.watch:
                if payload.startswith(prefix):
                    self.on_event(prefix, now, payload)
                    return
            return
        kind = payload[:1].decode()
        if kind == PING:
            self._send(PONG)
        elif kind == OPEN:
            self._send(MESSAGE + "0" + self.prefix)
        elif kind == MESSAGE:
            self._socketio(payload[1:].decode(), now)

    def _socketio(self, packet: str, now: float = 0.0) -> None:
        kind, body = packet[:1], packet[1:]
        if self.prefix and body.startswith(self.prefix):
            body = body[len(self.prefix):]
        if kind == "0" and not self.connected.done():
            self.connected.set_result(True)
        elif kind == "4" and not self.connected.done():
            self.connected.set_exception(ConnectionError(f"connect refused: {body}"))
        elif kind == "3":
            self.acked_at = now
            digits = len(body) - len(body.lstrip("0123456789"))
            future = self.acks.pop(int(body[:digits]), None)
            if future and not future.done():
                future.set_result(json.loads(body[digits:])[0])

    def _send(self, text: str) -> None:
        self._write_frame(text.encode())

    def _write_frame(self, payload: bytes, opcode: int = 1) -> None:
        frame = bytearray(_mask(payload))
        frame[0] = 0x80 | opcode
        self.transport.write(bytes(frame))

    def _fail(self, reason: str) -> None:
        if not self.connected.done():
            self.connected.set_exception(ConnectionError(reason))
        self.transport.close()

    # --- API --------------------------------------------------------------------------------
    def call(self, event: str, data: object) -> asyncio.Future:
        """Emit an event with an acknowledgement; the future resolves to the ack's first value."""
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.acks[self.next_id] = future
        self._send(MESSAGE + "2" + self.prefix + str(self.next_id) + json.dumps([event, data]))
        return future

    def send(self, packet: str) -> None:
        """Send one raw Engine.IO packet, as written (the hostile clients of tests/hostile.py)."""
        self._send(packet)

    def close(self) -> None:
        if self.transport and not self.transport.is_closing():
            self.transport.close()


async def connect(host: str, port: int, timeout: float = 30, local_addr: str | None = None,
                  **options) -> Connection:
    """`local_addr`: the loopback address to connect from (127.0.0.2...), so that a server on
    127.0.0.1 sees another client address."""
    loop = asyncio.get_running_loop()
    _transport, connection = await asyncio.wait_for(
        loop.create_connection(lambda: Connection(host, port, **options), host, port,
                               local_addr=(local_addr, 0) if local_addr else None), timeout)
    await asyncio.wait_for(connection.connected, timeout)
    return connection
