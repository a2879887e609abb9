"""Discovery of plugins, the start-up registries, and per-unit hook calls.

One ``PluginHost`` per application (``app.extensions["motcua"]``), never a module global, so tests cannot leak
plugins into each other. Enablement is data (the ``unit_plugins`` table) and is checked by ``enabled_plugins`` alone,
for hooks, routes, menus and the catalogue.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy
from flask import Flask, abort, current_app, g, request
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import select

from core.config import ConfigError
from core.plugins import hookspecs
from core.plugins.types import DocumentTemplate, Procedure

ENTRY_POINT_GROUP = "motcua.plugins"
CORE_PLUGIN = "core"


@dataclass(frozen=True)
class PluginInfo:
    """Metadata a plugin package declares as ``INFO`` in its ``__init__.py``."""

    name: str
    title: str
    version: str = "0.1.0"
    description: str = ""


@dataclass(frozen=True)
class LoadedPlugin:
    info: PluginInfo
    package: ModuleType
    hooks: ModuleType
    source: str  # "builtin" | "entrypoint"


class PluginHost:
    """The plugin manager of one application and the registries fed by the start-up hooks."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("motcua")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}
        self.procedures: dict[str, Procedure] = {}
        self.documents: dict[str, DocumentTemplate] = {}
        self.transports: dict[str, object] = {}
        self.unit_settings: dict[str, dict] = {}
        self.unit_setting_info: dict[str, dict] = {}

    # --- loading ------------------------------------------------------------------------------------------------
    def load(self, builtin: tuple[str, ...], use_entry_points: bool | tuple[str, ...]) -> None:
        from core.plugins import defaults

        self.pm.register(defaults, name=CORE_PLUGIN)
        for name in builtin:
            try:
                package = importlib.import_module(f"plugins.{name}")
            except ModuleNotFoundError as exc:
                raise ConfigError(
                    f"Plugin '{name}' is listed in INSTALLED_PLUGINS but plugins/{name}/ cannot be imported ({exc}). "
                    "Remove it from MOTCUA_PLUGINS or add the package."
                ) from exc
            self._add(package, "builtin")
        if use_entry_points:
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if ep.name in self.plugins or (use_entry_points is not True and ep.name not in use_entry_points):
                    continue  # a tuple names the ones wanted (test apps stay hermetic)
                self._add(ep.load(), "entrypoint")
        self.pm.check_pending()

    def _add(self, package: ModuleType, source: str) -> None:
        info = getattr(package, "INFO", None)
        if not isinstance(info, PluginInfo):
            raise ConfigError(f"Plugin package {package.__name__} has no INFO = PluginInfo(...) in its __init__.py.")
        if info.name in self.plugins or info.name == CORE_PLUGIN:
            raise ConfigError(f"Two plugins are named '{info.name}'. Rename one of them.")
        hooks = importlib.import_module(f"{package.__name__}.hooks")
        if importlib.util.find_spec(f"{package.__name__}.models") is not None:
            importlib.import_module(f"{package.__name__}.models")  # tables join the metadata
        self.pm.register(hooks, name=info.name)
        self.plugins[info.name] = LoadedPlugin(info, package, hooks, source)

    def collect(self, app: Flask) -> None:
        """Call the start-up hooks once and fill the registries (immutable afterwards)."""
        for procedures, plugin in self._results_by_plugin("register_procedures"):
            for procedure in procedures or []:
                if not procedure.key.startswith(f"{plugin}."):
                    raise ConfigError(
                        f"Procedure key '{procedure.key}' of plugin '{plugin}' must start with '{plugin}.'"
                    )
                if procedure.key in self.procedures:
                    raise ConfigError(f"Procedure '{procedure.key}' is declared twice. Each key has exactly one owner.")
                if not procedure.versions:
                    raise ConfigError(f"Procedure '{procedure.key}' declares no version.")
                self.procedures[procedure.key] = procedure
        for templates, _plugin in self._results_by_plugin("register_document_templates"):
            for template in templates or []:
                if template.key in self.documents:
                    raise ConfigError(f"Document template '{template.key}' is declared twice.")
                self.documents[template.key] = template
        for transports, _plugin in self._results_by_plugin("register_notification_transports"):
            self.transports.update(transports or {})
        for settings, plugin in self._results_by_plugin("register_unit_settings"):
            self.unit_settings[plugin] = dict(settings or {})
        for described, plugin in self._results_by_plugin("register_unit_setting_info"):
            self.unit_setting_info[plugin] = dict(described or {})
        for commands, _plugin in self._results_by_plugin("register_cli_commands"):
            for command in commands or []:
                app.cli.add_command(command)
        for blueprints, plugin in self._results_by_plugin("register_blueprints"):
            for blueprint in blueprints or []:
                app.register_blueprint(blueprint, url_prefix=f"/<unit_slug>/{plugin}")
                # The check is attached to this app, not to the blueprint: a plugin's module (and so its blueprint)
                # serves every app built in the process, and Flask forbids changing a blueprint once registered.
                app.before_request_funcs.setdefault(blueprint.name, []).insert(0, _require_enabled(plugin))
        loaders = [app.jinja_loader]
        for loaded in self.plugins.values():
            folder = Path(loaded.package.__file__).parent / "templates"
            if folder.is_dir():
                loaders.append(FileSystemLoader(str(folder)))
        app.jinja_loader = ChoiceLoader(loaders)

    def _results_by_plugin(self, hook_name: str):
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            yield impl.function(), impl.plugin_name

    # --- queries ------------------------------------------------------------------------------------------------
    def plugin_names(self) -> list[str]:
        return sorted(self.plugins)

    def hook_names(self, plugin: str) -> list[str]:
        loaded = self.pm.get_plugin(plugin)
        return sorted(c.name for c in self.pm.get_hookcallers(loaded) or [])


