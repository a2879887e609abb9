"""A unit's dossier list: everything received there or handled there, newest submission first, each dossier once,
and the same pages whichever way the list is read (core.dossiers.queries.unit_page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lifecycle_helpers import PLUGINS, svc_act, svc_create, vn

from core.dossiers import queries
from core.dossiers.models import Dossier
from core.extensions import db

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

START = vn(2026, 3, 2, 8, 0)


def _transfer(world, code: str, unit: str, to_unit: str, at) -> None:
    svc_act(world, code, f"tn.{unit[-1]}", "assign", at, assignee=f"cv.{unit[-1]}")
    svc_act(world, code, f"cv.{unit[-1]}", "transfer", at + timedelta(minutes=1), to_unit=to_unit, note="Liên thông")


@pytest.fixture
def history(world):
    """Dossiers at xa-a and xa-b, some with the same submission minute, some transferred between units."""
    world.factory.user("ld.huyen", ("leader", "huyen"))
    codes = {}
    for i in range(5):
        codes[f"a{i}"] = svc_create(world, START + timedelta(hours=i), "xa-a", "tn.a")
    for i in range(4):  # b0 is submitted at the same moment as a2: the order falls back on the id
        codes[f"b{i}"] = svc_create(world, START + timedelta(hours=2 + i), "xa-b", "tn.b")
    codes["c0"] = svc_create(world, START + timedelta(hours=3, minutes=30), "xa-c", "tn.c")
    later = START + timedelta(days=1)
    _transfer(world, codes["b1"], "xa-b", "xa-a", later)      # handled at xa-a from now on
    _transfer(world, codes["b3"], "xa-b", "vp-dat", later)    # to the land office
    _transfer(world, codes["a4"], "xa-a", "vp-dat", later)    # received at xa-a, handled at the land office
    return codes


def _reference(world, slug: str) -> list[str]:
    """The list by its definition, computed in Python from every dossier."""
    from core.tenancy.services import descendant_ids

    with world.app.app_context():
        ids = descendant_ids({world.unit(slug).id})
        rows = [d for d in db.session.scalars(db.select(Dossier))
                if d.receiving_unit_id in ids or d.competent_unit_id in ids]
        rows.sort(key=lambda d: (d.submitted_at, d.id), reverse=True)
        return [d.code for d in rows]


def _all_pages(world, username: str, slug: str, size: int, **filters) -> tuple[list[str], set[int]]:
    codes, totals, page = [], set(), 1
    with world.app.test_request_context():
        user, unit = world.user(username), world.unit(slug)
        while True:
            rows, total = queries.unit_page(db.session, user, unit, page, size, **filters)
            totals.add(total)
            if not rows:
                return codes, totals
            assert len(rows) <= size
            codes += [d.code for d in rows]
            page += 1


@pytest.mark.parametrize("username, slug", [("tn.a", "xa-a"), ("tn.b", "xa-b"), ("cv.o", "vp-dat"),
                                            ("ld.huyen", "huyen"), ("ld.huyen", "xa-a")])
@pytest.mark.parametrize("size", [1, 3, 50])
def test_pages_follow_one_order_and_hold_each_dossier_once(world, history, username, slug, size):
    expected = _reference(world, slug)
    codes, totals = _all_pages(world, username, slug, size)
    assert codes == expected
    assert totals == {len(expected)}


def test_the_lists_hold_what_each_unit_received_or_handles(world, history):
    c = history
    assert set(_reference(world, "xa-a")) == {c["a0"], c["a1"], c["a2"], c["a3"], c["a4"], c["b1"]}
    assert set(_reference(world, "xa-b")) == {c["b0"], c["b1"], c["b2"], c["b3"]}
    assert set(_reference(world, "vp-dat")) == {c["b3"], c["a4"]}
    assert len(_reference(world, "huyen")) == 10


def test_filters_apply_to_every_part_of_the_list(world, history):
    codes, totals = _all_pages(world, "tn.a", "xa-a", 2, status="in_progress")
    assert codes == [history["a4"], history["b1"]] and totals == {2}  # newest first: a4 after b1 by submission
    codes, totals = _all_pages(world, "tn.a", "xa-a", 2, q=history["b1"])
    assert codes == [history["b1"]] and totals == {1}
    day = START.date()
    codes, _ = _all_pages(world, "ld.huyen", "huyen", 4, date_from=day, date_to=day)
    assert codes == _reference(world, "huyen")
    assert _all_pages(world, "ld.huyen", "huyen", 4, date_from=day + timedelta(days=1)) == ([], {0})


def test_a_role_over_part_of_the_district_lists_only_that_part(world, history):
    codes, totals = _all_pages(world, "tn.a", "huyen", 2)
    assert codes == _reference(world, "xa-a") and totals == {6}


def test_the_api_lists_transferred_in_dossiers_once_with_the_total(world, history):
    response = world.client.get("/api/v1/units/xa-a/dossiers", headers=world.h("tn.a"))
    body = response.get_json()
    assert response.status_code == 200
    assert [d["code"] for d in body["dossiers"]] == _reference(world, "xa-a")
    assert (body["total"], body["page"], body["page_size"]) == (6, 1, 50)
    response = world.client.get("/api/v1/units/xa-a/dossiers", query_string={"page": 2}, headers=world.h("tn.a"))
    assert response.get_json()["dossiers"] == [] and response.get_json()["total"] == 6
    response = world.client.get("/api/v1/units/huyen/dossiers", headers=world.h("ld.huyen"))
    assert [d["code"] for d in response.get_json()["dossiers"]] == _reference(world, "huyen")
