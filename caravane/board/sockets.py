"""Socket.IO: thin handlers for attendees (`/`) and moderators (`/moderation`).

Each handler parses its payload (board/inputs.py), calls the service or a snapshot, and
localizes the answer; every request is acknowledged with {ok: true, ...} or {ok: false, error}.
"""

from __future__ import annotations

import functools
import logging

from flask import Flask, session
from flask_babel import get_locale
from flask_login import current_user, user_logged_out
from flask_socketio import join_room, leave_room

from caravane import security
from caravane.board import inputs, service, snapshots
from caravane.board.errors import BoardError
from caravane.board.events import Audience
from caravane.board.messages import error_message, localize_question, log_line
from caravane.board.publisher import MODERATION, PUBLIC, reader_room, stop_room
from caravane.board.session import current_attendee
from caravane.extensions import socketio
from caravane.transport import frames, queue

log = logging.getLogger(__name__)


def failure(code: str, **params) -> dict:
    extra = {}
    if "question" in params:
        extra["question"] = localize_question(params.pop("question"))
    return {"ok": False, "error": {"code": code, "message": error_message(code, **params), **extra}}


def acknowledged(handler):
    """Answer every client request with {ok: true, ...} or {ok: false, error}; never raise."""

    @functools.wraps(handler)
    def wrapper(data=None, *args):
        if not isinstance(data, dict):
            return failure("invalid_payload")
        try:
            return {"ok": True, **handler(data)}
        except BoardError as error:
            return failure(error.code, **error.params)
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            return failure("server_error")

    return wrapper


def signed_in(handler):
    """Re-check the moderator at every event: a signed-out session stops working at once."""

    @functools.wraps(handler)
    def wrapper(data):
        if not current_user.is_authenticated:
            raise BoardError("forbidden")
        return handler(data)

    return wrapper


def _enter_rooms(namespace: str, rooms: list[str]) -> None:
    """Leave the rooms of the stop this socket joined before, then join these."""
    for room in session.get(f"joined:{namespace}") or []:
        leave_room(room)
    for room in rooms:
        join_room(room)
    session[f"joined:{namespace}"] = rooms


def _localized_question(value: dict) -> dict:
    return {**value, "question": localize_question(value["question"])}


# --- attendees ------------------------------------------------------------------------------

@acknowledged
def on_public_join(data):
    attendee = current_attendee()
    slug = inputs.stop_slug(data.get("stop"))
    rooms = [stop_room(slug)]
    if attendee is not None:
        rooms.append(reader_room(Audience.ATTENDEE, attendee.token(slug), str(get_locale())))
    # In the rooms before the snapshot is read: a change published meanwhile reaches this page
    # as an event (applied on top of the snapshot), never falls between the two.
    _enter_rooms(PUBLIC, rooms)
    try:
        snapshot = snapshots.public_snapshot(slug, attendee)
    except BoardError:
        _enter_rooms(PUBLIC, [])
        raise
    snapshot["mine"] = [localize_question(q) for q in snapshot["mine"]]
    # The room's part is the same object for every phone until the next change: encoded once.
    snapshot["questions"] = frames.encoded_once(snapshot["questions"])
    return snapshot


@acknowledged
def on_submit(data):
    return _localized_question(service.submit(inputs.submission(data), current_attendee()))


@acknowledged
def on_vote(data):
    return service.vote(inputs.question_id(data.get("question_id")), current_attendee())


# --- moderators -----------------------------------------------------------------------------

def moderator_room(moderator_id: int) -> str:
    """Every socket of one moderator, so that signing out closes them all."""
    return f"moderator:{moderator_id}"


def on_moderation_connect(auth=None):
    if not current_user.is_authenticated:
        return False  # refused: the client gets a connect_error
    join_room(moderator_room(current_user.id))
    return None


