"""Dossiers and everything that hangs off them. Only core/dossiers/services.py changes these rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import JSONType, UTCDateTime, utcnow
from core.extensions import db

CHANNELS = ("counter", "postal", "online")

# State → national status code (domain.md 2.1).
NATIONAL_STATUS = {
    "submitted": 1,
    "received": 2,
    "refused": 3,
    "in_progress": 4,
    "supplement_requested": 5,
    "awaiting_payment": 6,
    "withdrawal_requested": 7,
    "stopped": 8,
    # Refused after examination with a written answer (LAW-19): processing ends without a result; docs/decisions.md.
    "rejected": 8,
    "result_ready": 9,
    "returned": 10,
}



class Dossier(db.Model):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_receiving_received", "receiving_unit_id", "received_at"),
        Index("ix_dossiers_competent_status_due", "competent_unit_id", "status", "due_at"),
        Index("ix_dossiers_competent_finished", "competent_unit_id", "finished_at"),
        # A unit's dossier list, newest first (core.dossiers.queries.unit_page): those received at the unit, and
        # the few transferred in from another unit.
        Index("ix_dossiers_receiving_submitted", "receiving_unit_id", "submitted_at", "id"),
        Index("ix_dossiers_transferred_in", "competent_unit_id", "submitted_at", "id",
              postgresql_where=text("competent_unit_id <> receiving_unit_id"),
              sqlite_where=text("competent_unit_id <> receiving_unit_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    receiving_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    competent_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedures.key"), index=True)
    procedure_version: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(100), default="")  # the procedure's field, for reports
    form_set: Mapped[str] = mapped_column(String(8), default="2025")
    time_limit_value: Mapped[float] = mapped_column(Float, default=0)
    time_limit_unit: Mapped[str] = mapped_column(String(16), default="working_days")
    time_limit_cutoff: Mapped[str] = mapped_column(String(5), default="")
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), index=True)
    step: Mapped[str] = mapped_column(String(32), default="")  # in_progress sub-step
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_name_folded: Mapped[str] = mapped_column(String(200), index=True)  # lower-case, no diacritics
    applicant_id_number: Mapped[str] = mapped_column(String(12), index=True)
    applicant_phone: Mapped[str] = mapped_column(String(10), index=True)
    applicant_address: Mapped[str] = mapped_column(String(300), default="")
    applicant_email: Mapped[str] = mapped_column(String(200), default="")

    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    supplement_count: Mapped[int] = mapped_column(Integer, default=0)

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # legal due moment (moved only by pauses)
    extended_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # new appointment after an apology
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # result_ready, refused, rejected or stopped
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion: Mapped[str] = mapped_column(String(10), default="")  # early | on_time | late, set at result_ready
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    receiving_unit = relationship("Unit", foreign_keys=[receiving_unit_id], lazy="joined")
    competent_unit = relationship("Unit", foreign_keys=[competent_unit_id], lazy="joined")
    assignee = relationship("User", foreign_keys=[assignee_id])
    events: Mapped[list[DossierEvent]] = relationship(
        back_populates="dossier", order_by="DossierEvent.id", cascade="save-update, merge"
    )
    attachments: Mapped[list[Attachment]] = relationship(back_populates="dossier", order_by="Attachment.id")
    results: Mapped[list[DossierResult]] = relationship(back_populates="dossier", order_by="DossierResult.id")
    documents: Mapped[list[DossierDocument]] = relationship(
        back_populates="dossier", order_by="DossierDocument.position", cascade="save-update, merge")

    # Not stored: True on the object a reception has just written (core.dossiers.services.create_dossier). Parts of
    # the dossier JSON kept in other tables (sync state, payments, results) then know they hold nothing beyond what
    # that transaction wrote, and answer the 201 without reading the database back.
    just_created = False

    # Optimistic locking: every UPDATE checks the version read; services bump it exactly once per action (a plugin's
    # data update in the same action must not count as a second change).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def national_status(self) -> int:
        return NATIONAL_STATUS[self.status]


class DossierEvent(db.Model):
    """Append-only history; the control sheet (Mẫu 05) and the tracking book (Mẫu 06) read it."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(32), default="")
    to_status: Mapped[str] = mapped_column(String(32), default="")
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict] = mapped_column(JSONType, default=dict)

    dossier: Mapped[Dossier] = relationship(back_populates="events")
    actor = relationship("User", foreign_keys=[actor_id])


class DossierDocument(db.Model):
    """One paper of the dossier's checklist as checked at reception: the catalogue's name (as the procedure declared
    it then), whether the procedure requires it, and whether it was handed in. One row per paper, so what the
    paperless work adds to a paper (its digitisation, the attachment scanned from it) becomes columns here."""

    __tablename__ = "dossier_documents"
    __table_args__ = (UniqueConstraint("dossier_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order of the catalogue
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="original")
    count: Mapped[int] = mapped_column(Integer, default=1)  # copies of this paper in one set
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    provided: Mapped[bool] = mapped_column(Boolean, default=False)
    # Its scan (core.dossiers.papers): set when the paper is digitised at the counter or uploaded online.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    dossier: Mapped[Dossier] = relationship(back_populates="documents")

    @property
    def digitized(self) -> bool:
        return self.attachment_id is not None


class DossierCounter(db.Model):
    """The running number of dossier codes per receiving unit per day (domain.md 1.4)."""

    __tablename__ = "dossier_counters"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")


class DossierResult(db.Model):
    """An electronic result: one output document of the procedure, rendered to PDF and digitally signed by the
    deciding unit when the dossier was approved (core.results). The signed file is in the "results" storage under
    ``ab/cd/<sha256>``; ``sha256`` is the signed file's, the proof that this deployment issued it (POST
    /api/v1/verify). A file cannot carry its own hash, so the QR code printed on it carries ``document_sha256``, the
    hash of the same document before it was signed; /xac-thuc/<sha256> answers either."""

    __tablename__ = "dossier_results"
    __table_args__ = (UniqueConstraint("dossier_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the deciding (signing) unit
    key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    document_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    signer: Mapped[str] = mapped_column(String(300))  # the signing certificate's subject, as shown
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when return_result handed it over

    dossier: Mapped[Dossier] = relationship(back_populates="results")


class Rating(db.Model):
    """A citizen's satisfaction rating of a returned dossier (domain.md 3.4)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class CalendarDay(db.Model):
    """An extra day off or a make-up working day, for every unit (unit_id NULL) or one unit."""

    __tablename__ = "calendar_days"
    __table_args__ = (UniqueConstraint("unit_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "off" | "work"
    note: Mapped[str] = mapped_column(String(200), default="")
