"""Queueing the portal's messages in the outbox, in the transaction of the dossier change that causes them."""

from __future__ import annotations

import json

from core.db_types import utcnow
from core.extensions import db
from core.national_portal.connector import CHANNEL, sync_enabled
from core.national_portal.payload import build_payload
from core.notifications.models import Outbox

KIND = "national_status"
# History actions that change what the portal shows without changing the national status: the deciding agency.
AGENCY_CHANGES = ("transfer", "unit_merged")


def concerns_portal(event) -> bool:
    """A new dossier (no previous state), a change of national status, or a change of the deciding agency."""
    from core.dossiers.models import NATIONAL_STATUS

    if not event.from_status:
        return True
    if event.action in AGENCY_CHANGES:
        return True
    return NATIONAL_STATUS.get(event.from_status) != NATIONAL_STATUS.get(event.to_status)


def _queue(dossier, sequence: int, at, kind: str = KIND) -> Outbox:
    payload = build_payload(dossier, sequence, at)
    row = Outbox(dossier_id=dossier.id, unit_id=dossier.competent_unit_id, created_at=at, kind=kind,
                 channel=CHANNEL, recipient=dossier.code, subject=str(payload["national_status"]),
                 body=json.dumps(payload, ensure_ascii=False))
    db.session.add(row)
    return row


def queue_for_event(dossier, event) -> Outbox | None:
    """Called by the dossier service after each history event (flushed, so it has its id); None when sync is
    disabled or the event changes nothing the portal shows."""
    if not sync_enabled() or not concerns_portal(event):
        return None
    return _queue(dossier, event.id, event.at)


def queue_resend(dossier, now=None) -> Outbox:
    """Queue the dossier's current state again (the administrator's resend); the caller holds the transaction and
    writes the audit row. Its sequence is the dossier's latest history event, so the portal keeps the order."""
    now = now or utcnow()
    latest = max((e.id for e in dossier.events), default=1)
    return _queue(dossier, latest, now, kind="national_resend")
