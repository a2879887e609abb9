"""Tables of the reports area, and the indexes reports need on the dossier tables.

``ReportCount`` holds the period flows of the standard report (new receptions by channel, results by class,
refusals, stops) per unit, procedure and day (grain "D") and per month (grain "M"). It is kept in step with the
dossier history inside the same transaction by ``core.reports.aggregate`` and can be rebuilt from the dossiers at any
time (``flask reports rebuild``). A report over a year reads about twelve monthly rows per unit and procedure, however
many dossiers there are.

Stocks (carried over, in progress at the end of a period) are read from the dossiers themselves: on PostgreSQL a
GiST index over each dossier's open span ``(received_at, finished_at]`` finds the dossiers open at a moment without
reading the others; two small partial indexes on the history find transfers and pauses.

Two partial indexes on the dossiers still on a desk serve the officers' queues and the overdue lists.

``UnitEvaluation`` is the 9-criteria evaluation of a unit (domain.md 3.4), with its self-score and appraised score.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, case, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import JSONType, UTCDateTime, utcnow
from core.dossiers.models import Dossier, DossierEvent
from core.dossiers.workflow import ON_DESK
from core.extensions import db

FLOW_COLUMNS = ("new_online", "new_counter", "new_postal", "early", "on_time", "late", "refused", "stopped")
PAUSE_ACTIONS = ("request_supplement", "request_payment")
RESUME_ACTIONS = ("supplement_received", "payment_received")
# History rows that hand a dossier from one unit to another: a transfer (liên thông), and the move of an open dossier
# to the successor of a merged unit (core.merging.merge), which reports count the same way.
HANDOVER_ACTIONS = ("transfer", "unit_merged")


class ReportCount(db.Model):
    """Flows of one unit and procedure on one day (grain "D") or in one month (grain "M", day = the 1st)."""

    __tablename__ = "report_counts"
    __table_args__ = (
        UniqueConstraint("grain", "day", "unit_id", "procedure_key", name="uq_report_counts_bucket"),
        # Covering: a report reads its rows from the index alone (PostgreSQL index-only scan).
        Index("ix_report_counts_grain_day_unit", "grain", "day", "unit_id",
              postgresql_include=["procedure_key", "field", "new_online", "new_counter", "new_postal", "early",
                                  "on_time", "late", "refused", "stopped"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(1))
    day: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    procedure_key: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(100), default="")
    new_online: Mapped[int] = mapped_column(Integer, default=0)
    new_counter: Mapped[int] = mapped_column(Integer, default=0)
    new_postal: Mapped[int] = mapped_column(Integer, default=0)
    early: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    stopped: Mapped[int] = mapped_column(Integer, default=0)


class UnitEvaluation(db.Model):
    """The evaluation of a unit's handling of procedures over a period: 9 criteria × 0-2 points (domain.md 3.4)."""

    __tablename__ = "unit_evaluations"
    __table_args__ = (UniqueConstraint("unit_id", "period_start", "period_end", name="uq_unit_evaluations_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    self_scores: Mapped[list] = mapped_column(JSONType, default=list)  # 9 ints 0..2
    self_note: Mapped[str] = mapped_column(Text, default="")
    self_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    self_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appraised_scores: Mapped[list | None] = mapped_column(JSONType, nullable=True)  # None until appraised
    appraisal_note: Mapped[str] = mapped_column(Text, default="")
    appraised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appraised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def self_total(self) -> int:
        return sum(self.self_scores or [])

    @property
    def appraised_total(self) -> int | None:
        return None if self.appraised_scores is None else sum(self.appraised_scores)


def open_span():
    """The span during which a dossier counts as open, ``(received_at, finished_at]`` (unbounded while open).

    A dossier is open at moment T when it was received before T and not finished before T; that is T in
    ``(received_at, finished_at]``, since a period ends at a midnight that belongs to the next day.

    A finish recorded before the reception (never written by the services) gives an empty span rather than an
    error. The same expression is indexed (GiST, PostgreSQL) and queried, so the planner matches them.
    """
    upper = case((Dossier.finished_at < Dossier.received_at, Dossier.received_at), else_=Dossier.finished_at)
    return func.tsrange(Dossier.received_at, upper, literal_column("'(]'"))


Index("ix_dossiers_open_span", open_span(), postgresql_using="gist",
      postgresql_where=Dossier.received_at.isnot(None)).ddl_if(dialect="postgresql")
_handing = DossierEvent.action.in_(HANDOVER_ACTIONS)
Index("ix_dossier_events_transfers", DossierEvent.dossier_id, DossierEvent.at,
      postgresql_where=_handing, sqlite_where=_handing)
_pausing = DossierEvent.action.in_(PAUSE_ACTIONS + RESUME_ACTIONS)
Index("ix_dossier_events_pauses", DossierEvent.dossier_id, DossierEvent.at,
      postgresql_where=_pausing, sqlite_where=_pausing)
Index("ix_dossiers_received_by", Dossier.received_by_id, Dossier.received_at)
# The work queues and the dashboards' overdue lists read only dossiers still on someone's desk: small partial indexes
# keep them independent of the finished ones (the bulk of the table).
_on_desk = Dossier.status.in_(ON_DESK)
Index("ix_dossiers_desk_receiving", Dossier.receiving_unit_id, Dossier.status, Dossier.due_at,
      postgresql_where=_on_desk, sqlite_where=_on_desk)
Index("ix_dossiers_desk_competent", Dossier.competent_unit_id, Dossier.status, Dossier.due_at,
      postgresql_where=_on_desk, sqlite_where=_on_desk)

from core.reports import aggregate  # noqa: E402,F401  (registers the listener that keeps ReportCount in step)
