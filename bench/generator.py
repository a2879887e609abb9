"""A province-sized dataset for the report benchmark, written with bulk inserts (``flask bench seed``).

Units: one province (slug ``bench-tinh``), districts of ten communes (``bench-huyen-01`` …, ``bench-xa-001`` …), and
one land office per district (transfers go there). Dossiers: spread over ``years`` years ending today, over the
procedures of the installed plugins, with the three channels, mostly early or on time, a few late, refused,
stopped, transferred or paused for a supplement; the last weeks partly still in progress and a few old ones stuck
(overdue). Every dossier gets its history rows (submit, receive, assign, transfer, supplement, submit for
approval, approve / refuse / withdraw, return), so the history table is about six times the dossier table.

Time limits are applied with weekdays only (no holidays): the data only has to look like real data, and the
report figures are computed from what is stored, whatever the calendar was.

On PostgreSQL the rows go in with ``COPY`` while the secondary indexes of the two big tables are dropped; they
are built again afterwards, the report counts are recounted (``core.reports.aggregate.rebuild``) and the tables
analysed. On SQLite (small runs, tests) plain multi-row inserts are used.

Bench logins (password ``bench-pass``): ``bench.tinh`` (auditor of the province), ``bench.huyen01`` (district
admin of the first district), ``bench.xa001`` (reception, specialist and leader of the first commune).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bench.names import invented_name
from core.validators import fold  # the app's own folding, so that a full-name search matches bench data

BENCH_PASSWORD = "bench-pass"
PROVINCE = "bench-tinh"
CHUNK = 50_000
OFFSET = timedelta(hours=7)  # Vietnam is UTC+7 all year


def _weekday_after(day: date, n: int) -> date:
    """The day ``n`` weekdays after ``day`` (n >= 0; 0 gives ``day`` itself, moved off a weekend)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


