"""Tables of the civil-status plugin: the register books (sổ hộ tịch) and their running numbers.

Numbers run per unit, per book and per calendar year (Asia/Ho_Chi_Minh): the first birth registered by a commune in
2026 is "Số 1, Quyển KS/2026". The counter row is incremented with one UPDATE inside the approving transaction, so
concurrent approvals are serialised by the row lock (PostgreSQL) or the single writer (SQLite), and a rolled-back
approval gives its number back.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.plugins.api import JSONType, UTCDateTime, db, utcnow


class RegisterCounter(db.Model):
    """The last number given in one book of one unit in one year."""

    __tablename__ = "civil_status_register_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    book: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(db.Model):
    """One line of a civil-status register book, written when a leader approves the dossier.

    ``person_*`` is the subject (the child, the deceased, the bride, the person certified); ``partner_*`` the groom
    of a marriage. ID numbers are kept so later dossiers can check the register (e.g. "currently married").
    """

    __tablename__ = "civil_status_register_entries"
    __table_args__ = (UniqueConstraint("unit_id", "book", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    book: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    registered_on: Mapped[date] = mapped_column(Date)
    person_name: Mapped[str] = mapped_column(String(100), default="")
    person_id_number: Mapped[str] = mapped_column(String(12), default="", index=True)
    partner_name: Mapped[str] = mapped_column(String(100), default="")
    partner_id_number: Mapped[str] = mapped_column(String(12), default="", index=True)
    event_date: Mapped[date | None] = mapped_column(Date)
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
