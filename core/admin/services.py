"""District and unit administration: every change in one transaction together with its ChangeLog row (who, when).

Functions raise ``AdminError(field, message)`` for input that cannot be applied; nothing is written then. Who may do
what is decided by the views (``core.admin.views.AdminScope``); these functions apply changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers.calendar import forget_calendars
from core.dossiers.models import CalendarDay
from core.dossiers.services import reschedule_for_calendar_change
from core.extensions import db
from core.plugins.enablement import set_enablement
from core.plugins.manager import host
from core.tenancy.agency import active_unit_with_prefix, prefix_of
from core.tenancy.models import ChangeLog, Unit, UnitPlugin
from core.tenancy.services import forget_tree
from core.users.models import ROLES, Membership, User
from core.users.security import end_sessions, hash_password

UNIT_FIELDS = ("name", "code", "kind", "parent_id", "agency_code", "office_hours", "address", "phone")
log = logging.getLogger("motcua.admin")
DOCUMENT_FIELDS = ("agency", "desk", "place")  # the unit's [settings.documents]: how the official forms name it


def document_settings_of(unit: Unit) -> dict:
    found = (unit.settings or {}).get("documents") if isinstance(unit.settings, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def _with_documents(settings: dict | None, documents: dict) -> dict:
    """A new settings dict (JSON columns notice replacement, not mutation) with ``documents`` set or removed."""
    updated = dict(settings or {})
    cleaned = {k: v.strip() for k, v in documents.items() if k in DOCUMENT_FIELDS and isinstance(v, str) and v.strip()}
    if cleaned:
        updated["documents"] = cleaned
    else:
        updated.pop("documents", None)
    return updated


class AdminError(Exception):
    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Actor:
    id: int
    name: str


def actor_of(user) -> Actor:
    return Actor(user.id, user.full_name or user.username)


def _log(actor: Actor, unit_id: int | None, action: str, target: str, details: dict | None = None) -> None:
    db.session.add(ChangeLog(at=utcnow(), actor_id=actor.id, actor_name=actor.name, unit_id=unit_id, action=action,
                             target=target, details=_plain(details or {})))


def _plain(value):
    """JSON-safe copy (dates as ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- units -----------------------------------------------------------------------------------------------------------


def _refuse_shared_prefix(agency_code: str, code: str, unit_id: int | None) -> None:
    """Two active units with one dossier-code prefix would hand out the same dossier codes."""
    other = active_unit_with_prefix(prefix_of(agency_code, code), except_id=unit_id)
    if other is not None:
        raise AdminError("agency_code", _("Mã định danh này đang được đơn vị %(name)s dùng trong mã hồ sơ; "
                                          "mỗi đơn vị cần một mã riêng.", name=other.name))


def create_unit(actor: Actor, slug: str, values: dict) -> Unit:
    if db.session.scalar(select(Unit.id).where(Unit.slug == slug)) is not None:
        raise AdminError("slug", _("Mã đường dẫn này đã được dùng cho đơn vị khác."))
    _refuse_shared_prefix(values.get("agency_code") or "", values.get("code") or "", None)
    with write_transaction():
        unit = Unit(slug=slug, settings=_with_documents({}, values.get("documents") or {}), active=True,
                    **{k: values[k] for k in UNIT_FIELDS if k in values})
        db.session.add(unit)
        db.session.flush()
        _log(actor, unit.id, "unit.create", unit.name, {"slug": slug, **{k: values.get(k) for k in UNIT_FIELDS}})
    forget_tree()
    return unit


def update_unit(actor: Actor, unit: Unit, values: dict) -> dict:
    """Apply changed values; returns {field: [old, new]} of what changed (nothing logged when nothing changed)."""
    changes = {k: [getattr(unit, k), v] for k, v in values.items() if k in UNIT_FIELDS and getattr(unit, k) != v}
    settings = None
    if "documents" in values:
        settings = _with_documents(unit.settings, values["documents"])
        if settings.get("documents", {}) != document_settings_of(unit):
            changes["documents"] = [document_settings_of(unit), settings.get("documents", {})]
    if not changes:
        return {}
    if unit.active and ("agency_code" in changes or "code" in changes):
        _refuse_shared_prefix(values.get("agency_code", unit.agency_code), values.get("code", unit.code), unit.id)
    with write_transaction():
        unit = db.session.merge(unit)
        for key, (_old, new) in changes.items():
            if key == "documents":
                unit.settings = settings
            else:
                setattr(unit, key, new)
        _log(actor, unit.id, "unit.update", unit.name, changes)
    forget_tree()
    forget_calendars()
    return changes


def set_unit_active(actor: Actor, unit: Unit, active: bool) -> None:
    if unit.active == active:
        return
    if active and unit.successor_id is not None:
        # Its open dossiers, staff and receptions went to the successor: waking it would split the commune in two.
        raise AdminError("active", _("Đơn vị %(name)s đã sáp nhập vào %(successor)s, không thể hoạt động trở lại.",
                                     name=unit.name, successor=unit.successor.name))
    if active:
        _refuse_shared_prefix(unit.agency_code, unit.code, unit.id)
    with write_transaction():
        unit = db.session.merge(unit)
        unit.active = active
        _log(actor, unit.id, "unit.activate" if active else "unit.deactivate", unit.name)


# --- plugins ---------------------------------------------------------------------------------------------------------


def plugin_defaults(plugin: str) -> dict:
    return dict(host().unit_settings.get(plugin, {}))


def office_choices(plugin: str) -> list[tuple[str, str]]:
    """(slug, name) of the active offices (cơ quan nhận liên thông) that enable ``plugin``."""
    rows = db.session.execute(
        select(Unit.slug, Unit.name).join(UnitPlugin)
        .where(Unit.kind == "office", Unit.active.is_(True), UnitPlugin.plugin == plugin, UnitPlugin.enabled.is_(True))
        .order_by(Unit.name)).all()
    return [(slug, name) for slug, name in rows]


def _check_settings(plugin: str, settings: dict) -> None:
    """A setting naming an office must name a real one: a wrong slug would silently send transfers nowhere."""
    info = host().unit_setting_info.get(plugin, {})
    offices = None
    for name, value in settings.items():
        described = info.get(name)
        if described is None or described.kind != "office" or not value:
            continue
        offices = offices if offices is not None else {slug for slug, _name in office_choices(plugin)}
        if value not in offices:
            raise AdminError(name, _("Không có cơ quan nhận liên thông “%(value)s”; hãy chọn trong danh sách.",
                                     value=value))


def set_plugin(actor: Actor, unit: Unit, plugin: str, enabled: bool, settings: dict) -> list[str]:
    """Enable or disable ``plugin`` for ``unit`` with its settings; returns what changed ("enabled", "settings")."""
    if plugin not in host().plugins:
        raise AdminError(None, _("Không có lĩnh vực (plugin) này."))
    _check_settings(plugin, settings)
    try:
        with write_transaction():
            unit = db.session.merge(unit)
            row = db.session.scalar(select(UnitPlugin).where(UnitPlugin.unit_id == unit.id,
                                                             UnitPlugin.plugin == plugin))
            old_settings = dict(row.settings or {}) if row else {}
            # Settings left out of the form keep their value; the change, its log and the plugins' hooks commit
            # together, or not at all.
            return set_enablement(unit, plugin, enabled, {**old_settings, **settings}, actor)
    except Exception:
        log.exception("Plugin hooks failed while %s was %s for %s", plugin, "enabled" if enabled else "disabled",
                      unit.slug)
        raise AdminError(None, _("Một lĩnh vực báo lỗi khi bật hoặc tắt; không có thay đổi nào được lưu. Lỗi đã được "
                                 "ghi lại để quản trị viên xử lý.")) from None


# --- staff -----------------------------------------------------------------------------------------------------------


def create_user(actor: Actor, username: str, full_name: str, password: str, unit: Unit, role: str) -> User:
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AdminError("username", _("Tên đăng nhập này đã có người dùng."))
    if role not in ROLES:
        raise AdminError("role", _("Vai trò không hợp lệ."))
    with write_transaction():
        user = User(username=username, full_name=full_name, password_hash=hash_password(password), active=True)
        user.memberships.append(Membership(unit_id=unit.id, role=role))
        db.session.add(user)
        _log(actor, unit.id, "user.create", username, {"full_name": full_name, "role": role, "unit": unit.slug})
    return user


def update_user(actor: Actor, user: User, unit_id: int | None, full_name: str, active: bool,
                password: str | None) -> list[str]:
    changed = []
    if user.full_name != full_name:
        changed.append("full_name")
    if user.active != active:
        changed.append("active")
    if password:
        changed.append("password")
    if not changed:
        return []
    with write_transaction():
        user = db.session.merge(user)
        if password or (user.active and not active):  # the old credentials' sessions and tokens end (SEC-08)
            end_sessions(user)
        user.full_name = full_name
        user.active = active
        if password:
            user.password_hash = hash_password(password)
        _log(actor, unit_id, "user.update", user.username,
             {"changed": changed, "full_name": full_name, "active": active})
    return changed


def grant_role(actor: Actor, user: User, unit: Unit, role: str) -> bool:
    if role not in ROLES:
        raise AdminError("role", _("Vai trò không hợp lệ."))
    exists = db.session.scalar(select(Membership.id).where(Membership.user_id == user.id,
                                                           Membership.unit_id == unit.id, Membership.role == role))
    if exists is not None:
        raise AdminError("role", _("Cán bộ đã có vai trò này tại đơn vị này."))
    with write_transaction():
        db.session.add(Membership(user_id=user.id, unit_id=unit.id, role=role))
        _log(actor, unit.id, "role.grant", user.username, {"role": role, "unit": unit.slug})
    db.session.expire_all()
    return True


def revoke_role(actor: Actor, membership: Membership) -> None:
    username, role, unit_id, slug = membership.user.username, membership.role, membership.unit_id, membership.unit.slug
    with write_transaction():
        db.session.delete(db.session.merge(membership))
        _log(actor, unit_id, "role.revoke", username, {"role": role, "unit": slug})
    db.session.expire_all()


# --- calendar --------------------------------------------------------------------------------------------------------


def calendar_clash(unit_id: int | None, day: date) -> bool:
    """Whether the calendar of ``unit_id`` (None: every unit) already has a row for ``day``."""
    return db.session.scalar(select(CalendarDay.id).where(
        CalendarDay.day == day, CalendarDay.unit_id.is_(None) if unit_id is None else CalendarDay.unit_id == unit_id
    )) is not None


def add_calendar_day(actor: Actor, unit: Unit | None, day: date, kind: str, note: str) -> list[str]:
    """Add the row; returns the codes of the dossiers whose due date moved."""
    if kind not in ("off", "work"):
        raise AdminError("kind", _("Chọn ngày nghỉ hoặc ngày làm bù."))
    unit_id = unit.id if unit is not None else None
    if calendar_clash(unit_id, day):
        raise AdminError("day", _("Ngày này đã có trong lịch của đơn vị đã chọn."))
    row = CalendarDay(unit_id=unit_id, day=day, kind=kind, note=note)
    with write_transaction():
        # The open dossiers' due dates move with the calendar, in the same transaction (LAW-08).
        moved = reschedule_for_calendar_change(lambda: db.session.add(row), day, unit_id, actor.id, actor.name)
        _log(actor, unit_id, "calendar.add", day.isoformat(), {"kind": kind, "note": note,
                                                               "unit": unit.slug if unit else None,
                                                               "rescheduled": moved})
    forget_calendars()
    return moved


def delete_calendar_day(actor: Actor, row: CalendarDay) -> list[str]:
    """Delete the row; returns the codes of the dossiers whose due date moved."""
    details = {"kind": row.kind, "note": row.note}
    unit_id, day = row.unit_id, row.day
    with write_transaction():
        merged = db.session.merge(row)
        moved = reschedule_for_calendar_change(lambda: db.session.delete(merged), day, unit_id, actor.id, actor.name)
        _log(actor, unit_id, "calendar.delete", day.isoformat(), {**details, "rescheduled": moved})
    forget_calendars()
    return moved


# --- national portal -------------------------------------------------------------------------------------------------


def resend_to_national_portal(actor: Actor, dossier) -> None:
    """Queue the dossier's current state for the national portal again, with its change-log row (who, when)."""
    from core.national_portal.queue import queue_resend

    with write_transaction():
        row = queue_resend(dossier)
        db.session.flush()
        _log(actor, dossier.competent_unit_id, "national_portal.resend", dossier.code,
             {"national_status": int(row.subject), "outbox_id": row.id})
