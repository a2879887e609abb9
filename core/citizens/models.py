"""One row per identity the provider vouched for: what "Hồ sơ của tôi" and the prefilled forms read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import UTCDateTime, utcnow
from core.extensions import db


class Citizen(db.Model):
    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    id_number: Mapped[str] = mapped_column(String(12), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the session's identity, as for officers: raised by signing out, which ends every session at once
    # (signed-cookie sessions hold no server state to delete).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def session_id(self) -> str:
        return f"{self.id}:{self.session_version or 0}"
