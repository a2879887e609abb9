"""Write the access log after each request that showed personal data to an officer (one hook, no view changes)."""

from __future__ import annotations

from functools import cache

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert, select

from core.db_types import utcnow
from core.extensions import db
from core.read_commit import only_read

# endpoint -> action. Only successful officer requests are logged; public tracking (code + phone) is not an officer
# access, and reports hold counts, not people.
LOGGED = {
    "officer.dossier": "dossier.view",
    "api.get_dossier": "dossier.view",
    "api.list_attachments": "attachment.list",
    "api.download_attachment": "attachment.download",
    "documents.dossier_document": "document.print",
    "documents.tracking_book": "export.tracking_book",
    "documents.tracking_book_pdf": "export.tracking_book",
    "reports.tracking_xlsx": "export.tracking_book",
    "reports.tracking_csv": "export.tracking_book",
    "api.list_dossiers": "dossier.search",
    "results.download": "result.download",
}


_NOT_NOTED = object()


def note_unit(unit_id: int | None) -> None:
    """A logged view that has already read the unit the log names (the dossier's competent unit, or the unit of the
    URL) gives it here, and the log does not read it again (issue 16: one statement less per request)."""
    if has_request_context():
        g.access_log_unit_id = unit_id


def _unit_and_target(endpoint: str) -> tuple[int | None, str]:
    from core.dossiers.models import Dossier
    from core.tenancy.services import get_unit_or_none

    args = request.view_args or {}
    noted = g.get("access_log_unit_id", _NOT_NOTED)
    if "code" in args:
        unit_id = noted if noted is not _NOT_NOTED else db.session.scalar(
            select(Dossier.competent_unit_id).where(Dossier.code == args["code"]))
        target = args["code"]
        if "form" in args:
            target += f" {args['form']}"
        if "key" in args:
            target += f" {args['key']}"
        if "attachment_id" in args:
            target += f" #{args['attachment_id']}"
        return unit_id, target
    target = "&".join(f"{k}={v}" for k, v in request.args.items(multi=True))[:200]
    if noted is not _NOT_NOTED:
        return noted, target
    unit = get_unit_or_none(args.get("unit_slug") or args.get("slug") or "")
    return (unit.id if unit else None), target


def _record(response):
    action = LOGGED.get(request.endpoint or "")
    if action is None or response.status_code != 200 or not current_user.is_authenticated:
        return response
    if action == "dossier.search" and not request.args.get("q"):
        return response  # a plain page of the unit's list is not a lookup of someone
    unit_id, target = _unit_and_target(request.endpoint)
    row = {"at": utcnow(), "user_id": current_user.id, "username": current_user.username, "unit_id": unit_id,
           "action": action, "target": target, "address": (request.remote_addr or "")[:64]}
    try:
        _write(row)
    except Exception:  # the log must not turn a good answer into an error; the failure itself is logged
        current_app.logger.exception("access log write failed")
    return response


@cache
def _insert():
    from core.accesslog.models import AccessLog

    return insert(AccessLog)  # its VALUES are the row's keys; built once, its compiled form is cached


def _write(row: dict) -> None:
    """Commit the row before the answer leaves. A request that has only read (PostgreSQL) takes it into its own
    transaction and ends that with the row's COMMIT: one connection and one round trip fewer than a transaction of
    its own (issue 16); a failed write rolls back only those reads. Any other request's session is left as the view
    left it, and the row goes in a transaction of its own."""
    if db.session.registry.has() and only_read(session := db.session()):
        try:
            session.connection().execute(_insert(), row)
            session.expire_on_commit = False  # the answer's objects stay loaded, as read_commit leaves them
            session.commit()
        except Exception:
            session.rollback()
            raise
        return
    with db.engine.begin() as conn:
        conn.execute(_insert(), row)


def install(app: Flask) -> None:
    app.after_request(_record)