@acknowledged
@signed_in
def on_moderation_join(data):
    snapshot = snapshots.moderation_snapshot(inputs.stop_slug(data.get("stop")), current_user)
    snapshot["questions"] = [localize_question(q) for q in snapshot["questions"]]
    if snapshot["on_screen"]:
        snapshot["on_screen"] = localize_question(snapshot["on_screen"])
    room = reader_room(Audience.MODERATORS, snapshot["stop"]["slug"], str(get_locale()))
    _enter_rooms(MODERATION, [room])
    # A console opened while the queue is down says so at once (board/beat.py tells the rest).
    snapshot["queue"] = {"answering": queue.answering(socketio.server.manager)}
    return snapshot


@acknowledged
@signed_in
def on_moderate(data):
    return _localized_question(service.moderate(inputs.moderation(data), current_user))


@acknowledged
@signed_in
def on_edit(data):
    return _localized_question(service.edit(inputs.edit(data), current_user))


@acknowledged
@signed_in
def on_arrange(data):
    value = _localized_question(service.arrange(inputs.arrange(data), current_user))
    value["moved"] = [localize_question(q) for q in value.get("moved", [])]
    return value


@acknowledged
@signed_in
def on_next(data):
    value = _localized_question(service.next_question(inputs.next_question(data), current_user))
    if value["answered"]:
        value["answered"] = localize_question(value["answered"])
    return value


@acknowledged
@signed_in
def on_merge(data):
    value = _localized_question(service.merge(inputs.merge(data), current_user))
    value["merged"] = [localize_question(q) for q in value["merged"]]
    return value


@acknowledged
@signed_in
def on_unmerge(data):
    value = _localized_question(service.unmerge(inputs.unmerge(data), current_user))
    value["kept"] = localize_question(value["kept"])
    return value


@acknowledged
@signed_in
def on_reply(data):
    # The interface's language names an answer whose words do not tell theirs.
    command = inputs.reply(data, language=str(get_locale()))
    return _localized_question(service.reply(command, current_user))


@acknowledged
@signed_in
def on_history(data):
    entries = snapshots.question_history(inputs.question_id(data.get("question_id")),
                                         current_user)
    return {"history": [log_line(entry) for entry in entries]}


@acknowledged
@signed_in
def on_board(data):
    return service.set_board_status(inputs.board_change(data), current_user)


@acknowledged
@signed_in
def on_timer(data):
    return service.command_timer(inputs.timer_command(data), current_user)


def disconnect_moderator(moderator_id: int) -> None:
    """Close this process's sockets of a moderator who signed out. Sockets held by other
    processes are refused at their next event, since their session version no longer matches."""
    try:
        participants = socketio.server.manager.get_participants(
            MODERATION, moderator_room(moderator_id))
        sids = [sid for sid, _eio in participants]
    except KeyError:
        sids = []
    for sid in sids:
        socketio.server.disconnect(sid, namespace=MODERATION)


def _on_signed_out(_app, user) -> None:
    disconnect_moderator(user.id)


def init_sockets(app: Flask) -> None:
    public_url = app.config.get("PUBLIC_URL")
    queue_url = app.config.get("MESSAGE_QUEUE")  # checked by create_app
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        json=frames.SocketJSON,
        **({"client_manager": queue.client_manager(queue_url)} if queue_url else {}),
        # Same-origin only, on a host the site answers to (engine.io's default would also
        # trust a forged X-Forwarded-Host).
        cors_allowed_origins=security.origin_checker(public_url, app.config["ALLOWED_HOSTS"]),
        # The longest valid event (a 500-character question and its fields) fits many times.
        max_http_buffer_size=16 * 1024,
        ping_interval=10,
        ping_timeout=10,
        logger=False,
        engineio_logger=False,
    )
    handlers = {
        PUBLIC: {"join": on_public_join, "submit": on_submit, "vote": on_vote},
        MODERATION: {
            "connect": on_moderation_connect, "join": on_moderation_join,
            "moderate": on_moderate, "edit": on_edit, "board": on_board, "timer": on_timer,
            "arrange": on_arrange, "next": on_next, "history": on_history,
            "merge": on_merge, "unmerge": on_unmerge, "reply": on_reply,
        },
    }
    for namespace, events in handlers.items():
        for name, handler in events.items():
            socketio.on_event(name, handler, namespace=namespace)
    # Signing out (accounts/views.py) closes that moderator's open consoles too.
    user_logged_out.connect(_on_signed_out, app)
