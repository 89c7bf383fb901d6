"""Budgets for anonymous writes: per attendee token and per address (kept in memory only).

HTTP routes use Flask-Limiter's decorators; Socket.IO events are not HTTP requests, so the
attendee's writes (socket events and the no-JavaScript form alike) spend from `spend()`, which
counts in the same `limits` storage as Flask-Limiter (memory, or Redis when several processes
share a message queue). One budget per attendee, whichever way the question arrives.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import RateLimitItem, parse

from caravane.addresses import memory_only_address
from caravane.extensions import limiter

# Per attendee token: what one person typing on a phone never reaches. Per address: a whole room
# can share one venue Wi-Fi address behind NAT, so that budget is much larger; it only stops a
# script that mints a fresh token for every write.
DEFAULT_LIMITS = {
    "SUBMIT_LIMIT": "5 per minute",
    "SUBMIT_LIMIT_PER_ADDRESS": "120 per minute",
    "VOTE_LIMIT": "60 per minute",
    "VOTE_LIMIT_PER_ADDRESS": "1200 per minute",
}
SETTINGS = {"submit": "SUBMIT_LIMIT", "vote": "VOTE_LIMIT"}


class RateLimited(Exception):
    """A budget is spent; `retry` says in how many seconds the caller may try again."""

    def __init__(self, retry: int):
        super().__init__(f"retry in {retry} s")
        self.retry = retry


def _limit(name: str) -> RateLimitItem:
    return parse(str(current_app.config.get(name) or DEFAULT_LIMITS[name]))


def spend(action: str, attendee: str) -> None:
    """Count one `action` ("submit" or "vote") by this attendee from this address, or raise
    RateLimited when either budget is spent.

    Needs a request context: an HTTP request or a socket event (whose context comes from the
    connection's handshake)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    strategy = limiter.limiter
    setting = SETTINGS[action]
    budgets = [
        (_limit(setting), f"{action}:attendee", attendee),
        (_limit(f"{setting}_PER_ADDRESS"), f"{action}:address", memory_only_address()),
    ]
    # Test every budget before spending any: a refused write costs nothing.
    for item, scope, key in budgets:
        if not strategy.test(item, scope, key):
            reset_at, _remaining = strategy.get_window_stats(item, scope, key)
            raise RateLimited(max(1, math.ceil(reset_at - time.time())))
    for item, scope, key in budgets:
        strategy.hit(item, scope, key)
