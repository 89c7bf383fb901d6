"""Nothing lost, nothing doubled: acknowledgements lost on a bad network, a server killed
in the middle of an evening. Real server processes, real python-socketio clients."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import uuid
from collections import Counter

import pytest
import requests
import socketio

from tests.live_server import LiveServer, cookie_header, free_port, prepare_database
from tests.reliability.faultproxy import FaultProxy

pytestmark = [pytest.mark.live, pytest.mark.slow]

# The tour's stops ended in 2022: keep their questions, whatever the retention says.
ENV = {"CARAVANE_RETENTION_DAYS": "null", "CARAVANE_RATELIMIT_ENABLED": "false"}


def stored(url: str) -> list[tuple[str, int]]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT client_id, id FROM question").fetchall()


def attendee_cookie(base: str) -> str:
    session = requests.Session()
    session.get(base + "/calais/questions", timeout=10)
    return cookie_header(session)


def phone(base: str, cookie: str) -> socketio.Client:
    client = socketio.Client(reconnection=False, request_timeout=5)
    client.connect(base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=5)
    assert client.call("join", {"stop": "calais"}, timeout=10)["ok"]
    return client


def question(client_id: str, number: int = 0) -> dict:
    return {"stop": "calais", "client_id": client_id,
            "text": f"Question numéro {number} : qui a accès aux images ?"}


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    prepare_database(url)
    return url


def test_a_question_whose_acknowledgement_was_lost_is_stored_once_when_resent(database):
    with LiveServer(database, env=ENV) as server:
        proxy = FaultProxy(server.port).start()
        try:
            cookie = attendee_cookie(proxy.url)
            # A slow link still gets its answer.
            proxy.delay = 0.2
            client = phone(proxy.url, cookie)
            slow = question(str(uuid.uuid4()), 1)
            assert client.call("submit", slow, timeout=15)["ok"]
            proxy.delay = 0

            # The question reaches the server, the answer never comes back, the link drops.
            lost = question(str(uuid.uuid4()), 2)
            proxy.swallow_replies = True
            with pytest.raises(socketio.exceptions.TimeoutError):
                client.call("submit", lost, timeout=3)
            proxy.reset_all()
            proxy.swallow_replies = False
            deadline = time.monotonic() + 10
            while client.connected and time.monotonic() < deadline:
                time.sleep(0.1)
            client.disconnect()

            # The phone reconnects, rejoins and resends what was never acknowledged.
            again = phone(proxy.url, cookie)
            answer = again.call("submit", lost, timeout=10)
            assert answer["ok"] and answer.get("duplicate") is True
            twice = again.call("submit", slow, timeout=10)
            assert twice["ok"] and twice.get("duplicate") is True
            snapshot = again.call("join", {"stop": "calais"}, timeout=10)
            assert len(snapshot["mine"]) == 2
            again.disconnect()
        finally:
            proxy.stop()
    counts = Counter(client_id for client_id, _id in stored(database))
    assert counts == {slow["client_id"]: 1, lost["client_id"]: 1}


class Phone(threading.Thread):
    """An attendee asking questions one after another until the server disappears."""

    def __init__(self, base: str, number: int, kill_switch: threading.Event):
        super().__init__(daemon=True)
        self.base, self.number, self.kill_switch = base, number, kill_switch
        self.cookie = attendee_cookie(base)
        self.acknowledged: dict[str, int] = {}  # client_id -> question id
        self.unacknowledged: list[dict] = []

    def run(self) -> None:
        try:
            client = phone(self.base, self.cookie)
        except Exception:
            return
        for n in range(40):
            payload = question(str(uuid.uuid4()), self.number * 100 + n)
            try:
                answer = client.call("submit", payload, timeout=3)
            except Exception:
                self.unacknowledged.append(payload)
                break
            assert answer["ok"], answer
            self.acknowledged[payload["client_id"]] = answer["question"]["id"]
            if self.kill_switch.is_set():
                break
        with contextlib.suppress(Exception):
            client.disconnect()

    def resynchronise(self) -> None:
        client = phone(self.base, self.cookie)
        snapshot = client.call("join", {"stop": "calais"}, timeout=10)
        mine = {q["id"] for q in snapshot["mine"]}
        assert set(self.acknowledged.values()) <= mine
        for payload in self.unacknowledged:
            answer = client.call("submit", payload, timeout=10)
            assert answer["ok"], answer
            self.acknowledged[payload["client_id"]] = answer["question"]["id"]
        client.disconnect()


def test_a_server_killed_mid_evening_loses_and_doubles_nothing(database, tmp_path):
    port = free_port()
    server = LiveServer(database, port=port, env=ENV, log_path=tmp_path / "server.log").start()
    kill_switch = threading.Event()
    phones = [Phone(server.url, n, kill_switch) for n in range(8)]
    try:
        for p in phones:
            p.start()
        deadline = time.monotonic() + 60
        while len(stored(database)) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # SIGKILL: no shutdown, no flush, mid-write for some phones
        kill_switch.set()
        for p in phones:
            p.join(30)
        assert sum(len(p.acknowledged) for p in phones) >= 20
        assert any(p.unacknowledged for p in phones)  # the kill did cut requests in flight

        server = LiveServer(database, port=port, env=ENV,
                            log_path=tmp_path / "server.log").start()
        for p in phones:
            p.resynchronise()
    finally:
        server.stop()

    rows = stored(database)
    counts = Counter(client_id for client_id, _id in rows)
    assert all(count == 1 for count in counts.values())
    ids = dict(rows)
    for p in phones:
        for client_id, question_id in p.acknowledged.items():
            assert ids[client_id] == question_id
    assert len(rows) == sum(len(p.acknowledged) for p in phones)
