"""Database helpers: SQLite tuning, and write transactions that cannot deadlock on SQLite.

SQLite grants one writer at a time. A deferred transaction that has read and then wants to write can fail at once
with "database is locked" when another connection wrote meanwhile (the busy timeout does not help there). Service
functions therefore open their write transactions with BEGIN IMMEDIATE: they wait for the writer before reading.
PostgreSQL needs none of this; its row locks do the work.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

from core.extensions import db

_immediate: ContextVar[bool] = ContextVar("sqlite_immediate", default=False)


def install_sqlite_tuning(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" listener below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextmanager
def write_transaction():
    """Run the block in one transaction: commit on success, roll back on any error (nothing half-written)."""
    session = db.session
    sqlite = db.engine.dialect.name == "sqlite"
    token = None
    if sqlite:
        session.commit()  # end the read transaction of the request so the next BEGIN can be IMMEDIATE
        token = _immediate.set(True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if token is not None:
            _immediate.reset(token)
