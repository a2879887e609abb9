"""One dossier read for the officer's JSON (GET /api/v1/dossiers/<code>) in as few statements as the databases allow.

Read lazily, the JSON cost fifteen statements (issue 16): the dossier, then its history, papers, scans, results,
reused results, payment, national sync state (twice), the assignee and its roles, and the units above the holder
for the deadline calendar, one at a time. Here the dossier row carries its payment, sync state, assignee and
whether it has any scans, results or reused results (scalar subqueries, each served by an index on ``dossier_id``);
the history and the papers follow in one statement each, and the units that held it after a hand-over in one more
(the calendar's own statement reads the settings of the units above); a collection known to be empty is never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm.attributes import set_committed_value

from core.dossiers.holding import HANDOVERS
from core.dossiers.models import Attachment, Dossier, DossierDocument, DossierEvent, DossierResult
from core.dossiers.reused import ReusedResult
from core.extensions import db
from core.national_portal.state import sync_columns, sync_from_row
from core.tenancy.models import Unit
from core.users.models import User


@dataclass(frozen=True)
class DetailFacts:
    """What the dossier JSON needs beyond the dossier's own columns, read with it."""

    payment: dict
    national_sync: dict
    assignee: str | None
    has_attachments: bool
    has_results: bool
    has_reused: bool
    # The units whose calendars count the time each held the dossier: held here because the session keeps only weak
    # references, and ``units_held`` finds them there by id without a query.
    units: tuple = ()


@cache
def _dossier_statement():
    from core.payments.state import summary_columns  # payments sit above the dossier models

    def any_of(model):
        return exists().where(model.dossier_id == Dossier.id).correlate(Dossier)

    return (select(Dossier, Dossier.fee.label("fee"), Dossier.procedure_key.label("procedure_key"), *sync_columns(),
                   *summary_columns(),
                   select(User.username).where(User.id == Dossier.assignee_id).correlate(Dossier)
                   .scalar_subquery().label("assignee_username"),
                   any_of(Attachment).label("has_attachments"), any_of(DossierResult).label("has_results"),
                   any_of(ReusedResult).label("has_reused"))
            .where(Dossier.code == bindparam("code")))


@cache
def _events_statement():
    return select(DossierEvent).where(DossierEvent.dossier_id == bindparam("dossier_id")).order_by(DossierEvent.id)


@cache
def _documents_statement():
    return (select(DossierDocument).where(DossierDocument.dossier_id == bindparam("dossier_id"))
            .order_by(DossierDocument.position))


@cache
def _units_statement():
    return select(Unit).where(Unit.id.in_(bindparam("ids", expanding=True)))


def load_for_json(user, code: str) -> tuple[Dossier, DetailFacts]:
    """The dossier ``code`` with everything its JSON reads already loaded, if ``user`` may see it; otherwise the
    same 404 as ``services.get_for_user`` (never reveal that a code exists elsewhere)."""
    from core.dossiers.services import ServiceError, may_view
    from core.payments.state import summary_from_row

    row = db.session.execute(_dossier_statement(), {"code": code}).first()
    if row is None or not may_view(user, row[0]):
        raise ServiceError(404, "not_found", _("Không tìm thấy hồ sơ."))
    dossier = row[0]
    events = db.session.scalars(_events_statement(), {"dossier_id": dossier.id}).all()
    set_committed_value(dossier, "events", events)
    set_committed_value(dossier, "documents",
                        db.session.scalars(_documents_statement(), {"dossier_id": dossier.id}).all())
    if not row.has_attachments:
        set_committed_value(dossier, "attachments", [])
    return dossier, DetailFacts(payment=summary_from_row(row), national_sync=sync_from_row(row),
                                assignee=row.assignee_username, has_attachments=row.has_attachments,
                                has_results=row.has_results, has_reused=row.has_reused,
                                units=_load_holders(dossier, events))


def _load_holders(dossier: Dossier, events: list[DossierEvent]) -> tuple:
    """Put every unit that held the dossier in the session, in one statement and only if one is missing (the
    competent unit came with the dossier): the time each held it is counted on its calendar (units_held), whose
    statement reads the settings of the units above it that the session does not hold."""
    if dossier.received_at is None:
        return ()
    holders = {dossier.competent_unit_id}
    for event in events:
        if event.action in HANDOVERS:
            holders.update(u for u in (event.from_unit_id, event.to_unit_id) if u is not None)
    identities = db.session.identity_map
    missing = sorted(u for u in holders if identities.get(db.session.identity_key(Unit, u)) is None)
    return tuple(db.session.scalars(_units_statement(), {"ids": missing})) if missing else ()
