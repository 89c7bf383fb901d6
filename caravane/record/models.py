"""The record kept for each stop: anonymous text only, copied at publication."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from caravane.extensions import db
from caravane.storage import utcnow


class DebateRecord(db.Model):
    """One stop's record. `entries` holds, per question kept, only what the room could read:
    the text, its language, how many asked it, its supports, how it was answered (and the
    written answer), and a name only where the author signed and the name was shown. No id,
    no token, no flag, nothing rejected. The retention purge leaves this row alone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stop.id", ondelete="CASCADE"), unique=True)
    published: Mapped[bool] = mapped_column(default=False)
    entries: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
