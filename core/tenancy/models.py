"""Units (tenants) and the plugins each unit enables."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import JSONType, UTCDateTime, utcnow
from core.extensions import db

UNIT_KINDS = ("province", "district", "commune", "office")


class Unit(db.Model):
    """An administrative unit: province > (district >) commune, or an office that handles transferred dossiers."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(16), index=True)  # GSO administrative code
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    agency_code: Mapped[str] = mapped_column(String(40), default="")  # used in dossier codes (domain.md 1.4)
    office_hours: Mapped[str] = mapped_column(String(100), default="")  # "07:30-11:30,13:30-17:00"; "" = default
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    settings: Mapped[dict] = mapped_column(JSONType, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set once the unit is merged into another (the 2025 reform, core.merging.merge): it stays, inactive, for the
    # history, the reports of past periods and its old dossier codes.
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    merged_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children",
                                               foreign_keys=[parent_id])
    successor: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code",
                                                foreign_keys=[parent_id])
    plugins: Mapped[list[UnitPlugin]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitPlugin.plugin"
    )

    def plugin_settings(self, plugin: str) -> dict:
        for p in self.plugins:
            if p.plugin == plugin:
                return dict(p.settings or {})
        return {}

    def __repr__(self) -> str:
        return f"<Unit {self.slug}>"


class UnitPlugin(db.Model):
    """Enablement of one plugin for one unit, with its per-unit settings (a normalized table)."""

    __tablename__ = "unit_plugins"
    __table_args__ = (UniqueConstraint("unit_id", "plugin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    plugin: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    settings: Mapped[dict] = mapped_column(JSONType, default=dict)

    unit: Mapped[Unit] = relationship(back_populates="plugins")


class ChangeLog(db.Model):
    """Who changed which administrative record, when (units, plugins, staff, calendar)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
    seq: Mapped[int] = mapped_column(Integer, default=0)
