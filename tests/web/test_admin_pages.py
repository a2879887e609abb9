"""District administration through the Flask client: access, units, plugins, staff, calendar, change log."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from tests.web.helpers import BIRTH, make_dossier
from tests.web.html_checks import assert_good_page

ADMIN = "/huyen-test/admin"


def changes(app) -> list[tuple]:
    from core.extensions import db
    from core.tenancy.models import ChangeLog

    with app.app_context():
        rows = [(r.action, r.target, r.actor_name, r.at is not None)
                for r in db.session.scalars(select(ChangeLog).order_by(ChangeLog.id))]
        db.session.remove()
    return rows


def unit_row(app, slug: str):
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none

    with app.app_context():
        unit = get_unit_or_none(slug)
        result = None if unit is None else {"name": unit.name, "active": unit.active, "kind": unit.kind,
                                            "parent": unit.parent.slug if unit.parent else None,
                                            "office_hours": unit.office_hours,
                                            "plugins": [p.plugin for p in unit.plugins if p.enabled],
                                            "settings": {p.plugin: p.settings for p in unit.plugins},
                                            "parent_id": unit.parent_id, "unit_settings": dict(unit.settings or {})}
        db.session.remove()
    return result


def test_access_by_role(desk, client):
    assert client.get(ADMIN).status_code == 302  # login first
    desk.factory.login(client, "a.tiepnhan")
    assert client.get(ADMIN).status_code == 403
    assert client.get("/xa-a/admin").status_code == 403
    client.post("/logout")
    desk.factory.login(client, "a.admin")
    assert client.get(ADMIN).status_code == 403
    page = assert_good_page(client.get("/xa-a/admin"))
    assert "Xã An Bình" in page and "Xã Bình Minh" not in page
    assert client.get("/xa-a/admin/don-vi/xa-b").status_code == 404
    assert client.get("/xa-a/admin/don-vi/moi").status_code == 403


def test_overview_counts_every_commune(desk, client):
    make_dossier(desk.app)
    make_dossier(desk.app, channel="online", username=None)
    make_dossier(desk.app, unit_slug="xa-b", username="b.tiepnhan")
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(ADMIN))
    assert "Xã An Bình" in page and "Xã Bình Minh" in page and "Tổng cộng" in page
    rows = {}
    for block in page.split("<tr")[1:]:
        if "<th scope=\"row\">" in block:
            name = re.sub(r"<[^>]+>", "", block.split('<th scope="row">')[1].split("</th>")[0]).strip()
            rows[name] = [c.split("<")[0] for c in block.split('class="num">')[1:]]
    assert rows["Xã An Bình"][:3] == ["1", "1", "1"]
    assert rows["Xã Bình Minh"][:3] == ["1", "0", "1"]
    assert rows["Tổng cộng"][:3] == ["2", "1", "2"]


def test_create_edit_and_deactivate_a_unit(desk, client):
    desk.factory.login(client, "huyen.admin")
    assert_good_page(client.get(f"{ADMIN}/don-vi/moi"))
    base = {"name": "Xã Phú Lâm", "code": "09340", "kind": "commune", "agency_code": "DEMO.09340",
            "office_hours": "", "address": "", "phone": ""}
    with desk.app.app_context():
        from core.tenancy.services import get_unit_or_none

        district_id = get_unit_or_none("huyen-test").id
    base["parent_id"] = str(district_id)
    response = client.post(f"{ADMIN}/don-vi/moi", data=dict(base, slug="Xã Phú Lâm", office_hours="7h-11h"))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="slug-error"' in page and 'id="office_hours-error"' in page and 'value="7h-11h"' in page
    assert client.post(f"{ADMIN}/don-vi/moi", data=dict(base, slug="tra-cuu")).status_code == 422
    assert client.post(f"{ADMIN}/don-vi/moi", data=dict(base, slug="xa-a")).status_code == 422
    response = client.post(f"{ADMIN}/don-vi/moi", data=dict(base, slug="phu-lam"))
    assert response.status_code == 302 and "/don-vi/phu-lam/linh-vuc" in response.headers["Location"]
    assert unit_row(desk.app, "phu-lam")["parent"] == "huyen-test"
    response = client.post(f"{ADMIN}/don-vi/phu-lam", data=dict(base, name="Xã Phú Lâm mới",
                                                                office_hours="07:00-11:00,13:00-16:30"))
    assert response.status_code == 302
    assert unit_row(desk.app, "phu-lam")["office_hours"] == "07:00-11:00,13:00-16:30"
    response = client.post(f"{ADMIN}/don-vi/phu-lam/trang-thai", data={"active": "0"})
    assert response.status_code == 302 and unit_row(desk.app, "phu-lam")["active"] is False
    assert "Đã ngừng hoạt động đơn vị" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Xã Phú Lâm mới" not in client.get("/").get_data(as_text=True)
    assert client.post(f"{ADMIN}/don-vi/huyen-test/trang-thai", data={"active": "0"}).status_code == 403
    actions = [c[0] for c in changes(desk.app)]
    assert actions == ["unit.create", "unit.update", "unit.deactivate"]
    assert all(c[2] == "Quản Trị Huyện" and c[3] for c in changes(desk.app))
    page = assert_good_page(client.get(f"{ADMIN}/nhat-ky"))
    assert "Tạo đơn vị" in page and "Ngừng hoạt động" in page and "Quản Trị Huyện" in page


def test_unit_admin_edits_own_unit_without_moving_it(desk, client):
    desk.factory.login(client, "a.admin")
    page = assert_good_page(client.get("/xa-a/admin/don-vi/xa-a"))
    assert 'name="kind"' not in page and 'name="parent_id"' not in page
    response = client.post("/xa-a/admin/don-vi/xa-a", data={"name": "Xã An Bình", "code": "1", "agency_code": "X",
                                                             "office_hours": "", "address": "Thôn 1", "phone": "",
                                                             "kind": "district"})
    assert response.status_code == 302
    assert unit_row(desk.app, "xa-a")["kind"] == "commune"


def test_admin_sets_how_the_printed_forms_name_the_unit(desk, client):
    """LAW-10: the header and place line of the forms ([settings.documents]) are editable on the unit page."""
    from tests.documents.conftest import html_text

    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(f"{ADMIN}/don-vi/xa-a"))
    assert 'name="doc_agency"' in page and 'name="doc_desk"' in page and 'name="doc_place"' in page
    form = {"name": "Xã An Bình", "code": "1", "kind": "commune", "agency_code": "TEST.XAA", "office_hours": "",
            "address": "", "phone": "", "doc_agency": "UBND xã An Bình mới", "doc_desk": "Bộ phận Một cửa",
            "doc_place": "An Bình Hạ"}
    parent = unit_row(desk.app, "xa-a")["parent_id"]
    response = client.post(f"{ADMIN}/don-vi/xa-a", data={**form, "parent_id": str(parent)})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert unit_row(desk.app, "xa-a")["unit_settings"] == {"documents": {"agency": "UBND xã An Bình mới",
                                                                    "desk": "Bộ phận Một cửa", "place": "An Bình Hạ"}}
    assert "unit.update" in [c[0] for c in changes(desk.app)]
    page = assert_good_page(client.get(f"{ADMIN}/don-vi/xa-a"))
    assert 'value="An Bình Hạ"' in page  # shown again for editing
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    receipt = html_text(client.get(f"/xa-a/dossiers/{code}/documents/receipt").get_data(as_text=True))
    assert "UBND XÃ AN BÌNH MỚI" in receipt and "BỘ PHẬN MỘT CỬA" in receipt and "An Bình Hạ, ngày" in receipt
    desk.factory.login(client, "huyen.admin")
    cleared = {**form, "parent_id": str(parent), "doc_agency": "", "doc_desk": " ", "doc_place": ""}
    assert client.post(f"{ADMIN}/don-vi/xa-a", data=cleared).status_code == 302
    assert "documents" not in unit_row(desk.app, "xa-a")["unit_settings"]
    too_long = client.post(f"{ADMIN}/don-vi/xa-a", data={**cleared, "doc_place": "x" * 201})
    assert too_long.status_code == 422


def test_disabling_a_plugin_stops_the_counter_and_the_portal(desk, client):
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(f"{ADMIN}/don-vi/xa-a/linh-vuc"))
    assert 'name="civil_status-enabled"' in page
    response = client.post(f"{ADMIN}/don-vi/xa-a/linh-vuc/civil_status", data={})
    assert response.status_code == 302
    assert "civil_status" not in unit_row(desk.app, "xa-a")["plugins"]
    assert client.get(f"/thu-tuc/xa-a/{BIRTH}").status_code == 404
    client.post("/logout")
    desk.factory.login(client, "a.tiepnhan")
    assert client.get(f"/xa-a/tiep-nhan/{BIRTH}").status_code == 404
    assert ("plugin.disable", "civil_status") in [c[:2] for c in changes(desk.app)]


def test_plugin_settings_are_typed_and_validated(desk, client):
    from core.plugins.manager import host

    with desk.app.app_context():
        defaults = host().unit_settings.get("civil_status", {})
    desk.factory.login(client, "huyen.admin")
    numeric = [k for k, v in defaults.items() if isinstance(v, int) and not isinstance(v, bool)]
    if numeric:
        name = numeric[0]
        response = client.post(f"{ADMIN}/don-vi/xa-a/linh-vuc/civil_status",
                               data={"civil_status-enabled": "y", f"civil_status-{name}": "abc"})
        assert response.status_code == 422
        assert f'id="civil_status-{name}-error"' in assert_good_page(response)
        response = client.post(f"{ADMIN}/don-vi/xa-a/linh-vuc/civil_status",
                               data={"civil_status-enabled": "y", f"civil_status-{name}": "12000"})
        assert response.status_code == 302
        assert unit_row(desk.app, "xa-a")["settings"]["civil_status"][name] == 12000
        assert ("plugin.settings", "civil_status") in [c[:2] for c in changes(desk.app)]
    response = client.post(f"{ADMIN}/don-vi/xa-a/linh-vuc/khong_co", data={})
    assert response.status_code == 404


def test_enabling_a_plugin_again(desk, client):
    desk.factory.set_plugin("xa-b", "land", False)
    desk.factory.login(client, "huyen.admin")
    response = client.post(f"{ADMIN}/don-vi/xa-b/linh-vuc/land", data={"land-enabled": "y"})
    assert response.status_code == 302
    assert "land" in unit_row(desk.app, "xa-b")["plugins"]
    assert [c[:2] for c in changes(desk.app)] == [("plugin.enable", "land")]


def test_staff_accounts_and_roles(desk, client):
    desk.factory.login(client, "huyen.admin")
    assert_good_page(client.get(f"{ADMIN}/can-bo"))
    assert_good_page(client.get(f"{ADMIN}/can-bo/moi"))
    with desk.app.app_context():
        from core.tenancy.services import get_unit_or_none

        xa_b = get_unit_or_none("xa-b").id
    form = {"username": "b.chuyenvien", "full_name": "Vũ Thị Chuyên", "password": "ngan", "unit_id": str(xa_b),
            "role": "specialist"}
    response = client.post(f"{ADMIN}/can-bo/moi", data=form)
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="password-error"' in page and 'value="Vũ Thị Chuyên"' in page
    response = client.post(f"{ADMIN}/can-bo/moi", data=dict(form, username="a.tiepnhan", password="mat-khau-dai"))
    assert response.status_code == 422 and 'id="username-error"' in response.get_data(as_text=True)
    response = client.post(f"{ADMIN}/can-bo/moi", data=dict(form, password="mat-khau-dai"))
    assert response.status_code == 302
    response = client.post("/logout") and client.post("/login", data={"username": "b.chuyenvien",
                                                                       "password": "mat-khau-dai"})
    assert response.status_code == 302
    client.post("/logout")
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(f"{ADMIN}/can-bo/b.chuyenvien"))
    assert "Chuyên viên — Xã Bình Minh" in page
    response = client.post(f"{ADMIN}/can-bo/b.chuyenvien/vai-tro", data={"unit_id": str(xa_b), "role": "leader"})
    assert response.status_code == 302
    response = client.post(f"{ADMIN}/can-bo/b.chuyenvien/vai-tro", data={"unit_id": str(xa_b), "role": "leader"})
    assert response.status_code == 422  # already held
    with desk.app.app_context():
        from core.extensions import db
        from core.users.models import Membership, User

        user = db.session.scalar(select(User).where(User.username == "b.chuyenvien"))
        leader = next(m.id for m in user.memberships if m.role == "leader")
        db.session.remove()
    response = client.post(f"{ADMIN}/can-bo/b.chuyenvien/vai-tro/{leader}/xoa")
    assert response.status_code == 302
    response = client.post(f"{ADMIN}/can-bo/b.chuyenvien", data={"full_name": "Vũ Thị Chuyên", "password": ""})
    assert response.status_code == 302  # "active" unticked: the account is locked
    with desk.app.app_context():
        user = db.session.scalar(select(User).where(User.username == "b.chuyenvien"))
        assert user.active is False and [m.role for m in user.memberships] == ["specialist"]
        assert db.session.scalar(select(Membership).where(Membership.role == "leader",
                                                          Membership.user_id == user.id)) is None
        db.session.remove()
    assert [c[0] for c in changes(desk.app)] == ["user.create", "role.grant", "role.revoke", "user.update"]


def test_admins_cannot_lock_themselves_out(desk, client):
    desk.factory.login(client, "huyen.admin")
    response = client.post(f"{ADMIN}/can-bo/huyen.admin", data={"full_name": "Quản Trị Huyện"})
    assert response.status_code == 422
    assert 'id="active-error"' in assert_good_page(response)
    with desk.app.app_context():
        from core.extensions import db
        from core.users.models import User

        user = db.session.scalar(select(User).where(User.username == "huyen.admin"))
        membership = user.memberships[0].id
        db.session.remove()
    response = client.post(f"{ADMIN}/can-bo/huyen.admin/vai-tro/{membership}/xoa")
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert changes(desk.app) == []


def test_unit_admin_cannot_grant_district_roles_or_edit_other_units_staff(desk, client):
    desk.factory.login(client, "a.admin")
    page = assert_good_page(client.get("/xa-a/admin/can-bo"))
    assert "a.tiepnhan" in page and "b.tiepnhan" not in page
    assert client.get("/xa-a/admin/can-bo/multi").status_code == 404  # also works in xa-b
    assert client.get("/xa-a/admin/can-bo/b.tiepnhan").status_code == 404
    with desk.app.app_context():
        from core.tenancy.services import get_unit_or_none

        xa_a = get_unit_or_none("xa-a").id
    response = client.post("/xa-a/admin/can-bo/a.tiepnhan/vai-tro", data={"unit_id": str(xa_a),
                                                                         "role": "district_admin"})
    assert response.status_code == 422
    response = client.post("/xa-a/admin/can-bo/moi", data={"username": "x.moi", "full_name": "X", "password":
                                                            "mat-khau-dai", "unit_id": str(xa_a),
                                                            "role": "district_admin"})
    assert response.status_code == 422
    assert changes(desk.app) == []


def test_calendar_days(desk, client):
    from core.dossiers.calendar import calendar_for
    from core.tenancy.services import get_unit_or_none

    desk.factory.login(client, "huyen.admin")
    assert_good_page(client.get(f"{ADMIN}/lich"))
    with desk.app.app_context():
        xa_a = get_unit_or_none("xa-a").id
    response = client.post(f"{ADMIN}/lich", data={"day": "", "kind": "off", "unit_id": str(xa_a), "note": "Bão"})
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="day-error"' in page and 'value="Bão"' in page
    response = client.post(f"{ADMIN}/lich", data={"day": "2026-12-05", "kind": "work", "unit_id": str(xa_a),
                                                  "note": "Làm bù"})
    assert response.status_code == 302
    response = client.post(f"{ADMIN}/lich", data={"day": "2026-12-05", "kind": "off", "unit_id": str(xa_a)})
    assert response.status_code == 422 and 'id="day-error"' in response.get_data(as_text=True)
    response = client.post(f"{ADMIN}/lich", data={"day": "2026-12-24", "kind": "off", "unit_id": "0",
                                                  "note": "Nghỉ toàn hệ thống"})
    assert response.status_code == 302
    with desk.app.test_request_context():
        calendar = calendar_for(get_unit_or_none("xa-a"))
        assert calendar.is_working_day(date(2026, 12, 5))  # a Saturday made a working day
        assert not calendar.is_working_day(date(2026, 12, 24))
        assert not calendar_for(get_unit_or_none("xa-b")).is_working_day(date(2026, 12, 24))
    page = assert_good_page(client.get(f"{ADMIN}/lich"))
    assert "05/12/2026" in page and "Mọi đơn vị" in page
    with desk.app.app_context():
        from core.dossiers.models import CalendarDay
        from core.extensions import db

        row_id = db.session.scalar(select(CalendarDay.id).where(CalendarDay.day == date(2026, 12, 5)))
        db.session.remove()
    assert client.post(f"{ADMIN}/lich/{row_id}/xoa").status_code == 302
    assert [c[:2] for c in changes(desk.app)] == [("calendar.add", "2026-12-05"), ("calendar.add", "2026-12-24"),
                                                  ("calendar.delete", "2026-12-05")]


def test_unit_admin_calendar_is_own_unit_only(desk, client):
    desk.factory.login(client, "a.admin")
    page = assert_good_page(client.get("/xa-a/admin/lich"))
    assert "Mọi đơn vị" not in page
    response = client.post("/xa-a/admin/lich", data={"day": "2026-12-24", "kind": "off", "unit_id": "0"})
    assert response.status_code == 422
    assert changes(desk.app) == []


def test_nothing_outside_the_scope_can_be_touched(desk, client):
    from core.dossiers.models import CalendarDay
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User

    with desk.app.app_context():
        xa_b = get_unit_or_none("xa-b")
        db.session.add(CalendarDay(unit_id=xa_b.id, day=date(2026, 12, 7), kind="off", note="Xã B"))
        db.session.commit()
        row_id = db.session.scalar(select(CalendarDay.id))
        membership = db.session.scalar(select(User).where(User.username == "b.tiepnhan")).memberships[0].id
        db.session.remove()
    desk.factory.login(client, "a.admin")
    assert client.post(f"/xa-a/admin/lich/{row_id}/xoa").status_code == 404
    assert client.post(f"/xa-a/admin/can-bo/b.tiepnhan/vai-tro/{membership}/xoa").status_code == 404
    assert client.post("/xa-a/admin/don-vi/xa-b/linh-vuc/land", data={}).status_code == 404
    assert client.post("/xa-a/admin/don-vi/xa-a/trang-thai", data={"active": "0"}).status_code == 403
    assert unit_row(desk.app, "xa-b")["plugins"] and unit_row(desk.app, "xa-a")["active"]
    assert changes(desk.app) == []
