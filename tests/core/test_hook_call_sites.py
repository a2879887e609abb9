"""Every hook specification is called by core (KIT-05: ``dashboard_widgets`` was documented and never called).

Core calls a hook in one of three ways, all found here by reading core's source: ``hooks_for(unit).<hook>(...)``
(runtime hooks), ``call_isolated(unit, "<hook>", ...)`` (display hooks) and ``_results_by_plugin("<hook>")``
(start-up hooks).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from core.plugins import hookspecs

CORE = Path(__file__).resolve().parents[2] / "core"
SPECS = sorted(name for name, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "motcua_spec"))
CALLERS = {"call_isolated", "_results_by_plugin", "caller_of"}


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def call_sites(root: Path) -> dict[str, list[str]]:
    """Hook name -> the core files that call it."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if path.name in ("hookspecs.py", "defaults.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            # hooks_for(unit).<hook>(...)
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) \
                    and _name(func.value.func) == "hooks_for":
                found.setdefault(func.attr, []).append(str(path.relative_to(root)))
            # call_isolated(unit, "<hook>", ...), self._results_by_plugin("<hook>")
            if _name(func) in CALLERS:
                for argument in node.args:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        found.setdefault(argument.value, []).append(str(path.relative_to(root)))
    return found


SITES = call_sites(CORE)


@pytest.mark.parametrize("name", SPECS)
def test_every_hook_has_a_call_site_in_core(name):
    assert SITES.get(name), f"no module of core calls the hook {name}: call it, or remove its specification"


def test_runtime_hooks_are_called_per_unit_and_start_up_hooks_at_start_up():
    for name in SPECS:
        files = SITES.get(name, [])
        if name.startswith("register_"):
            assert files == ["plugins/manager.py"], (name, files)
        else:
            assert files and "plugins/manager.py" not in files, (name, files)


def test_the_scanner_sees_each_way_of_calling(tmp_path):
    (tmp_path / "a.py").write_text(
        "hooks_for(unit).validate_dossier(procedure=p)\n"
        "call_isolated(unit, 'dossier_panels', accept, {})\n"
        "self._results_by_plugin('register_procedures')\n"
        "hooks_for(unit)\n"
    )
    (tmp_path / "hookspecs.py").write_text("hooks_for(unit).on_plugin_enabled()\n")
    assert call_sites(tmp_path) == {"validate_dossier": ["a.py"], "dossier_panels": ["a.py"],
                                    "register_procedures": ["a.py"]}
