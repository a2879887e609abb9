"""The editable calendar table (CalendarDay): extra days off and make-up working days, for every unit or one unit,
change the due dates the desk promises and the clock of dossiers received afterwards."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from lifecycle_helpers import PERMIT, PLUGINS, load, svc_act, svc_create, vn

from core.dossiers.calendar import calendar_for
from core.dossiers.models import CalendarDay
from core.extensions import db

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

# Received Friday 6 March 2026 08:00, 3 working days: Fri 420 + Mon 450 + Tue 450 minutes, the last 30 on Wednesday.
FRIDAY = "2026-03-06T08:00:00+07:00"
PLAIN_DUE = vn(2026, 3, 11, 8, 0)


def _day(world, day: date, kind: str, unit: str | None = None, note: str = "") -> None:
    with world.app.app_context():
        unit_id = world.unit(unit).id if unit else None
        db.session.add(CalendarDay(unit_id=unit_id, day=day, kind=kind, note=note))
        db.session.commit()


def _due(world, unit: str = "xa-a", received_at: str = FRIDAY) -> datetime:
    response = world.client.get(f"/api/v1/units/{unit}/due-date",
                                query_string={"procedure": PERMIT, "received_at": received_at})
    assert response.status_code == 200, response.get_json()
    return datetime.fromisoformat(response.get_json()["due_at"])


def test_without_rows_the_plain_calendar_applies(world):
    assert _due(world) == PLAIN_DUE


def test_a_global_make_up_saturday_counts_for_every_unit(world):
    _day(world, date(2026, 3, 7), "work", note="Làm bù")
    assert _due(world, "xa-a") == vn(2026, 3, 10, 8, 0)
    assert _due(world, "xa-b") == vn(2026, 3, 10, 8, 0)


def test_a_units_extra_day_off_counts_for_that_unit_only(world):
    _day(world, date(2026, 3, 9), "off", unit="xa-a", note="Nghỉ bầu cử")
    assert _due(world, "xa-a") == vn(2026, 3, 12, 8, 0)
    assert _due(world, "xa-b") == PLAIN_DUE


def test_a_units_row_overrides_the_global_row_of_the_same_day(world):
    _day(world, date(2026, 3, 9), "off")
    _day(world, date(2026, 3, 9), "work", unit="xa-b")
    assert _due(world, "xa-a") == vn(2026, 3, 12, 8, 0)
    assert _due(world, "xa-b") == PLAIN_DUE
    assert _due(world, "xa-c") == vn(2026, 3, 12, 8, 0)


def test_a_unit_may_open_on_a_public_holiday(world):
    # 30 April 2026 (Thursday) is a holiday; a unit that works that day counts it.
    received = "2026-04-29T08:00:00+07:00"
    assert _due(world, "xa-a", received) == vn(2026, 5, 6, 8, 0)  # 30/4 and 1/5 off, then the weekend
    _day(world, date(2026, 4, 30), "work", unit="xa-a")
    assert _due(world, "xa-a", received) == vn(2026, 5, 5, 8, 0)


def test_reception_uses_the_calendar_of_the_receiving_unit(world):
    _day(world, date(2026, 3, 7), "work", unit="xa-a")
    code = svc_create(world, vn(2026, 3, 6, 8, 0))
    assert load(world, code)["due_at"] == vn(2026, 3, 10, 8, 0)
    other = svc_create(world, vn(2026, 3, 6, 8, 0), unit="xa-b", username="tn.b")
    assert load(world, other)["due_at"] == PLAIN_DUE


def test_an_extra_day_off_during_a_pause_is_not_counted(world):
    code = svc_create(world, vn(2026, 3, 2, 8, 0))  # due Thursday 5 March 08:00
    svc_act(world, code, "tn.a", "assign", vn(2026, 3, 2, 8, 0), assignee="cv.a")
    svc_act(world, code, "cv.a", "request_supplement", vn(2026, 3, 3, 10, 0), missing_documents=["Bản vẽ"],
            reason="Thiếu")
    _day(world, date(2026, 3, 9), "off", unit="xa-a")
    state = svc_act(world, code, "tn.a", "supplement_received", vn(2026, 3, 9, 14, 0))
    # 780 working minutes were left at the pause; Monday 9 is off, so they run from Tuesday 10 07:30.
    assert state["due_at"] == vn(2026, 3, 11, 15, 0)
    with world.app.app_context():
        calendar = calendar_for(world.unit("xa-a"))
        assert calendar.working_minutes_between(vn(2026, 3, 10, 7, 30), state["due_at"]) == 780


def test_calendar_rows_are_unique_per_unit_and_day(world):
    from sqlalchemy.exc import IntegrityError

    _day(world, date(2026, 3, 9), "off", unit="xa-a")
    with pytest.raises(IntegrityError):
        _day(world, date(2026, 3, 9), "work", unit="xa-a")
