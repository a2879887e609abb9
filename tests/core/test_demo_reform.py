"""`flask demo reform` (issue 13, item 3): the 1 July 2025 reorganisation of the Tiên Du demo through the merge of
`flask units apply`: 14 old communes merged into 5 new communes of the province, every old unit, slug and account
still working, and a plain `flask units apply` of communes/ never merging anything."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.config import DEFAULT_PLUGINS

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=DEFAULT_PLUGINS)

PASSWORD = "motcua-demo"
NEW = {"xa-tien-du": ("lim", "noi-due", "phu-lam"), "xa-lien-bao": ("hien-van", "viet-doan", "lien-bao"),
       "xa-tan-chi": ("lac-ve", "tan-chi"), "xa-dai-dong": ("tri-phuong", "hoan-son", "dai-dong"),
       "xa-phat-tich": ("minh-dao", "canh-hung", "phat-tich")}
APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "027203004005", "phone": "0912345678",
             "address": "Thôn Đông, thị trấn Lim"}


def token(client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, (username, response.get_json())
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def units(client) -> dict:
    return {u["slug"]: u for u in client.get("/api/v1/units").get_json()["units"]}


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["demo", "seed", "--no-history"])
    assert result.exit_code == 0, result.output


def test_units_apply_of_communes_never_merges(client, runner, seeded):
    result = runner.invoke(args=["units", "apply"])
    assert result.exit_code == 0, result.output
    assert "merge" not in result.output
    assert all(u["active"] for u in units(client).values())


def test_demo_reform_merges_the_communes_and_keeps_the_demo_working(client, runner, seeded):
    lim = token(client, "lim.tiepnhan")
    data = {"child_full_name": "Nguyễn Bình An", "child_sex": "male",
            "child_birth_date": (date.today() - timedelta(days=10)).isoformat(), "birth_place": "Trạm y tế Lim",
            "mother_full_name": "Trần Thị Bích"}
    created = client.post("/api/v1/units/lim/dossiers", headers=lim, json={
        "procedure": "civil_status.birth_registration", "channel": "counter", "applicant": APPLICANT, "data": data})
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]

    result = runner.invoke(args=["demo", "reform"])
    assert result.exit_code == 0, result.output
    assert "14 merge(s) carried out" in result.output

    listed = units(client)
    assert len(listed) == 22
    for new, olds in NEW.items():
        assert (listed[new]["kind"], listed[new]["parent"], listed[new]["active"]) == ("commune", "bac-ninh", True)
        for old in olds:
            assert (listed[old]["active"], listed[old]["successor"]) == (False, new), old
    assert listed["tien-du"]["active"] and listed["vpdkdd-tien-du"]["active"]

    # The open dossier moved to Xã Tiên Du; the old reception officer still works on it there.
    lim = token(client, "lim.tiepnhan")
    body = client.get(f"/api/v1/dossiers/{code}", headers=lim).get_json()
    assert (body["receiving_unit"], body["competent_unit"]) == ("lim", "xa-tien-du")
    assert body["history"][-1]["action"] == "unit_merged"
    assert client.get("/api/v1/units/xa-tien-du/dossiers", headers=lim).status_code == 200
    # Every demo account still logs in; the province administrator is there too.
    for username in ("tien-du.admin", "bac-ninh.admin", "canh-hung.lanhdao", "vpdkdd-tien-du.chuyenvien"):
        token(client, username)
    admin = token(client, "bac-ninh.admin")
    for slug in ("xa-tien-du", "lim", "vpdkdd-tien-du"):
        assert client.get(f"/api/v1/units/{slug}/dossiers", headers=admin).status_code == 200
    refused = client.post("/api/v1/units/lim/dossiers", headers=lim, json={
        "procedure": "civil_status.birth_registration", "channel": "counter", "applicant": APPLICANT, "data": data})
    assert refused.status_code == 409 and refused.get_json()["error"]["successor"] == "xa-tien-du"

    # Again: nothing more; and a plain apply of communes/ does not undo the merge.
    again = runner.invoke(args=["demo", "reform"])
    assert again.exit_code == 0 and "merge(s) carried out" not in again.output, again.output
    plain = runner.invoke(args=["units", "apply"])
    assert plain.exit_code == 0, plain.output
    assert "! lim: merged into xa-tien-du" in plain.output
    assert units(client)["lim"]["active"] is False


def test_demo_reform_needs_the_demo(runner):
    result = runner.invoke(args=["demo", "reform"])
    assert result.exit_code != 0 and "flask demo seed" in result.output
