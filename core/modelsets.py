"""Optional core areas join the application when their modules exist (they are built in parallel)."""

from __future__ import annotations

import importlib
from types import ModuleType

OPTIONAL_MODEL_MODULES = ("core.reports.models", "core.admin.models", "core.notifications.models")


def import_optional(name: str) -> ModuleType | None:
    """Import ``name``, or return None when it (or its package) does not exist; other import errors propagate."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


def import_optional_models() -> None:
    for name in OPTIONAL_MODEL_MODULES:
        import_optional(name)
