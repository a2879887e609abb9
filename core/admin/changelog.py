"""The change log in words: each row's object and details as a reader of the administration page says them.

Rows keep what was stored (slugs, keys, ISO dates, old and new settings) so nothing is lost; this module only turns
them into translated, human-readable lines. A kind of row it does not know is still shown, key by key.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.officer.actions import ROLE_LABELS
from core.plugins.manager import host
from core.plugins.types import translate
from core.tenancy.models import ChangeLog, Unit

UNIT_FIELD_LABELS = {
    "slug": _l("Tên đường dẫn"), "name": _l("Tên đơn vị"), "code": _l("Mã đơn vị hành chính"),
    "kind": _l("Loại đơn vị"), "parent_id": _l("Trực thuộc"), "agency_code": _l("Mã định danh cơ quan"),
    "office_hours": _l("Giờ làm việc"), "address": _l("Địa chỉ"), "phone": _l("Số điện thoại"),
}
USER_FIELD_LABELS = {"full_name": _l("họ và tên"), "active": _l("trạng thái"), "password": _l("mật khẩu")}
DAY_KINDS = {"off": _l("Ngày nghỉ thêm"), "work": _l("Ngày làm bù (làm việc)")}


class Describer:
    """Describes the rows of one page; ``units`` maps ids to units (slugs are looked up among them)."""

    def __init__(self, units: dict[int, Unit]):
        self.units = units
        self.by_slug = {u.slug: u for u in units.values()}

    # --- pieces ------------------------------------------------------------------------------------------------
    def unit_name(self, slug_or_id) -> str:
        unit = self.units.get(slug_or_id) if isinstance(slug_or_id, int) else self.by_slug.get(slug_or_id)
        if unit is not None:
            return unit.name
        return str(slug_or_id) if slug_or_id not in (None, "") else _("Mọi đơn vị (toàn hệ thống)")

    def value(self, value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        if isinstance(value, (int, float)):
            return format_decimal(value)
        if isinstance(value, (list, tuple)):
            return ", ".join(self.value(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {self.value(v)}" for k, v in value.items())
        return str(value)

    @staticmethod
    def day(text: str) -> str:
        try:
            return date.fromisoformat(text).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(text)

    @staticmethod
    def plugin_title(name: str) -> str:
        loaded = host().plugins.get(name)
        return translate(loaded.info.title) if loaded else name

    def unit_field(self, key: str, value) -> str:
        if key == "kind":
            from core.admin.forms import KIND_LABELS

            return str(KIND_LABELS.get(value, value))
        if key == "parent_id":
            return self.unit_name(value)
        return self.value(value)

    def setting(self, plugin: str, key: str, value) -> tuple[str, str]:
        info = host().unit_setting_info.get(plugin, {}).get(key)
        label = translate(info.label) if info else key.replace("_", " ").capitalize()
        if info and info.kind == "office":
            return label, self.unit_name(value) if value else _("văn phòng được chỉ định mặc định")
        shown = self.value(value)
        if info and info.unit and value not in (None, ""):
            shown = f"{shown} {translate(info.unit)}"
        return label, shown

    # --- rows --------------------------------------------------------------------------------------------------
    def target(self, row: ChangeLog) -> str:
        if row.action.startswith("plugin."):
            return self.plugin_title(row.target)
        if row.action.startswith("calendar."):
            return self.day(row.target)
        return row.target

    def details(self, row: ChangeLog) -> list[str]:
        details = dict(row.details or {})
        action = row.action
        if action == "unit.create":
            return [f"{UNIT_FIELD_LABELS.get(k, k)}: {self.unit_field(k, v)}" for k, v in details.items()
                    if v not in (None, "")]
        if action == "unit.update":
            return [f"{UNIT_FIELD_LABELS.get(k, k)}: {self.unit_field(k, pair[0])} → {self.unit_field(k, pair[1])}"
                    for k, pair in details.items() if isinstance(pair, (list, tuple)) and len(pair) == 2]
        if action == "plugin.settings":
            old, new = details.get("old") or {}, details.get("new") or {}
            defaults = host().unit_settings.get(row.target, {})
            lines = []
            for key in sorted(set(old) | set(new), key=lambda k: list(defaults).index(k) if k in defaults else 99):
                before, after = old.get(key, defaults.get(key)), new.get(key, defaults.get(key))
                if before != after:
                    label, shown_before = self.setting(row.target, key, before)
                    lines.append(f"{label}: {shown_before} → {self.setting(row.target, key, after)[1]}")
            return lines
        if action in ("user.create", "role.grant", "role.revoke"):
            lines = [f"{_('Họ và tên')}: {details['full_name']}"] if details.get("full_name") else []
            if details.get("role"):
                role = ROLE_LABELS.get(details["role"], details["role"])
                lines.append(f"{_('Vai trò')}: {role} — {self.unit_name(details.get('unit'))}")
            return lines
        if action == "user.update":
            changed = ", ".join(str(USER_FIELD_LABELS.get(k, k)) for k in details.get("changed") or [])
            lines = [_("Đã đổi: %(what)s", what=changed)] if changed else []
            if "active" in (details.get("changed") or []):
                lines.append(_("Đang hoạt động") if details.get("active") else _("Đã khóa"))
            return lines
        if action.startswith("calendar."):
            lines = [str(DAY_KINDS.get(details.get("kind"), details.get("kind") or ""))]
            if "unit" in details:
                lines.append(f"{_('Áp dụng cho')}: {self.unit_name(details.get('unit'))}")
            if details.get("note"):
                lines.append(f"{_('Ghi chú')}: {details['note']}")
            return [line for line in lines if line]
        return [f"{key}: {self.value(value)}" for key, value in details.items()]
