"""Pinging pooled connections only when they have sat idle (issue 16).

``pool_pre_ping`` costs a round trip before every request, a third of the cheapest requests' time through HTTP.
A connection handed back a moment ago is as alive as a ping would show; one that sat idle may have lost its server
(a restart, a network cut): only that one is pinged, and a failed ping makes the pool open a fresh connection, so
the first request after an outage still succeeds (SEC-14). A connection that dies while in use answers 503 once and
SQLAlchemy then invalidates the whole pool (core.unavailable).
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

PINGED = "motcua_pinged"  # set on a connection record's info while the checkout that pinged it lasts
_IDLE_SINCE = "motcua_idle_since"
_LIBPQ_PING = "motcua_libpq_ping"  # set on a dialect whose do_ping is _libpq_ping


def ping(engine: Engine, dbapi_connection) -> None:
    """One round trip outside any transaction: a driver that would open one for the SELECT (psycopg) is switched to
    autocommit for it, so no BEGIN goes before and no ROLLBACK after (SQLite's connections already are). psycopg's
    connections are pinged below the driver (``install_libpq_ping``), where no transaction is opened."""
    if getattr(engine.dialect, _LIBPQ_PING, False):
        engine.dialect.do_ping(dbapi_connection)
        return
    autocommit = getattr(dbapi_connection, "autocommit", None)
    if autocommit is False:
        dbapi_connection.autocommit = True
    try:
        engine.dialect.do_ping(dbapi_connection)
    finally:
        if autocommit is False and not getattr(dbapi_connection, "closed", False):
            dbapi_connection.autocommit = False


def _libpq_ping(dbapi_connection) -> bool:
    """An empty query through libpq itself: the server answers it without parsing or planning anything, and the
    driver's Python layers (cursor, autocommit switch, transaction bookkeeping) are skipped — a fifth of the CPU of
    the driver's own ``SELECT 1`` ping (issue 16). The empty query is the liveness check psycopg's own pool sends
    (psycopg/psycopg#791; Tom Lane's advice, quoted in sqlalchemy/sqlalchemy#8491). An idle connection stays idle:
    a simple query outside a transaction block opens none, so no BEGIN and no ROLLBACK."""
    from psycopg import OperationalError, pq

    result = dbapi_connection.pgconn.exec_(b"")
    if result.status != pq.ExecStatus.EMPTY_QUERY:
        message = result.error_message or dbapi_connection.pgconn.error_message
        raise OperationalError(message.decode("utf-8", "replace").strip() or f"ping answered {result.status.name}")
    return True


def install_libpq_ping(engine: Engine) -> None:
    """psycopg (3) connections are pinged with ``_libpq_ping``: by ``ping`` here and by ``pool_pre_ping``."""
    if engine.dialect.driver == "psycopg":
        engine.dialect.do_ping = _libpq_ping
        setattr(engine.dialect, _LIBPQ_PING, True)


def install_idle_ping(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine.pool, "checkin")
    def on_checkin(dbapi_connection, record):
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def on_checkout(dbapi_connection, record, proxy):
        idle_since = record.info.pop(_IDLE_SINCE, None)  # none: a connection opened just now
        record.info[PINGED] = idle_since is not None and time.monotonic() - idle_since >= idle_seconds
        if record.info[PINGED]:
            try:
                ping(engine, dbapi_connection)
            except Exception as exc:  # the server went away while it idled: the pool opens a fresh connection
                raise DisconnectionError(f"idle connection lost: {exc}") from exc
