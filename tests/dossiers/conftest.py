"""Fixtures of the dossier lifecycle tests: the test plugins on the plugin path, a small district with officers."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.testing import add_plugin_folder

# ``plugins.lifetest`` and ``plugins.fakesend`` live next to these tests; a test opts in with
# @pytest.mark.app_config(INSTALLED_PLUGINS=(...)) (see lifecycle_helpers.PLUGINS).
add_plugin_folder(Path(__file__).parent / "fixture_plugins")


@pytest.fixture
def world(app, client, factory):
    """Units and officers (see lifecycle_helpers.build_world)."""
    from lifecycle_helpers import build_world

    return build_world(app, client, factory)


@pytest.fixture
def fakesend():
    """The scripted SMS transport of the ``fakesend`` test plugin, reset around each test."""
    from plugins.fakesend import hooks

    hooks.reset()
    yield hooks
    hooks.reset()
