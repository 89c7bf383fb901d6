"""Rate limits for anonymous writes, keyed by attendee token and by an address kept in memory only.

HTTP routes use Flask-Limiter's decorators; Socket.IO events are not HTTP requests, so the
attendee's writes (socket events and the no-JavaScript form alike) go through `check()`, which
counts in the same `limits` storage as Flask-Limiter (memory, or Redis when several processes
share a message queue). One budget per attendee, whichever way the question arrives.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time

from flask import current_app, request
from limits import RateLimitItem, parse

# A new key at every start: counters cannot be tied back to an address after a restart, and the
# key is never written anywhere.
_PROCESS_KEY = secrets.token_bytes(32)

# Per attendee token: what one person typing on a phone never reaches. Per address: a whole room
# can share one venue Wi-Fi address behind NAT, so that budget is much larger; it only stops a
# script that mints a fresh token for every write.
DEFAULT_LIMITS = {
    "SUBMIT_LIMIT": "5 per minute",
    "SUBMIT_LIMIT_PER_ADDRESS": "120 per minute",
    "VOTE_LIMIT": "60 per minute",
    "VOTE_LIMIT_PER_ADDRESS": "1200 per minute",
}
ACTIONS = {"submit": "SUBMIT_LIMIT", "vote": "VOTE_LIMIT"}


def address_key(address: str | None) -> str:
    digest = hmac.new(_PROCESS_KEY, (address or "-").encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def memory_only_address() -> str:
    return address_key(request.remote_addr)


def _limit(name: str) -> RateLimitItem:
    return parse(str(current_app.config.get(name) or DEFAULT_LIMITS[name]))


def check(action: str, attendee: str) -> None:
    """Count one `action` ("submit" or "vote") by this attendee from this address, or raise
    BoardError("rate_limited", retry=seconds) when either budget is spent.

    Needs a request context: an HTTP request or a socket event (whose context comes from the
    connection's handshake)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    # Imported here: extensions imports this module to build the limiter.
    from caravane.board import BoardError
    from caravane.extensions import limiter

    strategy = limiter.limiter
    setting = ACTIONS[action]
    budgets = [
        (_limit(setting), f"{action}:attendee", attendee),
        (_limit(f"{setting}_PER_ADDRESS"), f"{action}:address", memory_only_address()),
    ]
    # Test every budget before spending any: a refused write costs nothing.
    for item, scope, key in budgets:
        if not strategy.test(item, scope, key):
            reset_at, _remaining = strategy.get_window_stats(item, scope, key)
            raise BoardError("rate_limited", retry=max(1, math.ceil(reset_at - time.time())))
    for item, scope, key in budgets:
        strategy.hit(item, scope, key)
