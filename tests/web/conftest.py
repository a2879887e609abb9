"""Fixtures of the page tests: a district with two communes and their staff."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.web.helpers import build_desk


@pytest.fixture
def desk(app, factory) -> SimpleNamespace:
    return build_desk(app, factory)
