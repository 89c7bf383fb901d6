"""The production server: gunicorn with one gevent worker (see docs/deploy.md for why)."""

from __future__ import annotations

import importlib.util
import os
import sys

from caravane import ROOT


def worker_class() -> str:
    """gevent-websocket's worker when that package is installed: engine.io then serves WebSocket
    only through it. Otherwise plain gevent, and engine.io falls back to simple-websocket."""
    if importlib.util.find_spec("geventwebsocket") is not None:
        return "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"
    return "caravane.transport.worker.Worker"  # gevent, with a cap per address


def gunicorn_command(host: str, port: int, worker: str | None = None) -> list[str]:
    """The production command line; `worker` overrides the worker class (benchmarks compare)."""
    return [
        sys.executable, "-m", "gunicorn",
        "--chdir", str(ROOT),
        "--worker-class", worker or worker_class(),
        # One worker: Socket.IO keeps each client on one process. Scale out with several
        # `caravane serve` processes, Redis and sticky sessions (docs/deploy.md).
        "--workers", "1",
        "--worker-connections", os.environ.get("CARAVANE_WORKER_CONNECTIONS", "12000"),
        "--bind", f"{host}:{port}",
        "--graceful-timeout", "5",
        # No access log: it would record every client's address (docs/privacy.md).
        "--error-logfile", "-",
        "--logger-class", "caravane.transport.logs.Logger",  # nor in the error log
        *_no_control_socket(),
        "wsgi:app",
    ]


def _no_control_socket() -> list[str]:
    """gunicorn 25+ opens a control socket at one fixed path per user: several `caravane serve`
    processes on one machine would fight over it, and nothing here uses it."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def unreachable_warning(host: str, app) -> str | None:
    """Listening beyond loopback with no public URL nor allowed host: phones would be refused
    (only loopback Host headers are trusted), so say what to set."""
    from caravane.config import LOOPBACK_HOSTS

    if host in LOOPBACK_HOSTS or app.config.get("PUBLIC_URL") or app.config["ALLOWED_HOSTS"]:
        return None
    return (
        f"caravane: listening on {host}, but neither CARAVANE_PUBLIC_URL nor "
        "CARAVANE_ALLOWED_HOSTS is set: only loopback addresses will be served, and phones "
        "will get '400 Bad Request'. Set CARAVANE_PUBLIC_URL to the address phones use, e.g. "
        "CARAVANE_PUBLIC_URL=http://192.168.1.20:5000 (it also goes into the QR code)."
    )


def run(host: str, port: int) -> None:
    os.environ["CARAVANE_ASYNC_MODE"] = "gevent"
    command = gunicorn_command(host, port)
    os.execv(command[0], command)  # noqa: S606 - replace this process: signals reach gunicorn
