"""Slowing down password guessing without locking moderators out.

Failed sign-ins are counted per login (tiers that lengthen the wait) and, more loosely, per
address (ratelimit.py holds the numbers). A browser that signed in successfully before keeps a
signed device cookie for that login (a random nonce, nothing derived from the address or the
browser): it is judged on its own budget instead, so a neighbour guessing from the venue's
address cannot lock its owner out. docs/security.md weighs the choice.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from caravane import ratelimit

DEVICE_COOKIE = "caravane_device"
DEVICE_DAYS = 90


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="caravane-device")


def _device(login: str) -> str | None:
    """The nonce of this browser's device cookie, if it proves an earlier sign-in as `login`."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = _serializer().loads(value, max_age=DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("login") != login:
        return None
    nonce = data.get("nonce")
    return nonce if isinstance(nonce, str) else None


def _budget(login: str) -> tuple[str, str]:
    device = _device(login)
    return ("sign_in_device", device) if device else ("sign_in", login.casefold())


def refuse_if_guessing(login: str) -> None:
    """Raise ratelimit.RateLimited while this login (from this browser) must wait."""
    action, key = _budget(login)
    ratelimit.refuse_if_spent(action, key)


def failed(login: str) -> None:
    action, key = _budget(login)
    ratelimit.record(action, key)


def remember_device(response: Response, login: str) -> Response:
    """After a successful sign-in: this browser is known for this login from now on."""
    value = _serializer().dumps({"login": login, "nonce": secrets.token_urlsafe(16)})
    response.set_cookie(
        DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 24 * 3600, path="/connexion",
        httponly=True, samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response
