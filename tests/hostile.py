"""Hostile clients, written as one attendee with a script would write them, and the visitor who
must not notice them (docs/security.md, Availability). Raw HTTP over asyncio; Socket.IO over a
raw WebSocket with the benchmarks' light client (bench/fastclient.py). Used by the availability
tests (tests/security/test_availability.py) and by bench/attacks.py alike.

Every attack comes from 127.0.0.1; the visitor comes from 127.0.0.2 (any 127/8 address reaches a
server listening on 127.0.0.1), so that a cap per address keeps them apart as it would two
people.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import fastclient  # noqa: E402

HOST = "127.0.0.1"
NEIGHBOUR = "127.0.0.2"
STOP = "calais"
NO_ANSWER = "no answer"  # the server neither answered nor closed the connection in time
CLOSED = "closed"  # the server closed the connection without an answer


def run(coroutine: Awaitable) -> object:
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread, where asyncio.run refuses to start another."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


# --- raw HTTP -------------------------------------------------------------------------------

def http_request(method: str, path: str, body: bytes = b"", headers: Iterable[str] = (),
                 length: int | None = None) -> bytes:
    """An HTTP/1.1 request as bytes; `length` announces another Content-Length than the body's
    (a slow body sends the rest later), `headers` replaces Content-Length when it holds
    Transfer-Encoding."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", *headers]
    if body or length is not None:
        lines.append("Content-Type: text/plain;charset=UTF-8")
    if not any(h.lower().startswith("transfer-encoding") for h in headers) and (
            body or length is not None):
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader, timeout: float) -> tuple[int, bytes]:
    """Status and body of one response (Content-Length, chunked, or up to the close)."""
    async def read() -> tuple[int, bytes]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            return status, await reader.readexactly(int(headers["content-length"]))
        if "chunked" in headers.get("transfer-encoding", ""):
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
            return status, body
        return status, await reader.read()

    return await asyncio.wait_for(read(), timeout)


async def answer_of(reader: asyncio.StreamReader, timeout: float) -> str:
    """The status of the next response as text, CLOSED, or NO_ANSWER."""
    try:
        status, _body = await read_response(reader, timeout)
        return str(status)
    except (asyncio.IncompleteReadError, ConnectionError):
        return CLOSED
    except TimeoutError:
        return NO_ANSWER


async def polling_session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
    """Open an Engine.IO long-polling session on this connection; its sid."""
    writer.write(http_request("GET", "/socket.io/?EIO=4&transport=polling"))
    status, body = await read_response(reader, 30)
    if status != 200:
        raise ConnectionError(f"handshake refused: {status}")
    return json.loads(body[1:])["sid"]


def polling_path(sid: str) -> str:
    return f"/socket.io/?EIO=4&transport=polling&sid={sid}"


async def gather_limited(coroutines: Iterable[Awaitable], in_flight: int) -> list:
    gate = asyncio.Semaphore(in_flight)

    async def one(coroutine: Awaitable):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines), return_exceptions=True)


def outcomes(results: list) -> Counter:
    return Counter(r if isinstance(r, str) else type(r).__name__ for r in results)


# --- attacks --------------------------------------------------------------------------------

async def oversized_post(port: int, size: int = 20_000, chunked: bool = False,
                         timeout: float = 10) -> str:
    """A long-polling session, then one POST of `size` bytes to it (over engine.io's 16 kB),
    with a Content-Length or chunked without one. What the server answered."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        path = polling_path(await polling_session(reader, writer))
        payload = b"4" + b"x" * (size - 1)
        if chunked:
            body = f"{len(payload):x}\r\n".encode() + payload + b"\r\n0\r\n\r\n"
            writer.write(http_request("POST", path, headers=["Transfer-Encoding: chunked"]) + body)
        else:
            writer.write(http_request("POST", path, payload))
        return await answer_of(reader, timeout)
    finally:
        writer.close()


async def oversized_posts(port: int, count: int, in_flight: int = 200, **options) -> Counter:
    return outcomes(await gather_limited(
        (oversized_post(port, **options) for _ in range(count)), in_flight))


async def slow_body(port: int, path: str = f"/{STOP}/questions", length: int = 100,
                    interval: float = 5.0, give_up: float = 60) -> str:
    """A POST announcing `length` bytes, then sending one byte every `interval` seconds. What
    the server answered before the body was complete, CLOSED, or NO_ANSWER after `give_up`."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        if path.startswith("/socket.io/"):
            path = polling_path(await polling_session(reader, writer))
        writer.write(http_request("POST", path, length=length))
        answer = asyncio.ensure_future(answer_of(reader, give_up))
        deadline = time.monotonic() + give_up
        for _ in range(length - 1):  # never the last byte
            done, _pending = await asyncio.wait([answer], timeout=interval)
            if done or time.monotonic() > deadline:
                break
            try:
                writer.write(b"x")
                await writer.drain()
            except ConnectionError:
                break
        return await answer
    finally:
        writer.close()


