"""A token bucket: how many events a socket may send at once, and how fast it earns more."""

from __future__ import annotations

import time


class TokenBucket:
    """Starts full with `burst` tokens and earns `rate` tokens a second, never more than `burst`.
    Each event takes one token; an event that finds none is over budget."""

    __slots__ = ("burst", "rate", "tokens", "updated")

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.tokens = burst
        self.updated = time.monotonic()

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
