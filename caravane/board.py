"""The question board's rules: submit, vote, moderate, edit, open or close, and snapshots.

Plain Python over the models. Each write is one transaction; each function returns the events
that the change implies, for the publisher to send once the data is safely stored. It knows
nothing of HTTP or Socket.IO.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from caravane import assistant
from caravane.extensions import db
from caravane.models import (
    BOARD_STATUSES,
    PUBLISHED_STATUSES,
    REJECT_REASONS,
    ModerationEvent,
    Moderator,
    Question,
    Stop,
    Vote,
    utcnow,
)
from caravane.payloads import moderator_question, own_question, public_question, stop_header
from caravane.storage import write_transaction

TEXT_MIN, TEXT_MAX, NAME_MAX = 10, 500, 40
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Directional overrides and isolates can reverse what a moderator reads; zero-width spaces can
# hide words from the filters. Joiners (U+200C, U+200D) stay: Persian and emoji need them.
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF]
)

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "approve": ({"pending"}, "approved"),
    "reject": ({"pending", "approved"}, "rejected"),
    "show": ({"approved", "answered"}, "on_screen"),
    "hide": ({"on_screen"}, "approved"),
    "answer": ({"approved", "on_screen"}, "answered"),
    "restore": ({"rejected"}, "pending"),
}


class BoardError(Exception):
    """A refused request. `code` is stable (clients and tests match it); params fill the message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Event:
    """Something clients should hear about. audience: 'stop', 'moderators' or 'attendee'."""

    name: str
    audience: str
    target: str
    data: dict


@dataclass
class Outcome:
    """What a write returns: the value for the caller's acknowledgement, then events to send."""

    value: dict
    events: list[Event] = field(default_factory=list)


def clean_text(value: object) -> str:
    """NFC, no control or invisible direction characters, single spaces."""
    if not isinstance(value, str):
        return ""
    value = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    value = "".join(" " if unicodedata.category(char) == "Cc" else char for char in value)
    return " ".join(value.split())


def checked_text(value: object) -> str:
    text = clean_text(value)
    if len(text) < TEXT_MIN:
        raise BoardError("text_too_short", min=TEXT_MIN)
    if len(text) > TEXT_MAX:
        raise BoardError("text_too_long", max=TEXT_MAX)
    return text


