"""Starting a payment of a dossier's fee, marking it paid exactly once, and its e-receipt.

Every change of a payment is written into the dossier's history (``record_event``) in the same transaction as the
payment row, so the history, the receipt and the payment never disagree. The amount is always the dossier's fee
(``Dossier.fee``, đồng) as computed at reception: nothing a client sends can change it.

Marking paid is a conditional UPDATE (``status = 'pending'``): of two confirmations of the same payment racing each
other (a replayed callback, an officer and a statement import) exactly one changes the row; the other changes
nothing. The receipt's running number comes from a counter row per unit and year incremented in that same
transaction, like dossier codes (core/dossiers/codes.py): unique and gap-free.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.dossiers.services import ServiceError, record_event
from core.extensions import db
from core.notifications.outbox import public_base_url
from core.payments import providers
from core.payments.models import Payment, Receipt, ReceiptCounter
from core.payments.state import fee_status, payments_of
from core.plugins.types import PaymentRequest, PaymentStart, translate

# Dossiers whose processing ended without a result: nothing more is collected for them.
CLOSED_STATES = ("refused", "rejected", "stopped")
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_reference() -> str:
    return "TT" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(18))


@dataclass
class Started:
    payment: Payment
    start: PaymentStart


def _request(payment: Payment, dossier: Dossier, plugin: str) -> PaymentRequest:
    unit = dossier.receiving_unit
    base = public_base_url(from_request=True)
    return PaymentRequest(
        reference=payment.reference, amount=payment.amount, dossier_code=dossier.code,
        description=f"Phi le phi ho so {dossier.code}", unit=unit, unit_settings=unit.plugin_settings(plugin),
        return_url=f"{base}/tra-cuu?code={dossier.code}",
        callback_url=f"{base}/api/v1/payments/{payment.provider}/callback")


def instructions(payment: Payment) -> PaymentStart | None:
    """The QR payload or redirect of a pending payment (providers are stateless: asked again each time)."""
    found = providers.get(payment.provider)
    if found is None or payment.status != "pending":
        return None
    plugin, provider = found
    try:
        return provider.start(_request(payment, payment.dossier, plugin))
    except ValueError:
        return None


def _offered_error(unit) -> ServiceError:
    offered = providers.offered(unit)
    return ServiceError(422, "invalid", _("Hình thức thanh toán không hợp lệ."),
                        {"provider": _("Chọn một trong: %(names)s.", names=", ".join(offered))
                         if offered else _("Đơn vị chưa nhận thanh toán trực tuyến.")})


def start_payment(dossier: Dossier, provider_name, actor=None, now: datetime | None = None) -> Started:
    """A pending payment of the dossier's fee with ``provider_name``; the same pending one when it already exists."""
    now = now or utcnow()
    unit = dossier.receiving_unit
    if not isinstance(provider_name, str) or provider_name not in providers.offered(unit):
        raise _offered_error(unit)
    payments = payments_of(dossier.id)
    status = fee_status(dossier, payments)
    if status in ("not_required", "exempt"):
        raise ServiceError(409, "no_fee", _("Hồ sơ này không phải nộp phí, lệ phí trực tuyến."))
    if status == "paid":
        raise ServiceError(409, "already_paid", _("Phí, lệ phí của hồ sơ này đã được thanh toán."))
    if dossier.status in CLOSED_STATES:
        raise ServiceError(409, "closed", _("Hồ sơ đã dừng giải quyết: không thu phí, lệ phí."))
    plugin, provider = providers.get(provider_name)
    same = next((p for p in payments if p.status == "pending" and p.provider == provider_name
                 and p.amount == dossier.fee), None)
    if same is not None:  # a second click, a reloaded page: the same payment, not a second one
        start = instructions(same)
        if start is not None:
            return Started(same, start)
    payment = Payment(reference=new_reference(), dossier_id=dossier.id, unit_id=unit.id, provider=provider_name,
                      amount=int(dossier.fee), status="pending", created_at=now)
    try:
        start = provider.start(_request(payment, dossier, plugin))
    except ValueError:
        message = _("Hình thức thanh toán này tạm thời chưa dùng được. Vui lòng chọn hình thức khác.")
        raise ServiceError(409, "provider_unavailable", message) from None
    with write_transaction():
        dossier = db.session.merge(dossier)
        db.session.add(payment)
        record_event(dossier, "payment_started", actor, now,
                     payload={"reference": payment.reference, "provider": provider_name, "amount": payment.amount})
    return Started(payment, start)


