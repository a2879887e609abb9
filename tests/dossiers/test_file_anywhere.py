"""Filing anywhere in the province (issue 13, item 2; Decree 118/2025): the province lists the procedures in its
unit file (``file_anywhere``); a birth registration filed at commune A for a resident of commune B is received at
A, handed over to B at once as a transfer, decided and returned at B; both receipts name both communes, the control
sheet has the hand-over row, the time each commune held it is measured, and both communes' reports balance."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.dossiers.clock import VN_TZ
from core.extensions import db
from core.testing import World

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status",))

BIRTH = "civil_status.birth_registration"
PROVINCE_FILE = """slug = "tinh"
code = "27"
name = "Tỉnh Thử"
kind = "province"
agency_code = "TEST.TINH"
file_anywhere = {procedures}
"""
APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001203004005", "phone": "0912345678",
             "address": "Thôn Đông, xã B"}


def birth_data() -> dict:
    return {"child_full_name": "Nguyễn Bình An", "child_sex": "male",
            "child_birth_date": (date.today() - timedelta(days=5)).isoformat(), "birth_place": "Trạm y tế xã A",
            "mother_full_name": "Trần Thị Bích"}


@pytest.fixture
def world(app, client, factory, runner, tmp_path):
    factory.unit("tinh", kind="province", plugins=(), name="Tỉnh Thử")
    factory.commune("xa-a", parent="tinh", plugins=("civil_status",), name="Xã A")
    factory.commune("xa-b", parent="tinh", plugins=("civil_status",), name="Xã B")
    factory.unit("tinh-2", kind="province", plugins=(), name="Tỉnh Khác")
    factory.commune("xa-x", parent="tinh-2", plugins=("civil_status",), name="Xã X")
    for username, role, slug in (("tn.a", "reception", "xa-a"), ("tn.b", "reception", "xa-b"),
                                 ("cv.b", "specialist", "xa-b"), ("ld.b", "leader", "xa-b"),
                                 ("kt.tinh", "auditor", "tinh")):
        factory.user(username, (role, slug))
    folder = tmp_path / "communes"
    folder.mkdir()
    (folder / "tinh.toml").write_text(PROVINCE_FILE.format(procedures=f'["{BIRTH}"]'), encoding="utf-8")
    result = runner.invoke(args=["units", "apply", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    return World(app, client, factory)


def file_at_a(world, residence="xa-b", procedure=BIRTH, channel="counter", data=None):
    headers = world.h("tn.a") if channel != "online" else {}
    return world.client.post("/api/v1/units/xa-a/dossiers", headers=headers, json={
        "procedure": procedure, "channel": channel, "applicant": APPLICANT, "data": data or birth_data(),
        "residence_unit": residence})


def act(world, code, username, action, **arguments):
    response = world.client.post(f"/api/v1/dossiers/{code}/actions", headers=world.h(username),
                                 json={"action": action, **arguments})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def dossier_count(app) -> int:
    from core.dossiers.models import Dossier

    with app.app_context():
        return db.session.scalar(select(func.count(Dossier.id)))


def test_filed_at_a_for_a_resident_of_b(world, app):
    client = world.client
    created = file_at_a(world)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    code = body["code"]
    assert code.startswith("TEST.XA-A-")  # A's code: A received it
    assert (body["receiving_unit"], body["competent_unit"], body["status"]) == ("xa-a", "xa-b", "received")
    receive, handover = body["history"]
    assert receive["action"] == "receive" and receive["payload"]["residence_unit"] == "xa-b"
    assert handover["action"] == "transfer" and handover["payload"] == {"to_unit": "xa-b", "file_anywhere": True}
    assert handover["at"] == receive["at"]
    held = body["units_held"]
    assert [h["unit"] for h in held] == ["xa-a", "xa-b"]
    assert held[0]["from"] == held[0]["to"] == body["received_at"] and held[0]["working_minutes"] == 0
    assert held[1]["to"] is None

    # Receipt (Mẫu 01) printed at A names both communes; B reads it too, and its control sheet has the hand-over.
    page_a, page_b = app.test_client(), app.test_client()  # browsers of the two desks (the API client uses tokens)
    world.factory.login(page_a, "tn.a")
    receipt = page_a.get(f"/xa-a/dossiers/{code}/documents/receipt").get_data(as_text=True)
    assert "Hồ sơ được tiếp nhận tại Xã A và chuyển đến Xã B giải quyết." in receipt
    world.factory.login(page_b, "cv.b")
    at_b = page_b.get(f"/xa-b/dossiers/{code}/documents/receipt")
    assert at_b.status_code == 200
    assert "Hồ sơ được tiếp nhận tại Xã A và chuyển đến Xã B giải quyết." in at_b.get_data(as_text=True)
    sheet = page_b.get(f"/xa-b/dossiers/{code}/documents/control_sheet").get_data(as_text=True)
    assert "Xã A" in sheet and "Xã B" in sheet
    assert "Chuyển liên thông (Nộp không phụ thuộc địa giới hành chính" in sheet  # the hand-over row
    # The citizen's tracking says where it went.
    tracked = client.get(f"/api/v1/track/{code}?phone=0912345678").get_json()
    assert "Xã B" in str(tracked)

    # B decides and returns it.
    assert "assign" in act(world, code, "cv.b", "assign", assignee="cv.b")["history"][-1]["action"]
    act(world, code, "cv.b", "submit_for_approval")
    act(world, code, "ld.b", "approve")
    done = act(world, code, "tn.b", "return_result", received_by="Nguyễn Văn An")
    assert done["status"] == "returned" and done["competent_unit"] == "xa-b"
    held = done["units_held"]
    assert [h["unit"] for h in held] == ["xa-a", "xa-b"] and held[1]["to"] == done["finished_at"]
    assert held[1]["working_minutes"] >= 0

    # Both communes' reports: received at A and handed over; resolved at B.
    today = datetime.now(VN_TZ).date().isoformat()

    def report(unit):
        response = client.get(f"/api/v1/reports/summary?unit={unit}&from={today}&to={today}",
                              headers=world.h("kt.tinh"))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    a, b, province = report("xa-a"), report("xa-b"), report("tinh")
    assert (a["received"]["counter"], a["transferred_out"], a["resolved"]["total"]) == (1, 1, 0)
    assert (b["received"]["total"], b["transferred_in"], b["resolved"]["total"]) == (0, 1, 1)
    assert (province["received"]["total"], province["resolved"]["total"]) == (1, 1)
    assert province["transferred_in"] == province["transferred_out"] == 1


def test_bad_residence_is_refused_and_writes_nothing(world, app):
    before = dossier_count(app)
    other_province = file_at_a(world, residence="xa-x")
    assert other_province.status_code == 422
    assert "residence_unit" in other_province.get_json()["error"]["fields"]
    unknown = file_at_a(world, residence="xa-khong-co")
    assert unknown.status_code == 422 and "residence_unit" in unknown.get_json()["error"]["fields"]
    not_listed = file_at_a(world, procedure="civil_status.marital_status_certificate",
                           data={"person_full_name": "Nguyễn Văn An", "person_birth_date": "1990-01-02",
                                 "purpose": "Để đăng ký kết hôn"})
    if not_listed.status_code != 422 or not_listed.get_json()["error"]["code"] != "not_file_anywhere":
        pytest.fail(str(not_listed.get_json()))
    online = file_at_a(world, channel="online")
    assert online.status_code == 422 and "residence_unit" in online.get_json()["error"]["fields"]
    assert dossier_count(app) == before
    # A resident of A filing at A: nothing handed over.
    here = file_at_a(world, residence="xa-a")
    assert here.status_code == 201 and here.get_json()["competent_unit"] == "xa-a"


@pytest.mark.parametrize("text, message", [
    (PROVINCE_FILE.format(procedures='["civil_status.no_such"]'), "unknown procedure(s) in file_anywhere"),
    (PROVINCE_FILE.format(procedures='"civil_status.birth_registration"'), "must be a list of procedure keys"),
    (PROVINCE_FILE.format(procedures=f'["{BIRTH}"]').replace('kind = "province"', 'kind = "district"'),
     "'file_anywhere' is declared by the province"),
])
def test_bad_file_anywhere_is_refused_with_file_and_line(world, runner, tmp_path, text, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "tinh.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(args=["units", "apply", "--dir", str(folder)])
    assert result.exit_code != 0 and message in result.output and "tinh.toml:6" in result.output, result.output


def test_the_counter_page_offers_the_commune_of_residence(world, app):
    page = app.test_client()
    world.factory.login(page, "tn.a")
    url = f"/xa-a/tiep-nhan/{BIRTH}"
    form = page.get(url).get_data(as_text=True)
    assert "Xã/phường nơi cư trú của người nộp" in form
    assert 'value="xa-b"' in form and 'value="xa-x"' not in form  # only the province's communes
    other = page.get("/xa-a/tiep-nhan/civil_status.marital_status_certificate").get_data(as_text=True)
    assert "Xã/phường nơi cư trú của người nộp" not in other  # not listed by the province
    posted = {f"applicant-{k}": v for k, v in APPLICANT.items()}
    posted.update(birth_data())
    posted.update({"counter-documents": [str(i) for i in range(12)], "counter-reason": "",
                   "counter-residence_unit": "xa-b", "do": "receive"})
    response = page.post(url, data=posted)
    assert response.status_code == 302, re.findall(r'href="#([^"]+)"[^>]*>([^<]+)', response.get_data(as_text=True))
    code = response.headers["Location"].split("/dossiers/")[1].split("?")[0]
    body = world.client.get(f"/api/v1/dossiers/{code}", headers=world.h("cv.b")).get_json()
    assert (body["receiving_unit"], body["competent_unit"]) == ("xa-a", "xa-b")
    wrong = page.post(url, data={**posted, "counter-residence_unit": "xa-x"})
    assert wrong.status_code == 422
