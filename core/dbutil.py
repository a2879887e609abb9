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
def write_transaction(keep_loaded: bool = False):
    """Run the block in one transaction: commit on success, roll back on any error (nothing half-written).

    ``keep_loaded``: the objects keep the values the block wrote after the commit instead of being expired, so that
    answering with what was just written (a reception's 201) costs no second round of SELECTs and checkout.

    The session must hold no unsaved change when the block starts: on SQLite the read transaction of the request is
    committed first (so that the next BEGIN can be IMMEDIATE), which would write such a change apart from the block,
    and on PostgreSQL it would be committed with the block without being part of it. Either way a change made
    outside the service layer would slip into the database, so it is refused (RuntimeError, a programming error).
    """
    session = db.session
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        raise RuntimeError("write_transaction() started with unsaved changes in the session: write them inside the "
                           "block (services), or roll them back")
    sqlite = db.engine.dialect.name == "sqlite"
    token = None
    if sqlite:
        session.commit()  # ends the request's read transaction only: nothing is pending (checked above)
        token = _immediate.set(True)
    try:
        yield session
        if keep_loaded:
            _commit_keeping_loaded(session())
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if token is not None:
            _immediate.reset(token)


def _commit_keeping_loaded(session) -> None:
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous
