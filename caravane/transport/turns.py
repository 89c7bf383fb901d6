"""Work from one address takes turns: at most a few pieces of it run at once, the others wait in
line, so that a flood from one address cannot crowd out everyone else (docs/security.md,
Availability).

A process runs one thing at a time on its CPU, switching whenever one waits. 500 requests in
flight from one address, each answered at once (413 to an oversized POST), put a visitor's
request behind 500 others: the site answered, in up to 3 s; 200 WebSocket handshakes in flight
did the same. In line by address, the flood holds a few turns at a time and every other address
its own, so a visitor waits for a few pieces of work, not for the flood. A venue behind one NAT
loses nothing it could have had: the process works on one thing at a time anyway, and a few in
progress keep it busy.

A piece of work is an HTTP request (its body already read, transport.bodies), a WebSocket
handshake, a socket event. Waiting for news takes no turn: a long-polling GET,
an open WebSocket between two events. Addresses are keyed in memory (ratelimit.address_key),
never stored; the address is the one the application sees (the client's, behind
CARAVANE_PROXY_COUNT proxies).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator

from caravane.addresses import address_key

# Pieces of work of one address running at once: enough to keep the process busy for a whole
# venue behind one NAT, few enough that another address waits for a handful at most.
REQUESTS_PER_ADDRESS = 8

ADDRESS = "caravane.address_key"  # in the WSGI environ: the key, computed once per connection
RELEASE = "caravane.release_turn"  # in a WebSocket's environ until its handshake is over


def address_of(environ: dict) -> str:
    """The keyed client address of a request or a connection, computed once per environ."""
    key = environ.get(ADDRESS)
    if key is None:
        key = environ[ADDRESS] = address_key(environ.get("REMOTE_ADDR"))
    return key


class Turns:
    """A line per address, `per_address` turns at once. Reentrant within one green thread: work
    that holds a turn never waits for another (a POST dispatching an event, an event closing its
    socket), so a line cannot deadlock on itself."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self.lines: dict[str, tuple[threading.Semaphore, list[int]]] = {}
        self.local = threading.local()  # green-thread-local under gevent's monkey-patching

    def enter(self, environ: dict, lane: str = "") -> Callable[[], None]:
        """Wait for a turn in this environ's line (of `lane`, when given: a line of its own
        for that address); the function that gives it back (once)."""
        if getattr(self.local, "holding", False):
            return _nothing
        key = lane + address_of(environ)
        line = self.lines.get(key)
        if line is None:
            line = self.lines[key] = (threading.Semaphore(self.per_address), [0])
        counter, users = line
        users[0] += 1
        counter.acquire()
        self.local.holding = True
        given_back = False

        def leave() -> None:
            nonlocal given_back
            if given_back:
                return
            given_back = True
            self.local.holding = False
            counter.release()
            users[0] -= 1
            if not users[0]:
                self.lines.pop(key, None)

        return leave

    @contextlib.contextmanager
    def turn(self, environ: dict, lane: str = "") -> Iterator[None]:
        leave = self.enter(environ, lane)
        try:
            yield
        finally:
            leave()

    def wrap(self, app: Callable, websockets: bool,
             socketio_path: str = "/socket.io/") -> Callable:
        """WSGI middleware: each request takes a turn, except long-polling GETs. A WebSocket
        takes one when `websockets` says it gives it back once its handshake is over
        (transport.sockets calls RELEASE); otherwise it would keep it for its whole life."""

        def in_line(environ: dict, start_response: Callable) -> Iterable[bytes]:
            upgrade = environ.get("HTTP_UPGRADE", "").lower() == "websocket"
            long_poll = (environ.get("REQUEST_METHOD") == "GET" and not upgrade
                         and environ.get("PATH_INFO", "").startswith(socketio_path)
                         and "sid=" in environ.get("QUERY_STRING", ""))
            if long_poll or (upgrade and not websockets):
                return app(environ, start_response)
            leave = environ[RELEASE] = self.enter(environ)
            try:
                return app(environ, start_response)
            finally:
                environ.pop(RELEASE, None)
                leave()

        return in_line


def _nothing() -> None:
    pass
