"""Forgetting after the event: erase a stop's questions, votes and attendee tokens for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, text

from caravane.board import Event
from caravane.extensions import db
from caravane.models import ModerationEvent, Question, Stop, Vote


def purge_stops(stops: list[Stop]) -> tuple[int, list[Event]]:
    """Delete everything attendees wrote for these stops; return the count and the events."""
    count, events = 0, []
    for stop in stops:
        ids = select(Question.id).where(Question.stop_id == stop.id)
        published = db.session.scalars(
            select(Question.id).where(
                Question.stop_id == stop.id,
                Question.status.in_(("approved", "on_screen", "answered")),
            )
        ).all()
        db.session.execute(delete(Vote).where(Vote.question_id.in_(ids)))
        db.session.execute(delete(ModerationEvent).where(ModerationEvent.stop_id == stop.id))
        count += db.session.execute(delete(Question).where(Question.stop_id == stop.id)).rowcount
        events += [Event("question:removed", "stop", stop.slug, {"id": i}) for i in published]
        events.append(Event("screen:changed", "stop", stop.slug,
                            {"stop": stop.slug, "question": None}))
    db.session.commit()
    _compact()
    return count, events


def stops_ended_before(moment: datetime) -> list[Stop]:
    return list(db.session.scalars(select(Stop).where(Stop.ends_at < moment)))


def _compact() -> None:
    """SQLite keeps deleted rows in free pages and in the WAL until told otherwise."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("VACUUM")
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
