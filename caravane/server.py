"""The production server: gunicorn with one gevent worker (see docs/deploy.md for why)."""

from __future__ import annotations

import os
import sys

from caravane import ROOT


def gunicorn_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn",
        "--chdir", str(ROOT),
        "--worker-class", "gevent",
        # One worker: Socket.IO keeps each client on one process. Scale out with several
        # `caravane serve` processes, Redis and sticky sessions (docs/deploy.md).
        "--workers", "1",
        "--worker-connections", os.environ.get("CARAVANE_WORKER_CONNECTIONS", "12000"),
        "--bind", f"{host}:{port}",
        "--graceful-timeout", "5",
        # No access log: it would record every client's address (docs/privacy.md).
        "--error-logfile", "-",
        "wsgi:app",
    ]


def run(host: str, port: int) -> None:
    os.environ["CARAVANE_ASYNC_MODE"] = "gevent"
    command = gunicorn_command(host, port)
    os.execv(command[0], command)  # noqa: S606 - replace this process: signals reach gunicorn
