"""Users, their roles on units, and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, utcnow
from core.extensions import db

ROLES = ("reception", "specialist", "leader", "unit_admin", "district_admin", "auditor")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session's identity: raised by logout, a password change or deactivation, which so ends every
    # session of the user at once (signed-cookie sessions hold no server state to delete; SEC-08).
    credential_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What the session cookie stores: the id and the credential version (see ``core.users.auth``)."""
        return f"{self.id}:{self.credential_version or 0}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Membership(db.Model):
    """A role held by a user on a unit; it covers the unit's descendants too."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="memberships")
    unit = relationship("Unit", lazy="joined")


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
