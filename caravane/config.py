"""Configuration: defaults, then every CARAVANE_* environment variable."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

LOCALES = ("fr", "en", "ar")
RTL_LOCALES = frozenset({"ar"})
# Always trusted as a Host: the machine itself (make run, tests, a reverse proxy on it).
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1", "[::1]"]


class Defaults:
    """Values used when neither the environment nor the caller says otherwise."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = LOCALES
    WTF_CSRF_TIME_LIMIT = None  # a phone left open through a two-hour debate must still post
    # WTForms' own messages are never shown (no validators: board/inputs.py says what is wrong,
    # in caravane's words); loading its catalogue cost each board page 0.2 ms.
    WTF_I18N_ENABLED = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    MAX_CONTENT_LENGTH = 64 * 1024
    MESSAGE_QUEUE = None
    PUBLIC_URL = None
    ALLOWED_HOSTS: list[str] = []  # other names this site answers to, besides PUBLIC_URL's
    ASYNC_MODE = "threading"  # `caravane serve` switches to gevent
    RETENTION_DAYS = 30
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/javascript", "application/javascript",
        "application/json", "image/svg+xml", "text/calendar", "text/csv",
    ]
    COMPRESS_ALGORITHM = ["gzip"]
    # A board page of 50 questions (58 kB): level 3 compresses it in 0.08 ms to 5.1 kB, level 6
    # (the default) in 0.28 ms to 4.6 kB. Half a kilobyte is nothing on 4G; 0.2 ms a page is
    # not nothing for the server (docs/deploy.md, Pages).
    COMPRESS_LEVEL = 3


def configure(app: Flask, overrides: dict | None = None) -> None:
    """Fill app.config from defaults, the environment and explicit overrides (tests)."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("CARAVANE")
    if overrides:
        app.config.update(overrides)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'caravane.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if app.config.get("MESSAGE_QUEUE") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        # Several processes must share their counters; Redis forgets them on its own.
        app.config["RATELIMIT_STORAGE_URI"] = app.config["MESSAGE_QUEUE"]
        # Redis errors as limits' StorageError, and quickly: ratelimit.py then counts in this
        # process, and Flask-Limiter's own routes in memory, until Redis answers again.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "wrap_exceptions": True, "socket_connect_timeout": 1, "socket_timeout": 1})
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    public_url = app.config.get("PUBLIC_URL")
    if public_url:
        app.config["PUBLIC_URL"] = public_url.rstrip("/")
        if public_url.startswith("https://"):
            app.config["SESSION_COOKIE_SECURE"] = True
            app.config["REMEMBER_COOKIE_SECURE"] = True
    # Links in QR codes, calendars and share buttons are written from the Host header when no
    # public URL is set: only hosts named here are answered (others get 400), so a forged Host
    # cannot make the site write links to somewhere else.
    app.config["ALLOWED_HOSTS"] = allowed_hosts(app.config.get("ALLOWED_HOSTS"))
    app.config["TRUSTED_HOSTS"] = [
        *([urlsplit(app.config["PUBLIC_URL"]).hostname] if public_url else []),
        *app.config["ALLOWED_HOSTS"], *LOOPBACK_HOSTS,
    ]


def allowed_hosts(value: object) -> list[str]:
    """CARAVANE_ALLOWED_HOSTS as a JSON list or a comma-separated string."""
    if isinstance(value, str):
        value = value.split(",")
    return [str(host).strip() for host in value or [] if str(host).strip()]


def _instance_secret(path: Path) -> str:
    """A secret generated once per installation and kept private in the instance folder."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key
