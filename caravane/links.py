"""Absolute links for QR codes and calendars: the configured public URL, else the request's."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def short_url(endpoint: str, **values) -> str:
    """The same link without its scheme, to be read aloud or typed from a projector."""
    return public_url(endpoint, **values).split("://", 1)[-1]
