"""Who an attendee is: a random token in their signed session cookie. No account, no address."""

from __future__ import annotations

import secrets

from flask import session


def attendee_token() -> str:
    """The attendee's token, created on first use (an HTTP page load or a socket connection)."""
    token = session.get("attendee")
    if not token:
        token = session["attendee"] = secrets.token_urlsafe(16)
    return token
