"""What the room writes: questions, their supports, and the moderation log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caravane.extensions import db
from caravane.storage import enum_column, utcnow
from caravane.tour.models import Stop
from caravane.vocabulary import LogAction, QuestionStatus, RejectReason


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
        Index("ix_question_merged_into", "merged_into_id"),
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
    # False from the moment a question is stored (or edited) until the moderation assistant has
    # read it, right after the acknowledgement (board/analysis.py): the console says "analysing".
    analysed: Mapped[bool] = mapped_column(default=True)
    status: Mapped[QuestionStatus] = enum_column(QuestionStatus, default=QuestionStatus.PENDING)
    reject_reason: Mapped[RejectReason | None] = enum_column(RejectReason, nullable=True)
    votes: Mapped[int] = mapped_column(default=0)
    # Place in the moderators' queue of next questions ("à suivre"), approved questions only;
    # None when not queued. Any change of status takes a question out of the queue.
    queue_position: Mapped[int | None] = mapped_column()
    # Merging (board/merging.py): the question this one was grouped into, and on the question
    # kept, how many people asked it (its authors and the grouped questions', each once).
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"))
    asked_by: Mapped[int] = mapped_column(default=1, server_default="1")
    # A moderator's written answer (board/answers.py), in the language it was written in.
    answer: Mapped[str | None] = mapped_column(Text)
    answer_language: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    stop: Mapped[Stop] = relationship()
    merged_into: Mapped[Question | None] = relationship(remote_side=[id])


class Vote(db.Model):
    __table_args__ = (UniqueConstraint("question_id", "attendee", name="uq_vote_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    attendee: Mapped[str] = mapped_column(String(64))


class ModerationEvent(db.Model):
    """One line of a stop's moderation log: who did what, when, and the question before/after."""

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
    action: Mapped[LogAction] = enum_column(LogAction)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
