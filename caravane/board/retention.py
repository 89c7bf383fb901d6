"""Forgetting after the event: erase a stop's questions, votes and attendee tokens for good."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, or_, select

from caravane.board import events
from caravane.board.events import Event, Outcome
from caravane.board.models import ModerationEvent, Question, Vote
from caravane.board.sequence import numbered
from caravane.extensions import db
from caravane.tour.models import Stop
from caravane.vocabulary import PUBLISHED

log = logging.getLogger(__name__)

# Stop times are wall-clock times in the tour's timezone (see models.Stop).
TOUR_TIMEZONE = ZoneInfo("Europe/Paris")


def purge_stops(stops: list[Stop]) -> tuple[int, list[Event]]:
    """Delete everything attendees wrote for these stops; return the count and the events.
    The stop's public record (record/), anonymous text copied at publication, stays: it is
    the account owed to the public (docs/privacy.md), and `expired_stops` never selects a
    stop for it."""
    count, produced = 0, []
    for stop in stops:
        # The stop first, as every write on it (board/rules.py): its change number is there.
        db.session.execute(select(Stop.id).where(Stop.id == stop.id).with_for_update())
        ids = select(Question.id).where(Question.stop_id == stop.id)
        published = db.session.scalars(
            select(Question.id).where(
                Question.stop_id == stop.id,
                Question.status.in_(PUBLISHED),
            )
        ).all()
        db.session.execute(delete(Vote).where(Vote.question_id.in_(ids)))
        db.session.execute(delete(ModerationEvent).where(ModerationEvent.stop_id == stop.id))
        count += db.session.execute(delete(Question).where(Question.stop_id == stop.id)).rowcount
        produced += numbered(Outcome({}, events.purged(stop, published))).events
    db.session.commit()
    compact()
    return count, produced


def stops_ended_before(moment: datetime) -> list[Stop]:
    return list(db.session.scalars(select(Stop).where(Stop.ends_at < moment)))


def compact() -> None:
    """SQLite keeps deleted rows in free pages and in the WAL until told otherwise."""
    if db.engine.dialect.name != "sqlite":
        return
    # The raw driver connection: SQLAlchemy would open a transaction first (storage.py starts
    # each one explicitly), and SQLite cannot VACUUM inside a transaction.
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()


def expired_stops(now: datetime, days: int) -> list[Stop]:
    """Stops that ended more than `days` days before `now` and still hold anything written."""
    if now.tzinfo is not None:
        now = now.astimezone(TOUR_TIMEZONE).replace(tzinfo=None)
    holds_data = or_(
        exists().where(Question.stop_id == Stop.id),
        exists().where(ModerationEvent.stop_id == Stop.id),
    )
    return list(db.session.scalars(
        select(Stop).where(Stop.ends_at < now - timedelta(days=days), holds_data)
    ))


def purge_expired(now: datetime | None = None) -> tuple[int, list[Event]]:
    """Apply CARAVANE_RETENTION_DAYS (default 30; null turns the automatic purge off)."""
    from flask import current_app

    days = current_app.config.get("RETENTION_DAYS")
    if days is None:
        return 0, []
    stops = expired_stops(now or datetime.now(UTC), int(days))
    if not stops:
        return 0, []
    count, produced = purge_stops(stops)
    log.warning("retention: %s questions erased from %s, ended more than %s days ago",
                count, ", ".join(stop.slug for stop in stops), days)
    return count, produced
