"""SEC-21: a dossier moves between units (transfer, routing at filing) only inside one province.

The decision and its reasons are in docs/decisions.md; two districts of one province stay open to each other, as the
2025 reform (districts abolished, filing anywhere in the province) needs.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.dossiers.models import Dossier
from core.extensions import db
from core.testing import TEST_PASSWORD
from tests.web.helpers import APPLICANT, BIRTH, birth_data

DEATH = "civil_status.death_registration"


@pytest.fixture
def provinces(app, factory):
    factory.unit("tinh-mot", kind="province", plugins=())
    factory.unit("huyen-mot", kind="district", parent="tinh-mot", plugins=())
    factory.unit("huyen-hai", kind="district", parent="tinh-mot", plugins=())
    factory.commune("xa-mot", parent="huyen-mot")
    factory.commune("xa-hai", parent="huyen-hai")  # another district, same province
    factory.unit("tinh-khac", kind="province", plugins=())
    factory.commune("xa-khac", parent="tinh-khac")  # another province
    factory.user("mot.tiepnhan", ("reception", "xa-mot"))
    factory.user("mot.chuyenvien", ("specialist", "xa-mot"))


def _received(client, headers) -> str:
    response = client.post("/api/v1/units/xa-mot/dossiers", headers=headers, json={
        "procedure": BIRTH, "channel": "counter", "applicant": APPLICANT, "data": birth_data()})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def test_transfer_to_another_province_is_refused_and_changes_nothing(app, client, factory, provinces):
    reception, specialist = factory.token(client, "mot.tiepnhan"), factory.token(client, "mot.chuyenvien")
    code = _received(client, reception)
    assigned = client.post(f"/api/v1/dossiers/{code}/actions", headers=reception,
                           json={"action": "assign", "assignee": "mot.chuyenvien"})
    assert assigned.status_code == 200, assigned.get_json()
    history = len(client.get(f"/api/v1/dossiers/{code}", headers=specialist).get_json()["history"])

    refused = client.post(f"/api/v1/dossiers/{code}/actions", headers=specialist,
                          json={"action": "transfer", "to_unit": "xa-khac"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["to_unit"]
    after = client.get(f"/api/v1/dossiers/{code}", headers=specialist).get_json()
    assert after["competent_unit"] == "xa-mot" and len(after["history"]) == history

    # The officer's page offers the other district of the province, never the other province.
    page = client.post("/login", data={"username": "mot.chuyenvien", "password": TEST_PASSWORD})
    assert page.status_code in (302, 303)
    html = client.get(f"/xa-mot/dossiers/{code}").get_data(as_text=True)
    assert 'value="xa-hai"' in html and 'value="xa-khac"' not in html

    moved = client.post(f"/api/v1/dossiers/{code}/actions", headers=specialist,
                        json={"action": "transfer", "to_unit": "xa-hai"})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["competent_unit"] == "xa-hai"


def test_routing_at_filing_stays_inside_the_province(app, client, factory, provinces):
    reception = factory.token(client, "mot.tiepnhan")
    death = {"deceased_full_name": "Phạm Văn Bảy", "deceased_birth_date": "1940-02-03",
             "death_date": (date.today() - timedelta(days=2)).isoformat(), "death_place": "Tại nhà",
             "declarant_relationship": "child"}
    with app.app_context():
        before = db.session.scalar(select(func.count(Dossier.id)))
    def file(residence_unit):
        return client.post("/api/v1/units/xa-mot/dossiers", headers=reception, json={
            "procedure": DEATH, "channel": "counter", "applicant": APPLICANT,
            "data": {**death, "residence_unit": residence_unit}})

    refused = file("xa-khac")
    assert refused.status_code == 422, refused.get_json()
    with app.app_context():
        assert db.session.scalar(select(func.count(Dossier.id))) == before

    routed = file("xa-hai")
    assert routed.status_code == 201, routed.get_json()
    assert routed.get_json()["competent_unit"] == "xa-hai"
