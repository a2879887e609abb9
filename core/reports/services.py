"""The figures of the standard report (domain.md 3.1), satisfaction (3.4), staff figures and dashboard lists.

Definitions, for a unit U (with every unit below it) and a period [from, to] of Vietnam dates, with
T0 = 00:00 of ``from`` and T1 = 00:00 of the day after ``to`` (the end of ``to``). A received dossier is always
handled by exactly one unit: the unit that received it, from its reception; the unit it is routed to at reception
(a first land registration filed away from the parcel's commune), as a hand-over at the moment of reception; and the
target of each transfer (liên thông) from the transfer's moment. Every figure is counted at the unit that handles the
dossier at that moment, except the new receptions, which are counted where the citizen filed them.

received     carried_over: received before T0, not finished before T0, counted at the unit handling it at T0;
             online / counter / postal: received in [T0, T1) through that channel, at the RECEIVING unit.
             total = carried_over + online + counter + postal (a transfer is not a new reception).
transferred_in / transferred_out
             hand-overs in [T0, T1): each transfer counts once out at the unit it leaves and once in at the unit it
             reaches; a dossier routed at reception counts out at the receiving unit and in at the routed unit.
resolved     early / on_time / late: results approved in [T0, T1), classified when approved against the legal due
             moment (moved only by pauses; an apology's new date does not change it, so apologised dossiers stay
             late). Counted at the unit handling it (the competent unit).
in_progress  received before T1 and not finished before T1, counted at the unit handling it at T1 (transfers after
             T1 are undone through the history). ``overdue`` when its due moment is before T1 and its clock was
             running at T1; a dossier whose clock was paused at T1 (supplement or payment asked before the due
             moment, not yet answered at T1) is ``within_time``: the law stops the clock while the citizen has the
             dossier. A pause asked after the due moment does not save a late dossier.
refused      received dossiers refused in the period, at the counter (status ``refused``) or after examination with
             a written answer (status ``rejected``); ``stopped``: received dossiers stopped after a withdrawal in
             the period; both at the unit handling it. Online submissions refused or withdrawn before reception were
             never received and are not counted.
awaiting_supplement  in progress at T1 and waiting for the citizen's supplement at T1 (part of in_progress).
on_time_rate (early + on_time) / resolved; online_rate: online / new receptions. Fractions, None when undefined.

So every row of a report (a unit, a field, a procedure), and every unit on its own, balances:

    received.total + transferred_in = resolved.total + in_progress.total + refused + stopped + transferred_out

and the figures of a unit are the sum of its children's, every column included (a transfer between two communes of
a district counts out at one and in at the other, so the district's in and out are equal). For units closed under
transfers (a district with its land office) transferred_in = transferred_out, and received = resolved + in progress
+ refused + stopped as before.

Everything is computed from stored timestamps and the append-only history as of T1, never from today's date, so a
period's figures change only when its dossiers change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import and_, bindparam, case, func, literal, literal_column, not_, or_, select, text, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from core.catalog.models import ProcedureRecord
from core.db_types import UTCDateTime
from core.dossiers import workflow
from core.dossiers.calendar import calendar_for
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier, DossierEvent, Rating
from core.extensions import db
from core.reports.models import FLOW_COLUMNS, HANDOVER_ACTIONS, PAUSE_ACTIONS, RESUME_ACTIONS, ReportCount, open_span
from core.reports.periods import Period, local_midnight
from core.tenancy.models import Unit
from core.tenancy.services import descendant_ids
from core.users.models import User

BREAKDOWNS = ("unit", "field", "procedure")
RATING_LEVELS = ("rat_hai_long", "hai_long", "khong_hai_long")


@dataclass
class Figures:
    """The counts of one row of the standard report."""

    carried_over: int = 0
    online: int = 0
    counter: int = 0
    postal: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_time: int = 0
    overdue: int = 0
    refused: int = 0
    stopped: int = 0
    awaiting_supplement: int = 0
    transferred_in: int = 0
    transferred_out: int = 0

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def new(self) -> int:
        return self.online + self.counter + self.postal

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.within_time + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return round((self.early + self.on_time) / self.resolved, 4) if self.resolved else None

    @property
    def online_rate(self) -> float | None:
        return round(self.online / self.new, 4) if self.new else None

    def as_json(self) -> dict:
        """The API shape of issue 6."""
        return {
            "received": {"carried_over": self.carried_over, "online": self.online, "counter": self.counter,
                         "postal": self.postal, "total": self.received},
            "resolved": {"early": self.early, "on_time": self.on_time, "late": self.late, "total": self.resolved},
            "in_progress": {"within_time": self.within_time, "overdue": self.overdue, "total": self.in_progress},
            "refused": self.refused,
            "stopped": self.stopped,
            "awaiting_supplement": self.awaiting_supplement,
            "transferred_in": self.transferred_in,
            "transferred_out": self.transferred_out,
            "on_time_rate": self.on_time_rate,
            "online_rate": self.online_rate,
        }


FIGURE_NAMES = tuple(f.name for f in fields(Figures))
_INDEX = {name: i for i, name in enumerate(FIGURE_NAMES)}
# Columns c1..c8 of a flow row, in FLOW_COLUMNS order, as figure indexes.
_FLOW_INDEX = tuple(_INDEX[n] for n in ("online", "counter", "postal", "early", "on_time", "late", "refused",
                                         "stopped"))


def _moment(name: str):
    return bindparam(name, type_=UTCDateTime())


# --- the three kinds of source rows, read in one statement -----------------------------------------------------------


def open_at(moment):
    """Condition: the dossier was received before ``moment`` and not finished before it (``moment`` is a datetime
    or a bound parameter). On PostgreSQL it is the indexed span expression (GiST)."""
    if not isinstance(moment, BindParameter):
        moment = literal(moment, UTCDateTime())
    if db.engine.dialect.name == "postgresql":
        return and_(Dossier.received_at.isnot(None), open_span().op("@>")(moment))
    return and_(Dossier.received_at.isnot(None), Dossier.received_at < moment,
                or_(Dossier.finished_at.is_(None), Dossier.finished_at >= moment))


def unchanged_since(moment):
    """Condition: nothing happened to the dossier at or after ``moment``, so its columns are its state then.

    The services stamp ``updated_at`` on every change (and the ORM does on any other update), so for these dossiers
    the history lookups below are skipped: most dossiers open at a recent moment are in this case.
    """
    return Dossier.updated_at < moment


def unit_at(moment):
    """The unit handling the dossier at ``moment``: the target of the last transfer before it, else the origin of
    the first transfer after it, else the current competent unit. One lookup in the (small) transfer index."""
    e = aliased(DossierEvent)
    before = e.at < moment
    handler = (select(case((before, e.to_unit_id), else_=e.from_unit_id))
               .where(e.dossier_id == Dossier.id, e.action.in_(HANDOVER_ACTIONS))
               .order_by(case((before, 0), else_=1), case((before, e.at)).desc().nulls_last(), e.at,
                         case((before, -e.id), else_=e.id))
               .limit(1).scalar_subquery())
    return case((unchanged_since(moment), Dossier.competent_unit_id),
                else_=func.coalesce(handler, Dossier.competent_unit_id))


def _pause_pending(moment, actions: tuple[str, ...], before_due: bool):
    """Condition: a pause (one of ``actions``) started before ``moment`` and was not answered before it."""
    p, r = aliased(DossierEvent), aliased(DossierEvent)
    answered = (select(r.id).where(r.dossier_id == p.dossier_id, r.action.in_(RESUME_ACTIONS), r.at > p.at,
                                   r.at < moment).exists())
    # ``p.at >= received_at`` always holds for a pause during processing; it also ties the lookup to the row, so the
    # planner probes the small index per open dossier instead of hashing every pause in the history.
    conditions = [p.dossier_id == Dossier.id, p.action.in_(actions), p.from_status != "submitted", p.at < moment,
                  p.at >= Dossier.received_at, not_(answered)]
    if before_due:
        conditions.append(p.at < Dossier.due_at)
    return select(p.id).where(*conditions).exists()


def overdue_at(moment):
    """Condition (for dossiers open at ``moment``): its clock ran out before ``moment`` and was running then."""
    paused_then = case((unchanged_since(moment), and_(Dossier.paused_at.isnot(None),
                                                      Dossier.paused_at < Dossier.due_at)),
                       else_=_pause_pending(moment, PAUSE_ACTIONS, before_due=True))
    return and_(Dossier.due_at.isnot(None), Dossier.due_at < moment, not_(paused_then))


_STATEMENTS: dict[str, object] = {}


def initial_unit():
    """The unit that handled the dossier first after its reception: the origin of its first transfer, else the
    unit handling it now (it differs from the receiving unit when the dossier was routed at reception)."""
    e = aliased(DossierEvent)
    first = (select(e.from_unit_id).where(e.dossier_id == Dossier.id, e.action.in_(HANDOVER_ACTIONS))
             .order_by(e.at, e.id).limit(1).scalar_subquery())
    return func.coalesce(first, Dossier.competent_unit_id)


def _sources_statement():
    """One statement, four parts (UNION ALL), built once per dialect with bound parameters:

    ``f``  flows from the maintained counts: daily rows of the partial months at the edges, monthly rows of the whole
           months (c1..c8 = FLOW_COLUMNS);
    ``c``  dossiers open at T0 by the unit handling them then (c1 = count);
    ``p``  dossiers open at T1 by the unit handling them then (c1 = count, c2 = overdue, c3 = awaiting supplement);
    ``i``, ``o``  hand-overs in [T0, T1) by the unit reached and by the unit left (c1 = count).
    """
    dialect = db.engine.dialect.name
    if dialect in _STATEMENTS:
        return _STATEMENTS[dialect]
    ids = bindparam("ids", expanding=True)
    zero = literal_column("0")
    rc = ReportCount
    windows = [(rc.grain == "D", rc.day >= bindparam("d1a"), rc.day <= bindparam("d1b")),
               (rc.grain == "D", rc.day >= bindparam("d2a"), rc.day <= bindparam("d2b")),
               (rc.grain == "M", rc.day >= bindparam("ma"), rc.day < bindparam("mb"))]
    # One branch per window, so each reads its own range of the (grain, day, unit) index.
    picked = union_all(*[select(rc.unit_id, rc.procedure_key, rc.field, *[getattr(rc, c) for c in FLOW_COLUMNS])
                         .where(rc.unit_id.in_(ids), *window) for window in windows]).subquery()
    flows = (select(literal_column("'f'").label("kind"), picked.c.unit_id.label("unit_id"),
                    picked.c.procedure_key.label("procedure_key"), func.max(picked.c.field).label("field"),
                    *[func.sum(picked.c[c]).label(f"c{i}") for i, c in enumerate(FLOW_COLUMNS, start=1)])
             .group_by(picked.c.unit_id, picked.c.procedure_key))
    t0, t1 = _moment("t0"), _moment("t1")
    t = aliased(DossierEvent)
    touched = select(t.id).where(t.dossier_id == Dossier.id, t.action.in_(HANDOVER_ACTIONS),
                                 or_(t.from_unit_id.in_(ids), t.to_unit_id.in_(ids))).exists()
    # A dossier handled by a unit of ``ids`` at some moment is handled there now or was transferred from or to it.
    ours = or_(Dossier.competent_unit_id.in_(ids), touched)
    opening = (select(unit_at(t0).label("unit_id"), Dossier.procedure_key, Dossier.field)
               .where(open_at(t0), ours).subquery())
    carried = (select(literal_column("'c'"), opening.c.unit_id, opening.c.procedure_key, opening.c.field,
                      func.count(), *[zero] * 7)
               .group_by(opening.c.unit_id, opening.c.procedure_key, opening.c.field))
    awaiting = case((unchanged_since(t1), Dossier.status == "supplement_requested"),
                    else_=_pause_pending(t1, ("request_supplement",), before_due=False))
    inner = (select(unit_at(t1).label("unit_id"), Dossier.procedure_key, Dossier.field,
                    case((overdue_at(t1), 1), else_=0).label("overdue"), case((awaiting, 1), else_=0)
                    .label("supplement"))
             .where(open_at(t1), ours)
             .subquery())
    # Rows handled at T1 by a unit outside ``ids`` (transferred out since) are dropped by the caller, so the
    # handling unit is computed once per dossier.
    progress = (select(literal_column("'p'"), inner.c.unit_id, inner.c.procedure_key, inner.c.field, func.count(),
                       inner.c.overdue, inner.c.supplement, *[zero] * 5)
                .group_by(inner.c.unit_id, inner.c.procedure_key, inner.c.field, inner.c.overdue,
                          inner.c.supplement))
    e = aliased(DossierEvent)
    transfers = (select(e.from_unit_id.label("from_unit"), e.to_unit_id.label("to_unit"), Dossier.procedure_key,
                        Dossier.field)
                 .join(Dossier, Dossier.id == e.dossier_id)
                 .where(e.action.in_(HANDOVER_ACTIONS), e.at >= t0, e.at < t1,
                        or_(e.from_unit_id.in_(ids), e.to_unit_id.in_(ids))))
    any_transfer = select(t.id).where(t.dossier_id == Dossier.id, t.action.in_(HANDOVER_ACTIONS)).exists()
    routed = (select(Dossier.receiving_unit_id.label("from_unit"), initial_unit().label("to_unit"),
                     Dossier.procedure_key, Dossier.field)
              .where(Dossier.received_at >= t0, Dossier.received_at < t1,
                     or_(Dossier.competent_unit_id != Dossier.receiving_unit_id, any_transfer),
                     or_(Dossier.receiving_unit_id.in_(ids), ours))
              .subquery())
    moves = union_all(transfers, select(routed).where(routed.c.from_unit != routed.c.to_unit)).subquery()
    moved = [(literal_column("'i'"), moves.c.to_unit), (literal_column("'o'"), moves.c.from_unit)]
    handovers = [select(kind, unit, moves.c.procedure_key, moves.c.field, func.count(), *[zero] * 7)
                 .group_by(unit, moves.c.procedure_key, moves.c.field) for kind, unit in moved]
    _STATEMENTS[dialect] = union_all(flows, carried, progress, *handovers)
    return _STATEMENTS[dialect]


def _sources(unit_ids: set[int], period: Period):
    """Rows (unit id, procedure key, field, figure deltas as a 12-list) of the three parts, for ``unit_ids``."""
    days, months = period.split_months()
    never = (date(1, 1, 2), date(1, 1, 1))  # an empty day range
    (d1a, d1b), (d2a, d2b) = (days + [never, never])[:2]
    ma, mb = months or never[::-1]
    params = {"ids": sorted(unit_ids), "d1a": d1a, "d1b": d1b, "d2a": d2a, "d2b": d2b, "ma": ma, "mb": mb,
              "t0": period.begins_at, "t1": period.ends_at}
    width = len(FIGURE_NAMES)
    carried, within, overdue, awaiting = (_INDEX["carried_over"], _INDEX["within_time"], _INDEX["overdue"],
                                          _INDEX["awaiting_supplement"])
    single = {"c": carried, "i": _INDEX["transferred_in"], "o": _INDEX["transferred_out"]}
    if db.engine.dialect.name == "postgresql":
        # The planner's cost estimate of the correlated history lookups triggers JIT compilation, which costs
        # more than the query itself; off for this transaction only.
        db.session.execute(text("SET LOCAL jit = off"))
    for kind, unit_id, key, field, *c in db.session.execute(_sources_statement(), params):
        if unit_id not in unit_ids:
            continue
        delta = [0] * width
        if kind == "f":
            for index, value in zip(_FLOW_INDEX, c, strict=True):
                delta[index] = int(value or 0)
        elif kind in single:
            delta[single[kind]] = int(c[0])
        else:
            delta[overdue if c[1] else within] = int(c[0])
            if c[2]:
                delta[awaiting] = int(c[0])
        yield unit_id, key, field or "", delta


# --- the report ------------------------------------------------------------------------------------------------------


def _children_map(unit: Unit) -> tuple[dict[int, int], list[Unit]]:
    """Every unit below ``unit`` → the child of ``unit`` it belongs to (``unit`` itself maps to itself)."""
    children = sorted(unit.children, key=lambda u: (u.kind != "commune", u.code, u.name))
    owner = {unit.id: unit.id}
    for child in children:
        for uid in descendant_ids({child.id}):
            owner[uid] = child.id
    return owner, children


def _procedure_names(keys) -> dict[str, str]:
    if not keys:
        return {}
    rows = db.session.execute(select(ProcedureRecord.key, ProcedureRecord.name)
                              .where(ProcedureRecord.key.in_(list(keys))))
    return {key: name for key, name in rows}


def figures(unit: Unit, period: Period, by: str | None = None) -> tuple[Figures, list[tuple[str, str, Figures]]]:
    """The totals of ``unit`` over ``period`` and, with ``by``, rows (key, label, Figures) per breakdown key."""
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    ids = descendant_ids({unit.id})
    owner, children = _children_map(unit) if by == "unit" else ({}, [])
    width = len(FIGURE_NAMES)
    total = [0] * width
    rows: dict[str, list[int]] = {}
    for unit_id, key, field, delta in _sources(ids, period):
        for i, value in enumerate(delta):
            total[i] += value
        if by:
            name = str(owner.get(unit_id, unit.id)) if by == "unit" else (field if by == "field" else key)
            row = rows.setdefault(name, [0] * width)
            for i, value in enumerate(delta):
                row[i] += value

    def make(values) -> Figures:
        return Figures(*values) if values is not None else Figures()

    ordered: list[tuple[str, str, Figures]] = []
    if by == "unit":
        for child in children:
            ordered.append((child.slug, child.name, make(rows.pop(str(child.id), None))))
        own = rows.pop(str(unit.id), None)
        if own is not None or not children:
            ordered.insert(0, (unit.slug, unit.name, make(own)))
    elif by == "field":
        ordered = [(k, k or "—", make(rows[k])) for k in sorted(rows)]
    elif by == "procedure":
        names = _procedure_names(rows.keys())
        ordered = sorted(((k, names.get(k, k), make(rows[k])) for k in rows), key=lambda r: (r[1], r[0]))
    return make(total), ordered


def figures_per_unit(unit_ids: set[int], period: Period) -> dict[int, Figures]:
    """The figures of each unit of ``unit_ids`` on its own (without the units below it), from one statement: what
    an index over many units (the service-quality ranking) adds up per unit."""
    width = len(FIGURE_NAMES)
    per: dict[int, list[int]] = {}
    for unit_id, _key, _field, delta in _sources(set(unit_ids), period):
        row = per.setdefault(unit_id, [0] * width)
        for i, value in enumerate(delta):
            row[i] += value
    return {unit_id: Figures(*values) for unit_id, values in per.items()}


def summary(unit: Unit, period: Period, by: str | None = None) -> dict:
    """The API body of ``GET /api/v1/reports/summary``."""
    total, rows = figures(unit, period, by)
    body = {"unit": {"slug": unit.slug, "name": unit.name, "kind": unit.kind},
            "from": period.start.isoformat(), "to": period.end.isoformat(), "by": by}
    body.update(total.as_json())
    body["rows"] = [{"key": key, "label": label, **f.as_json()} for key, label, f in rows]
    return body


def monthly_resolution(unit: Unit, months: list[date]) -> list[dict]:
    """Per month (first days given): resolved early / on time / late and the on-time rate, from the monthly counts."""
    if not months:
        return []
    ids = descendant_ids({unit.id})
    query = (select(ReportCount.day, func.sum(ReportCount.early), func.sum(ReportCount.on_time),
                    func.sum(ReportCount.late))
             .where(ReportCount.grain == "M", ReportCount.day >= min(months), ReportCount.day <= max(months),
                    ReportCount.unit_id.in_(ids))
             .group_by(ReportCount.day))
    found = {day: (int(e or 0), int(o or 0), int(late or 0)) for day, e, o, late in db.session.execute(query)}
    result = []
    for month in months:
        early, on_time, late = found.get(month, (0, 0, 0))
        resolved = early + on_time + late
        result.append({"month": month.isoformat()[:7], "early": early, "on_time": on_time, "late": late,
                       "resolved": resolved,
                       "on_time_rate": round((early + on_time) / resolved, 4) if resolved else None})
    return result


# --- satisfaction ----------------------------------------------------------------------------------------------------


def satisfaction(unit: Unit, period: Period) -> dict:
    """Citizens' ratings of the unit and the units below it in the period: count and share of each level."""
    ids = descendant_ids({unit.id})
    query = (select(Rating.level, func.count()).where(Rating.unit_id.in_(ids), Rating.created_at >= period.begins_at,
                                                      Rating.created_at < period.ends_at)
             .group_by(Rating.level))
    counts = {level: 0 for level in RATING_LEVELS}
    for level, n in db.session.execute(query):
        if level in counts:
            counts[level] += n
    total = sum(counts.values())
    satisfied = counts["rat_hai_long"] + counts["hai_long"]
    return {"total": total,
            "levels": {level: {"count": n, "share": round(n / total, 4) if total else None}
                       for level, n in counts.items()},
            "satisfied_rate": round(satisfied / total, 4) if total else None}


