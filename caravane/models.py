"""The stored things: the tour and its stops, questions, votes, moderators and their actions."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from caravane.extensions import db

BOARD_STATUSES = ("open", "voting_only", "closed")
QUESTION_STATUSES = ("pending", "approved", "on_screen", "answered", "rejected")
PUBLISHED_STATUSES = ("approved", "on_screen", "answered")
REJECT_REASONS = ("off_topic", "duplicate", "abusive", "personal_data", "other")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Tour(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    organiser_url: Mapped[str | None] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text)
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
    board_status: Mapped[str] = mapped_column(String(20), default="open")
    tour: Mapped[Tour] = relationship(back_populates="stops")


class Question(db.Model):
    __table_args__ = (
        UniqueConstraint("stop_id", "client_id", name="uq_question_stop_client"),
        # At most one question per stop on the projector, enforced by the database itself.
        Index(
            "uq_question_one_on_screen",
            "stop_id",
            unique=True,
            sqlite_where=text("status = 'on_screen'"),
            postgresql_where=text("status = 'on_screen'"),
        ),
        Index("ix_question_stop_status", "stop_id", "status"),
        Index("ix_question_attendee", "attendee"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stop.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    # Random token from the attendee's signed cookie: no account, no address. Purged with the stop.
    attendee: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    original_text: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(40))
    show_name: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(8), default="und")
    flags: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reject_reason: Mapped[str | None] = mapped_column(String(20))
    votes: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    stop: Mapped[Stop] = relationship()


class Vote(db.Model):
    __table_args__ = (UniqueConstraint("question_id", "attendee", name="uq_vote_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    attendee: Mapped[str] = mapped_column(String(64))


class Moderator(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    # Bumped at sign-out and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class ModerationEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stop.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL")
    )
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL")
    )
    # Kept as written so the log still says who acted after an account is removed.
    moderator_login: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
