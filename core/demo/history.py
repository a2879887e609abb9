"""About twelve months of invented dossier history for the Tiên Du demo, made through the dossier services.

Every dossier is created with ``services.create_dossier`` and moved with ``services.perform_action`` under a
controlled clock (``now=``), so its codes, due dates, history rows, outbox rows and the report counts are exactly
what real use would write. Ratings are written as the citizen portal writes them, with the time of the rating.

The mix: the three fields and the three channels, mostly early or on time, a few late (half of them with an apology
letter), a few refused or withdrawn (half of those at the applicant's own request first), supplement pauses, land
dossiers transferred to the land registration office, and the most recent ones still in progress, a few of them
overdue. Procedures come from the plugin registry at run
time: a procedure without a data generator here, or whose generated data its plugin rejects, is skipped.

``seed_history`` does nothing when the demo communes already have dossiers, so ``flask demo seed`` stays
idempotent. The default 2,000 dossiers take about 90 s of CPU time on SQLite (measured on the 2-core build
machine; see ``bench/RESULTS.md``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import event, func, select

from core.db_types import utcnow
from core.dossiers import services
from core.dossiers.calendar import calendar_for
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier, Rating
from core.extensions import db
from core.plugins.manager import get_procedure, is_enabled
from core.tenancy.models import Unit
from core.users.models import User

DISTRICT = "tien-du"
LAND_OFFICE = "vpdkdd-tien-du"
DEFAULT_DOSSIERS = 2000
DAYS = 365
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Bùi", "Đặng", "Dương", "Đinh", "Nguyễn")
MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành")
MIDDLE_F = ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thị")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Tuấn",
           "Việt")
GIVEN_F = ("Anh", "Chi", "Dung", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Phương", "Thảo",
           "Trang", "Yến")
VILLAGES = ("Thôn Đông", "Thôn Đoài", "Thôn Nam", "Thôn Bắc", "Thôn Trung", "Khu phố 1", "Khu phố 2", "Thôn Hạ")

# Procedure key → weight in the mix. Keys missing from the registry are skipped.
WEIGHTS = {
    "civil_status.birth_registration": 20, "civil_status.death_registration": 5,
    "civil_status.marriage_registration": 7, "civil_status.marital_status_certificate": 12,
    "civil_status.extract_copy": 16, "land.first_registration": 5, "land.change_registration": 10,
    "social_welfare.social_pension": 6, "social_welfare.monthly_allowance": 5, "social_welfare.funeral_support": 5,
}
CHANNELS = (("counter", 55), ("online", 35), ("postal", 10))
OUTCOMES = (("early", 52), ("on_time", 40), ("late", 1.5), ("refuse", 2), ("withdraw", 2), ("stall", 0.8))
RATING_LEVELS = (("rat_hai_long", 55), ("hai_long", 40), ("khong_hai_long", 5))


def _pick(rng: random.Random, weighted) -> str:
    items = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    return rng.choices([k for k, _w in items], weights=[w for _k, w in items])[0]


# --- invented people and form data ------------------------------------------------------------------------------------


def _name(rng: random.Random, female: bool | None = None) -> str:
    female = rng.random() < 0.5 if female is None else female
    middle, given = (MIDDLE_F, GIVEN_F) if female else (MIDDLE_M, GIVEN_M)
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def _id_number(rng: random.Random) -> str:
    return "027" + "".join(rng.choice("0123456789") for _ in range(9))  # 027: Bắc Ninh's prefix


def _born(rng: random.Random, on: date, low: int, high: int) -> date:
    return on - timedelta(days=rng.randint(low * 365 + 10, high * 365 - 10))


def _applicant(rng: random.Random, unit: Unit) -> dict:
    return {"full_name": _name(rng), "id_number": _id_number(rng),
            "phone": "09" + "".join(rng.choice("0123456789") for _ in range(8)),
            "address": f"{rng.choice(VILLAGES)}, {unit.name}", "email": ""}


def _birth(rng, on, unit):
    female = rng.random() < 0.5
    return {"child_full_name": _name(rng, female), "child_sex": "female" if female else "male",
            "child_birth_date": (on - timedelta(days=rng.randint(2, 50))).isoformat(),
            "birth_place": rng.choice(("Bệnh viện Đa khoa tỉnh Bắc Ninh", f"Trạm y tế {unit.name}",
                                       "Bệnh viện Sản Nhi Bắc Ninh")),
            "mother_full_name": _name(rng, True), "father_full_name": _name(rng, False),
            "declarant_relationship": "parent"}


def _death(rng, on, unit):
    return {"deceased_full_name": _name(rng), "deceased_birth_date": _born(rng, on, 62, 95).isoformat(),
            "death_date": (on - timedelta(days=rng.randint(1, 12))).isoformat(),
            "death_place": f"{rng.choice(VILLAGES)}, {unit.name}", "declarant_relationship": "child"}


def _marriage(rng, on, unit):
    return {"female_full_name": _name(rng, True), "female_birth_date": _born(rng, on, 21, 33).isoformat(),
            "female_id_number": _id_number(rng), "male_full_name": _name(rng, False),
            "male_birth_date": _born(rng, on, 23, 35).isoformat(), "male_id_number": _id_number(rng),
            "female_previous_status": "never_married", "male_previous_status": "never_married"}


def _marital(rng, on, unit):
    return {"person_full_name": _name(rng), "person_birth_date": _born(rng, on, 20, 45).isoformat(),
            "purpose": rng.choice(("Đăng ký kết hôn", "Bổ sung hồ sơ vay vốn", "Mua bán nhà đất")),
            "marital_status": "single"}


def _extract(rng, on, unit):
    return {"copies": rng.randint(1, 3), "extract_type": rng.choice(("birth", "birth", "marriage", "death")),
            "person_full_name": _name(rng), "requester_relationship": "self"}


def _parcel(rng, unit):
    return {"parcel_number": rng.randint(1, 900), "map_sheet": rng.randint(1, 60),
            "area": round(rng.uniform(60, 420), 1), "parcel_address": f"{rng.choice(VILLAGES)}, {unit.name}",
            "land_use_purpose": rng.choice(("ONT", "ONT", "CLN", "LUC")), "owners": _name(rng)}


def _land_first(rng, on, unit):
    return {**_parcel(rng, unit), "land_use_origin": "Đất ông cha để lại, sử dụng ổn định",
            "use_since": date(rng.randint(1985, 2010), rng.randint(1, 12), 1).isoformat()}


def _land_change(rng, on, unit):
    return {**_parcel(rng, unit), "change_type": rng.choice(("transfer", "gift", "inheritance", "mortgage")),
            "change_date": (on - timedelta(days=rng.randint(1, 25))).isoformat(), "counterparties": _name(rng),
            "certificate_number": f"CS {rng.randint(10000, 99999)}"}


def _pension(rng, on, unit):
    return {"beneficiary_full_name": _name(rng), "birth_date": _born(rng, on, 76, 90).isoformat(),
            "residence_address": f"{rng.choice(VILLAGES)}, {unit.name}", "has_pension": False}


def _allowance(rng, on, unit):
    return {"beneficiary_full_name": _name(rng), "birth_date": _born(rng, on, 81, 95).isoformat(),
            "residence_address": f"{rng.choice(VILLAGES)}, {unit.name}", "categories": ["elderly_80_no_pension"]}


def _funeral(rng, on, unit):
    return {"deceased_full_name": _name(rng), "death_date": (on - timedelta(days=rng.randint(1, 20))).isoformat(),
            "deceased_received_monthly_allowance": True, "organizer_relationship": "Con"}


GENERATORS: dict[str, Callable] = {
    "civil_status.birth_registration": _birth, "civil_status.death_registration": _death,
    "civil_status.marriage_registration": _marriage, "civil_status.marital_status_certificate": _marital,
    "civil_status.extract_copy": _extract, "land.first_registration": _land_first,
    "land.change_registration": _land_change, "social_welfare.social_pension": _pension,
    "social_welfare.monthly_allowance": _allowance, "social_welfare.funeral_support": _funeral,
}


# --- the plan of one dossier ------------------------------------------------------------------------------------------


@dataclass
class Desk:
    unit: Unit
    reception: User
    specialist: User
    leader: User


class Runner:
    """Runs the planned steps of one dossier in time order and stops at the first step after ``now``."""

    def __init__(self, dossier: Dossier, now: datetime) -> None:
        self.dossier, self.now, self.stopped = dossier, now, False

    def act(self, user: User | None, action: str, at: datetime, **arguments) -> bool:
        if self.stopped or at > self.now:
            self.stopped = True
            return False
        try:
            self.dossier = services.perform_action(user, self.dossier, action, arguments, now=at)
        except services.ServiceError:  # a plugin's rule said no (e.g. a posting not over yet): stop here
            db.session.rollback()
            self.stopped = True
            return False
        if action == "transfer":  # objects are kept across commits (bulk mode): reload the competent unit
            db.session.expire(self.dossier)
        return True


class HistoryBuilder:
    def __init__(self, now: datetime, rng: random.Random) -> None:
        self.now, self.rng = now, rng
        self.start = now - timedelta(days=DAYS)
        units = {u.slug: u for u in db.session.scalars(select(Unit))}
        users = {u.username: u for u in db.session.scalars(select(User))}
        district = units.get(DISTRICT)
        self.desks: list[Desk] = []
        for unit in sorted(units.values(), key=lambda u: u.code):
            if district is not None and unit.parent_id == district.id and unit.kind == "commune":
                found = [users.get(f"{unit.slug}.{s}") for s in ("tiepnhan", "chuyenvien", "lanhdao")]
                if all(found):
                    self.desks.append(Desk(unit, *found))
        office = units.get(LAND_OFFICE)
        self.office = None
        if office is not None and users.get(f"{LAND_OFFICE}.chuyenvien") and users.get(f"{LAND_OFFICE}.lanhdao"):
            self.office = Desk(office, users[f"{LAND_OFFICE}.lanhdao"], users[f"{LAND_OFFICE}.chuyenvien"],
                               users[f"{LAND_OFFICE}.lanhdao"])
        self.rejected: set[str] = set()

    # -- time

    def working_moment(self, unit: Unit, day: date) -> datetime:
        cal = calendar_for(unit)
        start = cal.next_working_moment(datetime.combine(day, time(7, 30), tzinfo=VN_TZ))
        return cal.add_working_minutes(start, self.rng.randint(10, 420))

    def later(self, unit: Unit, moment: datetime, low: int, high: int) -> datetime:
        return calendar_for(unit).add_working_minutes(moment, self.rng.randint(low, max(low, high)))

    def approval(self, unit: Unit, outcome: str, floor: datetime, due: datetime) -> tuple[datetime, str]:
        """A moment at or after ``floor`` that lands in ``outcome`` against ``due`` when it can; else later."""
        cal = calendar_for(unit)
        due_day_start = datetime.combine(due.astimezone(VN_TZ).date(), time.min, tzinfo=VN_TZ)
        if outcome == "early":
            room = cal.working_minutes_between(floor, due_day_start)
            if room >= 40:
                return cal.add_working_minutes(floor, self.rng.uniform(20, room - 10)), "early"
            outcome = "on_time"
        if outcome == "on_time":
            begin = max(floor, due_day_start)
            room = cal.working_minutes_between(begin, due)
            if room >= 20:
                return cal.add_working_minutes(begin, self.rng.uniform(5, room - 5)), "on_time"
            if floor <= due:
                return due, "on_time"
        return cal.add_working_minutes(max(floor, due), self.rng.randint(30, 4 * 450)), "late"

    # -- one dossier

    def create(self, desk: Desk, key: str, received: datetime) -> Dossier | None:
        rng = self.rng
        channel = _pick(rng, CHANNELS)
        submitted = received
        if channel == "online":
            submitted = received - timedelta(minutes=rng.randint(30, 20 * 60))
        data = GENERATORS[key](rng, submitted.astimezone(VN_TZ).date(), desk.unit)
        try:
            outcome = services.create_dossier(desk.unit, key, channel, _applicant(rng, desk.unit), data,
                                              None if channel == "online" else desk.reception, now=submitted)
        except services.ServiceError:
            db.session.rollback()
            self.rejected.add(key)
            return None
        dossier = outcome.dossier
        if channel == "online":
            dossier = services.perform_action(desk.reception, dossier, "receive", {}, now=received)
        return dossier

    def run(self, desk: Desk, key: str, received: datetime) -> Dossier | None:
        dossier = self.create(desk, key, received)
        if dossier is None:
            return None
        rng, step = self.rng, Runner(dossier, self.now)
        outcome = _pick(rng, OUTCOMES)
        if outcome == "refuse":
            step.act(desk.reception, "refuse", self.later(desk.unit, received, 5, 30),
                     reason="Hồ sơ không đủ điều kiện")
            return step.dossier
        unit, handler = desk.unit, desk
        moment = self.later(unit, received, 10, 90)
        procedure = get_procedure(key)
        office_first = key == "land.change_registration" and self.office is not None
        if office_first:
            step.act(desk.reception, "transfer", moment, to_unit=self.office.unit.slug)
            unit, handler = self.office.unit, self.office
            moment = self.later(unit, moment, 30, 300)
        step.act(handler.specialist, "assign", moment, assignee=handler.specialist.username)
        if outcome == "withdraw":
            if rng.random() < 0.5:  # the applicant asked through the tracking page first (status 7)
                moment = self.later(unit, moment, 60, 1200)
                step.act(None, "request_withdrawal", moment, reason="Không còn nhu cầu giải quyết hồ sơ")
            step.act(desk.reception, "withdraw", self.later(unit, moment, 30, 900))
            return step.dossier
        if rng.random() < 0.08 and not step.stopped:
            paused = self.later(unit, moment, 60, 400)
            if paused < step.dossier.due_at and step.act(handler.specialist, "request_supplement", paused,
                                                         missing_documents=["Bản sao giấy tờ còn thiếu"],
                                                         reason="Hồ sơ thiếu giấy tờ theo quy định"):
                moment = self.later(unit, paused, 450, 4 * 450)
                step.act(desk.reception, "supplement_received", moment)
        if procedure is not None and any(s.key == "posting_started" for s in procedure.steps):
            moment = self.later(unit, moment, 20, 200)
            step.act(handler.specialist, "record_step", moment, step="posting_started")
            days = 16 if key == "land.first_registration" else 4
            moment = self.working_moment(unit, moment.astimezone(VN_TZ).date() + timedelta(days=days))
            if key == "land.first_registration" and self.office is not None and is_enabled(self.office.unit, "land"):
                step.act(handler.specialist, "transfer", moment, to_unit=self.office.unit.slug)
                unit, handler = self.office.unit, self.office
                moment = self.later(unit, moment, 30, 300)
                step.act(handler.specialist, "assign", moment, assignee=handler.specialist.username)
        if step.stopped or outcome == "stall":
            return step.dossier
        due = step.dossier.due_at
        approve_at, outcome = self.approval(unit, outcome, self.later(unit, moment, 15, 60), due)
        if outcome == "late" and rng.random() < 0.5:
            letter = min(due - timedelta(hours=2), approve_at)
            if letter > moment:
                step.act(handler.leader, "apologize", letter, reason="Cần xác minh thêm thông tin",
                         new_due_at=(approve_at + timedelta(days=1)).isoformat())
        submit_at = max(moment, approve_at - timedelta(minutes=rng.randint(5, 120)))
        step.act(handler.specialist, "submit_for_approval", submit_at)
        if not step.act(handler.leader, "approve", approve_at):
            return step.dossier
        if rng.random() < 0.92:
            returned_at = self.later(desk.unit, approve_at, 10, 3 * 450)
            if step.act(desk.reception, "return_result", returned_at, received_by=step.dossier.applicant_name):
                self.rate(step.dossier, returned_at)
        return step.dossier

    def rate(self, dossier: Dossier, returned_at: datetime) -> None:
        if self.rng.random() >= 0.35:
            return
        at = returned_at + timedelta(hours=self.rng.randint(1, 72))
        if at > self.now:
            return
        db.session.add(Rating(dossier_id=dossier.id, unit_id=dossier.competent_unit_id,
                              level=_pick(self.rng, RATING_LEVELS), created_at=at))
        db.session.commit()

    def build(self, count: int) -> int:
        keys = {k: w for k, w in WEIGHTS.items() if get_procedure(k) is not None and k in GENERATORS}
        if not self.desks or not keys:
            return 0
        desk_weights = [3 if d.unit.slug == "lim" else 1 for d in self.desks]
        made = 0
        # Reception days spread over the year, a little busier in recent months.
        days = sorted(self.start + timedelta(days=DAYS * (self.rng.random() ** 0.85)) for _ in range(count))
        for moment in days:
            desk = self.rng.choices(self.desks, weights=desk_weights)[0]
            offered = {k: w for k, w in keys.items() if k not in self.rejected
                       and is_enabled(desk.unit, get_procedure(k).plugin)}
            if not offered:
                continue
            key = _pick(self.rng, offered)
            received = self.working_moment(desk.unit, moment.astimezone(VN_TZ).date())
            if received >= self.now:
                continue
            if self.run(desk, key, received) is not None:
                made += 1
        return made


def demo_dossier_count() -> int:
    district = db.session.scalar(select(Unit).where(Unit.slug == DISTRICT))
    if district is None:
        return 0
    ids = [u.id for u in db.session.scalars(select(Unit).where(Unit.parent_id == district.id))]
    if not ids:
        return 0
    return db.session.scalar(select(func.count(Dossier.id)).where(Dossier.receiving_unit_id.in_(ids))) or 0


def seed_history(app: Flask, dossiers: int = DEFAULT_DOSSIERS, now: datetime | None = None, seed: int = 766) -> int:
    """Create about ``dossiers`` dossiers received over the twelve months before ``now`` at the demo communes.

    Returns how many were created; 0 when the demo communes already have dossiers (idempotent) or are missing.
    """
    # The services translate a few texts (the history's name for a citizen), so they run in a request context.
    with app.test_request_context():
        if demo_dossier_count():
            return 0
        with _bulk_mode():
            return HistoryBuilder(now or utcnow(), random.Random(seed)).build(dossiers)


@contextmanager
def _bulk_mode():
    """Thousands of small transactions from one writer: keep the objects loaded across commits (nothing else
    writes meanwhile), and on SQLite commit without waiting for the disk (WAL keeps the file consistent; only the
    last transactions could be lost in a power cut). Connections get the setting when checked out and are closed
    afterwards, so the pool goes back to the default."""
    session = db.session()
    engine = db.engine
    sqlite = engine.dialect.name == "sqlite"

    def relax(dbapi_connection, _record, _proxy):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    session.commit()  # gives the connection back: the next checkout gets the setting
    previous = session.expire_on_commit
    session.expire_on_commit = False
    if sqlite:
        event.listen(engine, "checkout", relax)
    try:
        yield
    finally:
        session.commit()
        session.expire_on_commit = previous
        if sqlite:
            session.close()
            event.remove(engine, "checkout", relax)
            engine.dispose()
