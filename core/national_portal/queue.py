"""Queueing the portal's messages in the outbox, in the transaction of the dossier change that causes them."""

from __future__ import annotations

import json

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from core.db_types import utcnow
from core.extensions import db
from core.national_portal.connector import CHANNEL, sync_enabled
from core.national_portal.payload import build_payload
from core.notifications.models import Outbox

KIND = "national_status"
# History actions that change what the portal shows without changing the national status: the deciding agency, and
# the fee's payment (core.payments writes "payment_paid").
OTHER_CHANGES = ("transfer", "unit_merged", "payment_paid")
# Rows queued in the session's transaction, completed just before it commits (see _complete_payloads).
_QUEUED = "national_portal_queued"


def concerns_portal(event) -> bool:
    """A new dossier (no previous state), a change of national status, or a change of the deciding agency."""
    from core.dossiers.models import NATIONAL_STATUS

    if not event.from_status:
        return True
    if event.action in OTHER_CHANGES:
        return True
    return NATIONAL_STATUS.get(event.from_status) != NATIONAL_STATUS.get(event.to_status)


def _queue(dossier, sequence: int, at, kind: str = KIND) -> Outbox:
    payload = build_payload(dossier, sequence, at)
    row = Outbox(dossier_id=dossier.id, unit_id=dossier.competent_unit_id, created_at=at, kind=kind,
                 channel=CHANNEL, recipient=dossier.code, subject=str(payload["national_status"]),
                 body=json.dumps(payload, ensure_ascii=False))
    db.session.add(row)
    db.session.info.setdefault(_QUEUED, []).append((row, dossier))
    return row


# The payload must show the dossier as the change left it, and parts of the change come after the history event:
# an approval's signed results are issued by listeners that run after it (core.results), in the same transaction.
# So the row is written with the event and its payload is completed when the transaction commits; the message's
# identity (message_id, sequence, status and its moment) stays the event's.
KEPT = ("message_id", "sequence", "national_status", "status_at")


@sa_event.listens_for(Session, "before_commit")
def _complete_payloads(session) -> None:
    queued = session.info.pop(_QUEUED, None)
    for row, dossier in queued or []:
        first = json.loads(row.body)
        payload = {**build_payload(dossier, first["sequence"], dossier.updated_at),
                   **{key: first[key] for key in KEPT}}
        row.body = json.dumps(payload, ensure_ascii=False)


@sa_event.listens_for(Session, "after_rollback")
def _forget_payloads(session) -> None:
    session.info.pop(_QUEUED, None)


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
