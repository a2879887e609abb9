"""Fixtures of the national portal tests: the portal simulator on a free port (a thread of this process serving the
same WSGI application as ``flask national-portal simulate``), and a commune desk offering the test permit."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.testing import add_plugin_folder

# The ``lifetest`` plugin (lifetest.permit: 3 working days, fee 50 000 đ) lives with the dossier tests.
add_plugin_folder(Path(__file__).parents[1] / "dossiers" / "fixture_plugins")


@pytest.fixture
def simulator(tmp_path):
    from core.national_portal.simulator import RunningSimulator

    running = RunningSimulator(record_file=str(tmp_path / "portal.sqlite"), token="portal-token")
    yield running
    running.stop()
