"""Permission scoping: one check (can / unit_ids_with), roles cover descendants, tenant data stays in its tenant.

The HTTP tests use a throwaway plugin with a one-field procedure, so they depend only on core's dossier API.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.tenancy.services import get_unit_or_none
from core.testing import throwaway_plugin
from core.users.models import User
from core.users.permissions import PERMISSIONS, can, roles_over, unit_ids_with

PLUGIN = "permtest"
PROCEDURE = "permtest.request"
APPLICANT = {"full_name": "Trần Văn Bình", "id_number": "001203004005", "phone": "0912345678",
             "address": "Thôn Bắc"}

HOOKS = '''
from datetime import date

from wtforms import Form, StringField
from wtforms.validators import DataRequired

from core.plugins import Procedure, ProcedureVersion, ProcessingTime, hookimpl


class RequestForm(Form):
    subject = StringField("Nội dung đề nghị", [DataRequired()])


@hookimpl
def register_procedures():
    version = ProcedureVersion("1", date(2020, 1, 1), "Văn bản thử", ProcessingTime(3))
    return [Procedure(key="permtest.request", national_code="1.999999", name="Đề nghị thử", field="Thử",
                      versions=(version,), form_class=RequestForm)]
'''


@pytest.fixture(scope="module")
def _permtest_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("permission_plugins"), PLUGIN, 'Thử quyền', HOOKS):
        yield


@pytest.fixture
def app(_permtest_plugin, app):
    """The usual app, built once the throwaway plugin is importable."""
    return app


pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=(PLUGIN,))

# username -> (role, unit slug)
OFFICERS = {
    "tn.a1": ("reception", "xa-a1"), "cv.a1": ("specialist", "xa-a1"), "tn.a2": ("reception", "xa-a2"),
    "ad.a2": ("unit_admin", "xa-a2"), "tn.b1": ("reception", "xa-b1"),
    "qt.a": ("district_admin", "huyen-a"), "qt.b": ("district_admin", "huyen-b"), "kt.a": ("auditor", "huyen-a"),
    "kt.a1": ("auditor", "xa-a1"), "cv.vp": ("specialist", "vp-a"), "ld.tinh": ("leader", "tinh"),
    "tn.moi": ("reception", "xa-moi"),
}


@pytest.fixture
def tree(factory):
    """tinh > huyen-a > (xa-a1, xa-a2, vp-a); tinh > huyen-b > xa-b1; tinh > xa-moi (two-tier)."""
    factory.unit("tinh", kind="province", plugins=())
    factory.district("huyen-a", parent="tinh")
    factory.district("huyen-b", parent="tinh")
    for slug, parent in (("xa-a1", "huyen-a"), ("xa-a2", "huyen-a"), ("xa-b1", "huyen-b"), ("xa-moi", "tinh")):
        factory.commune(slug, parent=parent, plugins=(PLUGIN,))
    factory.unit("vp-a", kind="office", parent="huyen-a", plugins=(PLUGIN,))
    for username, (role, slug) in OFFICERS.items():
        factory.user(username, (role, slug))
    factory.user("nghi.a1", ("reception", "xa-a1"), active=False)
    factory.user("khong.vai")  # no role anywhere


def headers(factory, client, username):
    return factory.token(client, username)


def receive(client, hdrs, slug, subject="Đề nghị xác nhận"):
    return client.post(f"/api/v1/units/{slug}/dossiers", headers=hdrs,
                       json={"procedure": PROCEDURE, "channel": "counter", "applicant": APPLICANT,
                             "data": {"subject": subject}})


@pytest.fixture
def dossiers(tree, client, factory):
    """One dossier received at xa-a1 and one at xa-b1: their codes."""
    made = {}
    for username, slug in (("tn.a1", "xa-a1"), ("tn.b1", "xa-b1")):
        response = receive(client, headers(factory, client, username), slug)
        assert response.status_code == 201, response.get_json()
        made[slug] = response.get_json()["code"]
    return made


def listed(client, hdrs, slug):
    response = client.get(f"/api/v1/units/{slug}/dossiers", headers=hdrs)
    return response.status_code, [d["code"] for d in (response.get_json().get("dossiers") or [])]


# --- through the API --------------------------------------------------------------------------------------------


def test_commune_officer_sees_only_own_commune(client, factory, dossiers):
    own = headers(factory, client, "tn.a1")
    assert listed(client, own, "xa-a1") == (200, [dossiers["xa-a1"]])
    assert client.get(f"/api/v1/dossiers/{dossiers['xa-a1']}", headers=own).status_code == 200

    status, _ = listed(client, own, "xa-b1")
    assert status == 403
    response = client.get(f"/api/v1/dossiers/{dossiers['xa-b1']}", headers=own)
    assert response.status_code == 404  # never reveal that the code exists elsewhere
    assert response.get_json()["error"]["code"] == "not_found"


def test_neighbour_commune_of_the_same_district_is_out_of_scope(client, factory, dossiers):
    neighbour = headers(factory, client, "tn.a2")
    assert listed(client, neighbour, "xa-a1")[0] == 403
    assert client.get(f"/api/v1/dossiers/{dossiers['xa-a1']}", headers=neighbour).status_code == 404
    assert listed(client, neighbour, "xa-a2") == (200, [])


def test_officer_cannot_receive_for_another_commune(client, factory, tree):
    response = receive(client, headers(factory, client, "tn.b1"), "xa-a1")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_district_admin_covers_the_communes_of_the_district(client, factory, dossiers):
    admin = headers(factory, client, "qt.a")
    assert listed(client, admin, "xa-a1") == (200, [dossiers["xa-a1"]])
    assert listed(client, admin, "huyen-a") == (200, [dossiers["xa-a1"]])  # the district's view: its communes
    assert client.get(f"/api/v1/dossiers/{dossiers['xa-a1']}", headers=admin).status_code == 200
    assert listed(client, admin, "xa-b1")[0] == 403
    assert client.get(f"/api/v1/dossiers/{dossiers['xa-b1']}", headers=admin).status_code == 404

    other = headers(factory, client, "qt.b")
    assert listed(client, other, "xa-b1") == (200, [dossiers["xa-b1"]])
    assert listed(client, other, "xa-a1")[0] == 403


def test_province_role_covers_every_commune(client, factory, dossiers):
    leader = headers(factory, client, "ld.tinh")
    assert sorted(listed(client, leader, "tinh")[1]) == sorted(dossiers.values())
    for code in dossiers.values():
        assert client.get(f"/api/v1/dossiers/{code}", headers=leader).status_code == 200


def test_auditor_reads_but_cannot_act(client, factory, dossiers):
    auditor = headers(factory, client, "kt.a")
    code = dossiers["xa-a1"]
    response = client.get(f"/api/v1/dossiers/{code}", headers=auditor)
    assert response.status_code == 200
    version = response.get_json()["version"]
    refused = client.post(f"/api/v1/dossiers/{code}/actions", headers=auditor,
                          json={"action": "refuse", "reason": "Thử", "version": version})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    assert receive(client, auditor, "xa-a1").status_code == 403
    # The same action by the commune's reception officer is allowed: the refusal above was about the role.
    allowed = client.post(f"/api/v1/dossiers/{code}/actions", headers=headers(factory, client, "tn.a1"),
                          json={"action": "refuse", "reason": "Thiếu giấy tờ", "version": version})
    assert allowed.status_code == 200, allowed.get_json()


def test_user_without_role_sees_nothing(client, factory, dossiers):
    nobody = headers(factory, client, "khong.vai")
    assert listed(client, nobody, "xa-a1")[0] == 403
    assert client.get(f"/api/v1/dossiers/{dossiers['xa-a1']}", headers=nobody).status_code == 404


def test_revoking_a_role_takes_effect_at_once(app, client, factory, runner, dossiers):
    hdrs = headers(factory, client, "tn.a1")
    assert listed(client, hdrs, "xa-a1")[0] == 200
    result = runner.invoke(args=["users", "revoke", "tn.a1", "reception", "xa-a1"])
    assert result.exit_code == 0, result.output
    assert listed(client, hdrs, "xa-a1")[0] == 403


# --- the check itself -------------------------------------------------------------------------------------------


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _ids(*slugs: str) -> set[int]:
    return {get_unit_or_none(s).id for s in slugs}


def test_unit_ids_with(app, tree):
    with app.app_context():
        assert unit_ids_with(_user("tn.a1"), "dossier.view") == _ids("xa-a1")
        assert unit_ids_with(_user("tn.a1"), "dossier.receive") == _ids("xa-a1")
        assert unit_ids_with(_user("tn.a1"), "dossier.process") == set()
        assert unit_ids_with(_user("qt.a"), "dossier.view") == _ids("huyen-a", "xa-a1", "xa-a2", "vp-a")
        assert unit_ids_with(_user("qt.a"), "unit.admin") == _ids("huyen-a", "xa-a1", "xa-a2", "vp-a")
        assert unit_ids_with(_user("qt.a"), "dossier.receive") == set()
        assert unit_ids_with(_user("ld.tinh"), "dossier.process") == _ids(
            "tinh", "huyen-a", "huyen-b", "xa-a1", "xa-a2", "xa-b1", "vp-a", "xa-moi")
        assert unit_ids_with(_user("tn.moi"), "dossier.view") == _ids("xa-moi")
        assert unit_ids_with(_user("nghi.a1"), "dossier.view") == set()  # inactive
        assert unit_ids_with(_user("khong.vai"), "dossier.view") == set()
        assert unit_ids_with(None, "dossier.view") == set()


def test_can_follows_the_tree_downwards_only(app, tree):
    with app.app_context():
        admin = _user("qt.a")
        assert can(admin, "district.admin", get_unit_or_none("xa-a1"))
        assert can(admin, "unit.admin", get_unit_or_none("huyen-a").id)  # a unit id works too
        assert not can(admin, "unit.admin", get_unit_or_none("tinh"))  # never upwards
        assert not can(admin, "unit.admin", get_unit_or_none("xa-b1"))  # never sideways
        commune_admin = _user("ad.a2")
        assert can(commune_admin, "unit.admin", get_unit_or_none("xa-a2"))
        assert not can(commune_admin, "district.admin", get_unit_or_none("xa-a2"))
        assert not can(commune_admin, "unit.admin", get_unit_or_none("huyen-a"))
        assert roles_over(_user("ld.tinh"), get_unit_or_none("xa-moi").id) == {"leader"}
        assert can(_user("cv.vp"), "dossier.process", get_unit_or_none("vp-a"))
        assert not can(_user("cv.vp"), "dossier.process", get_unit_or_none("xa-a1"))
        assert not can(_user("tn.a1"), "dossier.view", None)


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_auditor_is_read_only(app, tree, permission):
    with app.app_context():
        allowed = can(_user("kt.a1"), permission, get_unit_or_none("xa-a1"))
    assert allowed == (permission in {"dossier.view", "report.view", "queue.view"})


@pytest.mark.parametrize("username, permission, expected", [
    ("tn.a1", "dossier.receive", True), ("tn.a1", "dossier.process", False), ("ld.tinh", "report.self_score", True),
    ("cv.a1", "dossier.process", True), ("cv.a1", "dossier.receive", False), ("cv.a1", "unit.admin", False),
    ("nghi.a1", "dossier.view", False), ("khong.vai", "dossier.view", False),
])
def test_roles_grant_their_permissions(app, tree, username, permission, expected):
    with app.app_context():
        assert can(_user(username), permission, get_unit_or_none("xa-a1")) is expected


def test_anonymous_user_has_no_permission(app, tree):
    from flask_login import AnonymousUserMixin

    with app.app_context():
        unit = get_unit_or_none("xa-a1")
        assert not can(AnonymousUserMixin(), "dossier.view", unit)
        assert unit_ids_with(AnonymousUserMixin(), "dossier.view") == set()


def test_roles_held_on_the_unit_and_above_add_up_whether_or_not_the_tree_is_read(app, factory, tree):
    # roles_over skips the unit tree when roles held elsewhere add nothing to those held on the unit (issue 16).
    from core.extensions import db
    from core.sqlcount import counting

    factory.user("hai.cap", ("reception", "xa-a1"), ("leader", "huyen-a"), ("reception", "xa-b1"))
    factory.user("mot.cap", ("reception", "xa-a1"), ("reception", "huyen-b"))
    with app.app_context():
        both, one = _user("hai.cap"), _user("mot.cap")
        commune, neighbour = get_unit_or_none("xa-a1").id, get_unit_or_none("xa-a2").id
        with counting(db.engine) as counts:
            assert roles_over(one, commune) == {"reception"}  # the role elsewhere is the same: no tree needed
        assert counts.queries == []
        assert roles_over(both, commune) == {"reception", "leader"}  # the district's leader counts here
        assert roles_over(both, neighbour) == {"leader"}  # xa-b1's reception does not
        assert roles_over(one, neighbour) == set()  # huyen-b is not above xa-a2
        assert not can(one, "dossier.process", commune) and can(both, "dossier.process", commune)
