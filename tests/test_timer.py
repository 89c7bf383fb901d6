"""The answer timer over Socket.IO, as consoles and projectors use it: started, paused and reset
from one console, heard by the others and by the room, found again by a page that (re)joins."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caravane.accounts import moderators
from caravane.board.timer import timer_state
from caravane.extensions import db, socketio
from caravane.storage import utcnow
from caravane.tour.models import Stop
from tests.conftest import PASSWORD, events, new_attendee, sign_in


def timer(console, command, **extra):
    return console.emit("timer", {"stop": "calais", "command": command, **extra},
                        namespace="/moderation", callback=True)


def second_console(app, moderator_client):
    other = socketio.test_client(app, namespace="/moderation", flask_test_client=moderator_client)
    assert other.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)["ok"]
    other.get_received("/moderation")
    return other


def test_a_new_stop_has_a_two_minute_timer_at_rest(app, console, attendee):
    snapshot = console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    assert snapshot["timer"]["running"] is False
    assert snapshot["timer"]["seconds"] == 120 and snapshot["timer"]["left_ms"] == 120_000
    assert "ends_at" not in snapshot["timer"]
    assert attendee.emit("join", {"stop": "calais"}, callback=True)["timer"]["left_ms"] == 120_000


def test_start_pause_and_reset_reach_every_console_and_the_room(app, console, moderator_client):
    other = second_console(app, moderator_client)
    screen = new_attendee(app)
    started = timer(console, "start")
    assert started["ok"], started
    state = started["timer"]
    assert state["running"] and state["seconds"] == 120
    assert state["ends_at"] - state["server_now"] == state["left_ms"] == 120_000
    # The other console and the projector hear the same state, numbered for each audience.
    [heard] = events(other, "timer:changed", "/moderation")
    assert heard["running"] and heard["ends_at"] == state["ends_at"]
    assert heard["seq"] == state["seq"]
    [room] = events(screen, "timer:changed")
    assert room["running"] and isinstance(room["seq"], int)

    paused = timer(other, "pause")["timer"]
    assert not paused["running"] and "ends_at" not in paused
    assert 0 < paused["left_ms"] <= 120_000
    assert events(console, "timer:changed", "/moderation")[-1]["left_ms"] == paused["left_ms"]
    # Starting again goes on from what was left.
    resumed = timer(console, "start")["timer"]
    assert resumed["running"] and resumed["left_ms"] == paused["left_ms"]

    reset = timer(other, "reset", seconds=180)["timer"]
    assert reset == {**reset, "running": False, "seconds": 180, "left_ms": 180_000}
    assert events(screen, "timer:changed")[-1]["left_ms"] == 180_000
    # The new length is kept: the next reset without one goes back to three minutes.
    timer(console, "start")
    assert timer(console, "reset")["timer"]["left_ms"] == 180_000


def test_a_command_that_changes_nothing_tells_nobody(app, console, moderator_client):
    other = second_console(app, moderator_client)
    timer(console, "start")
    other.get_received("/moderation")
    again = timer(console, "start")
    assert again["ok"] and again["timer"]["running"] and "seq" not in again["timer"]
    assert events(other, "timer:changed", "/moderation") == []


def test_a_page_that_joins_after_the_start_gets_the_running_timer(app, console, client):
    timer(console, "start")
    phone = new_attendee(app)
    snapshot = phone.emit("join", {"stop": "calais"}, callback=True)
    assert snapshot["timer"]["running"] and snapshot["timer"]["left_ms"] <= 120_000
    assert snapshot["timer"]["ends_at"] > snapshot["timer"]["server_now"] - 1000
    # The projector's page itself, reloaded: the countdown is in it before any socket.
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert 'data-state="running"' in page and "data-timer=" in page


def test_a_reset_timer_stays_off_the_projector(app, client):
    page = client.get("/calais/ecran").get_data(as_text=True)
    assert 'data-state="reset"' in page


def test_starting_after_time_is_up_starts_a_whole_new_countdown(app, console):
    timer(console, "reset", seconds=10)
    timer(console, "start")
    with app.app_context():
        stop = db.session.scalar(select(Stop).filter_by(slug="calais"))
        stop.timer_since = utcnow() - timedelta(seconds=30)
        db.session.commit()
    snapshot = console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    assert snapshot["timer"]["running"] and snapshot["timer"]["left_ms"] == 0
    paused = timer(console, "pause")["timer"]
    assert paused["left_ms"] == 0 and not paused["running"]
    restarted = timer(console, "start")["timer"]
    assert restarted["running"] and restarted["left_ms"] == 10_000


def test_bad_commands_are_refused_with_a_clear_error(app, console):
    assert timer(console, "stop")["error"]["code"] == "unknown_timer_command"
    assert timer(console, ["start"])["error"]["code"] == "unknown_timer_command"
    too_short = timer(console, "reset", seconds=5)["error"]
    assert too_short["code"] == "invalid_timer_length"
    assert "10 secondes à 60 minutes" in too_short["message"]
    for seconds in (True, "120", 60 * 60 + 1, 12.5):
        assert timer(console, "reset", seconds=seconds)["error"]["code"] == "invalid_timer_length"
    # A length is set by a reset only: starting does not change it behind the others' backs.
    assert timer(console, "start", seconds=60)["error"]["code"] == "invalid_timer_length"
    assert timer(console, "start", stop="nowhere")["error"]["code"] == "unknown_stop"
    snapshot = console.emit("join", {"stop": "calais"}, namespace="/moderation", callback=True)
    assert snapshot["timer"]["running"] is False and snapshot["timer"]["seconds"] == 120


def test_a_moderator_of_another_stop_cannot_touch_this_timer(app):
    with app.app_context():
        moderators.add("sacha", PASSWORD, stops=["lille"])
    http = app.test_client()
    sign_in(http, "sacha")
    console = socketio.test_client(app, namespace="/moderation", flask_test_client=http)
    refused = timer(console, "start")
    assert refused["error"]["code"] == "forbidden_stop"
    # Its own stop, yes.
    assert console.emit("timer", {"stop": "lille", "command": "start"}, namespace="/moderation",
                        callback=True)["ok"]


def test_signed_out_sockets_cannot_touch_the_timer(app):
    anonymous = socketio.test_client(app, namespace="/")
    assert anonymous.emit("timer", {"stop": "calais", "command": "start"}, callback=True) is None


def test_the_state_counts_down_from_the_stored_start(app):
    with app.app_context():
        stop = db.session.scalar(select(Stop).filter_by(slug="calais"))
        now = utcnow()
        stop.timer_since, stop.timer_left_ms = now - timedelta(seconds=20), 60_000
        state = timer_state(stop, now)
        assert state["left_ms"] == 40_000 and state["ends_at"] == state["server_now"] + 40_000
        assert timer_state(stop, now + timedelta(minutes=5))["left_ms"] == 0
        db.session.rollback()
