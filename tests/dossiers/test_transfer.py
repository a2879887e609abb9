"""Liên thông: a dossier transferred to another unit is seen by the receiving commune and the competent unit, and by
nobody else; the new unit processes it and the receiving desk returns the result."""

from __future__ import annotations

import pytest
from lifecycle_helpers import PLUGINS, act, counts, create, get

from core.dossiers.models import Dossier, DossierEvent
from core.extensions import db

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _codes(world, unit: str, username: str, **params) -> list[str]:
    response = world.client.get(f"/api/v1/units/{unit}/dossiers", query_string=params, headers=world.h(username))
    assert response.status_code == 200, response.get_json()
    return [d["code"] for d in response.get_json()["dossiers"]]


def _transferred(world, to_unit: str = "vp-dat") -> str:
    code = create(world).get_json()["code"]
    assert act(world, code, "tn.a", "assign", assignee="cv.a").status_code == 200
    response = act(world, code, "cv.a", "transfer", to_unit=to_unit, note="Chuyển đo đạc")
    assert response.status_code == 200, response.get_json()
    return code


def test_transfer_to_the_land_office_is_seen_by_both_units_and_nobody_else(world):
    code = _transferred(world)
    for username in ("tn.a", "cv.a", "ld.a", "cv.o", "ld.o"):
        body = get(world, code, username).get_json()
        assert (body["receiving_unit"], body["competent_unit"]) == ("xa-a", "vp-dat"), username
        assert (body["status"], body["step"], body["assignee"]) == ("in_progress", "transferred", None)
    assert code in _codes(world, "xa-a", "tn.a")
    assert code in _codes(world, "vp-dat", "cv.o")
    for username in ("tn.b", "cv.c", "tn.c"):
        response = get(world, code, username)
        assert response.status_code == 404, username
        assert response.get_json()["error"]["code"] == "not_found"
    assert _codes(world, "xa-c", "tn.c") == []
    assert _codes(world, "xa-b", "tn.b") == []
    assert world.client.get("/api/v1/units/xa-a/dossiers", headers=world.h("tn.c")).status_code == 403
    assert world.client.get("/api/v1/units/vp-dat/dossiers", headers=world.h("tn.b")).status_code == 403
    # Acting on it from an unrelated unit reveals nothing either.
    assert act(world, code, "tn.c", "withdraw").status_code == 404


def test_transfer_is_recorded_with_both_units(world):
    code = _transferred(world)
    with world.app.app_context():
        dossier = db.session.query(Dossier).filter_by(code=code).one()
        event = db.session.query(DossierEvent).filter_by(dossier_id=dossier.id, action="transfer").one()
        assert event.from_unit_id == dossier.receiving_unit_id
        assert event.to_unit_id == dossier.competent_unit_id != dossier.receiving_unit_id
        assert event.unit_id == dossier.competent_unit_id
        assert event.note == "Chuyển đo đạc" and event.payload == {"to_unit": "vp-dat"}
    body = get(world, code, "tn.a").get_json()
    assert body["history"][-1]["action"] == "transfer"


def test_the_competent_unit_processes_and_the_receiving_desk_returns(world):
    code = _transferred(world)
    # The commune's specialist no longer handles it; the office's staff do.
    assert act(world, code, "cv.a", "assign", assignee="cv.a").status_code == 403
    assert act(world, code, "cv.o", "assign", assignee="cv.a").status_code == 422  # not an office specialist
    assert "assign" in get(world, code, "cv.o").get_json()["allowed_actions"]
    assert act(world, code, "cv.o", "assign", assignee="cv.o").status_code == 200
    assert act(world, code, "cv.o", "submit_for_approval").status_code == 200
    assert act(world, code, "ld.a", "approve").status_code == 403  # the commune's leader does not sign for the office
    assert act(world, code, "ld.o", "approve").get_json()["status"] == "result_ready"
    # The result goes back through the one-stop desk where the citizen filed it.
    assert "return_result" in get(world, code, "tn.a").get_json()["allowed_actions"]
    body = act(world, code, "tn.a", "return_result", received_by="Nguyễn Văn An").get_json()
    assert body["status"] == "returned"
    assert [h["action"] for h in body["history"]] == [
        "receive", "assign", "transfer", "assign", "submit_for_approval", "approve", "return_result"]


def test_transfer_to_the_competent_commune(world):
    code = create(world).get_json()["code"]
    response = act(world, code, "tn.a", "transfer", to_unit="xa-b")  # received at A, B decides
    assert response.status_code == 200
    assert response.get_json()["competent_unit"] == "xa-b"
    assert code in _codes(world, "xa-b", "cv.b")
    assert code in _codes(world, "xa-a", "tn.a")
    assert get(world, code, "tn.c").status_code == 404
    assert act(world, code, "tn.b", "assign", assignee="cv.b").status_code == 200


def test_a_district_role_sees_dossiers_of_every_unit_below(world):
    code = _transferred(world)
    world.factory.user("qt.huyen", ("district_admin", "huyen"))
    assert code in _codes(world, "huyen", "qt.huyen")
    assert code in _codes(world, "vp-dat", "qt.huyen")
    assert get(world, code, "qt.huyen").get_json()["allowed_actions"] == []


def test_transfer_to_a_unit_that_does_not_offer_the_procedure_is_refused(world):
    world.factory.set_plugin("xa-c", "lifetest", False)
    code = create(world).get_json()["code"]
    before = counts(world.app)
    response = act(world, code, "tn.a", "transfer", to_unit="xa-c")
    assert response.status_code == 422
    assert "to_unit" in response.get_json()["error"]["fields"]
    assert counts(world.app) == before
    assert get(world, code, "tn.a").get_json()["competent_unit"] == "xa-a"


def test_transfer_notifies_the_citizen(world):
    code = _transferred(world)
    with world.app.app_context():
        dossier = db.session.query(Dossier).filter_by(code=code).one()
        from core.notifications.models import Outbox

        kinds = [o.kind for o in db.session.query(Outbox).filter_by(dossier_id=dossier.id).order_by(Outbox.id)]
    assert kinds == ["receive", "receive", "transfer", "transfer"]
