"""A moderator's account: a login, a password hash, the version that ends old sessions, and the
stops they may moderate."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from caravane.extensions import db
from caravane.storage import utcnow
from caravane.tour.models import Stop

# Which stops a moderator may moderate (partner organisations run their own stop).
moderator_stop = Table(
    "moderator_stop", db.metadata,
    Column("moderator_id", ForeignKey("moderator.id", ondelete="CASCADE"), primary_key=True),
    Column("stop_id", ForeignKey("stop.id", ondelete="CASCADE"), primary_key=True),
)


class Moderator(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    # Bumped at sign-out and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An organiser moderates every stop, present and future.
    every_stop: Mapped[bool] = mapped_column(default=False)
    stops: Mapped[list[Stop]] = relationship(secondary=moderator_stop, order_by=Stop.position)

    def may_moderate(self, stop: Stop) -> bool:
        return self.every_stop or any(granted.id == stop.id for granted in self.stops)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"
