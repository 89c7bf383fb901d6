"""Numbered changes and the beat: a page can tell it missed something, and is told when it did
(board/sequence.py, board/beat.py)."""

from __future__ import annotations

import uuid

from caravane import create_app
from caravane.board.beat import Beat
from caravane.extensions import db, socketio
from tests.conftest import close_app, events, new_attendee

QUESTION = "Combien de caméras la préfecture a-t-elle installées à Calais cette année ?"


def submit(phone, text=QUESTION) -> dict:
    answer = phone.emit("submit", {"stop": "calais", "client_id": str(uuid.uuid4()),
                                   "text": text}, callback=True)
    assert answer["ok"], answer
    return answer["question"]


def moderate(console, question: dict, action: str, **extra) -> dict:
    answer = console.emit("moderate", {"question_id": question["id"], "action": action,
                                       "version": question["version"], **extra},
                          namespace="/moderation", callback=True)
    assert answer["ok"], answer
    return answer["question"]


def numbers(socket, namespace="/") -> list[int]:
    return [item["args"][0]["seq"] for item in socket.get_received(namespace)
            if "seq" in (item["args"][0] or {})]


def public_number(app) -> int:
    return new_attendee(app).emit("join", {"stop": "calais"}, callback=True)["seq"]


def test_each_change_the_room_hears_brings_the_next_number(app, attendee, console):
    start = attendee.emit("join", {"stop": "calais"}, callback=True)["seq"]
    question = submit(attendee)
    question = moderate(console, question, "approve")
    question = moderate(console, question, "show")
    assert attendee.emit("vote", {"question_id": question["id"]}, callback=True)["ok"]
    assert console.emit("board", {"stop": "calais", "status": "voting_only"},
                        namespace="/moderation", callback=True)["ok"]
    # approve, show, support, board state: four changes, each numbered once for the whole
    # room (an event carried twice by one change keeps one number).
    heard = numbers(attendee)
    assert sorted(set(heard)) == [start + 1, start + 2, start + 3, start + 4]
    assert heard == sorted(heard)
    assert public_number(app) == start + 4


def test_consoles_count_their_own_changes_and_rejoin_where_they_left(app, attendee, console):
    start = console.emit("join", {"stop": "calais"}, namespace="/moderation",
                         callback=True)["seq"]
    question = submit(attendee)  # new, then read by the assistant: two changes for consoles
    moderate(console, question, "reject", reason="off_topic")
    from caravane.board.analysis import wait_until_read

    assert wait_until_read(app)
    heard = sorted(set(numbers(console, "/moderation")))
    assert heard == list(range(start + 1, start + 1 + len(heard)))
    assert len(heard) == 3
    again = console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    assert again["seq"] == heard[-1]


def test_a_question_only_moderators_saw_leaves_the_rooms_number_alone(app, attendee, console):
    before = public_number(app)
    question = submit(attendee)
    moderate(console, question, "reject", reason="off_topic")
    assert public_number(app) == before
    # Its author is told all the same, by an event of their own (not numbered).
    statuses = events(attendee, "question:status")
    assert statuses[-1]["status"] == "rejected"
    assert all("seq" not in status for status in statuses)


def test_the_numbers_survive_a_restart(app, attendee, console, database_url, tmp_path):
    question = moderate(console, submit(attendee), "approve")
    moderate(console, question, "show")
    before = public_number(app)
    close_app(app)

    restarted = create_app({"TESTING": True, "SECRET_KEY": "test secret",
                            "DATABASE_URL": database_url, "RATELIMIT_ENABLED": False,
                            "WTF_CSRF_ENABLED": False})
    try:
        assert public_number(restarted) == before
    finally:
        close_app(restarted)


class QueueWatch:
    """What the beat asks of the message queue's manager, with this process's real rooms."""

    def __init__(self) -> None:
        self.answering, self.resubscribed, self.problem = True, 0, None

    @property
    def rooms(self):
        return socketio.server.manager.rooms

    def watch(self) -> bool:
        return self.answering


def sync_events(socket, namespace="/") -> list[dict]:
    return events(socket, "board:sync", namespace)


def test_the_beat_tells_pages_where_each_stop_is_once_it_moved(app, attendee, console):
    beat = Beat(app, QueueWatch())
    with app.app_context():
        beat.sync()
    now = public_number(app)
    assert sync_events(attendee) == [{"seq": now, "recheck": False}]
    assert [e["seq"] for e in sync_events(console, "/moderation")] == [
        console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)["seq"]]

    with app.app_context():
        beat.sync()
    assert sync_events(attendee) == []  # nothing moved: nothing sent

    moderate(console, submit(attendee), "approve")
    attendee.get_received("/")
    with app.app_context():
        beat.sync()
    assert sync_events(attendee) == [{"seq": now + 1, "recheck": False}]


def test_consoles_hear_when_the_queue_stops_and_starts_answering(app, console):
    watch = QueueWatch()
    beat = Beat(app, watch)
    beat.tick()
    assert events(console, "queue:status", "/moderation") == []  # all is well: nothing said
    watch.answering = False
    beat.tick()
    assert events(console, "queue:status", "/moderation") == [{"answering": False}]
    # Again each second while it lasts: a console opened meanwhile hears it too.
    beat.tick()
    assert events(console, "queue:status", "/moderation") == [{"answering": False}]
    watch.answering = True
    beat.tick()
    assert events(console, "queue:status", "/moderation") == [{"answering": True}]
    beat.tick()
    assert events(console, "queue:status", "/moderation") == []


def test_after_the_queue_came_back_every_page_is_asked_to_check(app, attendee):
    watch = QueueWatch()
    beat = Beat(app, watch)
    with app.app_context():
        beat.sync()
    attendee.get_received("/")
    watch.resubscribed += 1
    beat.tick()
    [sync] = sync_events(attendee)
    assert sync["recheck"] is True
    with app.app_context():
        db.session.remove()
