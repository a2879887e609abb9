"""Payment endpoints of the JSON API: start a payment, read it (and its receipt), and the providers' callbacks."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from core.api import bp, json_body
from core.api.errors import ApiError
from core.dossiers import public
from core.dossiers import services as dossier_services
from core.extensions import tracking_limit
from core.localtime import iso
from core.payments import providers, services
from core.payments.models import Payment
from core.plugins.types import CallbackRefused


def _officer_request() -> bool:
    return current_user.is_authenticated


def payment_body(payment: Payment, with_instructions: bool = True) -> dict:
    body = {"reference": payment.reference, "amount": payment.amount, "provider": payment.provider,
            "status": payment.status}
    if with_instructions and payment.status == "pending":
        start = services.instructions(payment)
        if start is not None and start.qr_payload:
            body["qr_payload"] = start.qr_payload
        elif start is not None and start.redirect_url:
            body["redirect_url"] = start.redirect_url
    return body


@bp.post("/dossiers/<code>/payments")
@tracking_limit(exempt_when=_officer_request)
def start_payment(code: str):
    payload = json_body()
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        dossier = dossier_services.get_for_user(user, code)
    else:
        user = None
        phone = payload.get("phone")
        dossier = public.find_by_code_and_phone(code, phone if isinstance(phone, str) else "")
    started = services.start_payment(dossier, payload.get("provider"), actor=user)
    body = {"reference": started.payment.reference, "amount": started.payment.amount,
            "provider": started.payment.provider, "status": started.payment.status}
    if started.start.qr_payload:
        body["qr_payload"] = started.start.qr_payload
    else:
        body["redirect_url"] = started.start.redirect_url
    return jsonify(body), 201


def _payment(reference: str) -> Payment:
    payment = services.by_reference(reference)
    if payment is None:
        raise ApiError(404, "not_found", _("Không tìm thấy giao dịch thanh toán."))
    return payment


@bp.get("/payments/<reference>")
@tracking_limit(exempt_when=_officer_request)
def get_payment(reference: str):
    """The reference is the capability: 18 random symbols given only to who started the payment."""
    payment = _payment(reference)
    receipt = payment.receipt
    body = {**payment_body(payment), "dossier": payment.dossier.code, "created_at": iso(payment.created_at),
            "paid_at": iso(payment.paid_at), "receipt_number": receipt.receipt_number if receipt else None}
    return jsonify(body)


@bp.get("/payments/<reference>/receipt")
@tracking_limit(exempt_when=_officer_request)
def get_receipt(reference: str):
    from core.payments.receipts import receipt_pdf

    payment = _payment(reference)
    if payment.receipt is None:
        raise ApiError(404, "no_receipt", _("Giao dịch chưa được thanh toán: chưa có biên lai."))
    content, filename = receipt_pdf(payment)
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.post("/payments/<provider>/callback")
def payment_callback(provider: str):
    """A provider's signed word on a payment. Forged, altered or replayed callbacks change nothing."""
    found = providers.get(provider)
    if found is None or found[1].verify_callback is None:
        raise ApiError(404, "not_found", _("Không có hình thức thanh toán này."))
    body = request.get_data(cache=False)
    try:
        notice = found[1].verify_callback(dict(request.headers), body)
    except CallbackRefused:
        raise ApiError(403, "invalid_signature", _("Chữ ký của thông báo thanh toán không hợp lệ.")) from None
    payment = services.by_reference(notice.reference)
    if payment is None or payment.provider != provider:
        raise ApiError(404, "not_found", _("Không tìm thấy giao dịch thanh toán."))
    if notice.amount != payment.amount:
        raise ApiError(422, "amount_mismatch", _("Số tiền không khớp với giao dịch thanh toán."))
    if notice.paid:
        services.mark_paid(payment.id, "callback", None, notice.transaction_id)
    else:
        services.mark_failed(payment.id, notice.transaction_id)
    return jsonify(payment_body(_payment(payment.reference), with_instructions=False))
