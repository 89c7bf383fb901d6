"""The whole state of a stop's board for one reader: what a page gets when it (re)joins."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import load_only

from caravane.accounts.models import Moderator
from caravane.board.errors import BoardError
from caravane.board.identity import Attendee
from caravane.board.models import ModerationEvent, Question, Vote
from caravane.board.payloads import (
    log_entry,
    moderator_question,
    own_question,
    public_question,
    stop_header,
)
from caravane.board.rules import find_stop, granted
from caravane.board.timer import timer_state
from caravane.extensions import db
from caravane.storage import utcnow
from caravane.tour.models import Stop
from caravane.vocabulary import PUBLISHED, QuestionStatus

# A phone's snapshot, built at each join (1,000 at once when the venue's Wi-Fi comes back): its
# statements are built once. Of the stop, only what a snapshot reads (not its texts and lists:
# four JSON columns).
STOP_FOR_ROOMS = select(Stop).where(Stop.slug == bindparam("slug")).options(load_only(
    Stop.id, Stop.slug, Stop.city, Stop.title, Stop.starts_at, Stop.board_status,
    Stop.public_sequence, Stop.timer_seconds, Stop.timer_left_ms, Stop.timer_since))


def room_stop(slug: str) -> Stop | None:
    """The stop as a snapshot reads it (and the board page shows it: city, date)."""
    return db.session.scalar(STOP_FOR_ROOMS, {"slug": slug})
QUESTIONS_OF_ATTENDEE = (
    select(Question)
    .where(Question.stop_id == bindparam("stop"), Question.attendee == bindparam("token"))
    .order_by(Question.created_at.desc(), Question.id.desc()))
# A support given to a question since merged counts for the question it joined.
SUPPORTS_OF_ATTENDEE = (
    select(func.coalesce(Question.merged_into_id, Vote.question_id))
    .select_from(Vote)
    .join(Question, Question.id == Vote.question_id)
    .where(Question.stop_id == bindparam("stop"), Vote.attendee == bindparam("token")))


def public_snapshot(stop_slug: str, attendee: Attendee | None, *, reuse: bool = True,
                    stop: Stop | None = None) -> dict:
    """Everything an attendee's page (or the projector, without attendee) needs.

    The stop, and so its sequence number, is read before the questions: a change committed in
    between is then in the snapshot and also numbered after it, so the page applies it twice
    (harmless, events carry whole states) rather than never. The room's part is the same for
    every attendee: it is built once per change (`reuse`), only the attendee's own part is
    read for each phone. `stop`: the stop already read with `room_stop` by the caller."""
    stop = stop or room_stop(stop_slug)
    if stop is None:
        raise BoardError("unknown_stop")
    mine, voted = [], []
    if attendee:
        mine_of = {"stop": stop.id, "token": attendee.token(stop.slug)}
        mine = db.session.scalars(QUESTIONS_OF_ATTENDEE, mine_of).all()
        voted = db.session.scalars(SUPPORTS_OF_ATTENDEE, mine_of).all()
    return {
        "stop": stop_header(stop),
        "board": str(stop.board_status),
        **(_room_view(stop) if reuse else _build_room_view(stop)),
        "mine": [own_question(q, stop.slug) for q in mine],
        "voted": list(voted),
        # Outside the room's kept view: its server_now is this join's, for the clock offset.
        "timer": timer_state(stop, utcnow()),
        "seq": stop.public_sequence,
    }


def _room_view(stop: Stop) -> dict:
    """The room's part of a stop's snapshot, kept with the change number it was built at.

    Every change phones hear of moves that number (board/sequence.py), in whichever process it
    happens, and the number is read with each join: a view is never served once the room has
    changed. When many phones rejoin at once (the venue's Wi-Fi came back) it is built once,
    not once per phone. Kept per application (its database), in this process's memory."""
    views = current_app.extensions.setdefault("caravane.room_views", {})
    cached = views.get(stop.id)
    if cached is not None and cached[0] == stop.public_sequence:
        return cached[1]
    view = _build_room_view(stop)
    views[stop.id] = (stop.public_sequence, view)
    return view


# What phones see of a question (payloads.public_question): read as plain rows.
PUBLIC_COLUMNS = (Question.id, Question.text, Question.name, Question.show_name,
                  Question.language, Question.status, Question.votes, Question.asked_by,
                  Question.answer, Question.answer_language, Question.created_at,
                  Question.version)


def _build_room_view(stop: Stop) -> dict:
    published = db.session.execute(
        select(*PUBLIC_COLUMNS)
        .where(Question.stop_id == stop.id, Question.status.in_(PUBLISHED))
        .order_by(Question.votes.desc(), Question.created_at, Question.id)
    ).all()
    on_screen = next((q for q in published if q.status == QuestionStatus.ON_SCREEN), None)
    return {
        "on_screen": public_question(on_screen, stop.slug) if on_screen else None,
        "questions": [public_question(q, stop.slug) for q in published],
    }


def moderation_snapshot(stop_slug: str, actor: Moderator) -> dict:
    """Everything a moderator's console needs: every question of the stop, newest first (the
    sequence number read first, as for phones)."""
    stop = granted(actor, find_stop(stop_slug))
    questions = db.session.scalars(
        select(Question).filter_by(stop_id=stop.id).order_by(Question.id.desc())
    ).all()
    on_screen = next((q for q in questions if q.status == QuestionStatus.ON_SCREEN), None)
    return {
        "stop": stop_header(stop),
        "board": str(stop.board_status),
        "on_screen": moderator_question(on_screen, stop.slug) if on_screen else None,
        "questions": [moderator_question(q, stop.slug) for q in questions],
        "timer": timer_state(stop, utcnow()),
        "seq": stop.console_sequence,
    }


def question_history(question_id: int, actor: Moderator) -> list[dict]:
    """Who did what to one question, and when, oldest first."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise BoardError("unknown_question")
    granted(actor, question.stop)
    return [log_entry(row) for row in db.session.scalars(
        select(ModerationEvent).filter_by(question_id=question.id).order_by(ModerationEvent.id))]


def stop_log(stop: Stop) -> list[dict]:
    """The whole moderation log of a stop, newest first (the console's log page)."""
    return [log_entry(row) for row in db.session.scalars(
        select(ModerationEvent).filter_by(stop_id=stop.id).order_by(ModerationEvent.id.desc()))]


def pending_counts(stops: list[Stop]) -> dict[int, int]:
    """Questions waiting for a moderator's reading, per stop id (the console chooser)."""
    rows = db.session.execute(
        select(Question.stop_id, func.count())
        .where(Question.stop_id.in_([stop.id for stop in stops]),
               Question.status == QuestionStatus.PENDING)
        .group_by(Question.stop_id))
    return dict(rows.all())
