"""The boundary between core and plugins, driven through HTTP and start-up as a plugin author meets it.

- plugin pages need a login and a role over the unit unless the blueprint is declared public (KIT-04), and a plugin
  may declare its own permissions, checked by the one ``can()`` (KIT-13);
- ``dashboard_widgets`` shows on the unit's dashboards (KIT-05);
- a failing display hook shows a notice instead of a 500, and panel HTML is escaped unless it is ``Markup``
  (KIT-08, KIT-09).
"""

from __future__ import annotations

import logging

import pytest

from core.testing import throwaway_plugin

PROBE = "hookprobe"
BROKEN = "hookbroken"
APPLICANT = {"full_name": "Lê Thị Thu", "id_number": "001190034567", "phone": "0912345678", "address": "Thôn Đông"}

PROBE_HOOKS = '''
from datetime import date

from flask import Blueprint
from markupsafe import Markup
from wtforms import Form, StringField
from wtforms.validators import DataRequired

from core.plugins import Panel, Procedure, ProcedureVersion, ProcessingTime, Widget, hookimpl
from core.plugins.api import can, mark_public, require_permission

private = Blueprint("hookprobe_private", __name__)
public = mark_public(Blueprint("hookprobe_public", __name__))
books = require_permission(Blueprint("hookprobe_books", __name__), "hookprobe.books")


@private.get("/secret")
def secret(unit_slug):
    return f"Sổ nội bộ {unit_slug}"


@public.get("/notice")
def notice(unit_slug):
    return f"Thông báo công khai {unit_slug}"


@books.get("/books")
def list_books(unit_slug):
    return f"Sổ đăng ký {unit_slug}"


class RequestForm(Form):
    subject = StringField("Nội dung", [DataRequired()])


@hookimpl
def register_procedures():
    version = ProcedureVersion("1", date(2020, 1, 1), "Văn bản thử", ProcessingTime(3))
    return [Procedure(key="hookprobe.request", national_code="1.777777", name="Đề nghị thăm dò", field="Thử",
                      versions=(version,), form_class=RequestForm)]


@hookimpl
def register_permissions():
    return {"hookprobe.books": {"leader"}}


@hookimpl
def register_blueprints():
    return [private, public, books]


@hookimpl
def dashboard_widgets(unit, user):
    may = "có" if can(user, "hookprobe.books", unit) else "không"
    return [Widget(title="Hồ sơ thăm dò đang chờ", value="7", order=5),
            Widget(title=f"Quyền xem sổ: {may}", value="1", order=6)]


@hookimpl
def dossier_panels(dossier, user):
    return [Panel(title="Văn bản thô", html="<b>in đậm</b> & <script>alert(1)</script>", order=1),
            Panel(title="Đánh dấu", html=Markup("<i>nghiêng</i>"), order=2)]
'''

BROKEN_HOOKS = '''
from core.plugins import hookimpl


@hookimpl
def dashboard_widgets(unit, user):
    raise RuntimeError("widget of hookbroken failed")


@hookimpl
def dossier_panels(dossier, user):
    raise RuntimeError("panel of hookbroken failed")
'''


@pytest.fixture(scope="module")
def _boundary_plugins(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("probe"), PROBE, "Thăm dò", PROBE_HOOKS), \
            throwaway_plugin(tmp_path_factory.mktemp("broken"), BROKEN, "Lĩnh vực hỏng", BROKEN_HOOKS):
        yield


@pytest.fixture
def app(_boundary_plugins, app):
    return app


pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=(PROBE, BROKEN))


@pytest.fixture
def units(factory):
    factory.district("huyen-d")
    factory.commune("xa-d", parent="huyen-d", plugins=(PROBE, BROKEN))
    factory.commune("xa-e", parent="huyen-d", plugins=(PROBE,))
    factory.commune("xa-tat", parent="huyen-d", plugins=())
    factory.user("tn.d", ("reception", "xa-d"))
    factory.user("ld.d", ("leader", "xa-d"))
    factory.user("tn.e", ("reception", "xa-e"))
    factory.user("ld.huyen", ("leader", "huyen-d"))


def _login(client, factory, username):
    client.get("/logout")
    return factory.login(client, username)


# --- KIT-04 / KIT-13: plugin pages ---------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_for_a_plugin_page(client, units):
    response = client.get("/xa-d/hookprobe/secret")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_officer_without_a_role_over_the_unit_is_refused(client, factory, units):
    _login(client, factory, "tn.e")
    assert client.get("/xa-d/hookprobe/secret").status_code == 403
    assert client.get("/xa-e/hookprobe/secret").get_data(as_text=True) == "Sổ nội bộ xa-e"


