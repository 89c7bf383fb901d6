"""Scale-out fixtures: a real redis-server, two caravane processes sharing one database (SQLite
file, or the PostgreSQL server of CARAVANE_TEST_DATABASE_URL) through it, and nginx in front."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import socketio

from tests import live_server
from tests.conftest import _reset_postgres
from tests.live_server import ROOT, LiveServer, add_moderator, prepare_database
from tests.scaleout.services import Nginx, RedisServer

MODERATOR = ("dominique", "a long enough password")


def pytest_collection_modifyitems(items):
    for item in items:
        if "scaleout" in item.nodeid:
            item.add_marker(pytest.mark.live)


@dataclass
class Cluster:
    database_url: str
    queue: str
    servers: list[LiveServer]
    env: dict[str, str] = field(default_factory=dict)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """A `flask --app caravane` command with the same settings as the servers."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "caravane", *args], cwd=ROOT,
            env={**os.environ, **self.env}, capture_output=True, text=True, timeout=60,
        )


# The services are started once for the whole folder (starting them costs more than the tests);
# each test works with questions of its own text, and none counts on an empty board.
@pytest.fixture(scope="package")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("scaleout")


@pytest.fixture(scope="package")
def redis_server(folder) -> Iterator[RedisServer]:
    with RedisServer(folder) as redis:
        yield redis


@pytest.fixture(scope="package")
def shared_database_url(folder) -> str:
    url = os.environ.get("CARAVANE_TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{folder / 'scaleout.sqlite3'}"


@pytest.fixture(scope="package")
def cluster(shared_database_url, redis_server, folder) -> Iterator[Cluster]:
    database_url = shared_database_url
    env = {
        "CARAVANE_DATABASE_URL": database_url,
        "CARAVANE_MESSAGE_QUEUE": redis_server.url,
        "CARAVANE_SECRET_KEY": "live test secret",
        "CARAVANE_RATELIMIT_ENABLED": "false",
    }
    prepare_database(database_url, env)
    add_moderator(database_url, *MODERATOR, env=env)
    servers = [LiveServer(database_url, env={**env, "CARAVANE_PROXY_COUNT": "1"},
                          log_path=folder / f"server-{name}.log") for name in "ab"]
    try:
        for server in servers:
            server.start()
        yield Cluster(database_url, redis_server.url, servers, env)
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="package")
def nginx(cluster, folder) -> Iterator[Nginx]:
    with Nginx(folder / "nginx", [server.port for server in cluster.servers]) as proxy:
        yield proxy


def signed_in(base: str) -> requests.Session:
    return live_server.signed_in(base, *MODERATOR)


class Recorder:
    """Collects a Socket.IO client's events by name and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self.changed = threading.Condition()

    def attach(self, client: socketio.Client, names: list[str], namespace: str = "/") -> None:
        for name in names:
            client.on(name, self._handler(name), namespace=namespace)

    def _handler(self, name: str):
        def record(data=None):
            with self.changed:
                self.events.append((name, data))
                self.changed.notify_all()
        return record

    def wait_for(self, name: str, check=lambda data: True, timeout: float = 10) -> object:
        with self.changed:
            found = self.changed.wait_for(
                lambda: next((d for n, d in self.events if n == name and check(d)), None),
                timeout)
        assert found is not None, f"no {name} within {timeout} s; got {self.events}"
        return found
