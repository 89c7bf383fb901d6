"""Response headers that keep every page to its own origin, out of other sites' frames, and
a page made for one visitor out of every cache."""

from __future__ import annotations

from flask import Flask, Response, session
from werkzeug.sansio.utils import host_is_trusted

from caravane.config import LOOPBACK_HOSTS

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if session.accessed and "Cache-Control" not in response.headers:
        # Read from the visitor's session (their questions, supports, form token, a moderator's
        # console): kept by no proxy, and not on the disk of a phone lent to a neighbour. The
        # public pages say otherwise themselves (page_cache.py).
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)


def origin_checker(public_url: str | None, allowed_hosts: list[str]):
    """The Socket.IO origin rule: the public URL, or the very scheme and Host the request came
    with when that Host is an allowed one (CARAVANE_ALLOWED_HOSTS; loopback too when no public
    URL is set). Never X-Forwarded-Host: engine.io's own same-origin check trusts it, so a
    forged header would let any site's page open a socket with an attendee's cookies."""
    trusted = [*allowed_hosts, *([] if public_url else LOOPBACK_HOSTS)]

    def allowed(origin: str | None, environ: dict) -> bool:
        if not origin:
            return False
        if public_url and origin.rstrip("/").lower() == public_url.rstrip("/").lower():
            return True
        host = environ.get("HTTP_HOST")
        scheme = environ.get("wsgi.url_scheme", "http")
        return (bool(host) and origin.lower() == f"{scheme}://{host}".lower()
                and host_is_trusted(host, trusted))

    return allowed


def trust_proxies(app: Flask) -> None:
    """Behind CARAVANE_PROXY_COUNT reverse proxies (0 by default), take the client address and
    scheme from their X-Forwarded-For/-Proto headers, as many hops as configured and no more.
    Wraps the whole WSGI stack, Socket.IO included, so rate limits see the real address.
    X-Forwarded-Host is never trusted: the proxy passes the Host header through."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0,
                                x_port=0, x_prefix=0)