def host() -> PluginHost:
    return current_app.extensions["motcua"]


def enabled_plugins(unit) -> frozenset[str]:
    """THE enablement check: installed plugins that the unit has enabled (cached for the request)."""
    from core.extensions import db
    from core.tenancy.models import UnitPlugin

    if unit is None:
        return frozenset()
    cache = g.setdefault("_enabled_plugins", {})
    if unit.id not in cache:
        names = db.session.scalars(
            select(UnitPlugin.plugin).where(UnitPlugin.unit_id == unit.id, UnitPlugin.enabled.is_(True))
        ).all()
        cache[unit.id] = frozenset(n for n in names if n in host().plugins)
    return cache[unit.id]


def forget_enablement() -> None:
    """Drop the per-request enablement cache after a change of enablement."""
    g.pop("_enabled_plugins", None)


def is_enabled(unit, plugin: str) -> bool:
    return plugin in enabled_plugins(unit)


class UnitHooks:
    """Attribute access to hook callers restricted to the plugins a unit enabled (plus core's defaults)."""

    def __init__(self, pm: pluggy.PluginManager, disabled: list) -> None:
        self._pm = pm
        self._disabled = disabled

    def __getattr__(self, name: str):
        return self._pm.subset_hook_caller(name, remove_plugins=self._disabled)


def hooks_for(unit) -> UnitHooks:
    """Runtime hooks for ``unit``: a plugin the unit has not enabled is never called."""
    h = host()
    enabled = enabled_plugins(unit)
    disabled = [h.pm.get_plugin(name) for name in h.plugins if name not in enabled]
    return UnitHooks(h.pm, disabled)


def procedures_for(unit) -> list[Procedure]:
    """The procedures a unit offers: those of its enabled plugins, in catalogue order."""
    enabled = enabled_plugins(unit)
    found = [p for p in host().procedures.values() if p.plugin in enabled]
    return sorted(found, key=lambda p: (p.field, p.order, p.name))


def get_procedure(key: str) -> Procedure | None:
    return host().procedures.get(key)


def _require_enabled(plugin: str):
    def check():
        from core.tenancy.services import get_unit_or_none

        unit = get_unit_or_none((request.view_args or {}).get("unit_slug", ""))
        if unit is None or not is_enabled(unit, plugin):
            abort(404)

    return check
