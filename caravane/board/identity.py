"""Who an attendee is, without an account or an address: a random secret their browser keeps,
from which each stop gets its own token.

The database stores only the per-stop tokens, so a person's questions and supports at Calais
cannot be linked to theirs at Lille without the secret, which never leaves their cookie.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

# Supports from identities younger than this count as "fresh": a burst of them from one network
# is shown to moderators (docs/security.md).
FRESH_SECONDS = 5 * 60


@dataclass(frozen=True)
class Attendee:
    secret: str
    minted_at: float  # epoch seconds

    def token(self, stop_slug: str) -> str:
        digest = hmac.new(self.secret.encode(), f"stop:{stop_slug}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def budget_key(self) -> str:
        """The key of this attendee's own rate budgets, whatever the stop."""
        return self.token("*")

    def is_fresh(self, now: float) -> bool:
        return now - self.minted_at < FRESH_SECONDS
