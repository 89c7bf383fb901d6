"""Room broadcasts: each event's WebSocket frame built once, written straight to every phone.

python-socketio encodes a room-wide event once, then hands it to engine.io socket by socket;
engine.io puts it in that socket's queue and wakes the socket's writer green thread, which takes
it out, encodes the Engine.IO packet, has wsproto build a WebSocket frame around it and sends
it. For one `screen:changed` to 5,000 phones that was 5,000 queue puts, 10,000 green thread
switches, 5,000 frames built and a `queue.Empty` raised per phone (profile and figures in
docs/deploy.md, Fan-out).

Here, under gevent, the frame is built once per packet and, for a WebSocket with nothing
waiting to be written, sent at once by the broadcasting green thread, without blocking:
- in order: only when the socket's queue is empty and its writer is not in the middle of a
  send (a lock, which the writer takes for each of its sends and for the closing frame), so
  that nothing queued earlier can come after it;
- never held up by a slow phone: a socket whose buffer is full takes the usual path (engine.io's
  queue and writer); one that took part of the frame gets the rest from a green thread of its
  own while holding the lock, so its writer waits for it and the broadcast moves on;
- a long-polling socket, one still upgrading or closing, a frame that is not text: engine.io's
  path, unchanged.

An adaptation of this server's objects (its `_send_eio_packet` and the WebSocket class its
engine.io uses), never of the libraries' classes; tested in tests/test_broadcast.py.
CARAVANE_DIRECT_FRAMES=false turns it off.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import engineio
import socketio
from engineio import packet as eio_packet


def text_frame(data: str) -> bytes:
    """One unmasked, unfragmented WebSocket text frame, as a server sends it (RFC 6455, 5.2).
    Uncompressed even where permessage-deflate was agreed: RSV1 unset says so (RFC 7692, 6)."""
    payload = data.encode()
    length = len(payload)
    if length < 126:
        header = bytes((0x81, length))
    elif length < 65536:
        header = b"\x81\x7e" + length.to_bytes(2, "big")
    else:
        header = b"\x81\x7f" + length.to_bytes(8, "big")
    return header + payload


class DirectFrames:
    """The WebSockets of one engine.io server that may be written to directly, by session id."""

    def __init__(self, eio: engineio.Server) -> None:
        import gevent
        import gevent.socket

        self.eio = eio
        self.spawn = gevent.spawn
        self.gevent_socket = gevent.socket.socket
        self.websockets: dict[str, object] = {}
        self.last_packet: eio_packet.Packet | None = None
        self.last_frame: bytes | None = None
        # What each path carried since start (tests read them; nothing else does).
        self.direct = self.queued = 0

    def frame(self, pkt: eio_packet.Packet) -> bytes | None:
        """The packet's frame, built once for all the sockets a broadcast reaches: python-socketio
        hands the same packet object to each recipient."""
        if pkt is not self.last_packet:
            encoded = pkt.encode()
            self.last_packet = pkt
            self.last_frame = text_frame(encoded) if isinstance(encoded, str) else None
        return self.last_frame

    def send(self, eio_sid: str, pkt: eio_packet.Packet) -> bool:
        """Write the packet now if this socket allows it; False leaves it to engine.io."""
        websocket = self.websockets.get(eio_sid)
        if websocket is None:
            return False
        socket = self.eio.sockets.get(eio_sid)
        if (socket is None or socket.closed or socket.closing or not socket.upgraded
                or socket.upgrading or not socket.queue.empty()):
            return False
        frame = self.frame(pkt)
        if frame is None:
            return False
        if not socket.check_ping_timeout():
            return True  # a client gone silent: engine.io drops the packet and closes it too
        if websocket.write_now(frame, self.spawn, self.gevent_socket):
            self.direct += 1
            return True
        return False


def install(server: socketio.Server) -> DirectFrames | None:
    """Put direct frames in place on this server; None where they do not apply (another async
    mode, or a WebSocket class other than simple-websocket's)."""
    eio = server.eio
    if server.async_mode != "gevent":
        return None
    try:
        from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
    except ImportError:  # pragma: no cover - another engine.io layout: leave it as it is
        return None
    websocket_class = eio._async.get("websocket")
    if not (isinstance(websocket_class, type)
            and issubclass(websocket_class, SimpleWebSocketWSGI)):
        return None
    frames = DirectFrames(eio)
    eio._async = {**eio._async, "websocket": _writable(websocket_class, frames)}
    send_eio_packet = server._send_eio_packet

    def _send_eio_packet(eio_sid: str, pkt: eio_packet.Packet) -> None:
        if not frames.send(eio_sid, pkt):
            frames.queued += 1
            send_eio_packet(eio_sid, pkt)

    server._send_eio_packet = _send_eio_packet
    return frames


def _writable(websocket_class: type, frames: DirectFrames) -> type:
    from gevent.lock import Semaphore

    class WebSocket(websocket_class):
        """engine.io's WebSocket, registered while it serves, whose sends take its lock."""

        def __init__(self, handler: Callable, server: engineio.Server) -> None:
            super().__init__(self._registered(handler), server)
            self.lock = Semaphore()

        def _registered(self, handler: Callable) -> Callable:
            socket = getattr(handler, "__self__", None)  # engine.io's Socket, for its sid
            sid = getattr(socket, "sid", None)

            def run(ws: object) -> object:
                if sid is None:
                    return handler(ws)
                frames.websockets[sid] = self
                try:
                    return handler(ws)
                finally:
                    if frames.websockets.get(sid) is self:
                        del frames.websockets[sid]

            return run

        def send(self, message: object) -> None:
            with self.lock:
                return super().send(message)

        def close(self) -> None:
            with self.lock:
                super().close()

        def write_now(self, frame: bytes, spawn: Callable, gevent_socket: type) -> bool:
            """Send `frame` without waiting; False when nothing of it could be sent."""
            ws = getattr(self, "ws", None)
            if ws is None or not ws.connected or self.lock.locked():
                return False
            sock = ws.sock
            if not isinstance(sock, gevent_socket):
                return False
            try:
                sent = sock.send(frame, 0, timeout=0.0)
            except OSError:  # full (BlockingIOError) or broken: engine.io's writer decides
                return False
            if sent < len(frame):
                # The rest before anything else: the lock holds the writer until it is sent.
                self.lock.acquire()
                spawn(self._finish, sock, frame[sent:])
            return True

        def _finish(self, sock: object, rest: bytes) -> None:
            try:
                with contextlib.suppress(OSError):  # gone: the writer's next send finds out
                    sock.sendall(rest)
            finally:
                self.lock.release()

    return WebSocket
