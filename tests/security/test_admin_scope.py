"""SEC-04: an administrator changes calendars and units inside their own subtree only; system-wide calendar days are
the province's (the top of the tree)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.dossiers.models import CalendarDay
from core.extensions import db
from core.tenancy.models import ChangeLog, Unit


@pytest.fixture
def tree(app, factory):
    factory.unit("tinh", kind="province", plugins=())
    factory.district("huyen-a", parent="tinh")
    factory.district("huyen-b", parent="tinh")
    factory.commune("xa-a", parent="huyen-a")
    factory.commune("xa-b", parent="huyen-b")
    factory.user("tinh.admin", ("district_admin", "tinh"))
    factory.user("a.admin", ("district_admin", "huyen-a"))
    factory.user("b.admin", ("district_admin", "huyen-b"))
    with app.app_context():
        ids = {u.slug: u.id for u in db.session.scalars(select(Unit))}
    return ids


def calendar_rows(app) -> list[tuple]:
    with app.app_context():
        return [(r.day, r.unit_id) for r in db.session.scalars(select(CalendarDay).order_by(CalendarDay.id))]


def day_form(unit_id, day="2027-02-03") -> dict:
    return {"day": day, "kind": "off", "unit_id": str(unit_id), "note": "Bão", "confirm": "1"}


def test_a_district_admin_cannot_set_or_delete_system_wide_days(app, client, factory, tree):
    factory.login(client, "a.admin")
    page = client.get("/huyen-a/admin/lich").get_data(as_text=True)
    assert "toàn hệ thống" not in page
    assert client.post("/huyen-a/admin/lich", data=day_form(0)).status_code == 422
    assert client.post("/huyen-a/admin/lich", data=day_form(tree["xa-b"])).status_code == 422
    assert calendar_rows(app) == []
    assert client.post("/huyen-a/admin/lich", data=day_form(tree["xa-a"])).status_code == 302
    client.post("/logout")

    factory.login(client, "tinh.admin")
    assert "toàn hệ thống" in client.get("/tinh/admin/lich").get_data(as_text=True)
    assert client.post("/tinh/admin/lich", data=day_form(0, "2027-02-04")).status_code == 302
    assert calendar_rows(app) == [(date(2027, 2, 3), tree["xa-a"]), (date(2027, 2, 4), None)]
    client.post("/logout")

    with app.app_context():
        system_row = db.session.scalar(select(CalendarDay.id).where(CalendarDay.unit_id.is_(None)))
        a_row = db.session.scalar(select(CalendarDay.id).where(CalendarDay.unit_id == tree["xa-a"]))
    factory.login(client, "b.admin")
    page = client.get("/huyen-b/admin/lich").get_data(as_text=True)
    assert "04/02/2027" in page  # the system-wide day is shown (it applies here) …
    assert f"/lich/{system_row}/xoa" not in page  # … without a delete button
    assert client.post(f"/huyen-b/admin/lich/{system_row}/xoa").status_code == 403
    assert client.post(f"/huyen-b/admin/lich/{a_row}/xoa").status_code == 404  # another district's row
    assert len(calendar_rows(app)) == 2
    # Nor the change log of the other district or of the whole system.
    log = client.get("/huyen-b/admin/nhat-ky").get_data(as_text=True)
    assert "2027-02-03" not in log and "2027-02-04" not in log
    client.post("/logout")

    factory.login(client, "tinh.admin")
    assert client.post(f"/tinh/admin/lich/{system_row}/xoa").status_code == 302
    with app.app_context():
        assert [r.action for r in db.session.scalars(select(ChangeLog).order_by(ChangeLog.id))] == [
            "calendar.add", "calendar.add", "calendar.delete"]


def test_a_district_admin_cannot_touch_another_districts_units(app, client, factory, tree):
    factory.login(client, "a.admin")
    assert client.get("/huyen-a/admin/don-vi/xa-b").status_code == 404
    form = {"name": "X", "code": "1", "agency_code": "X.1", "office_hours": "", "address": "", "phone": ""}
    assert client.post("/huyen-a/admin/don-vi/xa-b", data=form).status_code == 404
    assert client.post("/huyen-a/admin/don-vi/xa-b/trang-thai", data={"active": "0"}).status_code == 404
    assert client.post("/huyen-b/admin/lich", data=day_form(tree["xa-b"])).status_code == 403
    # A unit moved under a parent outside the scope: refused by the form.
    form.update(kind="commune", parent_id=str(tree["huyen-b"]))
    assert client.post("/huyen-a/admin/don-vi/xa-a", data=form).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Unit.parent_id).where(Unit.slug == "xa-a")) == tree["huyen-a"]
