"""Where each dossier stands with the national portal, read from its outbox rows (the outbox is the only record).

- ``disabled``: sync is off (no connector enabled) and nothing was ever queued for the dossier;
- ``pending``: a message waits (not tried yet, or failed and waiting for its retry), or sync is on and the dossier
  was never queued (created before sync was turned on: the administrator resends it);
- ``failed``: the latest message is dead (refused by the portal, or out of attempts): only a resend helps;
- ``synced``: the latest message was delivered.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import func, select

from core.extensions import db
from core.localtime import VN_TZ, iso
from core.national_portal.connector import CHANNEL, sync_enabled
from core.notifications.models import Outbox

STATES = ("disabled", "pending", "synced", "failed")


def _latest_rows(dossier_ids: list[int]) -> dict[int, Outbox]:
    if not dossier_ids:
        return {}
    latest = (select(func.max(Outbox.id)).where(Outbox.channel == CHANNEL, Outbox.dossier_id.in_(dossier_ids))
              .group_by(Outbox.dossier_id))
    rows = db.session.scalars(select(Outbox).where(Outbox.id.in_(latest)))
    return {row.dossier_id: row for row in rows}


def _last_synced(dossier_ids: list[int]) -> dict[int, datetime]:
    if not dossier_ids:
        return {}
    found = db.session.execute(
        select(Outbox.dossier_id, func.max(Outbox.sent_at))
        .where(Outbox.channel == CHANNEL, Outbox.dossier_id.in_(dossier_ids), Outbox.status == "sent")
        .group_by(Outbox.dossier_id))
    return {dossier_id: sent_at for dossier_id, sent_at in found}


_STATE_OF_STATUS = {"pending": "pending", "dead": "failed", "sent": "synced"}


def state_of_row(row: Outbox | None, enabled: bool) -> str:
    if row is None:
        return "pending" if enabled else "disabled"
    return _STATE_OF_STATUS.get(row.status, "pending")


def sync_states(dossier_ids: list[int]) -> dict[int, dict]:
    """``national_sync`` of several dossiers in two queries."""
    enabled = sync_enabled()
    rows, synced = _latest_rows(dossier_ids), _last_synced(dossier_ids)
    answer = {}
    for dossier_id in dossier_ids:
        row = rows.get(dossier_id)
        answer[dossier_id] = {
            "state": state_of_row(row, enabled),
            "synced_at": iso(synced.get(dossier_id)),
            "attempts": row.attempts if row is not None else 0,
            "last_error": (row.last_error or None) if row is not None and row.status != "sent" else None,
        }
    return answer


def sync_state(dossier) -> dict:
    """The dossier JSON's ``national_sync``: ``{"state", "synced_at", "attempts", "last_error"}``."""
    if dossier.just_created:  # its one message was queued by the reception itself, untried: no need to read it
        return {"state": state_of_row(None, sync_enabled()), "synced_at": None, "attempts": 0, "last_error": None}
    return sync_states([dossier.id])[dossier.id]


@cache
def sync_columns() -> tuple:
    """Columns to add to a query of ``Dossier`` rows so that ``sync_from_row`` answers ``sync_state`` without a
    query of its own (the officer's dossier JSON reads the dossier and these in one statement). Built once."""
    from core.dossiers.models import Dossier

    latest = (select(func.max(Outbox.id)).where(Outbox.dossier_id == Dossier.id, Outbox.channel == CHANNEL)
              .correlate(Dossier).scalar_subquery())

    def of_latest(column, label):
        return select(column).where(Outbox.id == latest).scalar_subquery().label(label)

    return (of_latest(Outbox.status, "sync_status"), of_latest(Outbox.attempts, "sync_attempts"),
            of_latest(Outbox.last_error, "sync_last_error"),
            select(func.max(Outbox.sent_at)).where(Outbox.dossier_id == Dossier.id, Outbox.channel == CHANNEL,
                                                   Outbox.status == "sent")
            .correlate(Dossier).scalar_subquery().label("sync_sent_at"))


def sync_from_row(row) -> dict:
    """``sync_state`` from a row read with ``sync_columns``: the same answer as ``sync_states`` gives."""
    status = row.sync_status
    if status is None:
        return {"state": state_of_row(None, sync_enabled()), "synced_at": iso(row.sync_sent_at), "attempts": 0,
                "last_error": None}
    return {"state": _STATE_OF_STATUS.get(status, "pending"),
            "synced_at": iso(row.sync_sent_at), "attempts": row.sync_attempts,
            "last_error": (row.sync_last_error or None) if status != "sent" else None}


def _bounds(start: date | datetime | None, end: date | datetime | None) -> tuple[datetime | None, datetime | None]:
    def moment(value, next_day: bool):
        if value is None or isinstance(value, datetime):
            return value
        return datetime.combine(value + timedelta(days=1) if next_day else value, time.min, tzinfo=VN_TZ)

    return moment(start, False), moment(end, True)


def sync_state_counts(unit, date_from: date | datetime | None = None, date_to: date | datetime | None = None) -> dict:
    """How many of the dossiers submitted at ``unit`` (a Unit or its id) between ``date_from`` and ``date_to`` (local
    days, both included; or exact moments) are in each state: ``{"total", "disabled", "pending", "synced",
    "failed"}``. For the service-quality index (Decision 766, group 1: status synced to the national portal)."""
    from core.dossiers.models import Dossier

    unit_id = unit if isinstance(unit, int) else unit.id
    start, end = _bounds(date_from, date_to)
    query = select(Dossier.id).where(Dossier.receiving_unit_id == unit_id)
    if start is not None:
        query = query.where(Dossier.submitted_at >= start)
    if end is not None:
        query = query.where(Dossier.submitted_at < end)
    ids = list(db.session.scalars(query))
    counts = dict.fromkeys(STATES, 0)
    enabled = sync_enabled()
    rows = {}
    for chunk in range(0, len(ids), 500):  # keep IN lists short on every database
        rows.update(_latest_rows(ids[chunk:chunk + 500]))
    for dossier_id in ids:
        counts[state_of_row(rows.get(dossier_id), enabled)] += 1
    return {"total": len(ids), **counts}
