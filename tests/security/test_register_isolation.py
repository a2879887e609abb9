"""SEC-05: one commune's officers cannot read another commune's civil-status register through extract_copy."""

from __future__ import annotations

from datetime import date, timedelta

from tests.web.helpers import APPLICANT, birth_data

COPY = "civil_status.extract_copy"


def test_extract_copy_does_not_reproduce_another_communes_register(app, client, factory, desk):
    factory.user("a.chuyenvien2", ("specialist", "xa-b"))
    factory.user("b.lanhdao", ("leader", "xa-b"))

    def h(user):
        return factory.token(client, user)

    def run(code, unit_users):
        reception, specialist, leader = unit_users
        assert client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "assign", "assignee": specialist},
                           headers=h(reception)).status_code == 200
        assert client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "submit_for_approval"},
                           headers=h(specialist)).status_code == 200
        response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "approve"}, headers=h(leader))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    born = (date.today() - timedelta(days=3)).isoformat()
    body = {"procedure": "civil_status.birth_registration", "channel": "counter", "applicant": APPLICANT,
            "data": birth_data(child_birth_date=born, child_full_name="Bí Mật An")}
    created = client.post("/api/v1/units/xa-a/dossiers", json=body, headers=h("a.tiepnhan"))
    birth = run(created.get_json()["code"], ("a.tiepnhan", "a.chuyenvien", "a.lanhdao"))
    book, number = birth["data"]["register_book"], birth["data"]["register_number"]

    copy_data = {"copies": 1, "extract_type": "birth", "original_unit": "xa-a", "original_register_book": book,
                 "original_register_number": number}
    # xa-b's counter, and an anonymous online request at xa-b, both name xa-a's register.
    for channel, headers in (("counter", h("b.tiepnhan")), ("online", {})):
        response = client.post("/api/v1/units/xa-b/dossiers", headers=headers, json={
            "procedure": COPY, "channel": channel, "applicant": APPLICANT, "data": copy_data})
        assert response.status_code == 201, response.get_json()
        assert response.get_json().get("warnings", []) == []  # no "found / not found" oracle on another commune's books
        code = response.get_json()["code"]
        if channel == "online":
            client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"}, headers=h("b.tiepnhan"))
        done = run(code, ("b.tiepnhan", "a.chuyenvien2", "b.lanhdao"))
        assert "source_record" not in done["data"]
        assert "Bí Mật An" not in str(done)
    # The commune's own register is still reproduced.
    response = client.post("/api/v1/units/xa-a/dossiers", headers=h("a.tiepnhan"), json={
        "procedure": COPY, "channel": "counter", "applicant": APPLICANT, "data": copy_data})
    done = run(response.get_json()["code"], ("a.tiepnhan", "a.chuyenvien", "a.lanhdao"))
    assert done["data"]["source_record"]["child_full_name"] == "Bí Mật An"
