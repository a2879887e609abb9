"""The officer's work queues: which dossiers each tab holds, their counts, sorted by due date.

Every query starts from ``queries.visible_to(user)`` and ``queries.in_unit(unit)``, so a tab never shows a dossier the
user may not see. Overdue uses the legal due moment (an apology's new date does not make a late dossier on time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select

from core.dossiers import queries
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.extensions import db
from core.tenancy.services import descendant_ids
from core.users.permissions import roles_over

RUNNING = ("received", "in_progress")  # the clock runs (paused states are not overdue while paused)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    roles: frozenset[str] | None = None  # who sees the tab (None: everyone with a role over the unit)
    danger: bool = False


TABS: tuple[Tab, ...] = (
    Tab("online", _l("Chờ tiếp nhận trực tuyến"), frozenset({"reception"})),
    Tab("mine", _l("Hồ sơ của tôi")),
    Tab("due_today", _l("Đến hạn hôm nay")),
    Tab("overdue", _l("Quá hạn"), danger=True),
    Tab("supplement", _l("Chờ bổ sung")),
    Tab("approval", _l("Chờ phê duyệt"), frozenset({"leader"})),
    Tab("to_return", _l("Chờ trả kết quả")),
)
TAB_KEYS = {t.key for t in TABS}


def tabs_for(user, unit) -> list[Tab]:
    roles = roles_over(user, unit.id)
    return [t for t in TABS if t.roles is None or roles & t.roles]


def _tomorrow_start(now: datetime) -> datetime:
    local = now.astimezone(VN_TZ)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=VN_TZ)


def tab_query(key: str, user, unit, now: datetime) -> Select:
    """The dossiers of tab ``key`` for ``user`` on ``unit`` (unsorted)."""
    base = queries.in_unit(queries.visible_to(user), unit)
    if key == "online":
        ids = descendant_ids({unit.id})
        return base.where(Dossier.status == "submitted", Dossier.receiving_unit_id.in_(ids))
    if key == "mine":
        return base.where(or_(
            and_(Dossier.assignee_id == user.id, Dossier.status.in_(("in_progress", "supplement_requested",
                                                                    "awaiting_payment"))),
            and_(Dossier.received_by_id == user.id, Dossier.status == "received"),
        ))
    if key == "due_today":
        return base.where(Dossier.status.in_(RUNNING), Dossier.due_at >= now, Dossier.due_at < _tomorrow_start(now))
    if key == "overdue":
        return base.where(Dossier.status.in_(RUNNING), Dossier.due_at < now)
    if key == "supplement":
        return base.where(Dossier.status == "supplement_requested")
    if key == "approval":
        return base.where(Dossier.status == "in_progress", Dossier.step == "pending_approval")
    if key == "to_return":
        return base.where(Dossier.status == "result_ready")
    raise KeyError(key)


def by_due_date(query: Select) -> Select:
    """Soonest due first; dossiers without a due date (online, not yet received) last, oldest first."""
    return query.order_by(Dossier.due_at.is_(None), Dossier.due_at, Dossier.submitted_at, Dossier.id)


def counts(user, unit, tabs: list[Tab], now: datetime) -> dict[str, int]:
    result = {}
    for tab in tabs:
        query = tab_query(tab.key, user, unit, now)
        result[tab.key] = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return result


def rows(key: str, user, unit, now: datetime, page: int = 1, size: int = 50) -> list[Dossier]:
    query = by_due_date(tab_query(key, user, unit, now)).limit(size).offset((page - 1) * size)
    return list(db.session.scalars(query))
