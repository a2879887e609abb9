"""The plugin inside a Một Cửa application: discovered through its entry point, enabled per unit, end to end."""

import pytest

APPLICANT = {"full_name": "Phan Thị Hạnh", "id_number": "001190012345", "phone": "0987654321",
             "address": "Thôn Bắc, xã Thử"}


@pytest.fixture
def desk(factory, client):
    factory.commune("xa-thu", plugins=("certification",))
    factory.commune("xa-khac", plugins=())
    factory.user("tiep.nhan", ("reception", "xa-thu"))
    factory.user("chuyen.vien", ("specialist", "xa-thu"))
    factory.user("lanh.dao", ("leader", "xa-thu"))
    return {name: factory.token(client, name) for name in ("tiep.nhan", "chuyen.vien", "lanh.dao")}


def test_the_plugin_is_discovered_through_its_entry_point(app):
    loaded = app.extensions["motcua"].plugins["certification"]
    assert loaded.source == "entrypoint"
    assert "certification.copy_from_original" in app.extensions["motcua"].procedures


def test_only_units_that_enable_it_offer_it(client, desk):
    offered = [p["key"] for p in client.get("/api/v1/units/xa-thu/procedures").get_json()["procedures"]]
    assert offered == ["certification.copy_from_original", "certification.signature"]
    assert client.get("/api/v1/units/xa-khac/procedures").get_json()["procedures"] == []


def test_a_certified_copy_from_counter_to_result(app, client, desk):
    body = {"procedure": "certification.copy_from_original", "channel": "counter", "applicant": APPLICANT,
            "data": {"document_name": "Bằng tốt nghiệp THPT", "pages": 3, "copies": 2}}
    created = client.post("/api/v1/units/xa-thu/dossiers", json=body, headers=desk["tiep.nhan"])
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]
    assert created.get_json()["fee"] == 10000

    def act(user, action, **arguments):
        response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": action, **arguments},
                               headers=desk[user])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    act("tiep.nhan", "assign", assignee="chuyen.vien")
    act("chuyen.vien", "submit_for_approval")
    assert act("lanh.dao", "approve")["status"] == "result_ready"

    from core.documents import build_document, render_html
    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.test_request_context():
        dossier = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        html = render_html(build_document(dossier, "certification.copy_statement"))
    assert "Bằng tốt nghiệp THPT" in html and "10.000 đồng" in html


def test_validation_and_rules(client, desk):
    def create(data):
        body = {"procedure": "certification.copy_from_original", "channel": "counter", "applicant": APPLICANT,
                "data": data}
        return client.post("/api/v1/units/xa-thu/dossiers", json=body, headers=desk["tiep.nhan"])

    missing = create({"pages": 0})
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["fields"]) == {"document_name", "pages", "copies"}
    abroad = create({"document_name": "Bằng đại học (Pháp)", "pages": 2, "copies": 1, "issued_abroad": True})
    assert abroad.status_code == 201
    assert [w["code"] for w in abroad.get_json()["warnings"]] == ["consular_legalisation"]
