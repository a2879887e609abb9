"""Discovery of plugins, the start-up registries, and per-unit hook calls.

One ``PluginHost`` per application (``app.extensions["motcua"]``), never a module global, so tests cannot leak
plugins into each other. Enablement is data (the ``unit_plugins`` table) and is checked by ``enabled_plugins`` alone,
for hooks, routes, menus and the catalogue.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pluggy
from flask import Blueprint, Flask, abort, current_app, g, request
from jinja2 import ChoiceLoader, FileSystemLoader
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from core.config import ConfigError
from core.plugins import hookspecs
from core.plugins.types import DocumentTemplate, Procedure
from core.version import __version__ as CORE_VERSION

ENTRY_POINT_GROUP = "motcua.plugins"
CORE_PLUGIN = "core"
PAGE_PERMISSION = "dossier.view"  # what a plugin page asks by default: any role over the unit
log = logging.getLogger("motcua.plugins")


@dataclass(frozen=True)
class PluginInfo:
    """Metadata a plugin package declares as ``INFO`` in its ``__init__.py``.

    ``core_versions`` is a version specifier (PEP 440, e.g. ``">=1.0,<2"``) of the Một Cửa core versions the plugin
    supports; a plugin that does not support the running core is refused at start-up. Empty: any version.
    """

    name: str
    title: str
    version: str = "0.1.0"
    description: str = ""
    core_versions: str = ""


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
        self.national_connector = None  # register_national_portal_connector (firstresult)
        self.payment_providers: dict[str, tuple[str, object]] = {}  # provider name -> (plugin, PaymentProvider)
        self.unit_settings: dict[str, dict] = {}
        self.unit_setting_info: dict[str, dict] = {}
        self.permissions: dict[str, frozenset[str]] = {}  # declared by plugins (register_permissions)
        self.blueprint_names: dict[str, str] = {}  # blueprint name -> plugin

    def trace(self) -> None:
        """Log every hook call, its arguments and results (``MOTCUA_TRACE_PLUGINS=1``), start-up hooks included."""

        def before(hook_name, hook_impls, kwargs):
            log.info("hook %s(%s) -> %s", hook_name, ", ".join(sorted(kwargs)),
                     ", ".join(impl.plugin_name for impl in hook_impls))

        def after(outcome, hook_name, hook_impls, kwargs):
            log.info("hook %s returned %r", hook_name, outcome.get_result() if outcome.exception is None
                     else outcome.exception)

        self.pm.add_hookcall_monitoring(before, after)

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
        _check_core_versions(info)
        hooks = importlib.import_module(f"{package.__name__}.hooks")
        if importlib.util.find_spec(f"{package.__name__}.models") is not None:
            importlib.import_module(f"{package.__name__}.models")  # tables join the metadata
        self.pm.register(hooks, name=info.name)
        self.plugins[info.name] = LoadedPlugin(info, package, hooks, source)

    def collect(self, app: Flask) -> None:
        """Call the start-up hooks once and fill the registries (immutable afterwards)."""
        self._collect_procedures()
        for templates, _plugin in self._results_by_plugin("register_document_templates"):
            for template in templates or []:
                if template.key in self.documents:
                    raise ConfigError(f"Document template '{template.key}' is declared twice.")
                self.documents[template.key] = template
        for transports, _plugin in self._results_by_plugin("register_notification_transports"):
            self.transports.update(transports or {})
        connectors = [(c, plugin) for c, plugin in self._results_by_plugin("register_national_portal_connector")
                      if c is not None]
        replacing = [plugin for _c, plugin in connectors if plugin != CORE_PLUGIN]
        if len(replacing) > 1:
            raise ConfigError(f"Plugins {', '.join(replacing)} each provide a national portal connector; install one.")
        chosen = [c for c, plugin in connectors if plugin != CORE_PLUGIN] or [c for c, _plugin in connectors]
        self.national_connector = chosen[0] if chosen else None
        self._collect_payment_providers()
        for settings, plugin in self._results_by_plugin("register_unit_settings"):
            self.unit_settings[plugin] = dict(settings or {})
        for described, plugin in self._results_by_plugin("register_unit_setting_info"):
            self.unit_setting_info[plugin] = dict(described or {})
        for declared, plugin in self._results_by_plugin("register_permissions"):
            self.permissions.update(_checked_permissions(plugin, declared or {}))
        for commands, _plugin in self._results_by_plugin("register_cli_commands"):
            for command in commands or []:
                app.cli.add_command(command)
        self._mount_blueprints(app)
        loaders = [app.jinja_loader]
        for loaded in self.plugins.values():
            folder = Path(loaded.package.__file__).parent / "templates"
            if folder.is_dir():
                loaders.append(FileSystemLoader(str(folder)))
        app.jinja_loader = ChoiceLoader(loaders)

    def _collect_payment_providers(self) -> None:
        for providers, plugin in self._results_by_plugin("register_payment_providers"):
            for provider in providers or []:
                if provider.name in self.payment_providers:
                    raise ConfigError(f"Payment provider '{provider.name}' is declared twice.")
                self.payment_providers[provider.name] = (plugin, provider)

    def _collect_procedures(self) -> None:
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

    def _mount_blueprints(self, app: Flask) -> None:
        # After register_permissions: a page guard checks its declared permission against the collected ones.
        for blueprints, plugin in self._results_by_plugin("register_blueprints"):
            for blueprint in blueprints or []:
                guard = _page_guard(plugin, blueprint, self._known_permission)
                app.register_blueprint(blueprint, url_prefix=f"/<unit_slug>/{plugin}")
                self.blueprint_names[blueprint.name] = plugin
                # The check is attached to this app, not to the blueprint: a plugin's module (and so its blueprint)
                # serves every app built in the process, and Flask forbids changing a blueprint once registered.
                app.before_request_funcs.setdefault(blueprint.name, []).insert(0, guard)

    def _results_by_plugin(self, hook_name: str):
        """Each plugin's answer to a start-up hook with its name, called through pluggy (so tracing sees it)."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            for result in self.caller_of(impl.plugin_name, hook_name)():
                yield result, impl.plugin_name

    def caller_of(self, plugin: str, hook_name: str):
        """A hook caller restricted to one plugin (pluggy's own call path, so wrappers and tracing apply)."""
        others = [p for name, p in self.pm.list_name_plugin() if name != plugin]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=others)

    def _known_permission(self, permission: str) -> bool:
        from core.users.permissions import PERMISSIONS

        return permission in PERMISSIONS or permission in self.permissions

    def refuse_core_segments(self, app: Flask) -> None:
        """Stop start-up when a plugin's name is a path segment of a core page: its pages, mounted at
        ``/<unit_slug>/<plugin>/``, would shadow core's (or be shadowed) depending on rule order."""
        taken = set()
        for rule in app.url_map.iter_rules():
            if rule.endpoint.split(".", 1)[0] in self.blueprint_names:
                continue
            parts = [p for p in rule.rule.split("/") if p]
            if parts and not parts[0].startswith("<"):
                taken.add(parts[0])
            if len(parts) > 1 and parts[0] == "<unit_slug>" and not parts[1].startswith("<"):
                taken.add(parts[1])
        for name in sorted(set(self.plugins) & taken):
            raise ConfigError(
                f"Plugin '{name}' cannot be installed: '{name}' is already a path of Một Cửa's own pages "
                f"(/<unit>/{name}/ or /{name}/), where the plugin's pages would be mounted. Rename the plugin."
            )

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
        if "plugins" in unit.__dict__ or sa_inspect(unit).session is db.session():
            # The unit's plugin rows with their settings: Unit.plugin_settings (the rules' context) reads the same
            # rows, so one statement serves both.
            rows = [(p.plugin, p.enabled) for p in unit.plugins]
        else:  # a unit of another session
            rows = db.session.execute(select(UnitPlugin.plugin, UnitPlugin.enabled)
                                      .where(UnitPlugin.unit_id == unit.id)).all()
        cache[unit.id] = frozenset(name for name, enabled in rows if enabled and name in host().plugins)
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


