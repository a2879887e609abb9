"""Administration: the dossiers the national portal does not have yet (waiting, retrying, failed, never queued), and
their resend. Registered on the admin blueprint (core.admin.views)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import exists, func, or_, select

from core.admin import services as admin
from core.admin.views import _actor, _render, _scope, bp
from core.dossiers.models import Dossier
from core.extensions import db
from core.national_portal.connector import CHANNEL, sync_enabled
from core.national_portal.state import state_of_row
from core.notifications.models import Outbox

LIMIT = 200


def _in_scope(unit_ids):
    return or_(Dossier.receiving_unit_id.in_(unit_ids), Dossier.competent_unit_id.in_(unit_ids))


def unsynced(unit_ids, enabled: bool) -> list[dict]:
    """Newest first: dossiers whose latest message is not delivered, then (sync on) those never queued."""
    latest = select(func.max(Outbox.id)).where(Outbox.channel == CHANNEL).group_by(Outbox.dossier_id)
    found = db.session.execute(
        select(Outbox, Dossier).join(Dossier, Dossier.id == Outbox.dossier_id)
        .where(Outbox.id.in_(latest), Outbox.status != "sent", _in_scope(unit_ids))
        .order_by(Outbox.id.desc()).limit(LIMIT)).all()
    rows = [{"dossier": dossier, "state": state_of_row(row, enabled), "attempts": row.attempts,
             "last_error": row.last_error, "queued_at": row.created_at} for row, dossier in found]
    if enabled:
        queued = exists().where(Outbox.dossier_id == Dossier.id, Outbox.channel == CHANNEL)
        never = db.session.scalars(select(Dossier).where(~queued, _in_scope(unit_ids))
                                   .order_by(Dossier.id.desc()).limit(LIMIT))
        rows += [{"dossier": dossier, "state": "pending", "attempts": 0, "last_error": "", "queued_at": None}
                 for dossier in never]
    return rows


def _page(scope, status: int = 200, error: str = "", code: str = ""):
    enabled = sync_enabled()
    return _render("admin/national_portal.html", scope, status, rows=unsynced(scope.unit_ids, enabled),
                   enabled=enabled, error=error, code=code)


@bp.get("/cong-dvc-quoc-gia", endpoint="national_portal")
@login_required
def national_portal(unit_slug: str):
    return _page(_scope(unit_slug))


@bp.post("/cong-dvc-quoc-gia/gui-lai", endpoint="national_portal_resend")
@login_required
def national_portal_resend(unit_slug: str):
    """Queue a dossier's current state again: the row's button, or a code typed in (a dossier never queued)."""
    scope = _scope(unit_slug)
    code = (request.form.get("code") or "").strip()[:64]
    if not code:
        return _page(scope, 422, _("Nhập mã hồ sơ cần gửi lại."))
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code, _in_scope(scope.unit_ids)))
    if dossier is None:
        return _page(scope, 404, _("Không tìm thấy hồ sơ %(code)s trong các đơn vị bạn quản lý.", code=code), code)
    if not sync_enabled():
        return _page(scope, 409, _("Chưa bật đồng bộ với Cổng Dịch vụ công quốc gia: không thể gửi lại."), code)
    admin.resend_to_national_portal(_actor(), dossier)
    flash(_("Đã xếp hồ sơ %(code)s vào hàng đợi gửi lại Cổng Dịch vụ công quốc gia.", code=dossier.code), "success")
    return redirect(url_for("admin.national_portal", unit_slug=scope.unit.slug))
