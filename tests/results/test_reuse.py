"""Issue 11, item 6: an officer receiving a dossier looks up the applicant's earlier electronic results (same
personal ID number, any unit), attaches one instead of a paper with the purpose recorded, and every lookup is in the
access log the administrator reads (Law 91/2025)."""

from __future__ import annotations

from results_helpers import BIRTH, BIRTH_DATA, approved
from sqlalchemy import select

from core.testing import SAMPLE_APPLICANT

PURPOSE = "Đối chiếu giấy khai sinh đã cấp"


def _page(desk, who="reception"):
    client = desk.factory.app.test_client()
    desk.factory.login(client, desk.officers[who])
    return client


def _lookup(client, slug, code, purpose=PURPOSE):
    return client.post(f"/{slug}/dossiers/{code}/ket-qua-da-cap", data={"do": "lookup", "purpose": purpose})


def _attach(client, slug, code, sha256, document="", purpose=PURPOSE):
    return client.post(f"/{slug}/dossiers/{code}/ket-qua-da-cap",
                       data={"do": "attach", "result": sha256, "document": document, "purpose": purpose})


def _log(app, action=None):
    from core.accesslog.models import AccessLog
    from core.extensions import db

    with app.app_context():
        query = select(AccessLog).order_by(AccessLog.id)
        if action:
            query = query.where(AccessLog.action == action)
        return [(r.action, r.username, r.target) for r in db.session.scalars(query)]


def test_an_earlier_result_of_another_unit_replaces_a_paper(desk):
    earlier = approved(desk.other)["results"][0]  # issued by xa-khac to the same applicant
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    client = _page(desk)
    page = client.get(f"/{desk.slug}/dossiers/{code}").get_data(as_text=True)
    assert f'action="/{desk.slug}/dossiers/{code}/ket-qua-da-cap"' in page

    response = _lookup(client, desk.slug, code)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert earlier["title"] in page and earlier["sha256"] in page and "xa-khac" in page.lower()
    [(action, who, target)] = _log(desk.factory.app, "result.lookup")
    assert who == desk.officers["reception"] and target.startswith(code) and PURPOSE in target

    paper = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()["documents"][0]
    response = _attach(client, desk.slug, code, earlier["sha256"], paper["name"])
    assert response.status_code == 302
    page = client.get(f"/{desk.slug}/dossiers/{code}").get_data(as_text=True)
    assert earlier["title"] in page and PURPOSE in page
    dossier = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()
    assert dossier["documents"][0]["provided"] is True
    assert dossier["reused_results"] == [{"document": paper["name"], "purpose": PURPOSE,
                                          "at": dossier["reused_results"][0]["at"],
                                          "from_dossier": dossier["reused_results"][0]["from_dossier"],
                                          "result": {**earlier, "url": dossier["reused_results"][0]["result"]["url"]}}]
    assert any(e["action"] == "reuse_result" for e in dossier["history"])
    assert [a for a, _w, _t in _log(desk.factory.app, "result.reuse")] == ["result.reuse"]
    # The officers of this dossier read the reused result, though it was issued elsewhere.
    pdf = client.get(dossier["reused_results"][0]["result"]["url"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Attaching it twice changes nothing.
    assert _attach(client, desk.slug, code, earlier["sha256"]).status_code == 409


def test_the_administrator_reads_every_lookup_with_its_purpose(desk):
    approved(desk.other)
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    _lookup(_page(desk), desk.slug, code)
    desk.factory.user("xa-ket-qua.admin", ("unit_admin", desk.slug))
    admin = desk.factory.app.test_client()
    desk.factory.login(admin, "xa-ket-qua.admin")
    page = admin.get(f"/{desk.slug}/admin/truy-cap").get_data(as_text=True)
    assert "Tra cứu kết quả điện tử đã cấp" in page and PURPOSE in page and desk.officers["reception"] in page


def test_a_lookup_without_purpose_is_refused_and_not_logged(desk):
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    response = _lookup(_page(desk), desk.slug, code, purpose="  ")
    assert response.status_code == 422
    assert "Vui lòng ghi mục đích tra cứu" in response.get_data(as_text=True)
    assert _log(desk.factory.app, "result.lookup") == []


def test_only_the_applicants_own_results_are_found_or_attached(desk):
    stranger = approved_for(desk.other, dict(SAMPLE_APPLICANT, id_number="001099000777"))
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    client = _page(desk)
    page = _lookup(client, desk.slug, code).get_data(as_text=True)
    assert stranger["sha256"] not in page and "chưa có kết quả điện tử nào khác" in page
    response = _attach(client, desk.slug, code, stranger["sha256"])
    assert response.status_code == 404
    dossier = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()
    assert dossier["reused_results"] == []


def test_an_officer_of_another_unit_cannot_look_up(desk):
    approved(desk)
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    outsider = _page(desk.other)
    assert _lookup(outsider, desk.slug, code).status_code in (403, 404)
    assert _lookup(outsider, desk.other.slug, code).status_code == 404
    assert _log(desk.factory.app, "result.lookup") == []


def approved_for(desk, applicant: dict) -> dict:
    code = desk.receive(BIRTH, BIRTH_DATA, applicant=applicant)["code"]
    return desk.to_result(code)["results"][0]


def test_the_api_looks_up_and_attaches_with_a_purpose(desk):
    earlier = approved(desk.other)["results"][0]
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    headers = desk.headers("specialist")
    desk.act(code, "reception", "assign", assignee=desk.officers["specialist"])
    refused = desk.client.post(f"/api/v1/dossiers/{code}/earlier-results", json={"purpose": 42}, headers=headers)
    assert refused.status_code == 422 and "purpose" in refused.get_json()["error"]["fields"]
    found = desk.client.post(f"/api/v1/dossiers/{code}/earlier-results", json={"purpose": PURPOSE}, headers=headers)
    assert found.status_code == 200
    [one] = found.get_json()["results"]
    assert one["sha256"] == earlier["sha256"] and one["unit"] == desk.other.slug and one["dossier"] != code
    body = {"result": earlier["sha256"], "document": "not a paper of this dossier", "purpose": PURPOSE}
    wrong = desk.client.post(f"/api/v1/dossiers/{code}/reused-results", json=body, headers=headers)
    assert wrong.status_code == 422 and "document" in wrong.get_json()["error"]["fields"]
    body["document"] = None
    made = desk.client.post(f"/api/v1/dossiers/{code}/reused-results", json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["result"]["sha256"] == earlier["sha256"] and made.get_json()["document"] is None
    again = desk.client.post(f"/api/v1/dossiers/{code}/reused-results", json=body, headers=headers)
    assert again.status_code == 409
    outsider = desk.client.post(f"/api/v1/dossiers/{code}/earlier-results", json={"purpose": PURPOSE},
                                headers=desk.other.headers("reception"))
    assert outsider.status_code == 404
    assert [a for a, _w, _t in _log(desk.factory.app)] == ["result.lookup", "result.reuse"]
