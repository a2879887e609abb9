"""Fixtures of the security tests (issue 14, findings SEC-*): the page tests' district with two communes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.web.helpers import build_desk


@pytest.fixture
def desk(app, factory) -> SimpleNamespace:
    return build_desk(app, factory)
