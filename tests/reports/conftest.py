"""Fixtures of the report tests: the probe plugin on the plugin path, a small province with officers."""

from __future__ import annotations

from pathlib import Path

import pytest

import plugins as plugins_package

_FIXTURE_PLUGINS = str(Path(__file__).parent / "fixture_plugins")
if _FIXTURE_PLUGINS not in plugins_package.__path__:
    plugins_package.__path__.append(_FIXTURE_PLUGINS)


@pytest.fixture
def world(app, client, factory):
    """Units and officers (see reports_helpers.build_world)."""
    from reports_helpers import build_world

    return build_world(app, client, factory)
