"""Client addresses, kept in memory only: a keyed hash that changes at every start.

Rate limits need to tell addresses apart; nothing may store or log them (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import request

# A new key at every start: counters cannot be tied back to an address after a restart, and the
# key is never written anywhere.
_PROCESS_KEY = secrets.token_bytes(32)


def address_key(address: str | None) -> str:
    digest = hmac.new(_PROCESS_KEY, (address or "-").encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def memory_only_address() -> str:
    """The current request's address, as a key for in-memory counters."""
    return address_key(request.remote_addr)
