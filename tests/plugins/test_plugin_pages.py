"""Every field-plugin procedure through the pages: the counter form (officer) and online submission (portal)."""

from __future__ import annotations

import re

import pytest

from tests.plugins import test_civil_status_procedures as cs
from tests.plugins import test_land_procedures as land
from tests.plugins import test_social_welfare_procedures as sw
from tests.plugins.conftest import APPLICANT

CASES = {
    "civil_status.birth_registration": (cs.birth_data, "Sổ hộ tịch"),
    "civil_status.death_registration": (cs.death_data, "Sổ hộ tịch"),
    "civil_status.marriage_registration": (cs.marriage_data, "Sổ hộ tịch"),
    "civil_status.marital_status_certificate": (cs.marital_data, "Sổ hộ tịch"),
    "civil_status.extract_copy": (lambda: {"copies": 2}, "Sổ hộ tịch"),
    "land.first_registration": (land.parcel, "Niêm yết công khai"),
    "land.change_registration": (land.change, "Liên thông đất đai"),
    "social_welfare.monthly_allowance": (sw.monthly, "Mức trợ giúp xã hội"),
    "social_welfare.social_pension": (sw.pension, "Mức trợ giúp xã hội"),
    "social_welfare.funeral_support": (sw.funeral, "Mức trợ giúp xã hội"),
}


def form_fields(data: dict) -> dict:
    """JSON data as an HTML form posts it: lists repeat, true checkboxes send "y", false ones nothing."""
    posted = {}
    for key, value in data.items():
        if value is True:
            posted[key] = "y"
        elif value is False or value is None:
            continue
        elif isinstance(value, list):
            posted[key] = value
        else:
            posted[key] = str(value)
    return posted


def applicant_fields() -> dict:
    return {f"applicant-{k}": v for k, v in APPLICANT.items()}


@pytest.mark.parametrize("key", sorted(CASES))
def test_received_at_the_counter_page(app, api, client, factory, key):
    from core.plugins import get_procedure

    make, panel_title = CASES[key]
    factory.login(client, "recv.xa-a")
    page = client.get(f"/xa-a/tiep-nhan/{key}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = make()
    for name in data:
        assert f'name="{name}"' in html, name
    with app.app_context():
        documents = [str(i) for i in range(len(get_procedure(key).required_documents))]
    posted = {**applicant_fields(), **form_fields(data), "counter-documents": documents, "do": "receive"}
    response = client.post(f"/xa-a/tiep-nhan/{key}", data=posted)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:3000]
    code = re.search(r"/dossiers/([^/?]+)", response.headers["Location"]).group(1)
    dossier_page = client.get(f"/xa-a/dossiers/{code}")
    assert dossier_page.status_code == 200
    assert panel_title in dossier_page.get_data(as_text=True)


@pytest.mark.parametrize("key", sorted(CASES))
def test_submitted_online_on_the_portal(app, api, client, key):
    make, _title = CASES[key]
    form = client.get(f"/nop-ho-so/xa-a/{key}")
    assert form.status_code == 200
    response = client.post(f"/nop-ho-so/xa-a/{key}", data={**applicant_fields(), **form_fields(make())})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:3000]
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.procedure_key == key))
        assert dossier.channel == "online" and dossier.status == "submitted"


def test_page_shows_per_field_errors(api, client, factory):
    factory.login(client, "recv.xa-a")
    posted = {**applicant_fields(), **form_fields(cs.marriage_data(male_birth_date=cs.years_ago(20, extra_days=1))),
              "counter-documents": ["0", "1", "2", "3"], "do": "receive"}
    response = client.post("/xa-a/tiep-nhan/civil_status.marriage_registration", data=posted)
    assert response.status_code == 422
    assert "Bên nam chưa đủ 20 tuổi." in response.get_data(as_text=True)


def test_a_commune_without_land_has_no_land_pages(api, client, factory):
    factory.login(client, "recv.xa-c")
    assert client.get("/xa-c/tiep-nhan/land.change_registration").status_code == 404
    assert client.get("/nop-ho-so/xa-c/land.first_registration").status_code == 404