class Units:
    """The unit tree of the bench province (created when missing)."""

    def __init__(self, communes: int) -> None:
        from core.extensions import db
        from core.tenancy.models import Unit, UnitPlugin
        from core.tenancy.services import forget_tree

        plugins = _installed_plugins()
        existing = {u.slug: u for u in db.session.scalars(select(Unit).where(Unit.slug.like("bench-%")))}

        def unit(slug, name, kind, parent, code):
            if slug in existing:
                return existing[slug]
            row = Unit(slug=slug, name=name, kind=kind, parent=parent, code=code, agency_code=f"BENCH.{code}")
            for plugin in plugins if kind in ("commune", "office") else ():
                row.plugins.append(UnitPlugin(plugin=plugin, enabled=True, settings={}))
            db.session.add(row)
            existing[slug] = row
            return row

        province = unit(PROVINCE, "Tỉnh Thử Nghiệm", "province", None, "99")
        self.districts, self.communes, self.offices = [], [], {}
        for d in range((communes + 9) // 10):
            district = unit(f"bench-huyen-{d + 1:02d}", f"Huyện Thử Nghiệm {d + 1}", "district", province,
                            f"9{d + 1:02d}")
            self.districts.append(district)
            self.offices[district.slug] = unit(f"bench-vpdk-{d + 1:02d}", f"Văn phòng đăng ký đất đai {d + 1}",
                                               "office", district, f"V{d + 1:02d}")
            for c in range(d * 10, min(communes, d * 10 + 10)):
                self.communes.append(unit(f"bench-xa-{c + 1:03d}", f"Xã Thử Nghiệm {c + 1}", "commune", district,
                                          f"9{c + 1:04d}"))
        db.session.commit()
        forget_tree()
        self.district_of = {c.id: c.parent_id for c in self.communes}
        self.office_of = {d.id: self.offices[d.slug].id for d in self.districts}


def _installed_plugins() -> list[str]:
    from flask import current_app

    return list(current_app.extensions["motcua"].plugin_names())


def _users(units: Units) -> dict[int, tuple[int, int, int]]:
    """(reception, specialist, leader) user ids per commune and office; the three bench logins."""
    from core.extensions import db
    from core.users.models import Membership, User
    from core.users.security import hash_password

    password = hash_password(BENCH_PASSWORD)
    existing = {u.username: u for u in db.session.scalars(select(User).where(User.username.like("bench.%")))}

    def user(username, full_name, roles):
        if username in existing:
            return existing[username]
        row = User(username=username, full_name=full_name, password_hash=password)
        for role, unit in roles:
            row.memberships.append(Membership(unit_id=unit.id, role=role))
        db.session.add(row)
        existing[username] = row
        return row

    user("bench.tinh", "Kiểm tra tỉnh", [("auditor", units.communes[0].parent.parent)])
    user("bench.huyen01", "Quản trị huyện 1", [("district_admin", units.districts[0])])
    user("bench.xa001", "Cán bộ xã 1", [(r, units.communes[0]) for r in ("reception", "specialist", "leader")])
    staff = {}
    for unit in units.communes + list(units.offices.values()):
        ids = []
        for role, title in (("reception", "Tiếp nhận"), ("specialist", "Chuyên viên"), ("leader", "Lãnh đạo")):
            ids.append(user(f"bench.{unit.slug}.{role}", f"{title} {unit.name}", [(role, unit)]))
        staff[unit.id] = ids
    db.session.commit()
    return {unit_id: tuple(u.id for u in users) for unit_id, users in staff.items()}


def _procedures() -> list[tuple]:
    """(key, field, version, form set, limit value, limit unit, weight) of the registry's procedures."""
    from flask import current_app

    from core.catalog.services import sync_catalog
    from core.extensions import db

    sync_catalog()
    db.session.commit()
    found = []
    for key, procedure in sorted(current_app.extensions["motcua"].procedures.items()):
        version = procedure.current_version
        pt = version.processing_time
        weight = 3 if pt.unit == "same_day" else (1 if pt.value >= 10 else 2)
        found.append((key, procedure.field, version.version, version.form_set, float(pt.value), pt.unit, weight))
    if not found:
        raise RuntimeError("No procedure is installed: enable at least one field plugin.")
    return found


class Writer:
    """Bulk writes: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def write(self, table, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.postgres:  # raw values: naive UTC timestamps, JSON as text
            raw = self.engine.raw_connection()
            try:
                with raw.driver_connection.cursor() as cursor:
                    with cursor.copy(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:
                        for row in rows:
                            copy.write_row(row)
                raw.commit()
            finally:
                raw.close()
        else:  # through the column types: aware datetimes, JSON as objects
            def typed(value):
                if isinstance(value, datetime):
                    return value.replace(tzinfo=UTC)
                return {} if value == "{}" else value

            with self.engine.begin() as conn:
                conn.execute(insert(table), [{c: typed(v) for c, v in zip(columns, row, strict=True)}
                                             for row in rows])


class History:
    """Generates dossiers and their history rows."""

    def __init__(self, units: Units, staff: dict, procedures: list[tuple], rng: random.Random, now: datetime,
                 years: int, first_id: int, first_event_id: int) -> None:
        self.units, self.staff, self.procedures, self.rng = units, staff, procedures, rng
        self.now = now.replace(tzinfo=None)  # naive UTC, as stored
        self.today_local = (self.now + OFFSET).date()
        self.start_local = self.today_local - timedelta(days=365 * years)
        self.span_days = (self.today_local - self.start_local).days
        self.next_id, self.next_event = first_id, first_event_id
        # Plain tuples and cumulative weights: this runs a million times.
        self.communes = [(c.id, c.code, c.name, units.district_of[c.id]) for c in units.communes]
        self.commune_cum = list(accumulate(rng.uniform(0.5, 2.0) for _ in units.communes))
        self.proc_cum = list(accumulate(p[6] for p in procedures))

    def _local_moment(self, day: date, low_minutes: int = 0, high_minutes: int = 540) -> datetime:
        """A working-hours moment on ``day`` (local), as naive UTC."""
        minute = self.rng.randint(low_minutes, high_minutes)  # from 07:30, lunch folded into the afternoon
        local = datetime(day.year, day.month, day.day, 7, 30) + timedelta(minutes=minute + (120 if minute > 240
                                                                                             else 0))
        return local - OFFSET

    def _due(self, received: datetime, value: float, unit: str) -> datetime:
        local = received + OFFSET
        if unit == "same_day":
            day = local.date() if local.hour < 15 else _weekday_after(local.date() + timedelta(days=1), 0)
            return datetime(day.year, day.month, day.day, 17, 0) - OFFSET
        days = max(1, round(value / 8)) if unit == "working_hours" else max(1, int(round(value)))
        due_day = _weekday_after(local.date(), days)
        return datetime(due_day.year, due_day.month, due_day.day, local.hour, local.minute) - OFFSET

    @staticmethod
    def _classify(finished: datetime, due: datetime) -> str:
        if finished > due:
            return "late"
        return "early" if (finished + OFFSET).date() < (due + OFFSET).date() else "on_time"

    def one(self) -> tuple[tuple, list[tuple]]:
        rng = self.rng
        commune_id, commune_code, commune_name, district_id = rng.choices(self.communes,
                                                                          cum_weights=self.commune_cum)[0]
        key, field, version, form_set, value, limit_unit, _w = rng.choices(self.procedures,
                                                                           cum_weights=self.proc_cum)[0]
        day = _weekday_after(self.start_local + timedelta(days=int(self.span_days * rng.random() ** 0.9)), 0)
        if day >= self.today_local:
            day = _weekday_after(self.today_local - timedelta(days=3), 0)
        received = self._local_moment(day)
        if received >= self.now:
            received = self.now - timedelta(hours=rng.randint(2, 60))
        channel = rng.choices(("counter", "online", "postal"), weights=(55, 35, 10))[0]
        submitted = received - timedelta(minutes=rng.randint(20, 900)) if channel == "online" else received
        due = self._due(received, value, limit_unit)
        reception, specialist, leader = self.staff[commune_id]
        competent = commune_id
        dossier_id = self.next_id
        self.next_id += 1
        events = []

        def event(action, at, from_status, to_status, actor, unit_id=None, from_unit=None, to_unit=None):
            events.append((self.next_event, dossier_id, unit_id or competent, at, action, from_status, to_status,
                           from_unit, to_unit, actor, "", "", "{}"))
            self.next_event += 1

        if channel == "online":
            event("submit", submitted, "", "submitted", None)
        event("receive", received, "submitted" if channel == "online" else "", "received", reception)
        status, step, assignee, finished, completion, returned, paused, supplements = ("received", "", None, None,
                                                                                       "", None, None, 0)
        age_days = (self.now - received).days
        roll = rng.random()
        if roll < 0.02:
            finished = received + timedelta(minutes=rng.randint(5, 60))
            status = "refused"
            event("refuse", finished, "received", "refused", reception)
        else:
            moment = received + timedelta(minutes=rng.randint(10, 120))
            handler = (specialist, leader)
            if rng.random() < 0.04:  # transferred to the district's land office
                target = self.units.office_of[district_id]
                event("transfer", moment, "received", "in_progress", specialist, unit_id=target, from_unit=competent,
                      to_unit=target)
                competent = target
                handler = self.staff[target][1:]
                moment += timedelta(hours=rng.randint(1, 20))
            event("assign", moment, "in_progress", "in_progress", handler[0])
            status, step, assignee = "in_progress", "assigned", handler[0]
            if rng.random() < 0.03:  # a supplement pause before the due moment; the clock restarts after it
                pause = moment + (due - moment) * rng.uniform(0.1, 0.6)
                resume = pause + timedelta(days=rng.randint(1, 6))
                event("request_supplement", pause, "in_progress", "supplement_requested", handler[0])
                supplements = 1
                if resume < self.now:
                    event("supplement_received", resume, "supplement_requested", "in_progress", reception)
                    due += resume - pause
                else:
                    status, paused = "supplement_requested", pause
            recent = age_days < 30
            stuck = rng.random() < (0.45 if recent else 0.003)
            if status == "in_progress" and not stuck:
                outcome = rng.choices(("early", "on_time", "late", "stopped"), weights=(56, 39, 2.5, 1.5))[0]
                floor = moment + timedelta(minutes=30)
                if outcome == "stopped":
                    finished = floor + timedelta(hours=rng.randint(1, 72))
                elif outcome == "early" and ((due + OFFSET).date() - (floor + OFFSET).date()).days >= 1:
                    finished = floor + ((due + OFFSET).replace(hour=0, minute=0) - OFFSET - floor) * rng.random()
                elif outcome in ("early", "on_time") and floor <= due:
                    start = max(floor, (due + OFFSET).replace(hour=7, minute=30) - OFFSET)
                    finished = start + (due - start) * rng.random() if due > start else due
                else:
                    finished = max(floor, due) + timedelta(hours=rng.randint(2, 120))
                if finished >= self.now:
                    finished = None
                elif outcome == "stopped":
                    status, step = "stopped", ""
                    event("withdraw", finished, "in_progress", "stopped", reception)
                else:
                    event("submit_for_approval", finished - timedelta(minutes=rng.randint(5, 90)), "in_progress",
                          "in_progress", handler[0])
                    event("approve", finished, "in_progress", "result_ready", handler[1])
                    status, step, completion = "result_ready", "", self._classify(finished, due)
                    back = finished + timedelta(hours=rng.randint(1, 60))
                    if back < self.now and rng.random() < 0.93:
                        event("return_result", back, "result_ready", "returned", reception)
                        status, returned = "returned", back
        code = f"BENCH.{commune_code}-{(received + OFFSET):%y%m%d}-{dossier_id:07d}"
        name = invented_name(rng)
        row = (dossier_id, code, commune_id, competent, key, version, field, form_set, value, limit_unit,
               "15:00" if limit_unit == "same_day" else "", channel, status, step, assignee, name,
               fold(name), f"{dossier_id:012d}", f"09{dossier_id % 100000000:08d}",
               commune_name, "", "{}", 0, supplements, submitted, received, due, None, paused, finished, returned,
               completion, reception, submitted, events[-1][3], 1)
        return row, events


DOSSIER_COLUMNS = ["id", "code", "receiving_unit_id", "competent_unit_id", "procedure_key", "procedure_version",
                   "field", "form_set", "time_limit_value", "time_limit_unit", "time_limit_cutoff", "channel",
                   "status", "step", "assignee_id", "applicant_name", "applicant_name_folded", "applicant_id_number",
                   "applicant_phone", "applicant_address", "applicant_email", "data", "fee", "supplement_count",
                   "submitted_at", "received_at", "due_at", "extended_due_at", "paused_at", "finished_at",
                   "returned_at", "completion", "received_by_id", "created_at", "updated_at", "version"]
EVENT_COLUMNS = ["id", "dossier_id", "unit_id", "at", "action", "from_status", "to_status", "from_unit_id",
                 "to_unit_id", "actor_id", "actor_name", "note", "payload"]


def _secondary_indexes(tables):
    return [index for table in tables for index in table.indexes]


# Revisions that add what the models do not declare (the trigram indexes of name search): create_all() leaves them
# out, and a bench database without them measures a schema no deployment has (the district search scanned the table).
HAND_WRITTEN = ("core_0014",)


def _hand_written_indexes(engine) -> None:
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    folder = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    for revision in HAND_WRITTEN:
        path = next(folder.glob(f"{revision}_*.py"))
        spec = importlib.util.spec_from_file_location(f"bench_{revision}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
            module.upgrade()  # idempotent: CREATE … IF NOT EXISTS; nothing on SQLite


def seed(dossiers: int, communes: int, years: int = 4, random_seed: int = 2026,
         echo: Callable[[str], None] = print) -> dict:
    """Write the bench province and ``dossiers`` dossiers with their history; returns counts and timings."""
    from core.db_types import utcnow
    from core.dossiers.models import Dossier, DossierEvent
    from core.extensions import db
    from core.reports.aggregate import rebuild

    started = time.perf_counter()
    db.create_all()
    _hand_written_indexes(db.engine)
    units = Units(communes)
    staff = _users(units)
    procedures = _procedures()
    engine = db.engine
    writer = Writer(engine)
    first_id = (db.session.scalar(select(func.max(Dossier.id))) or 0) + 1
    first_event = (db.session.scalar(select(func.max(DossierEvent.id))) or 0) + 1
    db.session.commit()
    history = History(units, staff, procedures, random.Random(random_seed), utcnow(), years, first_id, first_event)
    tables = [Dossier.__table__, DossierEvent.__table__]
    indexes = _secondary_indexes(tables) if writer.postgres else []
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn, checkfirst=True)
    written_events = 0
    for start in range(0, dossiers, CHUNK):
        rows, events = [], []
        for _ in range(min(CHUNK, dossiers - start)):
            row, history_rows = history.one()
            rows.append(row)
            events.extend(history_rows)
        writer.write(Dossier.__table__, DOSSIER_COLUMNS, rows)
        writer.write(DossierEvent.__table__, EVENT_COLUMNS, events)
        written_events += len(events)
        echo(f"  {start + len(rows):>9,} dossiers, {written_events:>10,} history rows "
             f"({time.perf_counter() - started:.0f} s)")
    loaded = time.perf_counter()
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn, checkfirst=True)
        if writer.postgres:
            for table, column in (("dossiers", "id"), ("dossier_events", "id")):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                                  f"(SELECT MAX({column}) FROM {table}))"))
    indexed = time.perf_counter()
    db.session.commit()  # end the read transaction the generator's unit lookups left open (SQLite)
    buckets = rebuild(db.session)
    db.session.commit()
    counted = time.perf_counter()
    if writer.postgres:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE dossiers, dossier_events, report_counts, units"))
    done = time.perf_counter()
    return {"dossiers": dossiers, "history_rows": written_events, "communes": len(units.communes),
            "load_s": round(loaded - started, 1), "index_s": round(indexed - loaded, 1),
            "counts_s": round(counted - indexed, 1), "report_count_rows": buckets,
            "analyze_s": round(done - counted, 1), "total_s": round(done - started, 1)}
