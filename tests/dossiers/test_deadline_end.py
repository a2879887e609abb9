"""When a limit in working days ends (LAW-07), the day-before alert and apology (LAW-06), due dates that follow a
calendar change (LAW-08) and the calendar page itself (DAY-28)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from lifecycle_helpers import PLUGINS, counts, create, get, load, svc_act, svc_create, vn
from sqlalchemy import select

from core.dossiers.clock import VN_TZ, WorkCalendar

CLOSE = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, DEADLINE_END="close_of_day")
pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)
PERMIT_DUE = "/api/v1/units/{unit}/due-date?procedure=lifetest.permit&received_at=2026-03-02T09:00:00%2B07:00"


def _unit_settings(world, slug, **settings):
    from core.extensions import db

    with world.app.app_context():
        unit = world.unit(slug)
        unit.settings = {**(unit.settings or {}), **settings}
        db.session.commit()


@CLOSE
def test_by_default_a_limit_in_days_ends_at_the_close_of_the_last_day(world):
    # Civil Code 2015 Art. 147-148: Monday 09:00 with 3 working days ends Thursday at the close, not at 09:00.
    response = world.client.get(PERMIT_DUE.format(unit="xa-a"))
    assert response.get_json()["due_at"] == "2026-03-05T17:00:00+07:00"
    code = svc_create(world, vn(2026, 3, 2, 9, 0))
    assert load(world, code)["due_at"] == vn(2026, 3, 5, 17, 0)
    svc_act(world, code, "tn.a", "assign", vn(2026, 3, 2, 9, 0), assignee="cv.a")
    svc_act(world, code, "cv.a", "submit_for_approval", vn(2026, 3, 5, 9, 0))
    # A result at 10:00 on the last day is on time.
    assert svc_act(world, code, "ld.a", "approve", vn(2026, 3, 5, 10, 0))["completion"] == "on_time"


@CLOSE
def test_a_province_or_unit_may_keep_the_hour_of_reception(world):
    _unit_settings(world, "huyen", deadline_end="same_hour")  # the parent's setting applies below it
    assert world.client.get(PERMIT_DUE.format(unit="xa-a")).get_json()["due_at"] == "2026-03-05T09:00:00+07:00"
    _unit_settings(world, "xa-b", deadline_end="close_of_day")  # the unit's own setting wins
    assert world.client.get(PERMIT_DUE.format(unit="xa-b")).get_json()["due_at"] == "2026-03-05T17:00:00+07:00"


def test_a_unit_file_with_a_bad_deadline_end_is_refused(tmp_path):
    from core.tenancy.loader import UnitFileError, parse_file

    path = tmp_path / "xa.toml"
    path.write_text('slug = "xa"\ncode = "1"\nname = "Xã"\nkind = "commune"\n\n[settings]\ndeadline_end = "noon"\n')
    with pytest.raises(UnitFileError) as caught:
        parse_file(path, {})
    assert "deadline_end" in str(caught.value) and caught.value.line == 7
    path.write_text('slug = "xa"\ncode = "1"\nname = "Xã"\nkind = "commune"\n\n[settings]\n'
                    'deadline_end = "same_hour"\n')
    assert parse_file(path, {}).settings == {"deadline_end": "same_hour"}


# --- the day before (LAW-06) ---------------------------------------------------------------------------------------


def _next_working_close(world) -> datetime:
    from core.dossiers.calendar import calendar_for

    with world.app.test_request_context():
        calendar = calendar_for(world.unit("xa-a"))
        return calendar.close_of_day(calendar.next_working_day(datetime.now(VN_TZ).date()))


def _set_due(world, code, due):
    from core.dossiers.models import Dossier
    from core.extensions import db

    with world.app.app_context():
        db.session.scalar(select(Dossier).where(Dossier.code == code)).due_at = due
        db.session.commit()


def test_the_queue_shows_what_falls_due_on_the_next_working_day(world):
    soon, later = create(world).get_json()["code"], create(world).get_json()["code"]
    _set_due(world, soon, _next_working_close(world))
    _set_due(world, later, _next_working_close(world) + timedelta(days=7))
    world.factory.login(world.client, "tn.a")
    page = world.client.get("/xa-a/?tab=due_soon").get_data(as_text=True)
    assert "Sắp đến hạn" in page and soon in page and later not in page
    assert "Mẫu 04" in page  # the prompt to apologise today


def test_an_apology_on_the_due_day_is_too_late(world):
    code = svc_create(world, vn(2026, 3, 2, 8, 0))  # due Thursday 5/3 08:00 (same_hour)
    svc_act(world, code, "tn.a", "assign", vn(2026, 3, 2, 8, 0), assignee="cv.a")
    before = counts(world.app)
    from core.dossiers.services import ServiceError

    with pytest.raises(ServiceError) as caught:
        svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 5, 7, 0), reason="Chậm",
                new_due_at="2026-03-10T17:00:00+07:00")
    assert caught.value.code == "deadline_passed" and "01 ngày" in caught.value.message
    assert counts(world.app) == before
    state = svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 4, 16, 0), reason="Chậm",
                    new_due_at="2026-03-10T17:00:00+07:00")
    assert state["extended_due_at"] == vn(2026, 3, 10, 17, 0)


# --- calendar changes (LAW-08) and the calendar page (DAY-28) --------------------------------------------------------


@pytest.fixture
def admin(world):
    world.factory.user("qt.huyen", ("district_admin", "huyen"))
    world.factory.login(world.client, "qt.huyen")
    return world


def _future_monday() -> date:
    """A Monday some weeks ahead whose week and the next are clear of holidays (the dossier's due moment may move
    into the next week: late December must not reach New Year's Day)."""
    today = datetime.now(VN_TZ).date()
    monday = today + timedelta(days=7 - today.weekday() + 21)
    country = WorkCalendar()
    while not all(country.is_working_day(monday + timedelta(days=d)) for d in (*range(5), *range(7, 12))):
        monday += timedelta(days=7)
    return monday


def test_a_day_off_moves_the_open_dossiers_it_falls_before(admin):
    world = admin
    monday = _future_monday()
    received = datetime.combine(monday, datetime.min.time(), tzinfo=VN_TZ).replace(hour=9)
    code = svc_create(world, received)  # due Thursday 09:00
    due = load(world, code)["due_at"]
    assert due.astimezone(VN_TZ).date() == monday + timedelta(days=3)
    wednesday = monday + timedelta(days=2)
    with world.app.app_context():
        xa_a = world.unit("xa-a").id
    response = world.client.post("/huyen/admin/lich", data={"day": wednesday.isoformat(), "kind": "off",
                                                            "unit_id": str(xa_a), "note": "Bão"})
    assert response.status_code == 302
    moved = load(world, code)["due_at"]
    assert moved == due + timedelta(days=1)  # Friday 09:00
    body = get(world, code, "tn.a").get_json()
    assert body["history"][-1]["action"] == "reschedule"
    assert body["history"][-1]["payload"]["previous_due_at"] == due.astimezone(VN_TZ).isoformat()
    assert body["original_due_at"] == due.astimezone(VN_TZ).isoformat()  # Mẫu 01 as issued
    with world.app.app_context():
        from core.extensions import db
        from core.notifications.models import Outbox

        texts = db.session.scalars(select(Outbox.body).where(Outbox.kind == "reschedule")).all()
    assert texts and all(moved.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y") in t for t in texts)
    # Another unit's dossiers are not touched; deleting the day (after confirming) moves the date back.
    with world.app.app_context():
        from core.dossiers.models import CalendarDay
        from core.extensions import db

        row_id = db.session.scalar(select(CalendarDay.id).where(CalendarDay.day == wednesday))
    confirm = world.client.get(f"/huyen/admin/lich/{row_id}/xoa")
    assert confirm.status_code == 200 and wednesday.strftime("%d/%m/%Y") in confirm.get_data(as_text=True)
    assert load(world, code)["due_at"] == moved  # asking changes nothing
    assert world.client.post(f"/huyen/admin/lich/{row_id}/xoa").status_code == 302
    assert load(world, code)["due_at"] == due


def test_the_calendar_page_lists_built_in_holidays_and_warns_before_likely_mistakes(admin):
    world = admin
    page = world.client.get("/huyen/admin/lich").get_data(as_text=True)
    year = datetime.now(VN_TZ).year
    assert f"01/01/{year + 1}" in page and "Tết Dương lịch" in page  # built-in, with the weekday
    assert date(year + 1, 1, 1).strftime("%d/%m/%Y") in page
    with world.app.test_request_context():
        from flask_babel import format_date

        assert format_date(date(year + 1, 1, 1), "EEEE") in page
    before = counts(world.app)
    sunday = date(2026, 12, 6)
    form = {"day": sunday.isoformat(), "kind": "off", "unit_id": "0", "note": ""}
    response = world.client.post("/huyen/admin/lich", data=form)
    assert response.status_code == 422
    assert "vốn đã là ngày nghỉ hằng tuần" in response.get_data(as_text=True)
    assert counts(world.app) == before
    # A make-up working day on a Tết day off (8/2/2027 in the built-in data) is warned about too.
    response = world.client.post("/huyen/admin/lich", data={**form, "day": "2027-02-08", "kind": "work"})
    assert response.status_code == 422 and "ngày nghỉ lễ" in response.get_data(as_text=True)
    # Confirmed, it is saved.
    assert world.client.post("/huyen/admin/lich", data={**form, "confirm": "1"}).status_code == 302
    with world.app.app_context():
        from core.dossiers.models import CalendarDay
        from core.extensions import db

        assert db.session.scalar(select(CalendarDay.day)) == sunday
