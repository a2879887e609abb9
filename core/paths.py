"""Where the project's data folders are: beside ``core/`` in a checkout, inside the ``motcua`` package when
installed from a wheel (pyproject.toml maps them there, since site-packages has no room for a top-level
``templates/``)."""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def project_folder(name: str) -> Path:
    """The folder ``name`` (templates, migrations, translations, communes) of this installation."""
    installed = _ROOT / "motcua" / name
    return installed if installed.is_dir() else _ROOT / name
