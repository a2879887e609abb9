"""What the dossier JSON says of its fee (``payment``) and the counts of the service-quality index. Reads only:
this module stays below core.dossiers.serializers, so it imports no page or document module."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache

from sqlalchemy import exists, func, select

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.extensions import db
from core.localtime import iso
from core.payments.models import Payment, Receipt, format_receipt_number
from core.plugins.manager import get_procedure

# The dossier's ``payment.status``:
# not_required: no fee to collect (a procedure without a fee rule, or whose fee is only known later from another
#   authority's notice); exempt: the fee rule gave 0 (an exemption, a birth registered in time);
# unpaid / pending (a payment started, not yet confirmed) / paid.
STATUSES = ("not_required", "unpaid", "pending", "paid", "exempt")


def _free_status(procedure_key: str) -> str:
    procedure = get_procedure(procedure_key)
    return "exempt" if procedure is not None and procedure.fee is not None else "not_required"


def fee_status(dossier: Dossier, payments: list[Payment]) -> str:
    if not dossier.fee or dossier.fee <= 0:
        return _free_status(dossier.procedure_key)
    if any(p.status == "paid" for p in payments):
        return "paid"
    if any(p.status == "pending" for p in payments):
        return "pending"
    return "unpaid"


def payments_of(dossier_id: int) -> list[Payment]:
    return list(db.session.scalars(select(Payment).where(Payment.dossier_id == dossier_id).order_by(Payment.id)))


def payment_summary(dossier_id: int, fee: int, procedure_key: str) -> dict:
    """``{"status", "paid_at", "receipt_number"}`` of a dossier's fee (the first paid payment, if any). A dossier
    without a fee costs no query (public tracking reads its fee with the dossier: core.dossiers.public)."""
    if not fee or fee <= 0:
        return {"status": _free_status(procedure_key), "paid_at": None, "receipt_number": None}
    rows = db.session.execute(
        select(Payment.status, Payment.paid_at, Receipt.year, Receipt.number)
        .outerjoin(Receipt, Receipt.payment_id == Payment.id)
        .where(Payment.dossier_id == dossier_id).order_by(Payment.id)).all()
    paid = next((r for r in rows if r.status == "paid"), None)
    status = "paid" if paid else "pending" if any(r.status == "pending" for r in rows) else "unpaid"
    return {"status": status, "paid_at": iso(paid.paid_at) if paid else None,
            "receipt_number": format_receipt_number(paid.year, paid.number)
            if paid is not None and paid.number is not None else None}


def summary_columns() -> list:
    """Columns to add to a query of ``Dossier`` rows so that ``summary_from_row`` needs no query of its own (public
    tracking reads one query: core.dossiers.public)."""
    return list(summary_columns_core())


@cache
def summary_columns_core() -> tuple:
    """``summary_columns`` built once, of table columns: for statements built once and run as Core (issue 16)."""
    dossier, payment, receipt = Dossier.__table__, Payment.__table__, Receipt.__table__
    first = payment.alias("first_payment")  # its own name: the outer subqueries read payments too
    first_paid = (select(first.c.id).where(first.c.dossier_id == dossier.c.id, first.c.status == "paid")
                  .order_by(first.c.id).limit(1).correlate(dossier).scalar_subquery())
    return (
        select(payment.c.paid_at).where(payment.c.id == first_paid).scalar_subquery().label("payment_paid_at"),
        select(receipt.c.year).where(receipt.c.payment_id == first_paid).scalar_subquery().label("receipt_year"),
        select(receipt.c.number).where(receipt.c.payment_id == first_paid).scalar_subquery().label("receipt_no"),
        exists().where(payment.c.dossier_id == dossier.c.id, payment.c.status == "pending").label("payment_pending"),
    )


def summary_from_row(row) -> dict:
    """``payment_summary`` from a row read with ``summary_columns`` (and ``fee``, ``procedure_key``)."""
    if not row.fee or row.fee <= 0:
        return {"status": _free_status(row.procedure_key), "paid_at": None, "receipt_number": None}
    if row.payment_paid_at is not None:
        number = format_receipt_number(row.receipt_year, row.receipt_no) if row.receipt_no is not None else None
        return {"status": "paid", "paid_at": iso(row.payment_paid_at), "receipt_number": number}
    return {"status": "pending" if row.payment_pending else "unpaid", "paid_at": None, "receipt_number": None}


def payment_json(dossier: Dossier) -> dict:
    """The dossier JSON's ``payment``. A dossier just received has no payment yet: nothing to read back (the
    reception answers in one checkout)."""
    if getattr(dossier, "just_created", False) and dossier.fee and dossier.fee > 0:
        return {"status": "unpaid", "paid_at": None, "receipt_number": None}
    return payment_summary(dossier.id, dossier.fee, dossier.procedure_key)


def _utc_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from, time.min, VN_TZ)
    end = datetime.combine(date_to, time.max, VN_TZ)
    return start, end


def paid_online_by_unit(unit_ids, begins_at: datetime, ends_at: datetime) -> list[tuple[int, int]]:
    """(receiving unit id, dossiers paid online) of the dossiers with a fee received in [begins_at, ends_at)."""
    return [(unit_id, int(n)) for unit_id, n in db.session.execute(
        select(Dossier.receiving_unit_id, func.count(func.distinct(Dossier.id)))
        .join(Payment, Payment.dossier_id == Dossier.id)
        .where(Dossier.receiving_unit_id.in_(sorted(unit_ids)), Dossier.received_at >= begins_at,
               Dossier.received_at < ends_at, Dossier.fee > 0, Payment.status == "paid")
        .group_by(Dossier.receiving_unit_id))]


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
