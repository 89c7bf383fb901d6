"""The live question board over Socket.IO: attendees, moderators and the projector together."""

from __future__ import annotations

import uuid
from unittest.mock import ANY

from sqlalchemy import func, select

from caravane.board.models import ModerationEvent, Question
from caravane.extensions import db, socketio
from caravane.typography import french_interface
from tests.conftest import events, new_attendee

QUESTION = "Combien de caméras thermiques ont été installées autour du port de Calais ?"


def submit(socket, text=QUESTION, client_id=None, stop="calais", **extra):
    payload = {"stop": stop, "text": text, "client_id": client_id or str(uuid.uuid4()), **extra}
    return socket.emit("submit", payload, callback=True)


def moderate(console, question, action, **extra):
    return console.emit("moderate", {"question_id": question["id"], "action": action,
                                     "version": question["version"], **extra},
                        namespace="/moderation", callback=True)


def stored_questions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def test_whole_loop_attendee_moderator_projector(app, attendee, console):
    screen = new_attendee(app)  # the projector listens on the public namespace
    other = new_attendee(app)

    answer = submit(attendee)
    assert answer["ok"]
    question = answer["question"]
    assert question["status"] == "pending" and question["status_label"] == "en attente"
    assert stored_questions(app) == 1, "stored before the acknowledgement"

    [incoming] = events(console, "question:new", "/moderation")
    assert incoming["text"] == QUESTION and "flags" in incoming
    assert events(other, "question:published") == [], "nothing public before approval"

    approved = moderate(console, incoming, "approve")
    assert approved["ok"] and approved["question"]["status"] == "approved"
    [published] = events(other, "question:published")
    assert published["text"] == QUESTION and published["name"] is None
    statuses = events(attendee, "question:status")
    assert [s["status"] for s in statuses] == ["pending", "approved"]
    assert statuses[-1]["status_label"] == "acceptée"

    shown = moderate(console, approved["question"], "show")
    assert shown["ok"]
    [screen_event] = events(screen, "screen:changed")
    assert screen_event["question"]["text"] == QUESTION

    answered = moderate(console, shown["question"], "answer")
    assert answered["ok"] and answered["question"]["status"] == "answered"
    [cleared] = events(screen, "screen:changed")
    assert cleared["question"] is None
    assert cleared["left"]["id"] == question["id"] and cleared["left"]["status"] == "answered"


def test_a_screen_change_reaches_each_phone_as_one_event(app, attendee, console):
    """The busiest moment of a debate: every phone gets one frame, holding both questions."""
    first = moderate(console, submit(attendee)["question"], "approve")["question"]
    second = moderate(console, submit(attendee, text=QUESTION + " Et à Coquelles ?")["question"],
                      "approve")["question"]
    first = moderate(console, first, "show")["question"]
    phone = new_attendee(app)

    moderate(console, second, "show")
    received = phone.get_received()
    assert [r["name"] for r in received] == ["screen:changed"]
    [change] = received[0]["args"]
    assert (change["question"]["id"], change["question"]["status"]) == (second["id"], "on_screen")
    assert (change["left"]["id"], change["left"]["status"]) == (first["id"], "approved")
    # Moderators still see each question change on its own.
    changed = [q["id"] for q in events(console, "question:changed", "/moderation")]
    assert sorted(changed[-2:]) == sorted([first["id"], second["id"]])


def test_snapshot_on_join_gives_the_whole_state(app, attendee, console):
    question = submit(attendee)["question"]
    approved = moderate(console, {**question, "version": 1}, "approve")["question"]
    moderate(console, approved, "show")
    late = new_attendee(app)
    snapshot = late.emit("join", {"stop": "calais"}, callback=True)
    assert snapshot["ok"] and snapshot["board"] == "open"
    assert snapshot["on_screen"]["id"] == question["id"]
    assert [q["id"] for q in snapshot["questions"]] == [question["id"]]
    assert snapshot["mine"] == []
    mine = attendee.emit("join", {"stop": "calais"}, callback=True)["mine"]
    assert [q["id"] for q in mine] == [question["id"]]


