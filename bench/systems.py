"""The systems a benchmark measures, each started on free loopback ports with its own temporary
files: caravane in one process, caravane in N processes with Redis behind nginx, a bare
Flask-SocketIO server (the raw path caravane is built on), and the Node.js socket.io reference.
Every one stops with its `with` block."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from caravane.server import gunicorn_command  # noqa: E402
from tests.live_server import (  # noqa: E402
    LiveServer,
    add_moderator,
    attendee_session,
    cookie_header,
    free_port,
    prepare_database,
    signed_in,
)
from tests.scaleout.services import Nginx, RedisServer  # noqa: E402

REFERENCE = ROOT / "bench" / "reference"
MODERATOR, PASSWORD = "bench", "a long enough bench password"


def raise_file_limit(wanted: int = 20000) -> int:
    """As many open files as the hard limit allows (one per socket); returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def in_process_app(name: str):
    """A caravane application in this process on a fresh SQLite file, migrated and with the
    tour loaded, rate limits off: what the in-process timings (pages, submissions) run on."""
    from flask_migrate import upgrade

    from caravane import create_app

    folder = tempfile.mkdtemp(prefix=f"caravane-{name}-")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/{name}.sqlite3",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(Path(app.root_path) / "migrations"))
    app.test_cli_runner().invoke(args=["tour", "load"])
    return app


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    return f"{os.cpu_count()} cores {model}, {memory} GiB, Python {sys.version.split()[0]}"


class Caravane:
    """caravane on a temporary SQLite database: one process, or `processes` processes sharing
    it through Redis behind nginx (deploy/nginx.conf). `url` is where clients go."""

    def __init__(self, processes: int = 1, connections: int = 12000,
                 env: dict[str, str] | None = None, simple_websocket: bool = False):
        self.processes, self.connections = processes, connections
        self.simple_websocket = simple_websocket
        self.extra_env = env or {}
        self.stack = contextlib.ExitStack()
        self.folder = Path()
        self.url = self.database_url = ""
        self.servers: list[LiveServer] = []

    def __enter__(self) -> Caravane:
        try:
            return self._start()
        except BaseException:
            self.stack.close()
            raise

    def _start(self) -> Caravane:
        self.folder = Path(self.stack.enter_context(tempfile.TemporaryDirectory(
            prefix="caravane-bench-")))
        self.database_url = f"sqlite:///{self.folder / 'bench.sqlite3'}"
        env = {
            "CARAVANE_RATELIMIT_ENABLED": "false",
            "CARAVANE_WORKER_CONNECTIONS": str(self.connections + 100),
            # Every benchmark client comes from 127.0.0.1: no cap per address (bench/attacks.py
            # puts it back).
            "CARAVANE_CONNECTIONS_PER_ADDRESS": "0",
            **self.extra_env,
        }
        prepare_database(self.database_url, env)
        add_moderator(self.database_url, MODERATOR, PASSWORD, env)
        worker = None
        if self.simple_websocket:
            env |= self._without_gevent_websocket()
            worker = "caravane.transport.worker.Worker"  # what serve runs without it
        if self.processes > 1:
            redis = self.stack.enter_context(RedisServer(self.folder))
            env |= {"CARAVANE_MESSAGE_QUEUE": redis.url, "CARAVANE_PROXY_COUNT": "1"}
        for index in range(self.processes):
            server = LiveServer(self.database_url, env=env, worker=worker,
                                log_path=self.folder / f"server{index}.log")
            self.servers.append(self.stack.enter_context(server))
        if self.processes > 1:
            nginx = self.stack.enter_context(Nginx(
                self.folder / "nginx", [s.port for s in self.servers], self.connections,
                per_address=self.connections + 100))
            self.url = nginx.url
        else:
            self.url = self.servers[0].url
        return self

    def __exit__(self, *_exc) -> None:
        self.stack.close()

    def _without_gevent_websocket(self) -> dict[str, str]:
        """For the comparison of docs/deploy.md: hide gevent-websocket from the servers, so that
        engine.io falls back to simple-websocket (the caller runs gunicorn's plain gevent
        worker)."""
        shadow = self.folder / "shadow" / "geventwebsocket"
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text("raise ImportError('hidden for the benchmark')\n")
        return {"PYTHONPATH": str(shadow.parent)}

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def attendee_cookies(self, count: int, stop: str = "calais") -> list[str]:
        """Cookie headers of `count` phones that loaded the board page (each a new identity:
        a bare socket may read but not write). Loaded 16 at a time, like a room arriving."""
        with ThreadPoolExecutor(16) as pool:
            sessions = pool.map(lambda _n: attendee_session(self.url, stop), range(count))
            return [cookie_header(session) for session in sessions]

    def moderator_cookie(self) -> str:
        """Sign in as the bench moderator through the real form; the Cookie header to reuse."""
        return cookie_header(signed_in(self.url, MODERATOR, PASSWORD))


class BareFlaskSocketIO:
    """bench/reference/bare_flask.py under caravane's own gunicorn command: the raw path."""

    def __init__(self, connections: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = connections
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> BareFlaskSocketIO:
        command = gunicorn_command("127.0.0.1", self.port)
        command[command.index("--chdir") + 1] = str(REFERENCE)
        command[command.index("--worker-connections") + 1] = str(self.connections + 100)
        command[-1] = "bare_flask:app"
        self.process = subprocess.Popen(command, cwd=REFERENCE,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_serving(self.process, self.url)
        return self

    def __exit__(self, *_exc) -> None:
        stop_process(self.process)


def wait_until_serving(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited")
        try:
            requests.get(url + "/socket.io/?EIO=4&transport=polling", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    stop_process(process)
    raise RuntimeError(f"the server for {url} did not start")


def stop_process(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


class Reference:
    """The Node.js socket.io server of bench/reference, installed from npm on first use."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def install() -> None:
        if (REFERENCE / "node_modules" / "socket.io").is_dir():
            return
        npm = shutil.which("npm")
        if not npm:
            raise RuntimeError("npm is needed for the reference server")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=REFERENCE,
                       check=True, timeout=600)

    def __enter__(self) -> Reference:
        self.install()
        self.process = subprocess.Popen(["node", "server.js", str(self.port)], cwd=REFERENCE,
                                        stdout=subprocess.DEVNULL)
        wait_until_serving(self.process, self.url)
        return self

    def __exit__(self, *_exc) -> None:
        stop_process(self.process)
