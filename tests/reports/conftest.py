"""Fixtures of the report tests: the probe plugin on the plugin path, a small province with officers."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.testing import add_plugin_folder

add_plugin_folder(Path(__file__).parent / "fixture_plugins")


@pytest.fixture
def world(app, client, factory):
    """Units and officers (see reports_helpers.build_world)."""
    from reports_helpers import build_world

    return build_world(app, client, factory)