def test_resending_a_client_id_never_creates_a_second_question(app, attendee):
    client_id = str(uuid.uuid4())
    first = submit(attendee, client_id=client_id)
    again = submit(attendee, client_id=client_id)
    assert first["ok"] and again["ok"]
    assert again["question"]["id"] == first["question"]["id"]
    assert again.get("duplicate") is True
    assert stored_questions(app) == 1


def test_a_question_stored_before_the_board_closed_is_returned_when_resent_after(
    app, attendee, console
):
    client_id = str(uuid.uuid4())
    first = submit(attendee, client_id=client_id)
    closed = console.emit("board", {"stop": "calais", "status": "closed"},
                          namespace="/moderation", callback=True)
    assert closed["ok"]
    # Its acknowledgement was lost with the connection: the phone's outbox sends it again.
    again = submit(attendee, client_id=client_id)
    assert again["ok"] and again["duplicate"] is True
    assert again["question"]["id"] == first["question"]["id"]
    refused = submit(attendee)
    assert refused["error"]["code"] == "board_closed"
    assert stored_questions(app) == 1


def test_text_limits_are_explained_in_french(app, attendee):
    short = submit(attendee, text="   Pourquoi  ")
    assert not short["ok"] and short["error"]["code"] == "text_too_short"
    assert "trop courte" in short["error"]["message"]
    long = submit(attendee, text="x" * 501)
    assert long["error"]["code"] == "text_too_long"
    named = submit(attendee, name="n" * 41)
    assert named["error"]["code"] == "name_too_long"
    assert stored_questions(app) == 0


def test_control_and_direction_characters_are_removed(app, attendee):
    answer = submit(attendee, text="Qui\u202e regarde\u0000 les   images\u200b des drones ?")
    assert answer["question"]["text"] == "Qui regarde les images des drones ?"
    # Soft hyphens, Arabic letter marks, tag characters, blank letters: nothing to read, gone.
    hidden = submit(attendee, text="Qui pa\u00adie les ca\u061cméras\U000E0041 du\u3164port ?",
                    name="Ali\U000E0041ce\u2062")
    assert hidden["question"]["text"] == "Qui paie les caméras du port ?"
    assert hidden["question"]["name"] == "Alice"
    # Joiners stay inside words (Persian, emoji), never alone: a question of them is empty.
    persian = submit(attendee,
                     text="دوربین\u200cها را چه کسی نصب کرده است؟ \U0001F469\u200d\U0001F4BB")
    assert "\u200c" in persian["question"]["text"] and "\u200d" in persian["question"]["text"]
    for blank in ("\u200d" * 12, "\u3164" * 12, "\u2800" * 12):
        empty = submit(attendee, text=blank)
        assert empty["error"]["code"] == "text_too_short"


def test_closed_board_refuses_politely_and_voting_only_still_allows_support(
        app, attendee, console):
    question = submit(attendee)["question"]
    moderate(console, question, "approve")
    voter = new_attendee(app)
    assert console.emit("board", {"stop": "calais", "status": "voting_only"},
                        namespace="/moderation", callback=True)["ok"]
    [status] = events(voter, "board:status")
    assert status == {"stop": "calais", "status": "voting_only", "seq": ANY}
    refused = submit(attendee, text="Une autre question sur les drones de la préfecture ?")
    assert refused["error"]["code"] == "board_voting_only"
    assert voter.emit("vote", {"question_id": question["id"]}, callback=True)["ok"]

    console.emit("board", {"stop": "calais", "status": "closed"}, namespace="/moderation",
                 callback=True)
    closed = submit(attendee, text="Encore une question sur les caméras de la ville ?")
    assert closed["error"]["code"] == "board_closed"
    assert "closes" in closed["error"]["message"]
    assert voter.emit("vote", {"question_id": question["id"]}, callback=True)["error"][
        "code"] == "board_closed"


