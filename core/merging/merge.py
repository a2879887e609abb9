"""Merging units (the 2025 reform, Resolution 1658/NQ-UBTVQH15 for Bắc Ninh): an old unit hands its work to the new.

Declared in ``communes/<old>.toml`` (``merged_into``, ``merged_on``) and carried out by ``flask units apply``, or from
the administration pages, in one transaction per old unit:

- the old unit becomes inactive, with its successor and the merge date (it stays, for history and past reports);
- its open dossiers (every status but returned, refused, rejected, stopped) move to the successor, each with a
  ``unit_merged`` history row (``core.dossiers.services.move_to_successor``); codes, clocks and due dates stay;
- its staff's roles are copied to the successor, and kept on the old unit so its records stay readable.

Reports count the move as a hand-over (``core.reports.models.HANDOVER_ACTIONS``): before the merge the dossiers are
the old unit's, after it they are carried over at the successor, and a period spanning it balances.

Refused, with the reason, when the successor lacks a plugin an open dossier needs, or when the merge would leave
two active units with one agency code. The old unit's calendar entries and plugin settings are listed, not copied:
from the merge on, the successor's calendar and settings apply (moved dossiers keep the due dates they had).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.extensions import db
from core.tenancy.agency import active_unit_with_prefix, prefix_of
from core.tenancy.models import ChangeLog, Unit
from core.users.models import Membership


class MergeError(ValueError):
    """A merge that must not happen; the message says why (in the request's language)."""


@dataclass
class MergePlan:
    """What merging ``old`` into ``new`` moves, read before (dry run) and again inside the transaction."""

    old: Unit
    new: Unit
    merged_on: date
    dossiers: list = field(default_factory=list)  # open dossiers that move
    finished: int = 0  # finished dossiers that stay
    memberships: list[tuple[str, str]] = field(default_factory=list)  # (username, role) copied to ``new``
    calendar: list = field(default_factory=list)  # the old unit's own calendar entries (stay)
    plugin_settings: dict[str, tuple[dict, dict | None]] = field(default_factory=dict)  # name -> (old, new or None)

    def lines(self) -> list[str]:
        head = f"» {self.old.slug}: merged into {self.new.slug} on {self.merged_on.isoformat()}"
        lines = [f"{head} ({self.old.name} → {self.new.name}); unit becomes inactive, successor {self.new.slug}"]
        codes = ", ".join(d.code for d in self.dossiers[:10]) + (" …" if len(self.dossiers) > 10 else "")
        lines.append(f"»   open dossiers moved: {len(self.dossiers)}" + (f" ({codes})" if codes else "")
                     + f"; finished dossiers staying: {self.finished}")
        staff = ", ".join(f"{user} ({role})" for user, role in self.memberships)
        lines.append(f"»   staff roles copied: {len(self.memberships)}" + (f" ({staff})" if staff else ""))
        if self.calendar:
            days = ", ".join(f"{c.day.isoformat()} {c.kind}" for c in self.calendar)
            lines.append(f"»   calendar entries staying with {self.old.slug}: {days}")
        for name, (old, new) in sorted(self.plugin_settings.items()):
            lines.append(f"»   plugin {name}: settings {old!r} at {self.old.slug}, "
                         + (f"{new!r} at {self.new.slug}" if new is not None else f"not enabled at {self.new.slug}"))
        return lines


def _open_dossiers(old: Unit) -> list:
    from core.dossiers.models import Dossier
    from core.dossiers.services import STAYS_AT_MERGED_UNIT

    return list(db.session.scalars(select(Dossier).where(
        Dossier.competent_unit_id == old.id, Dossier.status.not_in(STAYS_AT_MERGED_UNIT)).order_by(Dossier.id)))


def _finished_count(old: Unit) -> int:
    from sqlalchemy import func

    from core.dossiers.models import Dossier
    from core.dossiers.services import STAYS_AT_MERGED_UNIT

    return db.session.scalar(select(func.count(Dossier.id)).where(
        Dossier.competent_unit_id == old.id, Dossier.status.in_(STAYS_AT_MERGED_UNIT))) or 0


def _plugin_of(procedure_key: str) -> str:
    from core.plugins.manager import get_procedure

    procedure = get_procedure(procedure_key)
    return procedure.plugin if procedure is not None else procedure_key.split(".", 1)[0]


def plan_merge(old: Unit, new: Unit, merged_on: date, successor_plugins: dict[str, dict] | None = None) -> MergePlan:
    """Check the merge and read what it moves; raises ``MergeError`` naming the reason it is refused.

    ``successor_plugins`` (enabled plugin -> settings) stands for the database's when ``new`` is still only a file
    (a dry run, which must write nothing and tell no plugin)."""
    from core.dossiers.models import CalendarDay
    from core.plugins.manager import enabled_plugins

    if successor_plugins is None:
        successor_plugins = {name: new.plugin_settings(name) for name in enabled_plugins(new)}

    def is_enabled(unit, name):
        return name in successor_plugins

    if old.id == new.id:
        raise MergeError(_("Không thể sáp nhập %(unit)s vào chính nó.", unit=old.name))
    if old.successor_id is not None and old.successor_id != new.id:
        raise MergeError(_("%(unit)s đã được sáp nhập vào đơn vị khác.", unit=old.name))
    if not new.active or new.successor_id is not None:
        raise MergeError(_("Đơn vị nhận sáp nhập %(unit)s không hoạt động.", unit=new.name))
    if new.kind != old.kind:
        raise MergeError(_("Chỉ sáp nhập được các đơn vị cùng cấp (%(old)s và %(new)s khác cấp).",
                           old=old.name, new=new.name))
    plan = MergePlan(old=old, new=new, merged_on=merged_on, dossiers=_open_dossiers(old),
                     finished=_finished_count(old))
    needed: dict[str, list[str]] = {}
    for dossier in plan.dossiers:
        needed.setdefault(_plugin_of(dossier.procedure_key), []).append(dossier.code)
    missing = {name: codes for name, codes in needed.items() if not is_enabled(new, name)}
    if missing:
        raise MergeError(_("%(new)s chưa bật lĩnh vực %(plugins)s mà hồ sơ đang giải quyết của %(old)s cần "
                           "(%(codes)s): bật lĩnh vực này cho %(new)s trước khi sáp nhập.", new=new.name,
                           old=old.name, plugins=", ".join(sorted(missing)),
                           codes=", ".join(c for codes in missing.values() for c in codes[:3])))
    prefix = prefix_of(new.agency_code, new.code)
    other = active_unit_with_prefix(prefix, except_id=new.id) if prefix else None
    if other is not None and other.id != old.id:
        raise MergeError(_("Sau khi sáp nhập, %(new)s và %(other)s cùng dùng mã cơ quan %(code)s (tiền tố mã hồ "
                           "sơ): mỗi đơn vị đang hoạt động phải có mã riêng.", new=new.name, other=other.name,
                           code=prefix))
    have = {(m.user_id, m.role) for m in db.session.scalars(select(Membership).where(Membership.unit_id == new.id))
            } if new.id is not None else set()
    for membership in db.session.scalars(select(Membership).where(Membership.unit_id == old.id)
                                         .order_by(Membership.id)):
        if (membership.user_id, membership.role) not in have:
            plan.memberships.append((membership.user.username, membership.role))
    plan.calendar = list(db.session.scalars(select(CalendarDay).where(CalendarDay.unit_id == old.id)
                                            .order_by(CalendarDay.day)))
    for name in sorted(enabled_plugins(old)):
        settings = old.plugin_settings(name)
        theirs = successor_plugins.get(name)
        if settings and settings != theirs:
            plan.plugin_settings[name] = (settings, theirs)
    return plan


def carry_out(old: Unit, new: Unit, merged_on: date, actor=None, now: datetime | None = None) -> MergePlan:
    """Merge ``old`` into ``new`` in one transaction (checked again inside it); returns what was moved.

    ``actor`` is the administrator doing it from the pages (None from the command line)."""
    from core.dossiers.services import move_to_successor
    from core.plugins.manager import forget_enablement
    from core.tenancy.services import forget_tree

    now = now or utcnow()
    with write_transaction():
        old, new = db.session.merge(old), db.session.merge(new)
        plan = plan_merge(old, new, merged_on)
        old.merged_on = merged_on
        old.successor_id = new.id
        old.active = False
        db.session.flush()
        for dossier in plan.dossiers:
            move_to_successor(dossier, old, new, actor, now)
        copied = set(plan.memberships)
        for membership in list(db.session.scalars(select(Membership).where(Membership.unit_id == old.id))):
            if (membership.user.username, membership.role) in copied:
                db.session.add(Membership(user_id=membership.user_id, unit_id=new.id, role=membership.role))
        db.session.add(ChangeLog(
            at=now, actor_id=actor.id if actor else None,
            actor_name=(actor.full_name or actor.username) if actor else "flask units apply", unit_id=old.id,
            action="unit.merge", target=old.name,
            details={"successor": new.slug, "merged_on": merged_on.isoformat(),
                     "dossiers": [d.code for d in plan.dossiers],
                     "memberships": [list(m) for m in plan.memberships]}))
    forget_tree()
    forget_enablement()
    return plan

