"""The whole state of a stop's board for one reader: what a page gets when it (re)joins."""

from __future__ import annotations

from sqlalchemy import func, select

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
from caravane.extensions import db
from caravane.tour.models import Stop
from caravane.vocabulary import PUBLISHED, QuestionStatus


def _published(stop: Stop) -> list[Question]:
    return db.session.scalars(
        select(Question)
        .where(Question.stop_id == stop.id, Question.status.in_(PUBLISHED))
        .order_by(Question.votes.desc(), Question.created_at, Question.id)
    ).all()


def public_snapshot(stop_slug: str, attendee: Attendee | None) -> dict:
    """Everything an attendee's page (or the projector, without attendee) needs.

    The stop, and so its sequence number, is read before the questions: a change committed in
    between is then in the snapshot and also numbered after it, so the page applies it twice
    (harmless, events carry whole states) rather than never."""
    stop = find_stop(stop_slug)
    published = _published(stop)
    mine, voted = [], []
    if attendee:
        token = attendee.token(stop.slug)
        mine = db.session.scalars(
            select(Question)
            .filter_by(stop_id=stop.id, attendee=token)
            .order_by(Question.created_at.desc(), Question.id.desc())
        ).all()
        voted = db.session.scalars(
            select(Vote.question_id)
            .join(Question, Question.id == Vote.question_id)
            .where(Question.stop_id == stop.id, Vote.attendee == token)
        ).all()
    on_screen = next((q for q in published if q.status == QuestionStatus.ON_SCREEN), None)
    return {
        "stop": stop_header(stop),
        "board": str(stop.board_status),
        "on_screen": public_question(on_screen, stop.slug) if on_screen else None,
        "questions": [public_question(q, stop.slug) for q in published],
        "mine": [own_question(q, stop.slug) for q in mine],
        "voted": list(voted),
        "seq": stop.public_sequence,
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
