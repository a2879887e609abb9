"""The database mirror of the procedure catalogue, for reports and foreign keys."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class ProcedureRecord(db.Model):
    __tablename__ = "procedures"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    plugin: Mapped[str] = mapped_column(String(64), index=True)
    national_code: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(100))
    current_version: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False when no installed plugin declares it any more
