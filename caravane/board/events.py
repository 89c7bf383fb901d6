"""The events a change implies, for each audience: what the rules hand to the publisher.

Every event sent to clients is built here, from stored questions and stops, so the words of
the protocol (docs/protocol.md) are written once. An event carries codes, never translated
text: the publisher adds the reader's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from caravane.board.models import Question
from caravane.board.payloads import moderator_question, own_question, public_question
from caravane.tour.models import Stop
from caravane.vocabulary import PUBLISHED


class Audience(StrEnum):
    STOP = "stop"  # every phone and projector looking at a stop
    MODERATORS = "moderators"  # the consoles of a stop
    ATTENDEE = "attendee"  # one attendee's devices


@dataclass(frozen=True)
class Event:
    """Something clients should hear about: `target` is a stop slug or an attendee token."""

    name: str
    audience: Audience
    target: str
    data: dict


@dataclass
class Outcome:
    """What a write returns: the value for the caller's acknowledgement, the events to send,
    and the questions the moderation assistant should read once the caller has its answer."""

    value: dict
    events: list[Event] = field(default_factory=list)
    analyse: list[int] = field(default_factory=list)


def to_author(question: Question, stop: Stop) -> list[Event]:
    if not question.attendee:
        return []
    return [Event("question:status", Audience.ATTENDEE, question.attendee,
                  own_question(question, stop.slug))]


def to_moderators(question: Question, stop: Stop) -> list[Event]:
    return [Event("question:changed", Audience.MODERATORS, stop.slug,
                  moderator_question(question, stop.slug))]


def submitted(question: Question, stop: Stop) -> list[Event]:
    return [
        Event("question:new", Audience.MODERATORS, stop.slug,
              moderator_question(question, stop.slug)),
        *to_author(question, stop),
    ]


def updated(question: Question, stop: Stop) -> Event:
    """What phones and projectors see of a published question changed."""
    return Event("question:updated", Audience.STOP, stop.slug, public_question(question, stop.slug))


def supported(question: Question, stop: Stop) -> list[Event]:
    return [
        updated(question, stop),
        # Consoles sort approved questions by support: they follow the count too.
        *to_moderators(question, stop),
    ]


def changed(question: Question, stop: Stop, was_status: str) -> list[Event]:
    """Every audience's event after a question changed; was_status is its status before."""
    events = [*to_moderators(question, stop), *to_author(question, stop)]
    was_public, is_public = was_status in PUBLISHED, question.status in PUBLISHED
    if is_public and was_public:
        events.append(updated(question, stop))
    elif is_public:
        events.append(Event("question:published", Audience.STOP, stop.slug,
                            public_question(question, stop.slug)))
    elif was_public:
        events.append(Event("question:removed", Audience.STOP, stop.slug, {"id": question.id}))
    return events


def screen_changed(stop: Stop, shown: Question | None, left: Question | None) -> Event:
    """The projector's question changed: `question` is on screen now, `left` has just left."""

    def public(question: Question | None) -> dict | None:
        if question is None or question.status not in PUBLISHED:
            return None
        return public_question(question, stop.slug)

    data = {"stop": stop.slug, "question": public(shown), "left": public(left)}
    return Event("screen:changed", Audience.STOP, stop.slug, data)


def board_status(stop: Stop) -> list[Event]:
    data = {"stop": stop.slug, "status": str(stop.board_status)}
    return [Event("board:status", Audience.STOP, stop.slug, data),
            Event("board:status", Audience.MODERATORS, stop.slug, data)]


def purged(stop: Stop, published_ids: list[int]) -> list[Event]:
    """A stop's questions were erased: phones drop them, the projector goes idle."""
    return [
        *(Event("question:removed", Audience.STOP, stop.slug, {"id": i}) for i in published_ids),
        Event("screen:changed", Audience.STOP, stop.slug,
              {"stop": stop.slug, "question": None, "left": None}),
    ]


def timer_changed(stop: Stop, state: dict) -> list[Event]:
    """The answer timer was started, paused or reset: the projector and every console follow
    (docs/protocol.md). A whole state, so a missed one is healed by the next."""
    return [Event("timer:changed", Audience.STOP, stop.slug, state),
            Event("timer:changed", Audience.MODERATORS, stop.slug, state)]
