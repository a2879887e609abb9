"""SEC-18: LIKE wildcards typed in a search are characters; unit slugs that would shadow a route are refused."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.tenancy.models import Unit
from tests.core.test_units_cli import apply, write
from tests.web.helpers import make_dossier


def test_wildcards_in_a_search_match_only_themselves(app, client, factory, desk):
    make_dossier(app)
    make_dossier(app)
    headers = factory.token(client, "a.tiepnhan")
    for q in ("%", "_", "%%", "TEST%"):
        body = client.get("/api/v1/units/xa-a/dossiers", query_string={"q": q}, headers=headers).get_json()
        assert body["total"] == 0, q
    assert client.get("/api/v1/units/xa-a/dossiers?q=TEST.XA", headers=headers).get_json()["total"] == 2


def test_reserved_slugs_are_refused_by_units_apply_and_the_admin_form(app, runner, client, factory, desk, tmp_path):
    folder = tmp_path / "communes"
    folder.mkdir()
    for slug in ("reports-static", "api", "static"):
        path = write(folder, "x", f'slug = "{slug}"\ncode = "1"\nname = "X"\nkind = "commune"\n')
        result = apply(runner, folder)
        assert result.exit_code != 0 and f"{path}:1" in result.output and "reserved" in result.output, slug
    factory.login(client, "huyen.admin")
    with app.app_context():
        district = db.session.scalar(select(Unit.id).where(Unit.slug == "huyen-test"))
    form = {"name": "X", "code": "1", "kind": "commune", "parent_id": str(district), "agency_code": "X.1",
            "office_hours": "", "address": "", "phone": "", "slug": "reports-static"}
    assert client.post("/huyen-test/admin/don-vi/moi", data=form).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Unit.id).where(Unit.slug == "reports-static")) is None
