"""Publishing a stop's record: its anonymous entries built from the questions, then published,
withdrawn or forgotten, each in one write transaction. Plain Python: no request, no HTTP.

Publishing copies into the record only what the room could read (`entry`); the retention purge
erases questions, votes and tokens and leaves the record alone (docs/privacy.md).

Withdrawing only hides the record: its entries stay, so that it can be published again after
the purge, when there are no questions left to rebuild it from. Forgetting deletes it.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select

from caravane.accounts.models import Moderator
from caravane.board import retention
from caravane.board.models import ModerationEvent, Question
from caravane.board.payloads import public_name
from caravane.extensions import db
from caravane.record.models import DebateRecord
from caravane.storage import utcnow, write_transaction
from caravane.tour.models import Stop, Tour
from caravane.vocabulary import PUBLISHED, LogAction, QuestionStatus

# What an entry holds, in this order (the CSV's columns). Nothing else is ever copied.
FIELDS = ("text", "language", "asked_by", "votes", "answered_on_stage", "answer",
          "answer_language", "name")


def entry(question: Question) -> dict:
    """One question as the record keeps it: no id, no token, no flag, no time, a name only
    where the author signed and a moderator showed it."""
    return {
        "text": question.text,
        "language": question.language,
        "asked_by": max(question.asked_by or 1, 1),
        "votes": question.votes,
        "answered_on_stage": question.status == QuestionStatus.ANSWERED,
        "answer": question.answer or None,
        "answer_language": question.answer_language if question.answer else None,
        "name": public_name(question),
    }


def entries(stop: Stop) -> list[dict]:
    """The stop's published questions, most supported first, then the oldest first. A merged
    question is left out: the question it was grouped into counts its askers (`asked_by`)."""
    questions = db.session.scalars(
        select(Question)
        .where(Question.stop_id == stop.id, Question.status.in_(PUBLISHED))
        .order_by(Question.votes.desc(), Question.created_at, Question.id)
    ).all()
    return [entry(question) for question in questions]


def record_of(stop: Stop) -> DebateRecord | None:
    return db.session.scalar(select(DebateRecord).filter_by(stop_id=stop.id))


def current_entries(stop: Stop) -> list[dict]:
    """The record as it would be published now: rebuilt from the questions while the stop has
    any, else what was copied before the purge (empty if it never was)."""
    if _has_questions(stop):
        return entries(stop)
    record = record_of(stop)
    return list(record.entries or []) if record else []


def publish(stop: Stop, actor: Moderator | None = None) -> DebateRecord:
    """Publish the stop's record, copying its entries afresh from the questions (a later
    publication updates it). After the purge there is nothing to copy from: the entries
    copied before are kept, so republishing never empties the record."""
    with write_transaction():
        stop = _locked(stop)
        record = _record_locked(stop)
        before = _state(record)
        if record is None:
            record = DebateRecord(stop_id=stop.id, entries=[])
            db.session.add(record)
        if _has_questions(stop):
            record.entries = entries(stop)
        now = utcnow()
        record.published, record.published_at, record.updated_at = True, now, now
        _log(stop, actor, before, "published")
        _pages_changed(stop)
    return record


def unpublish(stop: Stop, actor: Moderator | None = None) -> DebateRecord | None:
    """Hide the record (its addresses answer 404) and keep its entries for a republication."""
    with write_transaction():
        stop = _locked(stop)
        record = _record_locked(stop)
        if record is not None:
            before = _state(record)
            record.published, record.updated_at = False, utcnow()
            _log(stop, actor, before, "unpublished")
            _pages_changed(stop)
    return record


def forget(stop: Stop, actor: Moderator | None = None) -> bool:
    """Delete the record for good (the command line's `unpublish --forget`); False if there
    was none. The database file is compacted after, as after a purge: the text is gone from
    the disk too (SQLite)."""
    with write_transaction():
        stop = _locked(stop)
        record = _record_locked(stop)
        if record is None:
            return False
        before = _state(record)
        db.session.execute(delete(DebateRecord).where(DebateRecord.id == record.id))
        _log(stop, actor, before, "forgotten")
        _pages_changed(stop)
    retention.compact()
    return True


def _locked(stop: Stop) -> Stop:
    # The stop first, as every write on it (board/rules.py, board/retention.py).
    return db.session.scalar(select(Stop).where(Stop.id == stop.id).with_for_update())


def _record_locked(stop: Stop) -> DebateRecord | None:
    return db.session.scalar(
        select(DebateRecord).filter_by(stop_id=stop.id).with_for_update())


def _has_questions(stop: Stop) -> bool:
    return bool(db.session.scalar(select(exists().where(Question.stop_id == stop.id))))


def _state(record: DebateRecord | None) -> str:
    if record is None:
        return "none"
    return "published" if record.published else "unpublished"


def _pages_changed(stop: Stop) -> None:
    """The stop page links to a published record: its cached copies and ETags go stale."""
    stop.tour.revision = Tour.revision + 1  # by the database: see tour/loader.py


def _log(stop: Stop, actor: Moderator | None, before: str, after: str) -> None:
    """A moderator's publication goes into the stop's moderation log; the command line's,
    run by whoever runs the server, does not (it has no one to name)."""
    if actor is None:
        return
    db.session.add(ModerationEvent(
        stop_id=stop.id, question_id=None, moderator_id=actor.id, moderator_login=actor.login,
        action=LogAction.RECORD, before={"record": before}, after={"record": after},
    ))
