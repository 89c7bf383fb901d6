"""The attendee's identity as their signed session cookie keeps it: read it, or mint one when
their phone loads the board page. A bare socket never gets one: new identities cost an HTTP
page load, budgeted per address (docs/security.md)."""

from __future__ import annotations

import secrets
import time

from flask import session

from caravane import ratelimit
from caravane.board.identity import Attendee


def current_attendee() -> Attendee | None:
    secret, minted_at = session.get("attendee"), session.get("attendee_at")
    if not isinstance(secret, str) or not isinstance(minted_at, int | float):
        return None
    return Attendee(secret, float(minted_at))


def mint_attendee() -> Attendee | None:
    """The attendee of this page load: the one the cookie holds, or a new one if this address
    has not minted too many lately (None then: the page still shows, read-only)."""
    attendee = current_attendee()
    if attendee is not None:
        return attendee
    try:
        ratelimit.spend("new_attendee")
    except ratelimit.RateLimited:
        return None
    session["attendee"] = secrets.token_urlsafe(16)
    session["attendee_at"] = int(time.time())
    return current_attendee()
