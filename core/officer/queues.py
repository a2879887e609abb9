"""The officer's work queues: which dossiers each tab holds, their counts, sorted by due date.

Every query starts from ``queries.visible_to(user)`` and ``queries.in_unit(unit)``, so a tab never shows a dossier the
user may not see. Overdue uses the legal due moment (an apology's new date does not make a late dossier on time).

A dossier transferred (liên thông) to a unit has no assignee there yet: "Chờ tiếp nhận liên thông" holds it for the
unit's specialists and leaders until one of them assigns it, and the same when a dossier comes back to the commune
(the history keeps who handled it before). A dossier routed at reception to another unit (a first land registration
filed away from the parcel's commune) waits there the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, lazyload, load_only

from core.dossiers import queries, workflow
from core.dossiers.calendar import calendar_for
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.extensions import db
from core.tenancy.services import descendant_ids
from core.users.models import User
from core.users.permissions import roles_over


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    roles: frozenset[str] | None = None  # who sees the tab (None: everyone with a role over the unit)
    danger: bool = False
    one_status: bool = False  # every row has the same status: the list leaves the status column out
    hint: str = ""


TABS: tuple[Tab, ...] = (
    Tab("online", _l("Chờ tiếp nhận trực tuyến"), frozenset({"reception"}), one_status=True),
    Tab("mine", _l("Hồ sơ của tôi")),
    Tab("transferred_in", _l("Chờ tiếp nhận liên thông"), frozenset({"specialist", "leader"}), one_status=True),
    Tab("due_today", _l("Đến hạn hôm nay")),
    # Due by the end of the next working day: still time for the apology and new appointment (Mẫu 04), which must
    # go out at least one day before the due day (LAW-06).
    Tab("due_soon", _l("Sắp đến hạn"), hint=_l(
        "Hạn giải quyết là ngày làm việc tiếp theo. Nếu không kịp trả kết quả, lập văn bản xin lỗi và hẹn lại ngày "
        "trả (Mẫu 04) ngay hôm nay.")),
    Tab("overdue", _l("Quá hạn"), danger=True),
    Tab("supplement", _l("Chờ bổ sung"), one_status=True),
    Tab("withdrawal", _l("Yêu cầu rút hồ sơ"), frozenset({"reception"}), danger=True, one_status=True),
    Tab("approval", _l("Chờ phê duyệt"), frozenset({"leader"}), one_status=True),
    Tab("to_return", _l("Chờ trả kết quả"), one_status=True),
)


# Where each role's work is: the page opens on the first of these the user has (DAY-02: a leader signs).
HOME_TABS = (("leader", "approval"), ("specialist", "mine"))


def tabs_for(user, unit) -> list[Tab]:
    roles = roles_over(user, unit.id)
    return [t for t in TABS if t.roles is None or roles & t.roles]


def home_tab(user, unit, tabs: list[Tab], counts: dict[str, int]) -> str:
    """The tab a user lands on: the role's own work; transfers waiting for assignment when that is empty."""
    roles = roles_over(user, unit.id)
    keys = [t.key for t in tabs]
    home = next((key for role, key in HOME_TABS if role in roles and key in keys), keys[0])
    if not counts.get(home) and counts.get("transferred_in"):
        return "transferred_in"
    return home


def _tomorrow_start(now: datetime) -> datetime:
    return _day_start(now.astimezone(VN_TZ).date() + timedelta(days=1))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=VN_TZ)


def _running():
    """The clock runs (a paused dossier is not overdue while paused)."""
    return Dossier.status.in_(workflow.RUNNING_STATES)


def tab_condition(key: str, user, unit, now: datetime):
    """What puts a dossier of the unit in tab ``key`` (every tab holds only dossiers still on a desk)."""
    if key == "online":
        return and_(Dossier.status == "submitted", Dossier.receiving_unit_id.in_(descendant_ids({unit.id})))
    if key == "mine":
        return or_(
            and_(Dossier.assignee_id == user.id, Dossier.status.in_(("in_progress", "supplement_requested",
                                                                    "awaiting_payment"))),
            and_(Dossier.received_by_id == user.id, Dossier.status == "received"),
        )
    if key == "transferred_in":
        # Handled here now, nobody assigned: after a transfer, or routed here at reception from another unit.
        return and_(Dossier.competent_unit_id.in_(descendant_ids({unit.id})), Dossier.assignee_id.is_(None),
                    or_(and_(Dossier.status == "in_progress", Dossier.step == "transferred"),
                        and_(Dossier.status == "received", Dossier.competent_unit_id != Dossier.receiving_unit_id)))
    if key == "due_today":
        return and_(_running(), Dossier.due_at >= now, Dossier.due_at < _tomorrow_start(now))
    if key == "due_soon":
        end = _day_start(calendar_for(unit).next_working_day(now.astimezone(VN_TZ).date()) + timedelta(days=1))
        return and_(_running(), Dossier.due_at >= _tomorrow_start(now), Dossier.due_at < end)
    if key == "overdue":
        return and_(_running(), Dossier.due_at < now)
    if key == "supplement":
        return Dossier.status == "supplement_requested"
    if key == "withdrawal":
        return Dossier.status == "withdrawal_requested"
    if key == "approval":
        return and_(Dossier.status == "in_progress", Dossier.step == "pending_approval")
    if key == "to_return":
        return Dossier.status == "result_ready"
    raise KeyError(key)


def _on_desk(user, unit) -> Select:
    return queries.in_unit(queries.visible_to(user), unit).where(Dossier.status.in_(workflow.ON_DESK))


def tab_query(key: str, user, unit, now: datetime) -> Select:
    """The dossiers of tab ``key`` for ``user`` on ``unit`` (unsorted)."""
    return _on_desk(user, unit).where(tab_condition(key, user, unit, now))


def by_due_date(query: Select) -> Select:
    """Soonest due first; dossiers without a due date (online, not yet received) last, oldest first."""
    return query.order_by(Dossier.due_at.is_(None), Dossier.due_at, Dossier.submitted_at, Dossier.id)


def counts(user, unit, tabs: list[Tab], now: datetime) -> dict[str, int]:
    """Every tab's count in one pass over the unit's dossiers on a desk (a few hundred, through partial indexes)."""
    if not tabs:
        return {}
    columns = [func.count().filter(tab_condition(tab.key, user, unit, now)) for tab in tabs]
    row = db.session.execute(select(*columns).select_from(Dossier).where(_on_desk(user, unit).whereclause)).one()
    return {tab.key: count for tab, count in zip(tabs, row, strict=True)}


ROW_COLUMNS = ("code", "procedure_key", "applicant_name", "applicant_phone", "status", "step", "due_at",
               "submitted_at", "assignee_id", "receiving_unit_id")


def rows(key: str, user, unit, now: datetime, page: int = 1, size: int = 50) -> list[Dossier]:
    # Only what a queue row shows: not the form data, the units or the assignee's roles (a full page of 50 dossiers
    # with all that costs more to load than to find).
    query = by_due_date(tab_query(key, user, unit, now)).options(
        load_only(*(getattr(Dossier, name) for name in ROW_COLUMNS)),
        lazyload(Dossier.receiving_unit), lazyload(Dossier.competent_unit),
        joinedload(Dossier.assignee).load_only(User.full_name).lazyload(User.memberships))
    return list(db.session.scalars(query.limit(size).offset((page - 1) * size)))
