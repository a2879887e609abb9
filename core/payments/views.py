"""Payment pages: the payment block of the citizen's tracking page and of the officer's dossier page, the officer's
confirmation of a transfer, and the bank statement import. Changes go through core.payments.services only."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.dossiers import services as dossier_services
from core.dossiers.models import Dossier
from core.dossiers.services import ServiceError
from core.extensions import db
from core.payments import providers, services
from core.payments.state import payment_json, payments_of
from core.payments.statement import StatementError, import_statement
from core.plugins.types import translate
from core.tenancy.services import get_unit_or_none
from core.users.permissions import can

bp = Blueprint("payments", __name__)
STATEMENT_MAX_BYTES = 5 * 1024 * 1024


def register(app: Flask) -> None:
    app.add_template_global(payment_panel, "payment_panel")
    app.add_template_global(may_confirm_payment, "may_confirm_payment")
    app.register_blueprint(bp)


def may_confirm_payment(dossier: Dossier) -> bool:
    return current_user.is_authenticated and services.may_confirm(current_user._get_current_object(), dossier)


def payment_panel(subject) -> dict:
    """What a page shows of a dossier's fee: its status, the providers offered, the pending payment's QR code or
    link, and the receipt of a paid one. ``subject`` is the dossier, or the public tracking answer (whose ``payment``
    is already read: an unpaid fee with no provider installed costs no query)."""
    from core.documents.render import qr_svg

    if isinstance(subject, dict):
        summary, dossier = subject["payment"], None
    else:
        summary, dossier = payment_json(subject), subject
    panel = {"status": summary["status"], "amount": subject["fee"] if dossier is None else dossier.fee,
             "offered": [], "pending": None, "paid": None, "receipt_url": None}
    if summary["status"] not in ("unpaid", "pending", "paid") or (
            summary["status"] == "unpaid" and not providers.registered()):
        return panel
    if dossier is None:
        dossier = db.session.scalar(db.select(Dossier).where(Dossier.code == subject["code"]))
    payments = payments_of(dossier.id)
    paid = next((p for p in payments if p.status == "paid"), None)
    pending = next((p for p in reversed(payments) if p.status == "pending"), None)
    if paid is not None:
        panel.update(paid=paid, receipt_url=url_for("api.get_receipt", reference=paid.reference))
        return panel
    start = services.instructions(pending) if pending is not None else None
    if start is not None:
        account = dossier.receiving_unit.plugin_settings("vietqr") if start.qr_payload else {}
        panel["pending"] = {"reference": pending.reference, "provider": pending.provider,
                            "qr": qr_svg(start.qr_payload) if start.qr_payload else None,
                            "qr_payload": start.qr_payload, "redirect_url": start.redirect_url, "account": account}
    if dossier.status not in services.CLOSED_STATES:
        panel["offered"] = [(name, translate(providers.get(name)[1].title))
                            for name in providers.offered(dossier.receiving_unit)]
    return panel


# --- officers ---------------------------------------------------------------------------------------------------------


def _officer_dossier(unit_slug: str, code: str) -> Dossier:
    unit = get_unit_or_none(unit_slug)
    if unit is None:
        abort(404)
    try:
        dossier = dossier_services.get_for_user(current_user._get_current_object(), code)
    except ServiceError:
        abort(404)
    if unit.id not in (dossier.receiving_unit_id, dossier.competent_unit_id):
        abort(404)
    return dossier


@bp.post("/<unit_slug>/dossiers/<code>/payment/confirm")
@login_required
def confirm_transfer(unit_slug: str, code: str):
    """The officer saw the transfer arrive on the unit's account: the fee is paid and its receipt issued."""
    dossier = _officer_dossier(unit_slug, code)
    user = current_user._get_current_object()
    if not services.may_confirm(user, dossier):
        abort(403)
    if request.form.get("confirm") != "y":
        flash(_("Đánh dấu ô xác nhận đã nhận đủ tiền chuyển khoản trước khi xác nhận."), "error")
        return redirect(url_for("officer.dossier", unit_slug=unit_slug, code=dossier.code))
    transaction = (request.form.get("transaction_id") or "").strip()[:100]
    try:
        payment = services.confirm_transfer(user, dossier, transaction_id=transaction)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("officer.dossier", unit_slug=unit_slug, code=dossier.code))
    flash(_("Đã xác nhận thanh toán; biên lai số %(number)s.", number=payment.receipt.receipt_number), "success")
    return redirect(url_for("officer.dossier", unit_slug=unit_slug, code=dossier.code))


@bp.route("/<unit_slug>/payments/statement", methods=["GET", "POST"])
@login_required
def statement(unit_slug: str):
    """Import the unit's bank statement (CSV or XLSX) to confirm VietQR transfers."""
    unit = get_unit_or_none(unit_slug)
    user = current_user._get_current_object()
    if unit is None or not unit.active:
        abort(404)
    if not can(user, "dossier.act", unit):
        abort(403)
    outcome, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        content = upload.read(STATEMENT_MAX_BYTES + 1) if upload else b""
        name = (upload.filename or "") if upload else ""
        if not content:
            error, status = _("Chọn tệp sao kê (CSV hoặc XLSX)."), 422
        elif len(content) > STATEMENT_MAX_BYTES:
            error, status = _("Tệp sao kê quá lớn (tối đa 5 MB)."), 422
        elif not name.lower().endswith((".csv", ".xlsx")):
            error, status = _("Chỉ nhận tệp CSV hoặc XLSX."), 422
        else:
            try:
                outcome = import_statement(user, unit, name, content)
            except StatementError as exc:
                error, status = str(exc), 422
    return render_template("payments/statement.html", unit=unit, outcome=outcome, error=error), status