def next_receipt_number(unit_id: int, year: int) -> int:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(ReceiptCounter).values(unit_id=unit_id, year=year, last_number=0)
                       .on_conflict_do_nothing())
    return db.session.execute(
        update(ReceiptCounter).where(ReceiptCounter.unit_id == unit_id, ReceiptCounter.year == year)
        .values(last_number=ReceiptCounter.last_number + 1).returning(ReceiptCounter.last_number)).scalar_one()


def mark_paid(payment_id: int, via: str, actor=None, transaction_id: str = "", now: datetime | None = None) -> bool:
    """Mark a pending payment paid and issue its receipt; False (nothing changed) when it was not pending."""
    now = now or utcnow()
    with write_transaction():
        changed = db.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.status == "pending")
            .values(status="paid", paid_at=now, transaction_id=(transaction_id or "")[:100], confirmed_via=via,
                    confirmed_by_id=actor.id if actor is not None else None)
            .execution_options(synchronize_session=False)).rowcount
        if changed != 1:
            return False
        payment = db.session.get(Payment, payment_id, populate_existing=True)
        year = now.astimezone(VN_TZ).year
        receipt = Receipt(payment_id=payment.id, unit_id=payment.unit_id, year=year,
                          number=next_receipt_number(payment.unit_id, year), issued_at=now)
        db.session.add(receipt)
        dossier = db.session.get(Dossier, payment.dossier_id)
        record_event(dossier, "payment_paid", actor, now,
                     payload={"reference": payment.reference, "provider": payment.provider, "amount": payment.amount,
                              "receipt_number": receipt.receipt_number, "via": via,
                              "transaction_id": payment.transaction_id})
    return True


def mark_failed(payment_id: int, transaction_id: str = "", now: datetime | None = None) -> bool:
    """A provider's word that a pending payment failed; False (nothing changed) when it was not pending."""
    now = now or utcnow()
    with write_transaction():
        changed = db.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.status == "pending")
            .values(status="failed", transaction_id=(transaction_id or "")[:100])
            .execution_options(synchronize_session=False)).rowcount
        if changed != 1:
            return False
        payment = db.session.get(Payment, payment_id, populate_existing=True)
        dossier = db.session.get(Dossier, payment.dossier_id)
        record_event(dossier, "payment_failed", None, now,
                     payload={"reference": payment.reference, "provider": payment.provider, "amount": payment.amount})
    return True


def by_reference(reference) -> Payment | None:
    if not isinstance(reference, str) or not reference.isascii() or len(reference) > 40:
        return None
    return db.session.scalar(select(Payment).where(Payment.reference == reference.strip().upper()))


def may_confirm(user, dossier: Dossier) -> bool:
    from core.users.permissions import can

    return user is not None and can(user, "dossier.act", dossier.receiving_unit_id)


def confirm_transfer(user, dossier: Dossier, via: str = "officer", transaction_id: str = "",
                     now: datetime | None = None) -> Payment:
    """An officer (or a bank statement) confirms that the fee arrived by transfer: the dossier's pending transfer is
    marked paid, or one is recorded and marked paid when the citizen transferred without starting one here."""
    now = now or utcnow()
    payments = payments_of(dossier.id)
    status = fee_status(dossier, payments)
    if status == "paid":
        raise ServiceError(409, "already_paid", _("Phí, lệ phí của hồ sơ này đã được thanh toán."))
    if status in ("not_required", "exempt"):
        raise ServiceError(409, "no_fee", _("Hồ sơ này không phải nộp phí, lệ phí trực tuyến."))
    pending = next((p for p in reversed(payments) if p.status == "pending" and p.provider == "vietqr"
                    and p.amount == dossier.fee), None)
    if pending is None:
        with write_transaction():
            dossier = db.session.merge(dossier)
            pending = Payment(reference=new_reference(), dossier_id=dossier.id, unit_id=dossier.receiving_unit_id,
                              provider="vietqr", amount=int(dossier.fee), status="pending", created_at=now)
            db.session.add(pending)
            record_event(dossier, "payment_started", user, now,
                         payload={"reference": pending.reference, "provider": "vietqr", "amount": pending.amount})
    if not mark_paid(pending.id, via, user, transaction_id, now):
        raise ServiceError(409, "already_paid", _("Phí, lệ phí của hồ sơ này đã được thanh toán."))
    return db.session.get(Payment, pending.id, populate_existing=True)


def provider_title(name: str) -> str:
    found = providers.get(name)
    return translate(found[1].title) if found else name
