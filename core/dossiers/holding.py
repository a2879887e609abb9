"""How long each unit held a dossier: from its reception (or the hand-over that brought it) to the hand-over that
took it away, its end, or now; in working minutes of that unit's calendar. Read from the append-only history, so
a handed-over dossier (liên thông, filing anywhere, a merge) shows one span per unit in order."""

from __future__ import annotations

from datetime import datetime

from core.db_types import utcnow
from core.dossiers.calendar import calendar_for
from core.dossiers.models import Dossier
from core.extensions import db
from core.tenancy.models import Unit

HANDOVERS = ("transfer", "unit_merged")


def units_held(dossier: Dossier, now: datetime | None = None) -> list[dict]:
    """[{"unit": slug, "from": moment, "to": moment or None (still held), "working_minutes": int}, …]."""
    if dossier.received_at is None:
        return []
    moves = [e for e in dossier.events
             if e.action in HANDOVERS and e.from_unit_id is not None and e.to_unit_id is not None]
    holder = moves[0].from_unit_id if moves else dossier.competent_unit_id
    since, spans = dossier.received_at, []
    for event in moves:
        spans.append((holder, since, event.at))
        holder, since = event.to_unit_id, event.at
    spans.append((holder, since, dossier.finished_at))
    end_of_open = now or utcnow()
    rows = []
    for unit_id, start, end in spans:
        unit = db.session.get(Unit, unit_id)
        finish = max(end or end_of_open, start)
        minutes = calendar_for(unit).working_minutes_between(start, finish)
        rows.append({"unit": unit.slug, "from": start, "to": end, "working_minutes": int(round(minutes))})
    return rows
