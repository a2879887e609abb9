"""The dossier page's "earlier e-results" panel: look up the applicant's electronic results (logged, with a
purpose) and attach one instead of a paper (issue 11, item 6). The rules are core.dossiers.reuse's."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.dossiers import reuse, services
from core.dossiers.models import Dossier
from core.dossiers.results import result_url
from core.extensions import db
from core.officer.common import install_template_helpers, load_unit
from core.tenancy.services import descendant_ids
from core.users.permissions import can

bp = Blueprint("reuse", __name__)


def register(app: Flask) -> None:
    install_template_helpers(app)
    app.add_template_global(panel, "reuse_panel")
    app.add_template_filter(result_url, "result_link")
    app.register_blueprint(bp)


def panel(dossier: Dossier) -> dict:
    """What the dossier page shows: the results already reused, and whether this officer may look up more."""
    user = current_user._get_current_object()
    return {"reused": reuse.reused_in(dossier), "may_lookup": reuse.may_attach(user, dossier)}


def _dossier(unit_slug: str, code: str):
    user = current_user._get_current_object()
    unit = load_unit(unit_slug, merged_readable=True)
    if not can(user, "dossier.view", unit):
        abort(403)
    try:
        dossier = services.get_for_user(user, code)
    except services.ServiceError:
        abort(404)
    scope = descendant_ids({unit.id})
    if dossier.receiving_unit_id not in scope and dossier.competent_unit_id not in scope:
        abort(404)
    return user, unit, dossier


@bp.post("/<unit_slug>/dossiers/<code>/ket-qua-da-cap")
@login_required
def earlier_results(unit_slug: str, code: str):
    """``do=lookup`` (with ``purpose``): the applicant's earlier e-results; ``do=attach`` (with ``result``,
    ``document`` and ``purpose``): attach one in place of a paper."""
    user, unit, dossier = _dossier(unit_slug, code)
    purpose = (request.form.get("purpose") or "")[:1000]
    errors: dict[str, str] = {}
    try:
        if request.form.get("do") == "attach":
            reused = reuse.reuse_result(user, dossier, (request.form.get("result") or "")[:64],
                                        (request.form.get("document") or "")[:500], purpose)
            flash(_("Đã đính kèm kết quả điện tử %(title)s thay cho giấy tờ.", title=reused.result.title), "success")
            return redirect(url_for("officer.dossier", unit_slug=unit.slug, code=dossier.code))
        results = reuse.earlier_results(user, dossier, purpose)
    except services.ServiceError as exc:
        db.session.rollback()
        if exc.status in (403, 404) and not exc.fields:
            abort(exc.status)
        errors = dict(exc.fields or {}) or {"form": exc.message}
        dossier = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        results = None
        status = exc.status
    else:
        status = 200
    return render_template("officer/reuse.html", unit=unit, dossier=dossier, results=results, purpose=purpose,
                           errors=errors, reused={r.result.sha256 for r in reuse.reused_in(dossier)}), status
