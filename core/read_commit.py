"""A request whose transaction only read ends it with COMMIT, not ROLLBACK, so that psycopg keeps its prepared
statements (issue 16; PostgreSQL only).

psycopg prepares a statement the fifth time a connection runs it, and PostgreSQL then stops planning it: for the hot
reads planning cost more than running (tracking: 1.4 ms of the server's CPU against 0.15 ms). But psycopg forgets
every prepared statement at each ROLLBACK, and every request's session ended with one, so nothing was ever prepared.
For a transaction that wrote nothing, COMMIT and ROLLBACK end it alike.

"Wrote nothing" is decided conservatively: any statement that is not a plain SELECT (INSERT, UPDATE, DELETE, a
``WITH`` that could hide one, SET, a savepoint …) marks the transaction as a writer, and so does anything the ORM has
not flushed yet; such a transaction, or one that ends with an unhandled error, is rolled back as before. A statement
built to read only that does not start with SELECT (a recursive ``WITH``) says so with ``reads_only``.
"""

from __future__ import annotations

from flask import Flask, g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

from core.extensions import db

_WROTE = "motcua_transaction_wrote"
_READS_ONLY = "motcua_reads_only"
_BEGUN = "motcua_connections_begun"  # on flask.g: the connections whose transactions began in this app context


def reads_only(statement):
    """``statement`` (a read that does not start with SELECT, such as a recursive ``WITH``) marked as writing nothing.
    Unmarked, it ended the dossier detail's read with ROLLBACK, and PostgreSQL planned the request's every statement
    again at each request (3 ms of its CPU; issue 16)."""
    return statement.execution_options(**{_READS_ONLY: True})


def install_read_commit(app: Flask, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return  # sqlite3 keeps its statement cache through a rollback

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.info[_WROTE] = False
        if has_app_context():
            g.setdefault(_BEGUN, []).append(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def on_statement(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() != "SELECT" and not (
                context is not None and context.execution_options.get(_READS_ONLY, False)):
            conn.info[_WROTE] = True

    # Registered after Flask-SQLAlchemy's own teardown, so it runs before that one removes the session.
    @app.teardown_appcontext
    def commit_reads(exc: BaseException | None = None) -> None:
        if exc is not None or not db.session.registry.has():  # failed, or never used the database
            return
        session = db.session()  # this app context's session itself
        if only_read(session):
            commit(session)


def only_read(session) -> bool:
    """Whether ``session`` is in a transaction that has so far only read (on PostgreSQL, where statements are
    watched; never on SQLite) and holds no unflushed change: one that may end with COMMIT, or take a write of its
    own before it (core.accesslog)."""
    if not session.in_transaction() or session.new or session.deleted or session.dirty:
        return False
    connections = _connections()
    return bool(connections) and not any(conn.info.get(_WROTE, True) for conn in connections)


def commit(session) -> None:
    """End ``session``'s transaction with COMMIT, keeping its objects loaded (as after the rollback and close they
    used to get: code that reads them after its app context ended, a CLI command or a test, must not find them
    expired and detached); a connection that broke meanwhile is rolled back as before."""
    session.expire_on_commit = False
    try:
        session.commit()
    except Exception:  # the connection broke: the session's removal rolls back what it can, as before
        session.rollback()


def _connections():
    """The connections of this app context still in the transaction they began here: the session's. One that has
    already ended its own (the access log's when it wrote apart) is closed or out of its transaction by now."""
    if not has_app_context():
        return []
    return [conn for conn in g.get(_BEGUN, ()) if not conn.closed and conn.in_transaction()]
