"""Whatever arrives (wrong types, unknown fields, huge or broken payloads), the server answers
with an error code, logs no crash and writes nothing."""

from __future__ import annotations

import hashlib
import logging
import uuid

import pytest
import requests
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from caravane.board.models import Question
from caravane.extensions import db
from caravane.tour.models import Stop
from tests.live_server import LiveServer, attendee_session, prepare_database

EVENTS = {
    "/": {"join": ["stop"], "submit": ["stop", "text", "client_id", "name"],
          "vote": ["question_id"]},
    "/moderation": {"join": ["stop"], "moderate": ["question_id", "action", "version", "reason",
                                                   "with_name"],
                    "edit": ["question_id", "text", "version"], "board": ["stop", "status"]},
}
FORMS = {
    "/calais/questions": ["text", "name", "client_id", "csrf_token"],
    "/calais/questions/soutien": ["question_id", "csrf_token"],
    "/connexion": ["login", "password", "csrf_token"],
    "/deconnexion": ["csrf_token"],
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40) | st.sampled_from(["calais", "approve", "show", "closed", "open", ""]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def payloads(fields: list[str]):
    """Arbitrary JSON, and dicts with the event's own field names holding arbitrary values."""
    return json_values | st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields))


def database_digest() -> str:
    digest = hashlib.sha256()
    for table in ("stop", "question", "vote", "moderator", "moderation_event"):
        for row in db.session.execute(text(f"SELECT * FROM {table} ORDER BY id")):  # noqa: S608
            digest.update(repr(tuple(row)).encode())
    db.session.remove()
    return digest.hexdigest()


@pytest.fixture
def seeded(app, moderator):
    """A board with questions in several states, so that valid ids and versions exist."""
    with app.app_context():
        stop = db.session.query(Stop).filter_by(slug="calais").one()
        for number, status in enumerate(["pending", "approved", "rejected", "on_screen"], 1):
            db.session.add(Question(stop_id=stop.id, client_id=f"seed-{number:04d}", status=status,
                                    text=f"Question de départ numéro {number} ?", attendee="x"))
        db.session.commit()
    return app


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_socket_payloads_are_answered_with_an_error_code_and_change_nothing(
    seeded, attendee, console, caplog, data
):
    namespace = data.draw(st.sampled_from(sorted(EVENTS)))
    event = data.draw(st.sampled_from(sorted(EVENTS[namespace])))
    payload = data.draw(payloads(EVENTS[namespace][event]))
    socket = attendee if namespace == "/" else console
    with seeded.app_context():
        before = database_digest()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        answer = socket.emit(event, payload, namespace=namespace, callback=True)
    assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    socket.get_received(namespace)
    if not answer["ok"]:
        assert answer["error"]["code"] != "server_error"
        assert answer["error"]["message"]
        with seeded.app_context():
            assert database_digest() == before, (event, payload, answer)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_form_posts_never_fail_with_a_server_error(seeded, client, caplog, data):
    path = data.draw(st.sampled_from(sorted(FORMS)))
    fields = st.sampled_from(FORMS[path]) | st.text(min_size=1, max_size=8)
    values = st.text(max_size=60) | st.sampled_from(["1", "2", "-1", "99999999999999999999", ""])
    form = data.draw(st.dictionaries(fields, values, max_size=5))
    with seeded.app_context():
        before = database_digest()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        response = client.post(path, data=form)
    assert response.status_code < 500, (path, form)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if response.status_code >= 400:
        with seeded.app_context():
            assert database_digest() == before, (path, form)


def test_a_socket_event_with_several_arguments_or_none_is_refused(attendee):
    assert attendee.emit("submit", callback=True)["error"]["code"] == "invalid_payload"
    answer = attendee.emit("join", {"stop": "calais"}, "extra", callback=True)
    assert answer["ok"] is False or answer["stop"]["slug"] == "calais"


def test_an_unknown_event_is_ignored_without_a_crash(attendee, caplog):
    with caplog.at_level(logging.WARNING):
        attendee.emit("drop_table", {"stop": "calais"})
        assert attendee.emit("join", {"stop": "calais"}, callback=True)["ok"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.live
def test_an_oversized_payload_is_refused_and_the_server_keeps_serving(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    prepare_database(url)
    log = tmp_path / "server.log"
    with LiveServer(url, log_path=log, env={"CARAVANE_RATELIMIT_ENABLED": "false"}) as server:
        heavy = socketio.Client(reconnection=False)
        heavy.connect(server.url, transports=["websocket"])
        assert heavy.call("join", {"stop": "calais"}, timeout=10)["ok"]
        with pytest.raises((socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                            socketio.exceptions.DisconnectedError)):
            heavy.call("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                  "text": "Une très longue question ? " * 1000}, timeout=3)
        heavy.disconnect()
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
        fresh = socketio.Client(reconnection=False, http_session=attendee_session(server.url))
        fresh.connect(server.url, transports=["websocket"])
        answer = fresh.call("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                       "text": "Après le gros paquet, ça marche encore ?"},
                            timeout=10)
        assert answer["ok"]
        fresh.disconnect()
    assert "Traceback" not in log.read_text()
    with_stored = _stored_texts(url)
    assert with_stored == ["Après le gros paquet, ça marche encore ?"]


def _stored_texts(url: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM question")]
