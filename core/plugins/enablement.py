"""The one way a unit enables, disables or reconfigures a plugin: the admin pages and ``flask units apply`` both
come here (CODE-02).

One call is one change inside the caller's transaction: the ``unit_plugins`` row, its ``ChangeLog`` entries, and the
hooks, so what ``on_plugin_enabled`` writes is committed (or rolled back) together with the enablement.
``on_plugin_disabled`` is called while the plugin is still enabled (so the plugin being disabled hears it too),
``on_plugin_enabled`` once it is.
"""

from __future__ import annotations

from sqlalchemy import select

from core.db_types import utcnow
from core.extensions import db
from core.plugins.manager import forget_enablement, hooks_for, host
from core.tenancy.models import ChangeLog, UnitPlugin

UNIT_FILES = "flask units apply"  # who changed it, in the change log, when no officer did


def set_enablement(unit, plugin: str, enabled: bool, settings: dict | None = None, actor=None) -> list[str]:
    """Make ``plugin`` enabled (or not) for ``unit`` with ``settings`` (the complete new settings; ``None`` keeps
    them). Returns what changed: ``"enabled"``, ``"settings"``. See ``apply_enablements``."""
    return apply_enablements(unit, {plugin: (enabled, settings)}, actor)[plugin]


def apply_enablements(unit, wanted: dict[str, tuple[bool, dict | None]], actor=None) -> dict[str, list[str]]:
    """Bring several plugins of one unit to ``wanted`` (plugin -> (enabled, settings or None to keep them)).

    Returns, per plugin, what changed: ``"enabled"``, ``"settings"`` (compared with the plugin's defaults filled in,
    since that is what the plugin reads). ``actor`` has ``id`` and ``name``; ``None`` means the unit files. A plugin
    with nothing to change writes nothing. Every plugin disabled here hears it first, while still enabled; every
    plugin enabled here is announced once all of them are written, so those enabled together hear of each other.
    The caller commits.
    """
    rows = {row.plugin: row for row in db.session.scalars(select(UnitPlugin).where(UnitPlugin.unit_id == unit.id))}
    changes: dict[str, list[str]] = {}
    plans = []
    for plugin, (enabled, settings) in wanted.items():
        row = rows.get(plugin)
        was_enabled = bool(row and row.enabled)
        old_settings = dict(row.settings or {}) if row else {}
        new_settings = old_settings if settings is None else dict(settings)
        defaults = dict(host().unit_settings.get(plugin, {}))
        changed = []
        if was_enabled != enabled:
            changed.append("enabled")
        if {**defaults, **new_settings} != {**defaults, **old_settings}:
            changed.append("settings")
        changes[plugin] = changed
        if changed or row is None:
            plans.append((plugin, row, enabled, was_enabled, old_settings, new_settings, changed))
    for plugin, _row, enabled, was_enabled, *_rest in plans:
        if was_enabled and not enabled:
            hooks_for(unit).on_plugin_disabled(unit=unit, plugin=plugin)
    for plugin, row, enabled, _was, old_settings, new_settings, changed in plans:
        if row is None:
            # Through the relationship, so unit.plugin_settings() sees it at once.
            unit.plugins.append(UnitPlugin(plugin=plugin, enabled=enabled, settings=new_settings))
        else:
            row.enabled = enabled
            row.settings = new_settings  # a new dict: JSON columns notice replacement, not mutation
        if "enabled" in changed:
            _log(actor, unit.id, "plugin.enable" if enabled else "plugin.disable", plugin)
        if "settings" in changed:
            _log(actor, unit.id, "plugin.settings", plugin, {"old": old_settings, "new": new_settings})
    db.session.flush()
    forget_enablement()
    for plugin, _row, enabled, was_enabled, *_rest in plans:
        if enabled and not was_enabled:
            hooks_for(unit).on_plugin_enabled(unit=unit, plugin=plugin)
    return changes


def _log(actor, unit_id: int, action: str, target: str, details: dict | None = None) -> None:
    db.session.add(ChangeLog(at=utcnow(), actor_id=getattr(actor, "id", None),
                             actor_name=getattr(actor, "name", None) or UNIT_FILES, unit_id=unit_id, action=action,
                             target=target, details=details or {}))