def test_support_counts_once_per_attendee_and_toggles(app, attendee, console):
    question = submit(attendee)["question"]
    moderate(console, question, "approve")
    console.get_received("/moderation")
    voter = new_attendee(app)
    first = voter.emit("vote", {"question_id": question["id"]}, callback=True)
    assert first == {"ok": True, "question_id": question["id"], "votes": 1, "voted": True}
    [update] = events(attendee, "question:updated")
    assert update["votes"] == 1
    [changed] = events(console, "question:changed", "/moderation")
    assert changed["votes"] == 1, "consoles follow the support count"
    assert changed["votes_label"] == "1 soutien"  # French: 0 and 1 are singular
    second = voter.emit("vote", {"question_id": question["id"]}, callback=True)
    assert second["votes"] == 0 and second["voted"] is False
    assert events(console, "question:changed", "/moderation")[-1]["votes_label"] == "0 soutien"
    mine = attendee.emit("vote", {"question_id": question["id"]}, callback=True)
    assert mine["votes"] == 1
    voter.emit("vote", {"question_id": question["id"]}, callback=True)
    assert events(console, "question:changed", "/moderation")[-1]["votes_label"] == "2 soutiens"


def test_pending_questions_cannot_be_supported(app, attendee):
    question = submit(attendee)["question"]
    answer = attendee.emit("vote", {"question_id": question["id"]}, callback=True)
    assert answer["error"]["code"] == "unknown_question"


def test_rejected_question_tells_its_author_why(app, attendee, console):
    question = submit(attendee)["question"]
    missing = moderate(console, question, "reject")
    assert missing["error"]["code"] == "invalid_reason"
    attendee.get_received("/")
    rejected = moderate(console, question, "reject", reason="off_topic")
    assert rejected["ok"]
    [status] = events(attendee, "question:status")
    assert status["status"] == "rejected" and status["reason"] == "off_topic"
    assert status["reason_message"] == "hors sujet"
    restored = moderate(console, rejected["question"], "restore")
    assert restored["question"]["status"] == "pending"


def test_impossible_transitions_are_refused(app, attendee, console):
    question = submit(attendee)["question"]
    for action in ("show", "hide", "answer", "restore"):
        answer = moderate(console, question, action)
        assert answer["error"]["code"] == "invalid_transition", action
    assert moderate(console, question, "explode")["error"]["code"] == "unknown_action"


def test_stale_version_is_refused_and_refreshes_the_console(app, attendee, console,
                                                            moderator_client):
    other = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    other.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    question = submit(attendee)["question"]
    assert moderate(console, question, "approve")["ok"]
    stale = moderate(other, question, "reject", reason="other")
    assert not stale["ok"] and stale["error"]["code"] == "stale_version"
    assert stale["error"]["question"]["status"] == "approved"
    assert french_interface("modifiée par quelqu'un d'autre") in stale["error"]["message"]
    with app.app_context():
        stored = db.session.get(Question, question["id"])
        assert stored.status == "approved"
        assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 1


def test_other_consoles_see_each_action_live(app, attendee, console, moderator_client):
    other = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    other.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    question = submit(attendee)["question"]
    assert events(other, "question:new", "/moderation")
    moderate(console, question, "approve")
    # The moderation assistant's reading may come first, as a change of flags.
    changed = events(other, "question:changed", "/moderation")[-1]
    assert changed["status"] == "approved"


def test_showing_a_question_takes_the_previous_one_off_screen(app, attendee, console):
    first = submit(attendee)["question"]
    second = submit(attendee, text="Que dit la CNIL du logiciel Map Revelation à Lille ?")[
        "question"]
    first = moderate(console, first, "approve")["question"]
    second = moderate(console, second, "approve")["question"]
    moderate(console, first, "show")
    moderate(console, second, "show")
    with app.app_context():
        statuses = dict(db.session.execute(select(Question.id, Question.status)).all())
    assert statuses == {first["id"]: "approved", second["id"]: "on_screen"}


