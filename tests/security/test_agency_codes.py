"""SEC-02, SEC-03: dossier-code prefixes (agency codes) are unique among active units and have the QCVN 102 shape."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.tenancy.models import Unit
from tests.core.test_units_cli import apply, write
from tests.web.helpers import APPLICANT, birth_data

FIRST = """
    slug = "xa-dau"
    code = "90001"
    name = "Xã Đầu"
    kind = "commune"
    agency_code = "T.900"
"""
SECOND = """
    slug = "xa-sau"
    code = "90002"
    name = "Xã Sau"
    kind = "commune"
    # the same prefix as xa-dau, on line 6
    agency_code = "t.900"
"""


def test_units_apply_refuses_a_shared_agency_code_naming_both_files(app, runner, tmp_path):
    folder = tmp_path / "communes"
    folder.mkdir()
    first, second = write(folder, "xa-dau", FIRST), write(folder, "xa-sau", SECOND)
    result = apply(runner, folder)
    assert result.exit_code != 0
    assert f"{second}:6" in result.output and f"{first}:5" in result.output
    assert "agency code" in result.output
    with app.app_context():
        assert db.session.scalars(select(Unit)).all() == []
    # An inactive unit keeping its old code is no clash; nor is a unit whose fallback prefix (GSO code) differs.
    write(folder, "xa-sau", SECOND.replace('kind = "commune"', 'kind = "commune"\n    active = false'))
    assert apply(runner, folder).exit_code == 0


def test_units_apply_refuses_a_prefix_used_by_a_unit_without_file(app, runner, factory, tmp_path):
    factory.commune("xa-cu", agency_code="T.900")
    folder = tmp_path / "communes"
    folder.mkdir()
    path = write(folder, "xa-dau", FIRST)
    result = apply(runner, folder)
    assert result.exit_code != 0
    assert f"{path}:5" in result.output and "xa-cu" in result.output


def test_units_apply_checks_the_agency_code_shape(app, runner, tmp_path):
    folder = tmp_path / "communes"
    folder.mkdir()
    for bad in ("KS/2026", "UBND.Đông", "A-B", "A..B", ".A"):
        path = write(folder, "xa-dau", FIRST.replace("T.900", bad))
        result = apply(runner, folder)
        assert result.exit_code != 0, bad
        assert f"{path}:5" in result.output and "bad agency_code" in result.output
    write(folder, "xa-dau", FIRST.replace("T.900", "000.00.12.H27"))
    assert apply(runner, folder).exit_code == 0


def _unit_form(app, slug: str, **changes) -> dict:
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
        form = {"name": unit.name, "code": unit.code, "agency_code": unit.agency_code, "office_hours": "",
                "address": "", "phone": ""}
    form.update(changes)
    return form


def _agency(app, slug: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Unit.agency_code).where(Unit.slug == slug))


def _set_agency(app, slug: str, code: str) -> None:
    with app.app_context():
        db.session.scalar(select(Unit).where(Unit.slug == slug)).agency_code = code
        db.session.commit()


def test_admin_page_refuses_another_units_agency_code(desk, client):
    app = desk.app
    _set_agency(app, "xa-b", "T.XB")
    desk.factory.login(client, "a.admin")
    response = client.post("/xa-a/admin/don-vi/xa-a", data=_unit_form(app, "xa-a", agency_code="t.xb"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="agency_code-error"' in page and "Xã Bình Minh" in page
    assert _agency(app, "xa-a") == "TEST.XA-A"
    for bad in ("KS/2026", "UBND.Đông", "A B"):
        response = client.post("/xa-a/admin/don-vi/xa-a", data=_unit_form(app, "xa-a", agency_code=bad))
        assert response.status_code == 422 and 'id="agency_code-error"' in response.get_data(as_text=True)
    assert _agency(app, "xa-a") == "TEST.XA-A"
    response = client.post("/xa-a/admin/don-vi/xa-a", data=_unit_form(app, "xa-a", agency_code="000.00.12.H27"))
    assert response.status_code == 302 and _agency(app, "xa-a") == "000.00.12.H27"


def test_admin_pages_refuse_a_new_or_reactivated_unit_with_a_used_code(desk, client):
    app = desk.app
    _set_agency(app, "xa-b", "T.XB")
    desk.factory.login(client, "huyen.admin")
    with app.app_context():
        district = db.session.scalar(select(Unit.id).where(Unit.slug == "huyen-test"))
    base = {"name": "Xã Mới", "code": "09999", "kind": "commune", "parent_id": str(district), "office_hours": "",
            "address": "", "phone": "", "slug": "xa-moi"}
    response = client.post("/huyen-test/admin/don-vi/moi", data=dict(base, agency_code="T.XB"))
    assert response.status_code == 422 and 'id="agency_code-error"' in response.get_data(as_text=True)
    # xa-b stops; its code is given to a new unit; xa-b cannot come back with the same code.
    assert client.post("/huyen-test/admin/don-vi/xa-b/trang-thai", data={"active": "0"}).status_code == 302
    assert client.post("/huyen-test/admin/don-vi/moi", data=dict(base, agency_code="T.XB")).status_code == 302
    response = client.post("/huyen-test/admin/don-vi/xa-b/trang-thai", data={"active": "1"}, follow_redirects=True)
    assert "Xã Mới" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Unit.active).where(Unit.slug == "xa-b")) is False


def test_a_shared_prefix_never_fails_a_reception(app, client, factory):
    """Codes written before the rule (or an old unit's) must not turn into a unique violation at the counter."""
    factory.district("huyen-test")
    factory.commune("xa-a", parent="huyen-test", agency_code="T.1")
    factory.commune("xa-b", parent="huyen-test", agency_code="T.1")
    factory.user("a.tiepnhan", ("reception", "xa-a"))
    factory.user("b.tiepnhan", ("reception", "xa-b"))
    body = {"procedure": "civil_status.birth_registration", "channel": "counter", "applicant": APPLICANT,
            "data": birth_data()}
    codes = []
    for username, slug in (("a.tiepnhan", "xa-a"), ("a.tiepnhan", "xa-a"), ("b.tiepnhan", "xa-b"),
                           ("b.tiepnhan", "xa-b"), ("b.tiepnhan", "xa-b")):
        response = client.post(f"/api/v1/units/{slug}/dossiers", json=body, headers=factory.token(client, username))
        assert response.status_code == 201, response.get_json()
        codes.append(response.get_json()["code"])
    assert len(set(codes)) == 5
    assert [c.rsplit("-", 1)[1] for c in codes] == ["0001", "0002", "0003", "0004", "0005"]
