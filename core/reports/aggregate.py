"""Keeps ``report_counts`` in step with the dossier history, in the same transaction.

Four history actions change a period flow, and each happens at most once per dossier: ``receive`` (a new reception,
counted on the Vietnam date of ``received_at`` at the receiving unit, by channel), ``approve`` (a result, counted on
the date of ``finished_at`` at the competent unit as early / on time / late), ``refuse`` and ``withdraw`` (refused,
stopped, counted at the competent unit: the unit handling the dossier when it ends, see ``core.reports.services``).
Refusals and stops of online submissions that were never received are not counted, so that every unit balances
with its transfers: ``received + transferred in = resolved + in progress + refused + stopped + transferred out``.
Transfers themselves are read from the history when a report is built (they are few).

A SQLAlchemy ``after_flush`` listener sees the new history rows of every flush and adds one to the daily and the
monthly bucket with an upsert (``INSERT … ON CONFLICT DO UPDATE``), in a fixed key order so concurrent transactions
cannot deadlock on two buckets. The services write one history row per change, so the counts are exact; rows written
around the services (bulk loads, repairs) are recounted with :func:`rebuild`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import bindparam, delete, event, insert, select, text
from sqlalchemy.orm import Session

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier, DossierEvent

COUNTED_ACTIONS = frozenset({"receive", "approve", "refuse", "withdraw"})
RESOLVED_STATES = ("result_ready", "returned")
COMPLETIONS = ("early", "on_time", "late")

Bucket = tuple[date, int, str, str, str]  # (day, unit id, procedure key, field, column)


def vn_day(moment) -> date:
    return moment.astimezone(VN_TZ).date()


def reception_bucket(d) -> Bucket | None:
    """Where a dossier's reception is counted (None when it was never received)."""
    if d.received_at is None or d.channel not in ("online", "counter", "postal"):
        return None
    return (vn_day(d.received_at), d.receiving_unit_id, d.procedure_key, d.field or "", f"new_{d.channel}")


def outcome_bucket(d) -> Bucket | None:
    """Where a received dossier's end is counted: its result, refusal or stop (None while open)."""
    if d.received_at is None or d.finished_at is None:
        return None
    day = vn_day(d.finished_at)
    if d.status in RESOLVED_STATES and d.completion in COMPLETIONS:
        return (day, d.competent_unit_id, d.procedure_key, d.field or "", d.completion)
    if d.status in ("refused", "rejected"):  # rejected: refused after examination, same column (13)
        # At the unit handling it: the receiving unit, or the unit the dossier was routed to at reception (a
        # dossier is refused before any transfer, so that is its competent unit).
        return (day, d.competent_unit_id, d.procedure_key, d.field or "", "refused")
    if d.status == "stopped":
        return (day, d.competent_unit_id, d.procedure_key, d.field or "", "stopped")
    return None


def buckets_of(d) -> list[Bucket]:
    return [b for b in (reception_bucket(d), outcome_bucket(d)) if b is not None]


def _keyed(buckets: Counter) -> dict[tuple, dict]:
    """Bucket counts → {(grain, day, unit id, procedure key): {"field": …, column: n, …}} for both grains."""
    rows: dict[tuple, dict] = defaultdict(dict)
    for (day, unit_id, key, field, column), n in buckets.items():
        for grain, bucket_day in (("D", day), ("M", day.replace(day=1))):
            row = rows[(grain, bucket_day, unit_id, key)]
            row["field"] = field
            row[column] = row.get(column, 0) + n
    return rows


_STATEMENTS: dict[tuple[str, int], object] = {}
_KEY_COLUMNS = ("grain", "day", "unit_id", "procedure_key", "field")
_ROWS_PER_STATEMENT = 50  # a flush of many buckets (a bulk load) stays far below SQLite's limit of bound values