def test_role_on_the_unit_or_above_opens_the_page(client, factory, units):
    _login(client, factory, "tn.d")
    assert client.get("/xa-d/hookprobe/secret").get_data(as_text=True) == "Sổ nội bộ xa-d"
    _login(client, factory, "ld.huyen")
    assert client.get("/xa-d/hookprobe/secret").status_code == 200


def test_public_blueprint_is_open_to_anyone_where_enabled(client, units):
    response = client.get("/xa-d/hookprobe/notice")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Thông báo công khai xa-d"
    assert client.get("/xa-tat/hookprobe/notice").status_code == 404


def test_disabled_plugin_answers_404_before_asking_for_a_login(client, units):
    assert client.get("/xa-tat/hookprobe/secret").status_code == 404


def test_plugin_permission_is_checked_by_can(client, factory, units):
    _login(client, factory, "tn.d")
    assert client.get("/xa-d/hookprobe/books").status_code == 403
    _login(client, factory, "ld.d")
    assert client.get("/xa-d/hookprobe/books").get_data(as_text=True) == "Sổ đăng ký xa-d"


def test_plugin_permission_reaches_can_and_unit_ids_with(app, units):
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User
    from core.users.permissions import can, unit_ids_with

    with app.app_context():
        leader = db.session.query(User).filter_by(username="ld.huyen").one()
        reception = db.session.query(User).filter_by(username="tn.d").one()
        xa_d = get_unit_or_none("xa-d")
        assert can(leader, "hookprobe.books", xa_d)
        assert not can(reception, "hookprobe.books", xa_d)
        assert xa_d.id in unit_ids_with(leader, "hookprobe.books")
        with pytest.raises(KeyError):
            can(leader, "hookprobe.unknown", xa_d)


# --- KIT-05: dashboard widgets -------------------------------------------------------------------------------------


def test_widgets_are_shown_on_the_dashboard(client, factory, units):
    _login(client, factory, "tn.e")
    response = client.get("/xa-e/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hồ sơ thăm dò đang chờ" in html
    assert "Quyền xem sổ: không" in html


def test_widgets_follow_the_user(client, factory, units):
    _login(client, factory, "ld.d")
    html = client.get("/xa-d/dashboard").get_data(as_text=True)
    assert "Quyền xem sổ: có" in html


def test_no_widget_where_the_plugin_is_disabled(client, factory, units):
    factory.user("tn.tat", ("reception", "xa-tat"))
    _login(client, factory, "tn.tat")
    html = client.get("/xa-tat/dashboard").get_data(as_text=True)
    assert "Hồ sơ thăm dò đang chờ" not in html


# --- KIT-08: a failing display hook --------------------------------------------------------------------------------


def test_failing_widget_shows_a_notice_and_the_others(client, factory, units, caplog):
    _login(client, factory, "tn.d")
    with caplog.at_level(logging.ERROR, logger="motcua.plugins"):
        response = client.get("/xa-d/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hồ sơ thăm dò đang chờ" in html
    assert "Không hiển thị được thông tin của lĩnh vực “Lĩnh vực hỏng”" in html
    assert any("hookbroken" in r.getMessage() and r.exc_info for r in caplog.records)


def _dossier(client, factory, slug: str, username: str) -> str:
    headers = factory.token(client, username)
    body = {"procedure": "hookprobe.request", "channel": "counter", "applicant": APPLICANT,
            "data": {"subject": "Xin xác nhận"}}
    created = client.post(f"/api/v1/units/{slug}/dossiers", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    return created.get_json()["code"]


def test_failing_panel_shows_a_notice_not_a_500(client, factory, units, caplog):
    code = _dossier(client, factory, "xa-d", "tn.d")
    _login(client, factory, "tn.d")
    with caplog.at_level(logging.ERROR, logger="motcua.plugins"):
        response = client.get(f"/xa-d/dossiers/{code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Không hiển thị được thông tin của lĩnh vực “Lĩnh vực hỏng”" in html
    assert "Văn bản thô" in html  # the working plugin's panels are still there
    assert any("dossier_panels" in r.getMessage() for r in caplog.records)


def test_failing_panel_notice_is_in_the_readers_language(client, factory, units):
    code = _dossier(client, factory, "xa-d", "tn.d")
    _login(client, factory, "tn.d")
    html = client.get(f"/xa-d/dossiers/{code}?lang=en").get_data(as_text=True)
    assert "could not be shown" in html


# --- KIT-09: panel HTML --------------------------------------------------------------------------------------------


def test_plain_string_panel_is_escaped_and_markup_is_kept(client, factory, units):
    code = _dossier(client, factory, "xa-e", "tn.e")
    _login(client, factory, "tn.e")
    html = client.get(f"/xa-e/dossiers/{code}").get_data(as_text=True)
    assert "&lt;b&gt;in đậm&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "<i>nghiêng</i>" in html