async def slow_headers(port: int, interval: float = 1.0, give_up: float = 30) -> str:
    """A request whose headers never end: one byte every `interval` seconds. CLOSED once the
    server gives up on it, NO_ANSWER if it still waits after `give_up`."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(f"GET /{STOP} HTTP/1.1\r\nHost: {HOST}\r\n".encode())
        closed = asyncio.ensure_future(reader.read())
        deadline = time.monotonic() + give_up
        while time.monotonic() < deadline:
            done, _pending = await asyncio.wait([closed], timeout=interval)
            if done:
                # A server closing with our bytes still unread resets the connection: dropped.
                if isinstance(closed.exception(), ConnectionError):
                    return CLOSED
                return CLOSED if not closed.result() else str(closed.result()[:12])
            try:
                writer.write(b"X")
                await writer.drain()
            except ConnectionError:
                return CLOSED
        closed.cancel()
        return NO_ANSWER
    finally:
        writer.close()


async def hold_sockets(port: int, count: int, in_flight: int = 100,
                       local_addr: str | None = None) -> tuple[list, int]:
    """`count` Socket.IO connections over WebSocket, held open (they answer pings). The ones that
    connected, and how many were refused."""
    async def one():
        return await fastclient.connect(HOST, port, timeout=30, local_addr=local_addr)

    results = await gather_limited((one() for _ in range(count)), in_flight)
    held = [r for r in results if isinstance(r, fastclient.Connection)]
    return held, len(results) - len(held)


async def join_flood(port: int, joins: int, timeout: float = 60) -> dict:
    """One socket sends `joins` joins at once, without waiting for any answer. How many were
    answered, and whether the server closed the socket."""
    connection = await fastclient.connect(HOST, port)
    calls = [connection.call("join", {"stop": STOP}) for _ in range(joins)]
    everything = asyncio.ensure_future(asyncio.wait(calls))
    await asyncio.wait([everything, connection.closed], timeout=timeout,
                       return_when=asyncio.FIRST_COMPLETED)
    answered = sum(1 for call in calls if call.done())
    closed = connection.closed.done()
    connection.close()
    everything.cancel()
    return {"joins": joins, "answered": answered, "closed": closed}


# Broken packets, each padded to about 5 kB as in the attack of issue 13: Socket.IO packets
# that do not decode, and Engine.IO packets that are not packets at all.
_PAD = "x" * 5000
MALFORMED_SOCKETIO = [f'42["join",{{"stop":"{_PAD}"', f"4{_PAD}", f'42{{"a":"{_PAD}"}}',
                      f'42["join"]{_PAD}', '4' + '[' * 3000]
MALFORMED_ENGINEIO = ["x" + _PAD, "b!" + _PAD, "9" * 10]


async def malformed_over_websocket(port: int, packet: str, timeout: float = 10) -> bool:
    """Connect, send one broken packet, then a join: True if the server closed the socket."""
    connection = await fastclient.connect(HOST, port)
    try:
        connection.send(packet)
        join = connection.call("join", {"stop": STOP})
        await asyncio.wait([join, connection.closed], timeout=timeout,
                           return_when=asyncio.FIRST_COMPLETED)
        if not connection.closed.done():
            await asyncio.wait([connection.closed], timeout=1)
        return connection.closed.done()
    finally:
        connection.close()


async def malformed_over_polling(port: int, payload: str, timeout: float = 10) -> bool:
    """A long-polling session, Socket.IO connected, then one broken payload: True if the
    session was closed (its next poll is refused or reads the CLOSE packet)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        path = polling_path(await polling_session(reader, writer))
        writer.write(http_request("POST", path, b"40"))
        await read_response(reader, timeout)
        writer.write(http_request("GET", path))
        await read_response(reader, timeout)  # the CONNECT answer
        writer.write(http_request("POST", path, payload.encode()))
        await answer_of(reader, timeout)
        writer.write(http_request("GET", path))
        status, body = await read_response(reader, timeout)
        return status == 400 or body.startswith(b"1")
    except (asyncio.IncompleteReadError, ConnectionError):
        return True
    finally:
        writer.close()


# --- the visitor ------------------------------------------------------------------------------

async def page_load(port: int, path: str = f"/{STOP}/questions", local_addr: str = NEIGHBOUR,
                    timeout: float = 30) -> float:
    """Seconds to load a page on a new connection; raises if it is not a 200."""
    started = time.monotonic()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(HOST, port, local_addr=(local_addr, 0)), timeout)
    try:
        writer.write(http_request("GET", path, headers=["Connection: close"]))
        status, _body = await read_response(reader, timeout)
    finally:
        writer.close()
    if status != 200:
        raise ConnectionError(f"page answered {status}")
    return time.monotonic() - started


async def socket_join(port: int, local_addr: str = NEIGHBOUR, timeout: float = 30) -> float:
    """Seconds for a new Socket.IO connection to connect and join the stop; raises on failure."""
    started = time.monotonic()
    connection = await fastclient.connect(HOST, port, timeout=timeout, local_addr=local_addr)
    try:
        answer = await asyncio.wait_for(connection.call("join", {"stop": STOP}), timeout)
    finally:
        connection.close()
    if not answer.get("ok"):
        raise ConnectionError(f"join refused: {answer}")
    return time.monotonic() - started


async def visit(port: int, local_addr: str = NEIGHBOUR, timeout: float = 30) -> dict[str, float]:
    """What a visitor does: load the board, then open its live connection."""
    return {"page": await page_load(port, local_addr=local_addr, timeout=timeout),
            "socket": await socket_join(port, local_addr=local_addr, timeout=timeout)}


# --- the server's side of the connections ----------------------------------------------------

TCP_STATES = {"01": "ESTABLISHED", "06": "TIME_WAIT", "08": "CLOSE_WAIT", "0A": "LISTEN"}


def server_connections(port: int) -> Counter:
    """The server's sockets on `port`, by TCP state (from /proc/net/tcp, Linux)."""
    states: Counter = Counter()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                states[TCP_STATES.get(fields[3], fields[3])] += 1
    return states