# --- staff -----------------------------------------------------------------------------------------------------------


def staff_figures(unit: Unit, period: Period) -> list[dict]:
    """Per officer over the period: dossiers received at the desk, results handled as the assigned specialist
    (early / on time / late, average handling time in working days from reception to approval), approvals signed."""
    ids = descendant_ids({unit.id})
    begins, ends = period.begins_at, period.ends_at
    people: dict[int, dict] = defaultdict(lambda: {"received": 0, "handled": 0, "early": 0, "on_time": 0, "late": 0,
                                                   "approved": 0, "_days": []})
    received = (select(Dossier.received_by_id, func.count())
                .where(Dossier.receiving_unit_id.in_(ids), Dossier.received_by_id.isnot(None),
                       Dossier.received_at >= begins, Dossier.received_at < ends)
                .group_by(Dossier.received_by_id))
    for user_id, n in db.session.execute(received):
        people[user_id]["received"] += n
    handled = (select(Dossier.assignee_id, Dossier.completion, Dossier.received_at, Dossier.finished_at,
                      Dossier.competent_unit_id)
               .where(Dossier.competent_unit_id.in_(ids), Dossier.assignee_id.isnot(None),
                      Dossier.status.in_(("result_ready", "returned")), Dossier.finished_at >= begins,
                      Dossier.finished_at < ends))
    calendars: dict[int, object] = {}
    for user_id, completion, received_at, finished_at, unit_id in db.session.execute(handled):
        row = people[user_id]
        row["handled"] += 1
        if completion in ("early", "on_time", "late"):
            row[completion] += 1
        if received_at is not None:
            if unit_id not in calendars:
                calendars[unit_id] = calendar_for(db.session.get(Unit, unit_id))
            row["_days"].append(calendars[unit_id].working_days_between(received_at, finished_at))
    approvals = (select(DossierEvent.actor_id, func.count())
                 .join(Dossier, Dossier.id == DossierEvent.dossier_id)
                 .where(DossierEvent.action == "approve", DossierEvent.actor_id.isnot(None),
                        DossierEvent.at >= begins, DossierEvent.at < ends, Dossier.competent_unit_id.in_(ids))
                 .group_by(DossierEvent.actor_id))
    for user_id, n in db.session.execute(approvals):
        people[user_id]["approved"] += n
    if not people:
        return []
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(people))))}
    result = []
    for user_id, row in people.items():
        user = users.get(user_id)
        days = row.pop("_days")
        done = row["early"] + row["on_time"] + row["late"]
        result.append({"username": user.username if user else "", "full_name": user.full_name if user else "",
                       **row, "on_time_rate": round((row["early"] + row["on_time"]) / done, 4) if done else None,
                       "average_working_days": round(sum(days) / len(days), 2) if days else None})
    return sorted(result, key=lambda r: (r["full_name"], r["username"]))


