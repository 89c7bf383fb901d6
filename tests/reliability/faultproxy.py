"""A TCP proxy that misbehaves on demand, between test clients and a live server: it delays,
swallows what the server sends, or resets every connection. (No netem on this kernel, and
Chromium's network emulation does not slow WebSockets.)"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading


class FaultProxy:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.delay = 0.0  # seconds added before each chunk, both ways
        self.swallow_replies = False  # server -> client bytes are dropped
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _handle(self, reader, writer) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer, replies=False),
                             self._pipe(upstream_reader, writer, replies=True),
                             return_exceptions=True)
        self._writers -= {writer, upstream_writer}

    async def _pipe(self, reader, writer, replies: bool) -> None:
        try:
            while data := await reader.read(65536):
                if self.delay:
                    await asyncio.sleep(self.delay)
                if replies and self.swallow_replies:
                    continue
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    def reset_all(self) -> None:
        """Cut every open connection with a TCP reset, as a dropped mobile link looks."""

        def cut():
            for writer in list(self._writers):
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
            self._writers.clear()

        self._loop.call_soon_threadsafe(cut)

    def stop(self) -> None:
        self.reset_all()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
