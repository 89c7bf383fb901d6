"""Sends the rules' events to Socket.IO rooms, in each reader's language.

Rooms model audiences: `stop:<slug>` (everyone looking at a stop), `attendee:<token>:<locale>`
(one attendee's devices) and `moderators:<slug>:<locale>` (the consoles of a stop). Rooms that
receive words carry the locale, so each reader gets messages in their own language.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from caravane.board.events import Audience, Event
from caravane.board.messages import localize_question
from caravane.extensions import socketio

PUBLIC, MODERATION = "/", "/moderation"


def stop_room(slug: str) -> str:
    return f"stop:{slug}"


def reader_room(audience: Audience, target: str, locale: str) -> str:
    return f"{audience}:{target}:{locale}"


def publish(events: list[Event]) -> None:
    """Send each event to its audience, in each reader's language where words are involved."""
    for event in _fewer_frames(events):
        if event.audience is Audience.STOP:
            socketio.emit(event.name, event.data, to=stop_room(event.target), namespace=PUBLIC)
            continue
        namespace = MODERATION if event.audience is Audience.MODERATORS else PUBLIC
        for locale in current_app.config["LANGUAGES"]:
            room = reader_room(event.audience, event.target, locale)
            if not _listened(namespace, room):
                continue
            with force_locale(locale):
                socketio.emit(event.name, _localized(event), to=room, namespace=namespace)


def _listened(namespace: str, room: str) -> bool:
    """Whether anyone may be in this room. With one process, its own room table knows: a
    question's words are not put in three languages for readers of one (measured in a storm
    of submissions, docs/deploy.md). With a message queue, other processes' readers may be
    there: always send."""
    if current_app.config.get("MESSAGE_QUEUE"):
        return True
    return bool(socketio.server.manager.rooms.get(namespace, {}).get(room))


def _localized(event: Event) -> dict:
    if event.name.startswith("question:") and "text" in event.data:
        return localize_question(event.data)
    return event.data


def _fewer_frames(events: list[Event]) -> list[Event]:
    """Drop a room-wide `question:updated` for a question that a `screen:changed` of the same
    change already carries (as `question` or `left`).

    A room-wide event costs the server a frame per phone, at the busiest moment of a debate
    (measured with two processes and 1,000 phones: p99 from 269 to 158 ms; docs/deploy.md).
    """
    carried = {
        moved["id"]
        for event in events
        if event.audience is Audience.STOP and event.name == "screen:changed"
        for moved in (event.data.get("question"), event.data.get("left"))
        if moved
    }
    if not carried:
        return events
    return [
        event for event in events
        if not (event.audience is Audience.STOP and event.name == "question:updated"
                and event.data.get("id") in carried)
    ]
