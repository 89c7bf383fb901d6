"""A real caravane server process for tests that need real sockets: gunicorn + gevent, as
`caravane serve` runs it, on a free loopback port, with its own database and environment."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import requests

from caravane.server import gunicorn_command

ROOT = Path(__file__).resolve().parent.parent
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(url: str, env: dict[str, str] | None = None) -> None:
    """Migrate and load the tour, through the real command line."""
    environment = {**os.environ, "CARAVANE_DATABASE_URL": url, **(env or {})}
    flask = [sys.executable, "-m", "flask", "--app", "caravane"]
    for command in (["db", "upgrade"], ["tour", "load"]):
        subprocess.run(flask + command, env=environment, cwd=ROOT, check=True,
                       capture_output=True, timeout=120)


def add_moderator(database_url: str, login: str, password: str,
                  env: dict[str, str] | None = None, stops: tuple[str, ...] = ()) -> None:
    """Create a moderator through the real command line (password on standard input), of
    these stops, or of every stop when none is named."""
    environment = {**os.environ, **(env or {}), "CARAVANE_DATABASE_URL": database_url}
    grants = [option for stop in stops for option in ("--stop", stop)] or ["--all"]
    subprocess.run([sys.executable, "-m", "flask", "--app", "caravane", "moderator", "add",
                    login, *grants], input=password + "\n", text=True, check=True, cwd=ROOT,
                   env=environment, capture_output=True, timeout=60)


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def signed_in(base_url: str, login: str, password: str,
              session: requests.Session | None = None) -> requests.Session:
    """A requests session signed in as a moderator through the real form."""
    session = session or requests.Session()
    page = session.get(base_url + "/connexion", timeout=30).text
    response = session.post(base_url + "/connexion", timeout=30, allow_redirects=False, data={
        "csrf_token": csrf_token(page), "login": login, "password": password})
    if response.status_code != 303:
        raise AssertionError(f"sign-in as {login} failed: {response.status_code}")
    return session


def attendee_session(base_url: str, stop: str = "calais",
                     headers: dict[str, str] | None = None) -> requests.Session:
    """A phone's HTTP side: the board page loaded once, which gives its cookie an identity
    (a bare socket may read the board but not write to it)."""
    session = requests.Session()
    session.headers.update(headers or {})
    session.get(f"{base_url}/{stop}/questions", timeout=30).raise_for_status()
    return session


def cookie_header(session: requests.Session) -> str:
    """The session's cookies as one Cookie header, for a Socket.IO client."""
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


class LiveServer:
    """Start with .start(); .url is its base URL; .stop() ends it, .kill() pulls the plug."""

    def __init__(self, database_url: str, port: int | None = None,
                 env: dict[str, str] | None = None, log_path: Path | None = None,
                 worker: str | None = None):
        self.port = port or free_port()
        self.worker = worker
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.env = {
            **os.environ,
            "CARAVANE_DATABASE_URL": database_url,
            "CARAVANE_SECRET_KEY": "live test secret",
            "CARAVANE_ASYNC_MODE": "gevent",
            **(env or {}),
        }
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> LiveServer:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            gunicorn_command("127.0.0.1", self.port, self.worker), env=self.env, cwd=ROOT,
            stdout=log, stderr=log, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer /healthz in time")

    def _signal(self, sig: int) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def fresh_server(folder: Path, login: str = "dominique",
                 password: str = "a long enough password") -> LiveServer:
    """A server on a new SQLite file in `folder`, the tour loaded and one moderator added; to be
    entered (`with fresh_server(tmp_path) as live:`)."""
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    prepare_database(url)
    add_moderator(url, login, password)
    return LiveServer(url, log_path=folder / "server.log")
