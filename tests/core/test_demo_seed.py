"""`flask demo seed --no-history`: the Tiên Du demo (units of communes/, demo accounts), idempotent.

The full seed may later add months of dossier history; these tests always pass --no-history.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.catalog.models import ProcedureRecord
from core.extensions import db
from core.tenancy.models import Unit
from core.users.models import User

DEMO_PASSWORD = "motcua-demo"
# Real names and GSO codes of the district in domain.md 6.1.
COMMUNES = {
    "lim": ("09319", "Thị trấn Lim"), "phu-lam": ("09322", "Xã Phú Lâm"), "noi-due": ("09328", "Xã Nội Duệ"),
    "lien-bao": ("09334", "Xã Liên Bão"), "hien-van": ("09337", "Xã Hiên Vân"), "hoan-son": ("09340", "Xã Hoàn Sơn"),
    "lac-ve": ("09343", "Xã Lạc Vệ"), "viet-doan": ("09346", "Xã Việt Đoàn"), "phat-tich": ("09349", "Xã Phật Tích"),
    "tan-chi": ("09352", "Xã Tân Chi"), "dai-dong": ("09355", "Xã Đại Đồng"), "tri-phuong": ("09358", "Xã Tri Phương"),
    "minh-dao": ("09361", "Xã Minh Đạo"), "canh-hung": ("09364", "Xã Cảnh Hưng"),
}
ALL_FIELDS = ["civil_status", "land", "social_welfare"]


def expected_accounts() -> dict[str, str]:
    """username -> "role@unit" of every demo account in the issue."""
    accounts = {"tien-du.admin": "district_admin@tien-du", "bac-ninh.admin": "district_admin@bac-ninh"}
    for slug in COMMUNES:
        accounts |= {f"{slug}.tiepnhan": f"reception@{slug}", f"{slug}.chuyenvien": f"specialist@{slug}",
                     f"{slug}.lanhdao": f"leader@{slug}"}
    accounts |= {"vpdkdd-tien-du.chuyenvien": "specialist@vpdkdd-tien-du",
                 "vpdkdd-tien-du.lanhdao": "leader@vpdkdd-tien-du"}
    return accounts


def seed(runner, *extra):
    result = runner.invoke(args=["demo", "seed", "--no-history", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def accounts(runner) -> dict[str, str]:
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    return {line.split("\t")[0]: line.split("\t")[2] for line in result.output.splitlines()}


@pytest.fixture
def seeded(runner):
    return seed(runner)


def test_seed_creates_the_units_of_communes(client, seeded):
    assert "Units: 17; demo accounts created: 46." in seeded
    units = {u["slug"]: u for u in client.get("/api/v1/units").get_json()["units"]}
    assert len(units) == 17
    assert units["bac-ninh"]["kind"] == "province" and units["bac-ninh"]["parent"] is None
    assert units["tien-du"] | {"fields": None} == {"slug": "tien-du", "code": "260", "name": "Huyện Tiên Du",
                                                   "kind": "district", "parent": "bac-ninh", "fields": None,
                                                   "active": True, "successor": None}
    assert units["vpdkdd-tien-du"]["kind"] == "office"
    assert units["vpdkdd-tien-du"]["parent"] == "tien-du"
    for slug, (code, name) in COMMUNES.items():
        assert (units[slug]["code"], units[slug]["name"], units[slug]["kind"], units[slug]["parent"]) == (
            code, name, "commune", "tien-du"), slug


def test_fields_enabled_per_commune(client, seeded):
    units = {u["slug"]: u for u in client.get("/api/v1/units").get_json()["units"]}
    assert units["phu-lam"]["fields"] == ["civil_status", "social_welfare"]  # no land
    assert units["noi-due"]["fields"] == ["civil_status"]
    for slug in set(COMMUNES) - {"phu-lam", "noi-due"}:
        assert units[slug]["fields"] == ALL_FIELDS, slug
    assert units["vpdkdd-tien-du"]["fields"] == ["land"]
    procedures = client.get("/api/v1/units/phu-lam/procedures").get_json()["procedures"]
    assert all(not p["key"].startswith("land.") for p in procedures)
    procedures = client.get("/api/v1/units/noi-due/procedures").get_json()["procedures"]
    assert all(p["key"].startswith("civil_status.") for p in procedures)


def test_seed_creates_the_demo_accounts(runner, seeded):
    assert accounts(runner) == expected_accounts()


@pytest.mark.parametrize("username", ["tien-du.admin", "lim.tiepnhan", "noi-due.chuyenvien", "canh-hung.lanhdao",
                                      "vpdkdd-tien-du.chuyenvien", "vpdkdd-tien-du.lanhdao"])
def test_demo_password_works_through_the_api(client, seeded, username):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["token"]


def test_demo_password_also_logs_in_on_the_page(client, seeded):
    response = client.post("/login", data={"username": "lim.tiepnhan", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_demo_accounts_are_scoped(client, seeded):
    def token(username):
        body = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}).get_json()
        return {"Authorization": f"Bearer {body['token']}"}

    lim = token("lim.tiepnhan")
    assert client.get("/api/v1/units/lim/dossiers", headers=lim).status_code == 200
    assert client.get("/api/v1/units/phu-lam/dossiers", headers=lim).status_code == 403
    admin = token("tien-du.admin")
    for slug in ("lim", "phu-lam", "vpdkdd-tien-du", "tien-du"):
        assert client.get(f"/api/v1/units/{slug}/dossiers", headers=admin).status_code == 200


def test_seed_is_idempotent(app, runner, seeded):
    with app.app_context():
        before = (db.session.scalar(select(func.count(Unit.id))), db.session.scalar(select(func.count(User.id))))
    output = seed(runner)
    assert "Units: 17; demo accounts created: 0." in output
    with app.app_context():
        after = (db.session.scalar(select(func.count(Unit.id))), db.session.scalar(select(func.count(User.id))))
    assert after == before == (17, 46)
    assert accounts(runner) == expected_accounts()  # no duplicated roles either
    diff = runner.invoke(args=["units", "diff"])
    assert diff.exit_code == 0, diff.output


def test_seed_completes_a_partial_demo(app, runner, seeded):
    assert runner.invoke(args=["users", "revoke", "lim.lanhdao", "leader", "lim"]).exit_code == 0
    assert seed(runner).count("demo accounts created: 0") == 1
    assert accounts(runner)["lim.lanhdao"] == "leader@lim"  # the missing role is given back


def test_seed_if_empty_skips_a_database_with_units(app, runner, seeded):
    output = seed(runner, "--if-empty")
    assert "skipped" in output


def test_seed_if_empty_seeds_an_empty_database(app, runner):
    output = seed(runner, "--if-empty")
    assert "Units: 17; demo accounts created: 46." in output


def test_seed_mirrors_the_catalogue(app, seeded):
    with app.app_context():
        rows = {r.key: r for r in db.session.scalars(select(ProcedureRecord))}
        registry = app.extensions["motcua"].procedures
    assert set(rows) == set(registry)
    for key, procedure in registry.items():
        assert rows[key].active
        assert rows[key].national_code == procedure.national_code
        assert rows[key].current_version == procedure.current_version.version


def test_no_demo_account_outside_the_seed(app, runner, factory):
    """Applying the unit files alone creates units, never the demo accounts with their public password."""
    assert runner.invoke(args=["units", "apply"]).exit_code == 0
    assert accounts(runner) == {}