# --- lists for the dashboards ----------------------------------------------------------------------------------------


def overdue_dossiers(unit: Unit, now: datetime, limit: int = 100) -> tuple[list[Dossier], int]:
    """Dossiers handled by the unit (or below) whose clock is running and whose due moment has passed at ``now``,
    oldest due first; and how many there are."""
    ids = descendant_ids({unit.id})
    condition = and_(Dossier.competent_unit_id.in_(ids), Dossier.status.in_(workflow.RUNNING_STATES),
                     Dossier.due_at.isnot(None), Dossier.due_at < now)
    count = db.session.scalar(select(func.count()).select_from(Dossier).where(condition))
    rows = db.session.scalars(select(Dossier).where(condition).order_by(Dossier.due_at, Dossier.id).limit(limit))
    return list(rows), int(count or 0)


FORM_SET_2025_FROM = date(2025, 7, 1)  # Decree 118/2025 and Circular 03/2025 took effect


def form_set_for(end: date) -> str:
    """The official form set of a register whose period ends on ``end`` ("2018" or "2025")."""
    return "2025" if end >= FORM_SET_2025_FROM else "2018"


def tracking_book(unit: Unit, period: Period) -> list[dict]:
    """The rows of the tracking book (Mẫu 06 of TT 01/2018, Mẫu 07 of TT 03/2025): every dossier received by the
    unit (or below) in the period, in order of reception, with its handovers from the history.

    For a desk (a unit without units below it) "STT" is the dossier's rank in the year's volume at that desk, as on
    its receipt; for a district or province it is the line number of the list.
    """
    ids = descendant_ids({unit.id})
    dossiers = list(db.session.scalars(
        select(Dossier).where(Dossier.receiving_unit_id.in_(ids), Dossier.received_at >= period.begins_at,
                              Dossier.received_at < period.ends_at)
        .order_by(Dossier.received_at, Dossier.id)))
    if not dossiers:
        return []
    events: dict[int, list[DossierEvent]] = defaultdict(list)
    by_id = [d.id for d in dossiers]
    for start in range(0, len(by_id), 500):
        for event in db.session.scalars(select(DossierEvent)
                                        .where(DossierEvent.dossier_id.in_(by_id[start:start + 500]))
                                        .order_by(DossierEvent.at, DossierEvent.id)):
            events[event.dossier_id].append(event)
    names = _procedure_names({d.procedure_key for d in dossiers})
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    desk = len(ids) == 1
    volumes: dict[int, int] = {}
    rows = []
    for n, d in enumerate(dossiers, start=1):
        if desk:
            year = d.received_at.astimezone(VN_TZ).year
            if year not in volumes:
                year_start = local_midnight(date(year, 1, 1))
                volumes[year] = db.session.scalar(
                    select(func.count(Dossier.id)).where(Dossier.receiving_unit_id == unit.id,
                                                         Dossier.received_at >= year_start,
                                                         Dossier.received_at < max(year_start, period.begins_at))) or 0
            volumes[year] += 1
            number = volumes[year]
        else:
            number = n
        history = events.get(d.id, [])
        handed = next((e for e in history if e.action in ("assign", "transfer")), None)
        handed_unit = units.get((handed.to_unit_id or handed.unit_id) if handed else None)
        returned = next((e for e in reversed(history) if e.action == "return_result"), None)
        approved = next((e for e in reversed(history) if e.action == "approve"), None)
        notes = []
        if d.status == "refused":
            notes.append("Từ chối tiếp nhận")
        elif d.status == "rejected":
            notes.append("Từ chối giải quyết")
        elif d.status == "stopped":
            notes.append("Dừng giải quyết")
        elif d.status == "supplement_requested":
            notes.append("Chờ bổ sung hồ sơ")
        elif d.status == "withdrawal_requested":
            notes.append("Công dân yêu cầu rút hồ sơ")
        if d.completion == "late":
            notes.append("Trả quá hạn")
        if d.extended_due_at is not None:
            notes.append("Xin lỗi, hẹn lại: " + d.extended_due_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y"))
        rows.append({
            "number": number, "code": d.code, "procedure": names.get(d.procedure_key, d.procedure_key),
            "copies": 1, "applicant": d.applicant_name,
            "contact": ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            "received_at": d.received_at, "due_at": d.due_at, "handed_at": handed.at if handed else None,
            "handed_to": handed_unit.name if handed_unit else "", "result_at": approved.at if approved else None,
            "returned_at": d.returned_at,
            "returned_to": (returned.payload or {}).get("received_by", "") if returned else "",
            "note": "; ".join(notes),
        })
    return rows
