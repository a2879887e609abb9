"""docs/plugin_hooks.md is generated from ``core/plugins/hookspecs.py``: the specifications' docstrings are the one
description of each hook (CODE-12), written in Markdown. Regenerate after changing a hook:

    python -m core.plugins.hookdoc > docs/plugin_hooks.md

``tests/core/test_docs.py`` fails while the page and the docstrings differ.
"""

from __future__ import annotations

import inspect

from core.plugins import hookspecs

RUNTIME_INTRO = "These are called only for plugins that the unit concerned has enabled."


def specs() -> list:
    """The hook specifications in the order they are written."""
    found = [f for _name, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "motcua_spec")]
    return sorted(found, key=lambda f: f.__code__.co_firstlineno)


def heading(function) -> str:
    return f"### {function.__name__}({', '.join(inspect.signature(function).parameters)})"


def render() -> str:
    parts = ["# Plugin hooks", inspect.getdoc(hookspecs), "## Start-up hooks"]
    runtime_started = False
    for function in specs():
        if not function.__name__.startswith("register_") and not runtime_started:
            parts += ["## Runtime hooks", RUNTIME_INTRO]
            runtime_started = True
        parts += [heading(function), inspect.getdoc(function)]
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render(), end="")