def call_isolated(unit, hook_name: str, accept: Callable[[str, object], list],
                  arguments: dict) -> tuple[list, list[str]]:
    """Call a display hook plugin by plugin for ``unit``: a plugin that raises (or answers something ``accept``
    refuses) is logged and reported in the second list, and the others still answer. Used for hooks whose answer
    only decorates a page, so one broken plugin cannot take the page down."""
    h = host()
    enabled = enabled_plugins(unit)
    results, failed = [], []
    for impl in getattr(h.pm.hook, hook_name).get_hookimpls():
        plugin = impl.plugin_name
        if plugin != CORE_PLUGIN and plugin not in enabled:
            continue
        try:
            for answer in h.caller_of(plugin, hook_name)(**arguments):
                results.extend(accept(plugin, answer))
        except Exception:
            log.exception("Plugin %s failed in %s", plugin, hook_name)
            failed.append(plugin)
    return results, failed


def _check_core_versions(info: PluginInfo) -> None:
    if not info.core_versions:
        return
    try:
        supported = SpecifierSet(info.core_versions)
    except InvalidSpecifier as exc:
        raise ConfigError(
            f"Plugin '{info.name}' declares core_versions={info.core_versions!r}, which is not a version specifier "
            "(write e.g. '>=1.0,<2')."
        ) from exc
    if not supported.contains(CORE_VERSION, prereleases=True):
        raise ConfigError(
            f"Plugin '{info.name}' {info.version} supports Một Cửa core {info.core_versions}, but this is core "
            f"{CORE_VERSION}. Install a version of the plugin made for this core, or remove the plugin."
        )