def checked_name(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BoardError("invalid_name")
    name = clean_text(value)
    if len(name) > NAME_MAX:
        raise BoardError("name_too_long", max=NAME_MAX)
    return name or None


def _stop(slug: object, *, lock: bool = False) -> Stop:
    if not isinstance(slug, str) or len(slug) > 60:
        raise BoardError("unknown_stop")
    query = select(Stop).filter_by(slug=slug)
    stop = db.session.scalar(query.with_for_update() if lock else query)
    if stop is None:
        raise BoardError("unknown_stop")
    return stop


def _question(question_id: object, *, lock: bool = True) -> Question:
    if isinstance(question_id, bool) or not isinstance(question_id, int) or question_id < 1:
        raise BoardError("unknown_question")
    question = db.session.get(Question, question_id, with_for_update=lock)
    if question is None:
        raise BoardError("unknown_question")
    return question


def _question_and_stop(question_id: object) -> tuple[Question, Stop]:
    """Lock the stop first, then the question: every moderator write on a stop takes them in
    that order, so two moderators never wait on each other in a circle."""
    question = _question(question_id, lock=False)
    stop = _stop(question.stop.slug, lock=True)
    db.session.refresh(question, with_for_update=True)
    return question, stop


def _analyze(stop: Stop, text: str, attendee: str | None, exclude: int | None = None):
    kept = (Question.stop_id == stop.id, Question.status != "rejected")
    # Plain rows, without the ORM: the whole board is read for every new question.
    board = db.session.connection().execute(
        select(Question.id, Question.text).where(*kept, Question.id != (exclude or 0))
    ).all()
    history = db.session.scalars(
        select(Question.text).where(*kept, Question.attendee == attendee)
    ).all() if attendee else []
    analysis = assistant.analyze(text, board=board, author_history=history)
    flags = [
        {key: value for key, value in dataclasses.asdict(flag).items() if value not in (None, "")}
        for flag in analysis.flags
    ]
    return analysis.language, flags


def _author_event(question: Question, stop: Stop) -> list[Event]:
    if not question.attendee:
        return []
    payload = own_question(question, stop.slug)
    return [Event("question:status", "attendee", question.attendee, payload)]


def submit(
    stop_slug: object, attendee: str, text: object, client_id: object, name: object = None
) -> Outcome:
    """Store a new question as pending. Resending a client_id returns the stored question."""
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise BoardError("invalid_client_id")
    text, name = checked_text(text), checked_name(name)
    # The moderation assistant reads the board before the write lock is taken: its milliseconds
    # of CPU per question then hold up no other writer. A question stored in that same instant
    # can be missed as a duplicate; the flags are suggestions, and the console still shows it.
    language, flags = _analyze(_stop(stop_slug), text, attendee)
    try:
        with write_transaction():
            stop = _stop(stop_slug, lock=True)
            stored = db.session.scalar(
                select(Question).filter_by(stop_id=stop.id, client_id=client_id)
            )
            if stored is not None:
                return _resent(stored, stop, attendee)
            if stop.board_status != "open":
                raise BoardError(f"board_{stop.board_status}")
            question = Question(
                stop_id=stop.id, client_id=client_id, attendee=attendee, text=text, name=name,
                language=language, flags=flags, status="pending",
            )
            db.session.add(question)
            db.session.flush()
            events = [
                Event("question:new", "moderators", stop.slug,
                      moderator_question(question, stop.slug)),
                *_author_event(question, stop),
            ]
            return Outcome({"question": own_question(question, stop.slug)}, events)
    except IntegrityError:
        # Another process stored the same client_id between our check and our insert.
        stop = _stop(stop_slug)
        stored = db.session.scalar(select(Question).filter_by(stop_id=stop.id, client_id=client_id))
        if stored is None:
            raise
        return _resent(stored, stop, attendee)


def _resent(stored: Question, stop: Stop, attendee: str) -> Outcome:
    if stored.attendee != attendee:
        raise BoardError("invalid_client_id")
    return Outcome({"question": own_question(stored, stop.slug), "duplicate": True})


def vote(question_id: object, attendee: str) -> Outcome:
    """Support a published question once, or take the support back (toggle)."""
    with write_transaction():
        question = _question(question_id)
        stop = question.stop
        if question.status not in PUBLISHED_STATUSES:
            raise BoardError("unknown_question")
        if stop.board_status == "closed":
            raise BoardError("board_closed")
        existing = db.session.scalar(
            select(Vote).filter_by(question_id=question.id, attendee=attendee)
        )
        if existing is None:
            db.session.add(Vote(question_id=question.id, attendee=attendee))
        else:
            db.session.delete(existing)
        db.session.flush()
        question.votes = db.session.scalar(
            select(func.count()).select_from(Vote).filter_by(question_id=question.id)
        )
        return Outcome(
            {"question_id": question.id, "votes": question.votes, "voted": existing is None},
            [
                Event("question:updated", "stop", stop.slug, public_question(question, stop.slug)),
                # Consoles sort approved questions by support: they follow the count too.
                Event("question:changed", "moderators", stop.slug,
                      moderator_question(question, stop.slug)),
            ],
        )


def _record(actor: Moderator, stop: Stop, action: str, question: Question | None, before, after):
    db.session.add(
        ModerationEvent(
            stop_id=stop.id, question_id=question.id if question else None,
            moderator_id=actor.id, moderator_login=actor.login, action=action,
            before=before, after=after,
        )
    )


def _state(question: Question) -> dict:
    return {
        "status": question.status, "text": question.text, "reason": question.reject_reason,
        "show_name": question.show_name, "version": question.version,
    }


def _change_events(question: Question, stop: Stop, was_status: str) -> list[Event]:
    """Events for every audience after a question changed; was_status is its status before."""
    events = [
        Event("question:changed", "moderators", stop.slug, moderator_question(question, stop.slug)),
        *_author_event(question, stop),
    ]
    was_public = was_status in PUBLISHED_STATUSES
    is_public = question.status in PUBLISHED_STATUSES
    if is_public:
        name = "question:updated" if was_public else "question:published"
        events.append(Event(name, "stop", stop.slug, public_question(question, stop.slug)))
    elif was_public:
        events.append(Event("question:removed", "stop", stop.slug, {"id": question.id}))
    return events


def _screen_change(
    events: list[Event], stop: Stop, shown: Question | None, left: Question | None
) -> list[Event]:
    """One `screen:changed` for every phone, carrying both questions that moved.

    It replaces the `question:updated` the stop would otherwise get for each of them: a
    room-wide event costs the server a frame per phone, at the busiest moment of a debate
    (measured with two processes and 1,000 phones: p99 from 269 to 158 ms; docs/deploy.md).
    """
    def public(question):
        if question is None or question.status not in PUBLISHED_STATUSES:
            return None
        return public_question(question, stop.slug)

    kept = [e for e in events if not (e.audience == "stop" and e.name == "question:updated")]
    data = {"stop": stop.slug, "question": public(shown), "left": public(left)}
    return [*kept, Event("screen:changed", "stop", stop.slug, data)]


def _check_version(question: Question, version: object, stop: Stop) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        raise BoardError("invalid_version")
    if version != question.version:
        raise BoardError("stale_version", question=moderator_question(question, stop.slug))


def moderate(
    question_id: object, action: object, version: object, actor: Moderator,
    reason: object = None, with_name: object = None, confirm: object = False,
) -> Outcome:
    """Move a question along its life: approve, reject, show, hide, answer, restore.

    A question flagged as holding personal data is published only with `confirm=True`: the
    projector is photographed, so that choice must be explicit.
    """
    if not isinstance(action, str) or action not in TRANSITIONS:  # a list is unhashable
        raise BoardError("unknown_action")
    sources, target = TRANSITIONS[action]
    with write_transaction():
        question, stop = _question_and_stop(question_id)
        _check_version(question, version, stop)
        if question.status not in sources:
            raise BoardError("invalid_transition", status=question.status, action=action)
        if action == "reject" and reason not in REJECT_REASONS:
            raise BoardError("invalid_reason")
        if action in ("approve", "show") and confirm is not True:
            exposed = [f for f in question.flags or [] if f.get("code") == "personal_data"]
            if exposed:
                raise BoardError("confirm_personal_data", question=moderator_question(
                    question, stop.slug))
        events: list[Event] = []
        previous = None
        if action == "show":
            previous = db.session.scalar(
                select(Question).filter_by(stop_id=stop.id, status="on_screen")
            )
            if previous is not None:
                events += _apply(previous, stop, "hide", "approved", actor)
                # The index allows one question on screen: the old one must leave first.
                db.session.flush()
        show_name = None
        if isinstance(with_name, bool) and action in ("approve", "show"):
            show_name = with_name and question.name is not None
        was_on_screen = question.status == "on_screen"
        events += _apply(
            question, stop, action, target, actor,
            reason=reason if action == "reject" else None, show_name=show_name,
        )
        if action == "show" or was_on_screen:
            left = previous if action == "show" else question
            events = _screen_change(events, stop, question if action == "show" else None, left)
        return Outcome({"question": moderator_question(question, stop.slug)}, events)


def _apply(question, stop, action, target, actor, reason=None, show_name=None) -> list[Event]:
    before, was_status = _state(question), question.status
    question.status = target
    question.reject_reason = reason
    if show_name is not None:
        question.show_name = show_name
    question.version += 1
    question.updated_at = utcnow()
    _record(actor, stop, action, question, before, _state(question))
    return _change_events(question, stop, was_status)


def edit(question_id: object, text: object, version: object, actor: Moderator) -> Outcome:
    """Fix a question's wording; the author's original text is kept."""
    new_text = checked_text(text)
    with write_transaction():
        question, stop = _question_and_stop(question_id)
        _check_version(question, version, stop)
        if new_text == question.text:
            return Outcome({"question": moderator_question(question, stop.slug)})
        before = _state(question)
        if question.original_text is None:
            question.original_text = question.text
        question.text = new_text
        question.language, question.flags = _analyze(stop, new_text, None, exclude=question.id)
        question.version += 1
        question.updated_at = utcnow()
        _record(actor, stop, "edit", question, before, _state(question))
        events = _change_events(question, stop, question.status)
        if question.status == "on_screen":
            events = _screen_change(events, stop, question, None)
        return Outcome({"question": moderator_question(question, stop.slug)}, events)


def set_board_status(stop_slug: object, status: object, actor: Moderator) -> Outcome:
    """Open the board, keep it for support only, or close it."""
    if status not in BOARD_STATUSES:
        raise BoardError("unknown_board_status")
    with write_transaction():
        stop = _stop(stop_slug, lock=True)
        before = stop.board_status
        stop.board_status = status
        _record(actor, stop, "board", None, {"board": before}, {"board": status})
        data = {"stop": stop.slug, "status": status}
        events = [
            Event("board:status", "stop", stop.slug, data),
            Event("board:status", "moderators", stop.slug, data),
        ]
        return Outcome(data, events if before != status else [])


def _published(stop: Stop) -> list[Question]:
    return db.session.scalars(
        select(Question)
        .where(Question.stop_id == stop.id, Question.status.in_(PUBLISHED_STATUSES))
        .order_by(Question.votes.desc(), Question.created_at, Question.id)
    ).all()


def public_snapshot(stop_slug: object, attendee: str | None) -> dict:
    """Everything an attendee's page needs after (re)connecting."""
    stop = _stop(stop_slug)
    published = _published(stop)
    mine, voted = [], []
    if attendee:
        mine = db.session.scalars(
            select(Question)
            .filter_by(stop_id=stop.id, attendee=attendee)
            .order_by(Question.created_at.desc(), Question.id.desc())
        ).all()
        voted = db.session.scalars(
            select(Vote.question_id)
            .join(Question, Question.id == Vote.question_id)
            .where(Question.stop_id == stop.id, Vote.attendee == attendee)
        ).all()
    on_screen = next((q for q in published if q.status == "on_screen"), None)
    return {
        "stop": stop_header(stop),
        "board": stop.board_status,
        "on_screen": public_question(on_screen, stop.slug) if on_screen else None,
        "questions": [public_question(q, stop.slug) for q in published],
        "mine": [own_question(q, stop.slug) for q in mine],
        "voted": list(voted),
    }


def moderation_snapshot(stop_slug: object) -> dict:
    """Everything a moderator's console needs: every question of the stop, newest first."""
    stop = _stop(stop_slug)
    questions = db.session.scalars(
        select(Question).filter_by(stop_id=stop.id).order_by(Question.id.desc())
    ).all()
    on_screen = next((q for q in questions if q.status == "on_screen"), None)
    return {
        "stop": stop_header(stop),
        "board": stop.board_status,
        "on_screen": moderator_question(on_screen, stop.slug) if on_screen else None,
        "questions": [moderator_question(q, stop.slug) for q in questions],
    }
