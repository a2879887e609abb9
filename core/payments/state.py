"""What the dossier JSON says of its fee (``payment``) and the counts of the service-quality index. Reads only:
this module stays below core.dossiers.serializers, so it imports no page or document module."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.extensions import db
from core.localtime import iso
from core.payments.models import Payment, Receipt
from core.plugins.manager import get_procedure

# The dossier's ``payment.status``:
# not_required: no fee to collect (a procedure without a fee rule, or whose fee is only known later from another
#   authority's notice); exempt: the fee rule gave 0 (an exemption, a birth registered in time);
# unpaid / pending (a payment started, not yet confirmed) / paid.
STATUSES = ("not_required", "unpaid", "pending", "paid", "exempt")


def fee_status(dossier: Dossier, payments: list[Payment]) -> str:
    if not dossier.fee or dossier.fee <= 0:
        procedure = get_procedure(dossier.procedure_key)
        return "exempt" if procedure is not None and procedure.fee is not None else "not_required"
    if any(p.status == "paid" for p in payments):
        return "paid"
    if any(p.status == "pending" for p in payments):
        return "pending"
    return "unpaid"


def payments_of(dossier_id: int) -> list[Payment]:
    return list(db.session.scalars(select(Payment).where(Payment.dossier_id == dossier_id).order_by(Payment.id)))


def payment_json(dossier: Dossier) -> dict:
    """``{"status", "paid_at", "receipt_number"}`` of the dossier's fee (the first paid payment, if any)."""
    payments = payments_of(dossier.id)
    paid = next((p for p in payments if p.status == "paid"), None)
    return {"status": fee_status(dossier, payments), "paid_at": iso(paid.paid_at) if paid else None,
            "receipt_number": paid.receipt.receipt_number if paid is not None and paid.receipt else None}


def _utc_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from, time.min, VN_TZ)
    end = datetime.combine(date_to, time.max, VN_TZ)
    return start, end


def payment_counts(unit, date_from: date, date_to: date) -> dict:
    """Dossiers received at ``unit`` between the two days (Vietnam time, inclusive) that carry a fee
    (``with_fee``), and how many of them were paid online (``paid_online``: a payment confirmed by a provider's
    callback, an officer's check of the transfer or a bank statement)."""
    start, end = _utc_bounds(date_from, date_to)
    received = (Dossier.receiving_unit_id == unit.id, Dossier.received_at >= start, Dossier.received_at <= end,
                Dossier.fee > 0)
    with_fee = db.session.scalar(select(func.count(Dossier.id)).where(*received)) or 0
    paid_online = db.session.scalar(
        select(func.count(func.distinct(Dossier.id))).join(Payment, Payment.dossier_id == Dossier.id)
        .where(*received, Payment.status == "paid")) or 0
    return {"with_fee": with_fee, "paid_online": paid_online}


def receipt_of(payment: Payment) -> Receipt | None:
    return payment.receipt
