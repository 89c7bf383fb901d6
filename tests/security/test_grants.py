"""Moderators per stop: a partner organisation's moderator moderates their stop and no other,
on every HTTP route and socket event; organisers moderate every stop."""

from __future__ import annotations

import uuid

import pytest

from caravane.accounts import moderators
from caravane.extensions import db, socketio
from tests.conftest import PASSWORD, new_attendee, sign_in


@pytest.fixture
def calais_moderator(app):
    with app.app_context():
        moderators.add("morgane", PASSWORD, stops=["calais"])
    client = app.test_client()
    assert sign_in(client, "morgane").status_code == 303
    return client


def console_of(app, client, stop="calais"):
    socket = socketio.test_client(app, namespace="/moderation", flask_test_client=client)
    answer = socket.emit("join", {"stop": stop}, namespace="/moderation", callback=True)
    return socket, answer


def pending_question(app, stop):
    phone = new_attendee(app, stop)
    answer = phone.emit("submit", {"stop": stop, "client_id": str(uuid.uuid4()),
                                   "text": f"Qui garde les images des caméras à {stop} ?"},
                        callback=True)
    assert answer["ok"], answer
    return answer["question"]


def test_the_pages_of_another_stop_are_refused_in_french(calais_moderator):
    assert calais_moderator.get("/calais/moderation").status_code == 200
    for path in ("/roubaix/moderation", "/lille/export.csv"):
        refused = calais_moderator.get(path)
        assert refused.status_code == 403
        assert "Votre compte ne modère pas cette étape" in refused.get_data(as_text=True)


def test_every_socket_event_on_another_stop_is_refused(app, calais_moderator):
    elsewhere = pending_question(app, "roubaix")
    socket, joined = console_of(app, calais_moderator, "roubaix")
    assert joined["error"]["code"] == "forbidden_stop"
    assert "Vous ne modérez pas cette étape" in joined["error"]["message"]
    socket, joined = console_of(app, calais_moderator, "calais")
    assert joined["ok"]
    answers = [
        socket.emit("moderate", {"question_id": elsewhere["id"], "action": "approve",
                                 "version": elsewhere["version"]},
                    namespace="/moderation", callback=True),
        socket.emit("edit", {"question_id": elsewhere["id"], "version": elsewhere["version"],
                             "text": "Reformulée depuis une autre étape ?"},
                    namespace="/moderation", callback=True),
        socket.emit("board", {"stop": "lille", "status": "closed"},
                    namespace="/moderation", callback=True),
    ]
    assert [a["error"]["code"] for a in answers] == ["forbidden_stop"] * 3
    # Nothing changed there, and nothing of Roubaix reached this console.
    assert all(item["args"][0].get("stop") != "roubaix"
               for item in socket.get_received("/moderation"))
    organiser_socket, _ = console_of(app, sign_in_organiser(app), "roubaix")
    snapshot = organiser_socket.emit("join", {"stop": "roubaix"}, namespace="/moderation",
                                     callback=True)
    [stored] = [q for q in snapshot["questions"] if q["id"] == elsewhere["id"]]
    assert (stored["status"], stored["version"]) == ("pending", elsewhere["version"])
    assert snapshot["board"] == "open"


def sign_in_organiser(app):
    with app.app_context():
        moderators.add("organisatrice", PASSWORD, every_stop=True)
    client = app.test_client()
    assert sign_in(client, "organisatrice").status_code == 303
    return client


def test_granting_and_revoking_a_stop_from_the_command_line(app, runner, calais_moderator):
    assert runner.invoke(args=["moderator", "grant", "morgane", "roubaix"]).exit_code == 0
    socket, joined = console_of(app, calais_moderator, "roubaix")
    assert joined["ok"]
    assert runner.invoke(args=["moderator", "list"]).output.splitlines() == [
        "morgane: calais, roubaix"]
    result = runner.invoke(args=["moderator", "revoke", "morgane", "roubaix"])
    assert result.exit_code == 0, result.output
    question = pending_question(app, "roubaix")
    answer = socket.emit("moderate", {"question_id": question["id"], "action": "approve",
                                      "version": question["version"]},
                         namespace="/moderation", callback=True)
    assert answer["error"]["code"] == "forbidden_stop"
    assert calais_moderator.get("/roubaix/moderation").status_code == 403
    unknown = runner.invoke(args=["moderator", "grant", "morgane", "paris"])
    assert unknown.exit_code != 0 and "no stop 'paris'" in unknown.output


def test_an_organiser_moderates_every_stop(app):
    client = sign_in_organiser(app)
    for stop in ("calais", "roubaix", "lille"):
        assert client.get(f"/{stop}/moderation").status_code == 200
        _socket, joined = console_of(app, client, stop)
        assert joined["ok"]
    with app.app_context():
        db.session.remove()
