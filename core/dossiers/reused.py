"""Earlier electronic results reused in a dossier instead of a paper (issue 11, item 6; Decree 45/2020 Art. 9:
nobody is asked again for a paper the state already issued electronically)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, utcnow
from core.extensions import db


class ReusedResult(db.Model):
    """One earlier e-result attached to a dossier: which one, for which paper of the checklist, why, by whom."""

    __tablename__ = "reused_results"
    __table_args__ = (UniqueConstraint("dossier_id", "result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("dossier_results.id"), index=True)
    document_name: Mapped[str] = mapped_column(String(500), default="")  # the paper it stands for ("" = none)
    purpose: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    result = relationship("DossierResult", lazy="joined")
    user = relationship("User")
