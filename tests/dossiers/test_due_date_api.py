"""GET /api/v1/units/<slug>/due-date: the appointment a citizen is promised, public, with bad input refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from lifecycle_helpers import BIRTH, PERMIT, PLUGINS, vn

from core.dossiers.clock import VN_TZ

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _due(world, unit="xa-a", **params):
    return world.client.get(f"/api/v1/units/{unit}/due-date", query_string=params)


@pytest.mark.parametrize("procedure,received_at,due", [
    (PERMIT, "2026-03-02T08:00:00+07:00", vn(2026, 3, 5, 8, 0)),
    (PERMIT, "2026-03-02T01:00:00+00:00", vn(2026, 3, 5, 8, 0)),  # the same moment in UTC
    (PERMIT, "2026-03-02T01:00:00Z", vn(2026, 3, 5, 8, 0)),
    (PERMIT, "2026-03-02T08:00", vn(2026, 3, 5, 8, 0)),  # naive: Vietnam time
    (PERMIT, "2026-03-07T10:00:00+07:00", vn(2026, 3, 11, 17, 0)),  # Saturday: counts from Monday 07:30
    (PERMIT, "2026-03-02T12:00:00+07:00", vn(2026, 3, 5, 11, 30)),  # lunch break: counts from 13:30
    (PERMIT, "2026-02-13T16:00:00+07:00", vn(2026, 2, 25, 16, 0)),  # across Tết 2026 (16-20 Feb off)
    (BIRTH, "2026-03-02T14:59:00+07:00", vn(2026, 3, 2, 17, 0)),
    (BIRTH, "2026-03-02T15:00:00+07:00", vn(2026, 3, 2, 17, 0)),
    (BIRTH, "2026-03-02T15:01:00+07:00", vn(2026, 3, 3, 17, 0)),  # after the 15:00 cut-off
    (BIRTH, "2026-03-06T16:00:00+07:00", vn(2026, 3, 9, 17, 0)),  # Friday after the cut-off: Monday
])
def test_due_date(world, procedure, received_at, due):
    response = _due(world, procedure=procedure, received_at=received_at)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert datetime.fromisoformat(body["due_at"]) == due
    assert body["due_at"].endswith("+07:00")
    assert body["procedure"] == procedure
    given = datetime.fromisoformat(received_at)
    assert datetime.fromisoformat(body["received_at"]) == (given if given.tzinfo else given.replace(tzinfo=VN_TZ))


def test_due_date_is_public_and_defaults_to_now(world):
    response = _due(world, procedure=PERMIT)
    assert response.status_code == 200
    received = datetime.fromisoformat(response.get_json()["received_at"])
    assert received.tzinfo is not None
    assert datetime.fromisoformat(response.get_json()["due_at"]) > received


def test_due_date_follows_the_units_office_hours(world):
    from core.extensions import db
    from core.tenancy.models import Unit

    with world.app.app_context():
        db.session.query(Unit).filter_by(slug="xa-b").update({"office_hours": "07:00-11:00,13:00-16:00"})
        db.session.commit()
    # 1 working day there is 7 hours: Monday 07:00 + 3 days -> Wednesday 16:00.
    response = _due(world, unit="xa-b", procedure=PERMIT, received_at="2026-03-02T07:00:00+07:00")
    assert datetime.fromisoformat(response.get_json()["due_at"]) == vn(2026, 3, 4, 16, 0)
    response = _due(world, unit="xa-a", procedure=PERMIT, received_at="2026-03-02T07:00:00+07:00")
    assert datetime.fromisoformat(response.get_json()["due_at"]) == vn(2026, 3, 4, 17, 0)


@pytest.mark.parametrize("received_at", ["ngày mai", "2026-02-30T08:00", "2026-03-02T25:00", "08:00", "1/3/2026",
                                         "9999-12-31T10:00:00+07:00", "9999-12-31T23:00:00-12:00",
                                         "0001-01-01T10:00:00+07:00"])
def test_bad_received_at_is_422(world, received_at):
    response = _due(world, procedure=PERMIT, received_at=received_at)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["fields"]["received_at"]


@pytest.mark.parametrize("params", [{}, {"procedure": ""}, {"procedure": "lifetest.khong_co"},
                                    {"procedure": "khong_co"}])
def test_unknown_procedure_is_404(world, params):
    response = _due(world, **params, received_at="2026-03-02T08:00")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "procedure_not_offered"


def test_procedure_not_offered_by_the_unit_or_unknown_unit_is_404(world):
    world.factory.set_plugin("xa-c", "lifetest", False)
    assert _due(world, unit="xa-c", procedure=PERMIT).status_code == 404
    assert _due(world, unit="xa-c", procedure=BIRTH).status_code == 200
    assert _due(world, unit="khong-co", procedure=PERMIT).status_code == 404