def _upsert_statement(dialect: str, rows: int):
    """``INSERT … VALUES (…), (…) ON CONFLICT DO UPDATE SET n = n + excluded.n`` for ``rows`` buckets, built once per
    dialect and row count. Written as text: SQLAlchemy does not cache the compilation of a multi-row VALUES
    construct, and the same SQL serves SQLite and PostgreSQL. The database takes the rows in the order listed."""
    if (dialect, rows) not in _STATEMENTS:
        from core.reports.models import FLOW_COLUMNS, ReportCount

        if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - the project runs on these two only
            raise RuntimeError(f"report counts need SQLite or PostgreSQL, not {dialect}")
        table = ReportCount.__table__
        columns = (*_KEY_COLUMNS, *FLOW_COLUMNS)
        values = ", ".join("(" + ", ".join(f":{c}_{i}" for c in columns) + ")" for i in range(rows))
        updates = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in FLOW_COLUMNS)
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {values} "
               f"ON CONFLICT (grain, day, unit_id, procedure_key) DO UPDATE SET {updates}")
        _STATEMENTS[(dialect, rows)] = text(sql).bindparams(
            *(bindparam(f"{c}_{i}", type_=table.c[c].type) for i in range(rows) for c in columns))
    return _STATEMENTS[(dialect, rows)]


def _upsert(connection, rows: dict[tuple, dict]) -> None:
    """Add the counts to their buckets in one statement, rows in key order (concurrent writers lock buckets in the
    same order, so they cannot deadlock)."""
    from core.reports.models import FLOW_COLUMNS

    ordered = sorted(rows, key=lambda k: (k[0], k[1], k[2], k[3]))
    for start in range(0, len(ordered), _ROWS_PER_STATEMENT):
        chunk = ordered[start:start + _ROWS_PER_STATEMENT]
        params = {}
        for i, (grain, day, unit_id, key) in enumerate(chunk):
            values = rows[(grain, day, unit_id, key)]
            params.update({f"grain_{i}": grain, f"day_{i}": day, f"unit_id_{i}": unit_id, f"procedure_key_{i}": key,
                           f"field_{i}": values["field"], **{f"{c}_{i}": values.get(c, 0) for c in FLOW_COLUMNS}})
        connection.execute(_upsert_statement(connection.dialect.name, len(chunk)), params)


def install(scoped_session) -> None:
    """Count history events into the buckets in the flush that writes them, on the application's own sessions
    (``db.session``) only: a listener on SQLAlchemy's global ``Session`` class would also run for every other
    session in the process. Idempotent."""
    if not event.contains(scoped_session, "after_flush", _count_new_history):
        event.listen(scoped_session, "after_flush", _count_new_history)


def _count_new_history(session: Session, _flush_context) -> None:
    buckets: Counter = Counter()
    for obj in session.new:
        if isinstance(obj, DossierEvent) and obj.action in COUNTED_ACTIONS and obj.dossier is not None:
            d = obj.dossier
            bucket = reception_bucket(d) if obj.action == "receive" else outcome_bucket(d)
            if bucket is not None:
                buckets[bucket] += 1
    if buckets:
        _upsert(session.connection(), _keyed(buckets))


def count_all(rows) -> Counter:
    """Bucket counts of dossier-like rows (attributes as on ``Dossier``)."""
    buckets: Counter = Counter()
    for d in rows:
        for bucket in buckets_of(d):
            buckets[bucket] += 1
    return buckets


def rebuild(session, chunk: int = 20000) -> int:
    """Recount every bucket from the dossiers (after a bulk load or a repair); returns the number of rows written."""
    from core.reports.models import FLOW_COLUMNS, ReportCount

    columns = (Dossier.received_at, Dossier.finished_at, Dossier.status, Dossier.completion, Dossier.channel,
               Dossier.receiving_unit_id, Dossier.competent_unit_id, Dossier.procedure_key, Dossier.field)
    result = session.execute(select(*columns).where(Dossier.received_at.isnot(None))
                             .execution_options(yield_per=chunk))
    buckets = count_all(result)
    session.execute(delete(ReportCount))
    rows = []
    # Monthly rows first, then days in order: the rows a report reads together sit together.
    for (grain, day, unit_id, key), values in sorted(_keyed(buckets).items(), key=lambda kv: (kv[0][0] != "M",
                                                                                                kv[0][1:])):
        rows.append({"grain": grain, "day": day, "unit_id": unit_id, "procedure_key": key, "field": values["field"],
                     **{c: values.get(c, 0) for c in FLOW_COLUMNS}})
    for start in range(0, len(rows), chunk):
        session.execute(insert(ReportCount), rows[start:start + chunk])
    return len(rows)
