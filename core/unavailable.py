"""Database outages answer 503 with Retry-After (JSON under /api, a page without the database otherwise).

While the database is unreachable every request fails the same way: one log line each, never a traceback (2,000
tracebacks in 20 s hide everything else, SEC-14). The pool pings connections that sat idle before use (core.dbping)
and SQLAlchemy invalidates a broken connection, so the first request after the database comes back succeeds.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import exc as sa_exc

from core.extensions import db, login_manager

RETRY_AFTER_SECONDS = 30
# Errors that mean "the database cannot be reached now", not "this request is wrong".
UNAVAILABLE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                      sa_exc.DisconnectionError)


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0][:300]


def _forget_session() -> None:
    # The session may hold a dead connection; dropping it returns the connection to the pool, which discards it.
    try:
        db.session.rollback()
    except Exception:  # the rollback itself needs the database: nothing more to undo
        pass
    try:
        db.session.remove()
    except Exception:
        pass


def unavailable_response(exc: BaseException):
    current_app.logger.error("database unavailable: %s %s: %s: %s", request.method, request.path,
                             type(exc).__name__, _first_line(exc))
    _forget_session()
    message = _("Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/") or request.path == "/healthz":
        from core.api.errors import error_response

        response, status = error_response(503, "service_unavailable", message)
        response.headers.update(headers)
        return response, status
    # A standalone template (base.html reads the menus), and Flask-Login's context processor loads current_user
    # eagerly: make this request anonymous so rendering never needs the database again.
    login_manager._update_request_context_with_user(None)
    return render_template("errors/unavailable.html", message=message, retry_after=RETRY_AFTER_SECONDS), 503, headers


def _uploads_available() -> bool:
    from core.storage import storage

    return storage("uploads").available()  # a writable folder, or a reachable bucket


def _ping_database() -> None:
    """The cheapest real check, one round trip: the driver's own ping outside any transaction (no BEGIN, no
    ROLLBACK), skipped when the pool has just pinged this connection (core.dbping)."""
    from core.dbping import PINGED, ping

    connection = db.engine.raw_connection()
    try:
        if not connection.info.get(PINGED):
            ping(db.engine, connection.dbapi_connection)
    except BaseException:
        connection.invalidate()  # a connection that failed its ping is not handed out again
        raise
    finally:
        connection.close()


def health() -> tuple[dict, int]:
    """Each dependency's state; 503 and the failed ones named when any fails."""
    checks = {}
    try:
        _ping_database()
        checks["database"] = "ok"
    except Exception as exc:  # any database failure means "not healthy", never a 500
        current_app.logger.error("healthz: database unavailable: %s: %s", type(exc).__name__, _first_line(exc))
        _forget_session()
        checks["database"] = "unavailable"
    checks["uploads"] = "ok" if _uploads_available() else "unavailable"
    failed = sorted(name for name, state in checks.items() if state != "ok")
    if failed:
        return {"status": "unavailable", "checks": checks, "failed": failed}, 503
    return {"status": "ok", "checks": checks, "failed": []}, 200


def register(app: Flask) -> None:
    for error in UNAVAILABLE_ERRORS:
        app.register_error_handler(error, unavailable_response)
