"""How things are stored: SQLite tuned for a busy room, write transactions, enum columns, time."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum

from flask import Flask
from sqlalchemy import Enum, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import MappedColumn, mapped_column

from caravane.extensions import db

WRITE = {"caravane_write": True}


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: how every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(enum: type[StrEnum], **options) -> MappedColumn:
    """A column holding one of the enum's values, checked by the database (a CHECK constraint
    named ck_<table>_<enum name>, created by the migrations) and by SQLAlchemy on write."""
    kind = Enum(
        enum, name=_snake(enum.__name__), native_enum=False, create_constraint=True,
        length=20, validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
    return mapped_column(kind, **options)


def _snake(name: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in name).lstrip("_")


def init_storage(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event decide how each transaction starts (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A write takes the lock at BEGIN, so a read-then-update cannot interleave with another.
        immediate = connection.get_execution_options().get("caravane_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction():
    """One isolated write: BEGIN IMMEDIATE on SQLite; callers lock rows FOR UPDATE on PostgreSQL.

    Commits on success and rolls back on any error. Nothing may wait on the network inside.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options=WRITE)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