def test_edit_keeps_the_original_text(app, attendee, console):
    question = submit(attendee, text="Combien de camras thermiques a Calais ?")["question"]
    edited = console.emit("edit", {"question_id": question["id"], "version": 1,
                                   "text": "Combien de caméras thermiques à Calais ?"},
                          namespace="/moderation", callback=True)
    assert edited["ok"]
    assert edited["question"]["text"] == "Combien de caméras thermiques à Calais ?"
    assert edited["question"]["original_text"] == "Combien de camras thermiques a Calais ?"
    with app.app_context():
        log = db.session.scalars(select(ModerationEvent)).one()
        assert log.action == "edit" and log.moderator_login == "camille"
        assert log.before["text"] == "Combien de camras thermiques a Calais ?"


def test_names_stay_private_unless_a_moderator_shows_them(app, attendee, console):
    question = submit(attendee, name="Nadia")["question"]
    screen = new_attendee(app)
    [incoming] = events(console, "question:new", "/moderation")
    assert incoming["name"] == "Nadia"
    approved = moderate(console, question, "approve")["question"]
    [published] = events(screen, "question:published")
    assert published["name"] is None
    moderate(console, approved, "show", with_name=True)
    [shown] = events(screen, "screen:changed")
    assert shown["question"]["name"] == "Nadia"


def test_every_action_is_logged_with_who_and_before_after(app, attendee, console):
    question = submit(attendee)["question"]
    question = moderate(console, question, "approve")["question"]
    question = moderate(console, question, "show")["question"]
    console.emit("board", {"stop": "calais", "status": "closed"}, namespace="/moderation",
                 callback=True)
    with app.app_context():
        log = db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id)).all()
    assert [(e.action, e.moderator_login) for e in log] == [
        ("approve", "camille"), ("show", "camille"), ("board", "camille")]
    assert log[0].before["status"] == "pending" and log[0].after["status"] == "approved"
    assert log[2].after == {"board": "closed"}


def test_moderation_namespace_refuses_anonymous_connections(app, client):
    socket = socketio.test_client(app, namespace="/moderation", flask_test_client=client)
    assert not socket.is_connected("/moderation")


def test_attendee_sockets_cannot_moderate(app, attendee):
    question = submit(attendee)["question"]
    answer = attendee.emit("moderate", {"question_id": question["id"], "action": "approve",
                                        "version": 1}, callback=True)
    assert answer is None  # no such event for attendees: nothing happens
    with app.app_context():
        assert db.session.get(Question, question["id"]).status == "pending"


def test_moderators_of_another_stop_do_not_receive_calais_questions(app, attendee,
                                                                    moderator_client):
    lille = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    lille.emit("join", {"stop": "lille"}, namespace="/moderation", callback=True)
    lille.get_received("/moderation")
    submit(attendee)
    assert events(lille, "question:new", "/moderation") == []


def test_malformed_payloads_get_an_error_code_never_an_exception(app, attendee, console):
    bad = [None, "text", 42, [], {"stop": 12}, {"stop": "calais", "text": ["x"]},
           {"stop": "x" * 5000}, {"stop": "nowhere", "text": QUESTION, "client_id": "a" * 36}]
    for payload in bad:
        answer = attendee.emit("submit", payload, callback=True)
        assert answer["ok"] is False and answer["error"]["code"], payload
    for payload in bad + [{"question_id": True}, {"question_id": -1}, {"question_id": 10**12}]:
        assert attendee.emit("vote", payload, callback=True)["ok"] is False
        answer = console.emit("moderate", payload, namespace="/moderation", callback=True)
        assert answer["ok"] is False
    assert stored_questions(app) == 0
