"""Online payments of a dossier's fee and their e-receipts. Only core/payments/services.py changes these rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, utcnow
from core.extensions import db

PAYMENT_STATES = ("pending", "paid", "failed")


class Payment(db.Model):
    """One attempt to pay a dossier's fee through a provider. ``amount`` is the dossier's fee when it started."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the receiving unit, which collects
    provider: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transaction_id: Mapped[str] = mapped_column(String(100), default="")
    confirmed_via: Mapped[str] = mapped_column(String(16), default="")  # callback | officer | statement
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    dossier = relationship("Dossier")
    receipt: Mapped[Receipt | None] = relationship(back_populates="payment", uselist=False)


class Receipt(db.Model):
    """An electronic receipt (biên lai điện tử) for a paid fee, numbered per collecting unit and year."""

    __tablename__ = "payment_receipts"
    __table_args__ = (UniqueConstraint("unit_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="receipt")

    @property
    def receipt_number(self) -> str:
        return format_receipt_number(self.year, self.number)


def format_receipt_number(year: int, number: int) -> str:
    return f"{number:07d}/{year}"


class ReceiptCounter(db.Model):
    """The running number of e-receipts per unit per year (as dossier codes: core/dossiers/codes.py)."""

    __tablename__ = "payment_receipt_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
