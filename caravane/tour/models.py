"""The tour and its stops, as loaded from tour.toml."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caravane.extensions import db
from caravane.storage import enum_column
from caravane.vocabulary import BoardStatus

# The stops' times are wall-clock times here, wherever the server runs.
TOUR_TIMEZONE = ZoneInfo("Europe/Paris")
# A board in these states takes questions or supports: worth sending the room to.
LIVE_BOARD_STATES = frozenset({BoardStatus.OPEN, BoardStatus.VOTING_ONLY})


class Tour(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    organiser_url: Mapped[str | None] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text)
    # {"en": {"reviewed": false, "title": ..., "intro": ...}, "ar": {...}}: see localized.py.
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    # The public pages' version: bumped by every `tour load` and by a stop's public record
    # published or withdrawn; the tour and stop pages' ETag holds it (caravane/page_cache.py).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    stops: Mapped[list[Stop]] = relationship(back_populates="tour", order_by="Stop.position")


class Stop(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tour.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int]
    city: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    # Local wall-clock time in the tour's timezone (Europe/Paris).
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    context: Mapped[list] = mapped_column(JSON, default=list)
    facts: Mapped[list] = mapped_column(JSON, default=list)
    guests: Mapped[list] = mapped_column(JSON, default=list)
    # {"en": {"reviewed": false, "title": ..., "context": [...], "roles": {name: role}}, ...}
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    board_status: Mapped[BoardStatus] = enum_column(BoardStatus, default=BoardStatus.OPEN)
    # The number of the last change sent to the stop's phones and projectors, and to its
    # consoles (board/sequence.py): a page that sees a gap asks for the whole board again.
    public_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    console_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # The answer timer (board/timer.py): its length, what is left, and since when it runs
    # (None: paused or reset). Stored, so a projector reloaded mid-answer shows it again.
    timer_seconds: Mapped[int] = mapped_column(default=120, server_default="120")
    timer_left_ms: Mapped[int] = mapped_column(default=120_000, server_default="120000")
    timer_since: Mapped[datetime | None] = mapped_column()
    tour: Mapped[Tour] = relationship(back_populates="stops")

    def board_is_live(self, today: date) -> bool:
        """The stop page sends visitors to the live board on the evening's day (in the tour's
        timezone), while the board takes questions or supports."""
        return self.starts_at.date() == today and self.board_status in LIVE_BOARD_STATES
