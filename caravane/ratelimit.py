"""Budgets for anonymous writes, new identities and sign-in attempts: per person (an attendee,
a login, a browser) and per address (kept in memory only), in the `limits` storage
Flask-Limiter uses (memory, or Redis when several processes share a message queue).

HTTP routes use Flask-Limiter's decorators; Socket.IO events are not HTTP requests, so the
attendee's writes (socket events and the no-JavaScript form alike) spend from `spend()`. One
budget per attendee, whichever way the question arrives. docs/security.md gives the reasons
for each number.
"""

from __future__ import annotations

import logging
import math
import time

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage

from caravane.addresses import memory_only_address
from caravane.extensions import limiter

log = logging.getLogger(__name__)

# Per attendee: what one person typing on a phone never reaches. Per address: a whole room can
# share one venue Wi-Fi address behind NAT, so those budgets are larger; they stop a script
# that mints a fresh identity for every write.
DEFAULT_LIMITS = {
    "SUBMIT_LIMIT": "5 per minute",
    "SUBMIT_LIMIT_PER_ADDRESS": "30 per 5 minutes",
    "VOTE_LIMIT": "60 per minute",
    "VOTE_LIMIT_PER_ADDRESS": "1200 per minute",
    # Supports of one question from one address: a script with many identities stops here.
    "VOTE_LIMIT_PER_ADDRESS_QUESTION": "100 per 5 minutes",
    "NEW_ATTENDEE_LIMIT_PER_ADDRESS": "100 per 5 minutes; 400 per hour",
    # Failed sign-ins. Per login, tiers that lengthen the wait (backoff): guessing one account
    # from many addresses stops there. Per address, looser: many accounts from one place.
    # Per browser that signed in before (its device cookie): that browser is spared the
    # login's and the address's budgets, so a neighbour's guesses cannot lock its owner out.
    "SIGN_IN_LIMIT_PER_LOGIN": "5 per 5 minutes; 15 per hour; 40 per day",
    "SIGN_IN_LIMIT_PER_ADDRESS": "30 per 5 minutes; 100 per hour",
    "SIGN_IN_LIMIT_PER_DEVICE": "10 per 5 minutes; 30 per day",
}
# action -> its budgets: (setting, keyed by the caller's key or by the address)
BUDGETS = {
    "submit": [("SUBMIT_LIMIT", "key"), ("SUBMIT_LIMIT_PER_ADDRESS", "address")],
    "vote": [("VOTE_LIMIT", "key"), ("VOTE_LIMIT_PER_ADDRESS", "address")],
    "vote_question": [("VOTE_LIMIT_PER_ADDRESS_QUESTION", "address")],
    "new_attendee": [("NEW_ATTENDEE_LIMIT_PER_ADDRESS", "address")],
    "sign_in": [("SIGN_IN_LIMIT_PER_LOGIN", "key"), ("SIGN_IN_LIMIT_PER_ADDRESS", "address")],
    "sign_in_device": [("SIGN_IN_LIMIT_PER_DEVICE", "key")],
}


# When the shared counters (Redis) do not answer, this process counts alone for this long before
# trying them again: a Redis outage must not stop attendees from asking (docs/deploy.md).
SHARED_RETRY_AFTER = 5.0


class _Counters:
    """The shared counters, or this process's own while they do not answer."""

    def __init__(self) -> None:
        self.local = None
        self.failed_at: float | None = None

    def call(self, method: str, *args):
        if self.failed_at is None or time.monotonic() - self.failed_at > SHARED_RETRY_AFTER:
            try:
                result = getattr(limiter.limiter, method)(*args)
            except StorageError as error:
                if self.failed_at is None:
                    log.error("rate limits: shared counters unreachable (%s), counting in "
                              "this process meanwhile", error)
                self.failed_at = time.monotonic()
            else:
                if self.failed_at is not None:
                    log.warning("rate limits: shared counters answer again")
                self.failed_at = None
                return result
        if self.local is None:  # the same strategy as the shared counters, in memory
            self.local = type(limiter.limiter)(MemoryStorage())
        return getattr(self.local, method)(*args)


_counters = _Counters()


class RateLimited(Exception):
    """A budget is spent; `retry` says in how many seconds the caller may try again."""

    def __init__(self, retry: int):
        super().__init__(f"retry in {retry} s")
        self.retry = retry


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(str(current_app.config.get(setting) or DEFAULT_LIMITS[setting]))


def _budgets(action: str, key: str | None, subject: str) -> list[tuple]:
    budgets = []
    for setting, whose in BUDGETS[action]:
        owner = key if whose == "key" else memory_only_address()
        if owner is not None:
            budgets += [(item, f"{action}:{whose}", f"{owner}:{subject}")
                        for item in _limits(setting)]
    return budgets


def refuse_if_spent(action: str, key: str | None = None, subject: str = "") -> None:
    """Raise RateLimited if any budget of `action` is spent, without counting anything.

    Needs a request context: an HTTP request or a socket event (whose context comes from the
    connection's handshake)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    for item, scope, owner in _budgets(action, key, subject):
        if not _counters.call("test", item, scope, owner):
            reset_at, _remaining = _counters.call("get_window_stats", item, scope, owner)
            raise RateLimited(max(1, math.ceil(reset_at - time.time())))


def record(action: str, key: str | None = None, subject: str = "") -> None:
    """Count one `action` against each of its budgets."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    for item, scope, owner in _budgets(action, key, subject):
        _counters.call("hit", item, scope, owner)


def spend(action: str, key: str | None = None, subject: str = "") -> None:
    """Count one `action` by `key` (an attendee, when given) from this address, or raise
    RateLimited when any of its budgets is spent: a refused request costs nothing. `subject`
    narrows the budget (a question's id)."""
    refuse_if_spent(action, key, subject)
    record(action, key, subject)


def count(action: str, subject: str, window: str) -> int:
    """Count one event of `action` on `subject` from this address and return how many this
    address made within `window` (e.g. "1 per minute": the amount is ignored), for signals
    that only inform, like a burst of fresh supports. 0 when rate limits are off (no storage)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return 0
    item = parse_many(window)[0]
    key = f"{memory_only_address()}:{subject}"
    _counters.call("hit", item, f"{action}:count", key)
    _reset, remaining = _counters.call("get_window_stats", item, f"{action}:count", key)
    return item.amount - remaining

