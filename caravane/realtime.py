"""Socket.IO: thin handlers for attendees and moderators, and the publisher that sends events.

Rooms model audiences: `stop:<slug>` (everyone looking at a stop), `attendee:<token>:<locale>`
(one attendee's devices) and `moderators:<slug>:<locale>` (the consoles of a stop). Rooms that
receive words carry the locale, so each reader gets messages in their own language.
"""

from __future__ import annotations

import functools
import logging
import secrets

from flask import Flask, current_app, session
from flask_babel import force_locale, get_locale
from flask_login import current_user
from flask_socketio import join_room, leave_room

from caravane import board, moderators, ratelimit, security
from caravane.board import BoardError, Event
from caravane.extensions import socketio
from caravane.messages import error_message, localize_question

log = logging.getLogger(__name__)

PUBLIC, MODERATION = "/", "/moderation"


def attendee_token() -> str:
    """The attendee's random token, kept in the signed session cookie: no account, no address."""
    token = session.get("attendee")
    if not token:
        token = session["attendee"] = secrets.token_urlsafe(16)
    return token


# --- publisher ------------------------------------------------------------------------------

def _localized(event: Event) -> dict:
    if event.name.startswith("question:") and "text" in event.data:
        return localize_question(event.data)
    return event.data


def publish(events: list[Event]) -> None:
    """Send each event to its audience, in each reader's language where words are involved."""
    for event in events:
        if event.audience == "stop":
            socketio.emit(event.name, event.data, to=f"stop:{event.target}", namespace=PUBLIC)
            continue
        namespace = MODERATION if event.audience == "moderators" else PUBLIC
        for locale in current_app.config["LANGUAGES"]:
            with force_locale(locale):
                socketio.emit(
                    event.name, _localized(event),
                    to=f"{event.audience}:{event.target}:{locale}", namespace=namespace,
                )


# --- handler plumbing -----------------------------------------------------------------------

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


def _enter_stop(room_prefix: str, slug: str, personal_room: str, namespace: str) -> None:
    previous = session.get(f"joined:{namespace}")
    if previous:
        for room in previous:
            leave_room(room)
    rooms = [f"{room_prefix}:{slug}:{get_locale()}" if room_prefix else f"stop:{slug}"]
    if personal_room:
        rooms.append(personal_room)
    for room in rooms:
        join_room(room)
    session[f"joined:{namespace}"] = rooms


# --- attendees ------------------------------------------------------------------------------

def on_public_connect(auth=None):
    attendee_token()


@acknowledged
def on_public_join(data):
    snapshot = board.public_snapshot(data.get("stop"), attendee_token())
    snapshot["mine"] = [localize_question(q) for q in snapshot["mine"]]
    _enter_stop("", snapshot["stop"]["slug"], f"attendee:{attendee_token()}:{get_locale()}", PUBLIC)
    return snapshot


@acknowledged
def on_submit(data):
    ratelimit.check("submit", attendee_token())
    outcome = board.submit(
        data.get("stop"), attendee_token(), data.get("text"), data.get("client_id"),
        data.get("name"),
    )
    publish(outcome.events)
    return {**outcome.value, "question": localize_question(outcome.value["question"])}


@acknowledged
def on_vote(data):
    ratelimit.check("vote", attendee_token())
    outcome = board.vote(data.get("question_id"), attendee_token())
    publish(outcome.events)
    return outcome.value


# --- moderators -----------------------------------------------------------------------------

def on_moderation_connect(auth=None):
    if not current_user.is_authenticated:
        return False  # refused: the client gets a connect_error
    join_room(moderators.personal_room(current_user.id))
    return None


def signed_in(handler):
    """Re-check the moderator at every event: a signed-out session stops working at once."""

    @functools.wraps(handler)
    def wrapper(data):
        if not current_user.is_authenticated:
            raise BoardError("forbidden")
        return handler(data)

    return wrapper


@acknowledged
@signed_in
def on_moderation_join(data):
    snapshot = board.moderation_snapshot(data.get("stop"))
    snapshot["questions"] = [localize_question(q) for q in snapshot["questions"]]
    if snapshot["on_screen"]:
        snapshot["on_screen"] = localize_question(snapshot["on_screen"])
    _enter_stop("moderators", snapshot["stop"]["slug"], "", MODERATION)
    return snapshot


@acknowledged
@signed_in
def on_moderate(data):
    outcome = board.moderate(
        data.get("question_id"), data.get("action"), data.get("version"), current_user,
        reason=data.get("reason"), with_name=data.get("with_name"),
        confirm=data.get("confirm", False),
    )
    publish(outcome.events)
    return {"question": localize_question(outcome.value["question"])}


@acknowledged
@signed_in
def on_edit(data):
    outcome = board.edit(
        data.get("question_id"), data.get("text"), data.get("version"), current_user
    )
    publish(outcome.events)
    return {"question": localize_question(outcome.value["question"])}


@acknowledged
@signed_in
def on_board(data):
    outcome = board.set_board_status(data.get("stop"), data.get("status"), current_user)
    publish(outcome.events)
    return outcome.value


def init_realtime(app: Flask) -> None:
    public_url = app.config.get("PUBLIC_URL")
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config.get("MESSAGE_QUEUE"),
        # Same-origin only: the public URL when known, else the Host the request came to
        # (engine.io's default would also trust a forged X-Forwarded-Host).
        cors_allowed_origins=security.origin_checker(public_url),
        # The longest valid event (a 500-character question and its fields) fits many times.
        max_http_buffer_size=16 * 1024,
        ping_interval=10,
        ping_timeout=10,
        logger=False,
        engineio_logger=False,
    )
    handlers = {
        PUBLIC: {
            "connect": on_public_connect, "join": on_public_join, "submit": on_submit,
            "vote": on_vote,
        },
        MODERATION: {
            "connect": on_moderation_connect, "join": on_moderation_join,
            "moderate": on_moderate, "edit": on_edit, "board": on_board,
        },
    }
    for namespace, events in handlers.items():
        for name, handler in events.items():
            socketio.on_event(name, handler, namespace=namespace)
    # Outermost, after Socket.IO wrapped the app: sockets see the proxied address too.
    security.trust_proxies(app)


def disconnect_moderator(moderator_id: int) -> None:
    """Close this process's sockets of a moderator who signed out. Sockets held by other
    processes are refused at their next event, since their session version no longer matches."""
    room = moderators.personal_room(moderator_id)
    try:
        sids = [sid for sid, _eio in socketio.server.manager.get_participants(MODERATION, room)]
    except KeyError:
        sids = []
    for sid in sids:
        socketio.server.disconnect(sid, namespace=MODERATION)
