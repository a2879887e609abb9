"""communes/*.toml: one file per unit. Validate every file, then apply them idempotently in one transaction.

A file looks like::

    slug = "lim"
    code = "09319"
    name = "Trung tâm Phục vụ hành chính công Thị trấn Lim"
    kind = "commune"              # province | district | commune | office
    parent = "tien-du"            # slug of the parent unit (omit for the root)
    agency_code = "DEMO.09319"    # agency identifier used in dossier codes
    office_hours = "07:30-11:30,13:30-17:00"

    [settings]                    # optional; see CORE_UNIT_SETTINGS
    public_note = "Nghỉ trưa từ 11 giờ."
    [settings.documents]          # optional: how the printed forms name the unit (all three keys optional)
    agency = "UBND xã Hoàn Sơn"   # the governing body, first header line
    desk = "Bộ phận Một cửa"      # the issuing desk, second header line
    place = "Hoàn Sơn"            # the place name before the date

    [plugins.civil_status]        # one table per enabled plugin; keys are that plugin's settings
    late_fee = 8000
    [plugins.land]
    enabled = false               # listed but disabled

A unit merged into another (the 2025 reform) says so with ``merged_into = "<new slug>"`` and
``merged_on = "YYYY-MM-DD"``; ``flask units apply`` carries the merge out from that day on (core.merging.merge).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from core.db_types import utcnow
from core.extensions import db
from core.localtime import local_day
from core.officehours import DEADLINE_ENDS, OfficeHours
from core.tenancy.agency import AGENCY_CODE_MAX, agency_code_ok, prefix_of
from core.tenancy.models import UNIT_KINDS, Unit
from core.tenancy.slugs import reserved_slugs

UNIT_KEYS = {"slug", "code", "name", "kind", "parent", "agency_code", "office_hours", "address", "phone", "active",
             "settings", "plugins", "merged_into", "merged_on", "file_anywhere"}
CORE_UNIT_SETTINGS: dict[str, object] = {"public_note": "", "receipt_note": "", "deadline_end": "",
                                          "documents": {},
                                          # false: online filing needs VNeID sign-in (core.citizens.policy)
                                          "allow_anonymous_online": True}
# [settings.documents]: the print header and place line of the official forms (core/documents/forms.py).
DOCUMENT_SETTINGS = ("agency", "desk", "place")


class UnitFileError(ValueError):
    """A problem in one communes/*.toml file, with the file and line it is on."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line = path, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass
class UnitSpec:
    path: Path
    slug: str
    code: str
    name: str
    kind: str
    parent: str | None
    agency_code: str
    office_hours: str
    address: str
    phone: str
    active: bool
    settings: dict
    plugins: dict[str, dict] = field(default_factory=dict)  # name -> {"enabled": bool, "settings": {...}}
    merged_into: str | None = None  # slug of the successor (core.merging.merge)
    merged_on: date | None = None

    def merge_due(self) -> bool:
        return self.merged_into is not None and merge_is_due(self.merged_on)


_HEADER_RE = re.compile(r"^\s*\[\[?([^\]]*)\]\]?")
_TOML_LINE_RE = re.compile(r"at line (\d+)")


def _table_name(header: str) -> str:
    return header.replace('"', "").replace("'", "").replace(" ", "")


def _table_line(text: str, table: str) -> int | None:
    """Line of the header ``[table]``."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER_RE.match(line)
        if match and _table_name(match.group(1)) == table:
            return number
    return None


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """Line where ``key`` is assigned inside ``[table]`` (None: the top level), else a header or any mention."""
    current: str | None = None
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER_RE.match(line)
        if match:
            current = _table_name(match.group(1))
        elif current == table and assignment.match(line):
            return number
    found = _table_line(text, f"{table}.{key}" if table else key)
    if found:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if key in line:
            return number
    return None


def parse_file(path: Path, plugin_settings: dict[str, dict]) -> UnitSpec:
    """Parse and check one file against the installed plugins and their declared settings."""
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)  # Python 3.14+; before, the line is only in the message
        if line is None and (match := _TOML_LINE_RE.search(str(exc))):
            line = int(match.group(1))
        raise UnitFileError(path, line, f"invalid TOML ({exc})") from exc

    def fail(message: str, key: str | None = None, table: str | None = None):
        raise UnitFileError(path, _line_of(text, key, table) if key else None, message)

    _check_unit(raw, fail)
    settings = raw.get("settings", {})
    _check_settings(settings, fail)
    merged_into, merged_on = _merge_keys(raw, fail)
    if "file_anywhere" in raw:
        # Decree 118/2025: procedures citizens may file at any commune of the province (core.dossiers.anywhere).
        settings = {**settings, "file_anywhere": _file_anywhere(raw, fail)}
    plugins = {name: _plugin_spec(name, table, plugin_settings, fail)
               for name, table in (raw.get("plugins") or {}).items()}
    return UnitSpec(
        path=path, slug=raw["slug"], code=raw["code"], name=raw["name"], kind=raw["kind"], parent=raw.get("parent"),
        agency_code=raw.get("agency_code", ""), office_hours=raw.get("office_hours", ""),
        address=raw.get("address", ""), phone=raw.get("phone", ""), active=bool(raw.get("active", True)),
        settings=settings, plugins=plugins, merged_into=merged_into, merged_on=merged_on,
    )


def _check_unit(raw: dict, fail) -> None:
    """The unit's own keys: known, of the right type, a valid agency code and office hours."""
    for key in raw:
        if key not in UNIT_KEYS:
            fail(f"unknown key '{key}' (allowed: {', '.join(sorted(UNIT_KEYS))})", key)
    for required in ("slug", "code", "name", "kind"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            fail(f"'{required}' is required and must be a non-empty string", required)
    if raw["kind"] not in UNIT_KINDS:
        fail(f"unknown kind '{raw['kind']}' (allowed: {', '.join(UNIT_KINDS)})", "kind")
    for key in ("parent", "agency_code", "office_hours", "address", "phone"):
        if key in raw and not isinstance(raw[key], str):
            fail(f"'{key}' must be a string", key)
    if not isinstance(raw.get("active", True), bool):
        fail("'active' must be true or false", "active")
    if raw.get("agency_code") and not agency_code_ok(raw["agency_code"]):
        fail(f"bad agency_code '{raw['agency_code']}': use ASCII letters and digits in groups joined by dots "
             f"(QCVN 102 shape, e.g. 000.00.12.H56), at most {AGENCY_CODE_MAX} characters", "agency_code")
    for key in ("settings", "plugins"):
        if not isinstance(raw.get(key, {}), dict):
            fail(f"'{key}' must be a table ([{key}])", key)
    hours = raw.get("office_hours", "")
    try:
        OfficeHours.parse(hours)
    except ValueError as exc:
        fail(f"bad office_hours '{hours}': {exc}", "office_hours")


def _check_settings(settings: dict, fail) -> None:
    """[settings] and [settings.documents]: known keys of the right type, a known deadline_end."""
    for key, value in settings.items():
        if key not in CORE_UNIT_SETTINGS:
            fail(f"unknown setting '{key}' in [settings] (known: {', '.join(sorted(CORE_UNIT_SETTINGS))})", key,
                 "settings")
        if not isinstance(value, type(CORE_UNIT_SETTINGS[key])):
            kind = {"documents": "a table ([settings.documents])", "allow_anonymous_online": "true or false"}.get(
                key, "a string")
            fail(f"setting '{key}' in [settings] must be {kind}", key, "settings")
    for key, value in settings.get("documents", {}).items():
        if key not in DOCUMENT_SETTINGS:
            fail(f"unknown setting '{key}' in [settings.documents] (known: {', '.join(DOCUMENT_SETTINGS)})", key,
                 "settings.documents")
        if not isinstance(value, str) or len(value) > 200:
            fail(f"'{key}' in [settings.documents] must be a string of at most 200 characters", key,
                 "settings.documents")
    if settings.get("deadline_end", "") not in ("", *DEADLINE_ENDS):
        fail(f"bad deadline_end '{settings['deadline_end']}' (expected: {', '.join(DEADLINE_ENDS)})", "deadline_end",
             "settings")


def _plugin_spec(name: str, table, plugin_settings: dict[str, dict], fail) -> dict:
    """{"enabled", "settings"} of one [plugins.<name>] table, checked against the plugin's declared settings."""
    if name not in plugin_settings:
        fail(f"unknown plugin '{name}' (installed: {', '.join(sorted(plugin_settings)) or 'none'})", name,
             "plugins")
    if not isinstance(table, dict):
        fail(f"[plugins.{name}] must be a table", name, "plugins")
    declared = plugin_settings[name]
    values = {}
    where = f"plugins.{name}"
    for key, value in table.items():
        if key == "enabled":
            if not isinstance(value, bool):
                fail(f"'enabled' of plugin '{name}' must be true or false", key, where)
            continue
        if key not in declared:
            fail(f"unknown setting '{key}' for plugin '{name}' (known: {', '.join(sorted(declared)) or 'none'})",
                 key, where)
        default = declared[key]
        if default is not None and not _same_type(value, default):
            fail(f"setting '{key}' of plugin '{name}' must be of type {type(default).__name__}", key, where)
        values[key] = value
    return {"enabled": bool(table.get("enabled", True)), "settings": values}


def merge_is_due(merged_on: date, today: date | None = None) -> bool:
    """A merge is carried out from its day on (Vietnam date), never ahead of it."""
    return merged_on <= (today or local_day(utcnow()))


def _file_anywhere(raw: dict, fail) -> list[str]:
    from core.plugins.manager import get_procedure

    keys = raw["file_anywhere"]
    if raw.get("kind") != "province":
        fail("'file_anywhere' is declared by the province", "file_anywhere")
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        fail("'file_anywhere' must be a list of procedure keys", "file_anywhere")
    unknown = [k for k in keys if get_procedure(k) is None]
    if unknown:
        fail(f"unknown procedure(s) in file_anywhere: {', '.join(unknown)}", "file_anywhere")
    return sorted(set(keys))


def _merge_keys(raw: dict, fail) -> tuple[str | None, date | None]:
    """``merged_into`` (a slug) and ``merged_on`` (a date, quoted or not) come together or not at all."""
    into, on = raw.get("merged_into"), raw.get("merged_on")
    if into is None and on is None:
        return None, None
    if not isinstance(into, str) or not into.strip():
        fail("'merged_into' must be the slug of the unit this one is merged into (with merged_on)",
             "merged_into" if "merged_into" in raw else "merged_on")
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on.strip())
        except ValueError:
            fail(f"bad merged_on '{on}': expected a date YYYY-MM-DD", "merged_on")
    if not isinstance(on, date) or hasattr(on, "hour"):
        fail("'merged_on' must be a date YYYY-MM-DD (the day the merge takes effect)",
             "merged_on" if "merged_on" in raw else "merged_into")
    if into == raw.get("slug"):
        fail("a unit cannot be merged into itself", "merged_into")
    return into, on


def _same_type(value, default) -> bool:
    """TOML value of the default's type; a bool is not an int here, an int is accepted where a float is."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def load_specs(folder: Path, plugin_settings: dict[str, dict], overlay: Path | None = None) -> list[UnitSpec]:
    """Parse every file; check slugs are unique and parents exist (in the files or the database).

    A file of ``overlay`` (a folder, e.g. ``communes/reform-2025`` read by ``flask demo reform``) replaces the file
    of the same name in ``folder``, or adds one."""
    files = {p.name: p for p in sorted(folder.glob("*.toml"))}
    if overlay is not None:
        files |= {p.name: p for p in sorted(overlay.glob("*.toml"))}
    specs = [parse_file(files[name], plugin_settings) for name in sorted(files)]
    seen: dict[str, Path] = {}
    reserved = reserved_slugs()
    for spec in specs:
        if spec.slug in reserved:
            line = _line_of(spec.path.read_text(encoding="utf-8"), "slug")
            raise UnitFileError(spec.path, line, f"slug '{spec.slug}' is reserved for the system's own pages")
        if spec.slug in seen:
            line = _line_of(spec.path.read_text(encoding="utf-8"), "slug")
            raise UnitFileError(spec.path, line, f"slug '{spec.slug}' is also used by {seen[spec.slug]}")
        seen[spec.slug] = spec.path
    known = set(seen) | set(db.session.scalars(select(Unit.slug)))
    for spec in specs:
        if spec.parent is not None and spec.parent not in known:
            text = spec.path.read_text(encoding="utf-8")
            raise UnitFileError(spec.path, _line_of(text, "parent"), f"parent '{spec.parent}' is not a known unit")
        if spec.parent == spec.slug:
            line = _line_of(spec.path.read_text(encoding="utf-8"), "parent")
            raise UnitFileError(spec.path, line, "a unit cannot be its own parent")
        if spec.merged_into is not None:
            successor = next((s for s in specs if s.slug == spec.merged_into), None)
            if spec.merged_into not in known or (successor is not None and successor.merged_into is not None):
                line = _line_of(spec.path.read_text(encoding="utf-8"), "merged_into")
                raise UnitFileError(spec.path, line, f"merged_into '{spec.merged_into}' is not a known unit that "
                                                     "stays (a successor cannot itself be merged)")
    _check_prefixes(specs)
    return _parents_first(specs)


def _prefix_line(spec: UnitSpec) -> int | None:
    return _line_of(spec.path.read_text(encoding="utf-8"), "agency_code" if spec.agency_code else "code")


def _check_prefixes(specs: list[UnitSpec]) -> None:
    """Two active units with one dossier-code prefix would hand out the same codes: name both places."""
    seen: dict[str, UnitSpec] = {}
    for spec in specs:
        if not spec.active or spec.merge_due():  # a unit merged today or earlier gives its code up
            continue
        prefix = prefix_of(spec.agency_code, spec.code).upper()
        other = seen.get(prefix)
        if other is not None:
            raise UnitFileError(spec.path, _prefix_line(spec),
                                f"agency code '{prefix_of(spec.agency_code, spec.code)}' (the prefix of dossier codes) "
                                f"is also used by active unit '{other.slug}' at {other.path}:{_prefix_line(other)}")
        seen[prefix] = spec
    in_files = {s.slug for s in specs}
    for unit in db.session.scalars(select(Unit).where(Unit.active.is_(True))):
        spec = seen.get(prefix_of(unit.agency_code, unit.code).upper())
        if unit.slug not in in_files and spec is not None and spec.slug != unit.slug:
            raise UnitFileError(spec.path, _prefix_line(spec),
                                f"agency code '{prefix_of(spec.agency_code, spec.code)}' (the prefix of dossier codes) "
                                f"is also used by active unit '{unit.slug}' in the database (no file)")


def _parents_first(specs: list[UnitSpec]) -> list[UnitSpec]:
    by_slug = {s.slug: s for s in specs}
    ordered, placed = [], set()

    def place(spec: UnitSpec, trail: tuple[str, ...] = ()):
        if spec.slug in placed:
            return
        if spec.slug in trail:
            line = _line_of(spec.path.read_text(encoding="utf-8"), "parent")
            raise UnitFileError(spec.path, line, f"cycle in parents: {' > '.join(trail + (spec.slug,))}")
        if spec.parent in by_slug:
            place(by_slug[spec.parent], trail + (spec.slug,))
        ordered.append(spec)
        placed.add(spec.slug)

    for spec in specs:
        place(spec)
    return ordered


def diff_specs(specs: list[UnitSpec]) -> list[str]:
    """Human-readable differences between the files and the database (empty list: no drift)."""
    lines = []
    units = {u.slug: u for u in db.session.scalars(select(Unit))}
    for spec in specs:
        unit = units.get(spec.slug)
        if unit is None:
            lines.append(f"+ {spec.slug}: in {spec.path.name}, not in the database")
            continue
        if unit.successor_id is not None and spec.merged_into is None:
            successor = next((u.slug for u in units.values() if u.id == unit.successor_id), "?")
            lines.append(f"! {spec.slug}: merged into {successor} on {unit.merged_on} in the database; its file "
                         "does not say so (a merge is not undone)")
        for attr, wanted in _attributes(spec, units).items():
            current = getattr(unit, attr)
            if current != wanted:
                lines.append(f"~ {spec.slug}.{attr}: database {current!r}, file {wanted!r}")
        current_plugins = {p.plugin: {"enabled": p.enabled, "settings": dict(p.settings or {})} for p in unit.plugins}
        for name in sorted(set(current_plugins) | set(spec.plugins)):
            if current_plugins.get(name) != spec.plugins.get(name):
                lines.append(f"~ {spec.slug}.plugins.{name}: database {current_plugins.get(name)!r}, "
                             f"file {spec.plugins.get(name)!r}")
    for slug in sorted(set(units) - {s.slug for s in specs}):
        lines.append(f"- {slug}: in the database, no file")
    return lines


def _attributes(spec: UnitSpec, units: dict[str, Unit]) -> dict:
    parent = units.get(spec.parent) if spec.parent else None
    values = {
        "code": spec.code, "name": spec.name, "kind": spec.kind,
        "parent_id": parent.id if parent else None, "agency_code": spec.agency_code,
        "office_hours": spec.office_hours, "address": spec.address, "phone": spec.phone,
        "active": spec.active, "settings": spec.settings,
    }
    unit = units.get(spec.slug)
    if spec.merged_into is not None or (unit is not None and unit.successor_id is not None):
        del values["active"]  # only the merge itself deactivates the unit, and nothing reactivates a merged one
    return values


def apply_specs(specs: list[UnitSpec]) -> list[str]:
    """Create or update units and their plugins to match the files; returns what changed. Caller commits.

    Plugins are enabled, disabled and reconfigured through the same service as the admin pages
    (``core.plugins.enablement``): same change-log entries, same hooks, all inside the caller's transaction.
    """
    from core.plugins.enablement import apply_enablements
    from core.tenancy.services import forget_tree

    changes = diff_specs(specs)
    units = {u.slug: u for u in db.session.scalars(select(Unit))}
    for spec in specs:
        unit = units.get(spec.slug)
        if unit is None:
            unit = Unit(slug=spec.slug)
            db.session.add(unit)
            units[spec.slug] = unit
        for attr, value in _attributes(spec, units).items():
            if attr == "parent_id":
                unit.parent = units.get(spec.parent) if spec.parent else None
            elif getattr(unit, attr) != value:
                setattr(unit, attr, value)
    db.session.flush()
    forget_tree()
    for spec in specs:
        unit = units[spec.slug]
        listed = {name: (wanted["enabled"], wanted["settings"]) for name, wanted in spec.plugins.items()}
        dropped = {row.plugin: (False, None) for row in unit.plugins if row.plugin not in spec.plugins}
        apply_enablements(unit, {**dropped, **listed})
        for row in [p for p in unit.plugins if p.plugin in dropped]:
            unit.plugins.remove(row)  # no longer in the file: disabled (and logged) above, then forgotten
        db.session.flush()
    return changes
