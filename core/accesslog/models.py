"""One row per officer access to personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import UTCDateTime, utcnow
from core.extensions import db


class AccessLog(db.Model):
    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_unit_at", "unit_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(80), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    action: Mapped[str] = mapped_column(String(40))  # dossier.view, attachment.download, document.print, …
    target: Mapped[str] = mapped_column(String(200), default="")  # dossier code, document, or the query
    address: Mapped[str] = mapped_column(String(64), default="")
