"""gunicorn's gevent worker, with a cap on the connections one address may hold at once
(docs/security.md, Availability).

One worker holds 12,000 connections; without a cap, one address opened all of them (12,000
sockets in about 20 s) and nobody else got a page or a socket. The cap counts TCP connections,
whatever they carry (a WebSocket, a long poll, a page, a slow body, headers never finished), as
soon as they are accepted and before a byte is read, so that a refused one costs nothing.

Addresses are counted under ratelimit.address_key (an HMAC with a key drawn at start-up, in
memory only), never stored, never logged. Behind a reverse proxy (CARAVANE_PROXY_COUNT > 0)
every connection comes from the proxy's address: the cap is then nginx's (limit_conn in
deploy/nginx.conf) and this one stays off.
"""

from __future__ import annotations

import contextlib
import gc
import socket

from gunicorn.workers.ggevent import GeventWorker

from caravane.addresses import address_key
from caravane.transport import CONNECTIONS_PER_ADDRESS
from caravane.transport.notices import notices

# Python collects its oldest generation when it decides, and with 5,000 phones connected one
# such pass holds the worker for 380–505 ms, every few seconds: when it falls while a question
# goes on screen, every phone not yet written waits for it (docs/deploy.md, Fan-out). Here the
# young generations are collected as usual and the full pass comes on a clock instead, once a
# minute: the same garbage is freed, a round meets it twenty times less often.
# CARAVANE_FULL_COLLECTIONS_EVERY=0 gives the schedule back to Python.
FULL_COLLECTIONS_EVERY = 60
NEVER_BY_COUNT = 1_000_000_000


def _full_collections_on_a_clock(seconds: float):
    """Full collections every `seconds`, never by Python's count; returns the green thread."""
    import gevent

    young, middle, _oldest = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER_BY_COUNT)

    def collect() -> None:
        while True:
            gevent.sleep(seconds)
            gc.collect()

    return gevent.spawn(collect)


class AddressCap:
    """How many connections each (keyed) address holds right now."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held: dict[str, int] = {}

    def acquire(self, address: str) -> str | None:
        """The address's key if it may open one more connection, else None."""
        key = address_key(address)
        count = self.held.get(key, 0)
        if count >= self.limit:
            return None
        self.held[key] = count + 1
        return key

    def release(self, key: str) -> None:
        count = self.held.get(key, 0) - 1
        if count > 0:
            self.held[key] = count
        else:
            self.held.pop(key, None)


class Worker(GeventWorker):
    """`caravane serve`'s worker: gunicorn's gevent worker plus the per-address cap."""

    cap: AddressCap | None = None

    def load_wsgi(self) -> None:
        super().load_wsgi()
        # Everything loaded so far (the application, its libraries, the assistant's lexicons
        # and language model: about 235,000 objects) lives as long as the process: out of the
        # garbage collector's full passes, which held every socket for about 100 ms more each
        # (measured with 5,000 phones: docs/deploy.md, Fan-out).
        gc.collect()
        gc.freeze()
        config = getattr(self.wsgi, "config", {})  # the Flask app of wsgi.py
        every = int(config.get("FULL_COLLECTIONS_EVERY", FULL_COLLECTIONS_EVERY) or 0)
        if every > 0:
            _full_collections_on_a_clock(every)
        limit = int(config.get("CONNECTIONS_PER_ADDRESS", CONNECTIONS_PER_ADDRESS) or 0)
        if limit > 0 and not int(config.get("PROXY_COUNT") or 0):
            self.cap = AddressCap(limit)

    def handle(self, listener, client, addr) -> None:
        if self.cap is None or not isinstance(addr, tuple):
            super().handle(listener, client, addr)
            return
        key = self.cap.acquire(addr[0])
        if key is None:
            notices.note("connections", f"connection refused: one address already holds "
                                        f"{self.cap.limit} connections")
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()
            return
        try:
            super().handle(listener, client, addr)
        finally:
            self.cap.release(key)
