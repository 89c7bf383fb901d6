"""Database connection settings: SQLite tuned for a busy room, and a write-transaction helper."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from caravane.extensions import db

WRITE = {"caravane_write": True}


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