def _checked_permissions(plugin: str, declared: dict) -> dict[str, frozenset[str]]:
    from core.users.permissions import ALL_ROLES

    checked = {}
    for name, roles in declared.items():
        if not str(name).startswith(f"{plugin}."):
            raise ConfigError(f"Permission '{name}' of plugin '{plugin}' must start with '{plugin}.'")
        roles = frozenset(roles)
        unknown = roles - ALL_ROLES
        if unknown or not roles:
            raise ConfigError(
                f"Permission '{name}' of plugin '{plugin}' names unknown roles {sorted(unknown)}; "
                f"the roles are {', '.join(sorted(ALL_ROLES))}."
            )
        checked[name] = roles
    return checked


def mark_public(blueprint: Blueprint) -> Blueprint:
    """Declare a plugin blueprint's pages public: anyone may open them (the unit must still enable the plugin)."""
    blueprint.motcua_public = True
    return blueprint


def require_permission(blueprint: Blueprint, permission: str) -> Blueprint:
    """Ask ``permission`` over the unit (instead of any role) for every page of a plugin blueprint."""
    blueprint.motcua_permission = permission
    return blueprint


def _page_guard(plugin: str, blueprint: Blueprint, known: Callable[[str], bool]):
    """Before any view of a plugin blueprint: 404 where the unit lacks the plugin; then, unless the blueprint is
    public, a login and the blueprint's permission (by default any role) over the unit."""
    public = bool(getattr(blueprint, "motcua_public", False))
    permission = getattr(blueprint, "motcua_permission", PAGE_PERMISSION)
    if not public and not known(permission):
        raise ConfigError(f"Blueprint '{blueprint.name}' of plugin '{plugin}' asks the unknown permission "
                          f"'{permission}'. Declare it with register_permissions.")

    def check():
        from flask_login import current_user

        from core.tenancy.services import get_unit_or_none
        from core.users.permissions import can

        unit = get_unit_or_none((request.view_args or {}).get("unit_slug", ""))
        if unit is None or not is_enabled(unit, plugin):
            abort(404)
        if public:
            return None
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not can(current_user, permission, unit):
            abort(403)
        return None

    return check
