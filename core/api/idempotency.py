"""Idempotent API writes: an ``Idempotency-Key`` header makes a retried request answer like the first one (SEC-15).

A worker killed after its commit, or a database lost just after it, leaves a client without an answer for a dossier
that exists. With a key, the retry must not write a second one:

* The key's row is written by the same flush, hence in the same transaction, as the dossier's history event. Two
  concurrent requests with one key both reach that insert; the unique (scope, key) constraint lets one commit and
  makes the other fail and roll back all it wrote (PostgreSQL makes it wait for the first; SQLite serialises writers).
* The answer is stored just after the commit. If it never is (killed worker, outage), a retry learns the dossier's
  code from a 409 ``idempotency_in_progress`` instead of creating another.
* Only requests that wrote something keep their key: a refused request (4xx) changed nothing and may be retried with
  the same key and a corrected body.

Keys are scoped per client: an officer's (token or session) user, or, for anonymous submissions, the endpoint. They
are kept ``IDEMPOTENCY_KEY_HOURS`` (24 by default) and then forgotten. The model lives here, not with the dossiers: it
is the API's memory of answers, not part of a dossier.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, current_app, g, has_request_context, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Integer, String, Text, UniqueConstraint, delete, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.api import bp
from core.api.errors import ApiError, error_response
from core.db_types import UTCDateTime, utcnow
from core.extensions import db

HEADER = "Idempotency-Key"
# The rows whose insertion means "this request wrote", each with how to read the dossier code it concerns. The area
# whose writes are idempotent registers them (the dossiers API: history events), so this layer imports no area.
_WRITE_MARKERS: dict[type, Callable[[object], str]] = {}
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII: a UUID, a ULID, a client's own reference


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    dossier_code: Mapped[str] = mapped_column(String(64), default="")
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def _scope() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    endpoint = f"{request.method} {request.path}"
    return "anon:" + hashlib.sha256(endpoint.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _fingerprint() -> str:
    payload = request.get_json(silent=True)
    if payload is None:
        body = request.get_data()
    else:  # the same JSON however it is spaced or ordered
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        body = body.encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode("utf-8", "surrogatepass"))
    digest.update(body)
    return digest.hexdigest()


def _cutoff() -> datetime:
    return utcnow() - timedelta(hours=current_app.config.get("IDEMPOTENCY_KEY_HOURS", 24))


def _find(scope: str, key: str) -> IdempotencyKey | None:
    where = (IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    row = db.session.scalar(select(IdempotencyKey).where(*where))
    if row is not None and row.created_at < _cutoff():
        # Expired: the key is free again; its old row must go before the new write claims it.
        from core.dbutil import write_transaction

        with write_transaction() as session:
            session.execute(delete(IdempotencyKey).where(*where, IdempotencyKey.created_at < _cutoff()))
        return None
    return row


def _answer_for(row: IdempotencyKey, fingerprint: str):
    if row.request_hash != fingerprint:
        return error_response(422, "idempotency_key_reused",
                              _("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."),
                              {HEADER: _("Dùng một khóa mới cho mỗi yêu cầu khác nhau.")})
    if row.response_status is None:
        response, status = error_response(
            409, "idempotency_in_progress",
            _("Yêu cầu với khóa này đã được ghi nhận nhưng chưa có kết quả để trả lại. Vui lòng thử lại sau."),
            dossier=row.dossier_code or None)
        response.headers["Retry-After"] = "1"
        return response, status
    replay = Response(row.response_body, status=row.response_status, mimetype="application/json")
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


def claims_with(model: type, code_of: Callable[[object], str]) -> None:
    """Claim a pending key in the flush that inserts a ``model`` row; ``code_of(row)`` is the dossier code kept."""
    _WRITE_MARKERS[model] = code_of


def idempotent(view):
    """Apply the Idempotency-Key contract to a write view (see the module's docstring)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not KEY_RE.match(key):
            raise ApiError(422, "invalid", _("Khóa Idempotency-Key không hợp lệ."),
                           {HEADER: _("Từ 1 đến 255 ký tự ASCII in được, ví dụ một UUID.")})
        scope, fingerprint = _scope(), _fingerprint()
        existing = _find(scope, key)
        if existing is not None:
            return _answer_for(existing, fingerprint)
        g.idempotency = {"scope": scope, "key": key, "hash": fingerprint, "row": None}
        try:
            return view(*args, **kwargs)
        except IntegrityError:
            # The unique key lost a race against a concurrent duplicate: that one's answer is ours.
            db.session.rollback()
            g.idempotency = None
            existing = _find(scope, key)
            if existing is None:
                raise
            return _answer_for(existing, fingerprint)

    return wrapper


@event.listens_for(Session, "before_flush")
def _claim_key_with_the_write(session: Session, _context, _instances) -> None:
    """Insert the key in the flush that writes the dossier's history: both commit, or neither does."""
    if not has_request_context():
        return
    pending = g.get("idempotency")
    if not pending or (pending["row"] is not None and pending["row"] in session):
        return  # none asked, or already claimed (a rolled-back claim left the session: claim again)
    written = next((obj for obj in session.new if type(obj) in _WRITE_MARKERS), None)
    if written is None:
        return
    pending["row"] = IdempotencyKey(scope=pending["scope"], key=pending["key"], request_hash=pending["hash"],
                                    dossier_code=_WRITE_MARKERS[type(written)](written) or "", created_at=utcnow())
    session.add(pending["row"])


@bp.after_request
def _store_answer(response: Response) -> Response:
    pending = g.get("idempotency")
    if not pending or pending["row"] is None or response.status_code >= 500:
        return response  # nothing written, or an outage: a retry learns the dossier from the 409
    from core.dbutil import write_transaction

    try:
        with write_transaction() as session:
            row = session.scalar(select(IdempotencyKey).where(
                IdempotencyKey.scope == pending["scope"], IdempotencyKey.key == pending["key"],
                IdempotencyKey.request_hash == pending["hash"], IdempotencyKey.response_status.is_(None)))
            if row is not None:  # None: the write was rolled back after its flush, nothing to remember
                row.response_status, row.response_body = response.status_code, response.get_data(as_text=True)
                session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < _cutoff()))
    except Exception as exc:  # the write is done; a lost answer only makes a retry answer 409 with the dossier
        current_app.logger.error("idempotency: answer not stored for %s: %s", request.path, type(exc).__name__)
    g.idempotency = None
    return response
