"""Queues as the officers use them: dossiers transferred in (liên thông) wait in "Chờ tiếp nhận liên thông" at the unit
that handles them now, a leader lands where the approvals are, and a single-status tab does not repeat the status."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import act, dossier_state, make_dossier
from tests.web.html_checks import assert_good_page

WAITING = "Chờ tiếp nhận liên thông"


@pytest.fixture
def office(desk):
    """The district's land registration office (every plugin on) and its staff."""
    desk.factory.unit("vp-dat", kind="office", parent="huyen-test", name="Văn phòng đăng ký đất đai huyện")
    desk.factory.user("vp.chuyenvien", ("specialist", "vp-dat"), full_name="Chuyên Viên Văn Phòng")
    desk.factory.user("vp.lanhdao", ("leader", "vp-dat"), full_name="Lãnh Đạo Văn Phòng")
    desk.factory.user("b.chuyenvien", ("specialist", "xa-b"), full_name="Chuyên Viên Xã B")
    return desk


def tab_counts(page: str) -> dict[str, int]:
    """{tab key: count} of the queue page's tab bar."""
    found = re.findall(r'tab=(\w+)"[^>]*>\s*[^<]*<span class="count">(\d+)</span>', page)
    return {key: int(n) for key, n in found}


def current_tab(page: str) -> str:
    return re.search(r'tab=(\w+)" aria-current="page"', page).group(1)


def transfer_through_the_page(client, unit: str, code: str, to_unit: str) -> None:
    response = client.post(f"/{unit}/dossiers/{code}/actions/transfer",
                           data={"transfer-to_unit": to_unit, "transfer-note": "Liên thông"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def as_user(office, client, username: str):
    client.post("/logout")
    return office.factory.login(client, username)


def test_a_transferred_dossier_waits_at_the_office_and_again_when_it_comes_back(office, client):
    code = make_dossier(office.app)
    as_user(office, client, "a.tiepnhan")
    transfer_through_the_page(client, "xa-a", code, "vp-dat")
    assert (dossier_state(office.app, code).status, dossier_state(office.app, code).step) == ("in_progress",
                                                                                            "transferred")

    for username in ("vp.chuyenvien", "vp.lanhdao"):
        as_user(office, client, username)
        page = assert_good_page(client.get("/vp-dat/"))
        # Nothing else to do at the office: the page opens on the transfers waiting for assignment, with their count.
        assert current_tab(page) == "transferred_in", username
        assert tab_counts(page)["transferred_in"] == 1 and WAITING in page
        assert code in page and "Xã An Bình" in page  # where the citizen filed it
        assert "Trạng thái</th>" not in page  # one status in this tab: no column repeating it
        listed = client.get("/api/v1/units/vp-dat/dossiers").get_json()
        assert code in [d["code"] for d in listed["dossiers"]] and listed["total"] == 1

    # The commune that sent it has nothing waiting: it is the office's work now.
    as_user(office, client, "a.lanhdao")
    page = assert_good_page(client.get("/xa-a/?tab=transferred_in"))
    assert tab_counts(page)["transferred_in"] == 0 and code not in page

    # The office's leader assigns it: it leaves the waiting tab and is the specialist's.
    as_user(office, client, "vp.lanhdao")
    response = client.post(f"/vp-dat/dossiers/{code}/actions/assign", data={"assign-assignee": "vp.chuyenvien"})
    assert response.status_code == 302
    assert tab_counts(assert_good_page(client.get("/vp-dat/")))["transferred_in"] == 0
    as_user(office, client, "vp.chuyenvien")
    page = assert_good_page(client.get("/vp-dat/"))
    assert current_tab(page) == "mine" and code in page and tab_counts(page)["transferred_in"] == 0

    # The office sends it back to the commune: it waits there for the commune's specialist and leader.
    transfer_through_the_page(client, "vp-dat", code, "xa-a")
    for username in ("a.chuyenvien", "a.lanhdao"):
        as_user(office, client, username)
        page = assert_good_page(client.get("/xa-a/?tab=transferred_in"))
        assert tab_counts(page)["transferred_in"] == 1 and code in page, username
    as_user(office, client, "vp.chuyenvien")
    assert tab_counts(assert_good_page(client.get("/vp-dat/")))["transferred_in"] == 0
    assert client.get(f"/vp-dat/dossiers/{code}").status_code == 404  # no longer the office's dossier


def test_the_waiting_tab_is_for_specialists_and_leaders_of_the_unit_only(office, client):
    code = make_dossier(office.app)
    act(office.app, code, "a.tiepnhan", "transfer", to_unit="xa-b")
    as_user(office, client, "b.tiepnhan")  # reception of the commune that handles it now: no such tab
    page = assert_good_page(client.get("/xa-b/"))
    assert "transferred_in" not in tab_counts(page)
    assert client.get("/xa-b/?tab=transferred_in").status_code == 404
    as_user(office, client, "b.chuyenvien")
    page = assert_good_page(client.get("/xa-b/"))
    assert current_tab(page) == "transferred_in" and code in page
    as_user(office, client, "vp.chuyenvien")  # an office that has nothing to do with it
    assert tab_counts(assert_good_page(client.get("/vp-dat/")))["transferred_in"] == 0


def test_a_leader_lands_on_the_approvals(office, client):
    pending = make_dossier(office.app)
    act(office.app, pending, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(office.app, pending, "a.chuyenvien", "submit_for_approval")
    as_user(office, client, "a.lanhdao")
    page = assert_good_page(client.get("/xa-a/"))
    assert current_tab(page) == "approval" and pending in page
    assert tab_counts(page)["approval"] == 1
    # The active tab is marked for assistive technology and is not styled as the red overdue warning.
    assert 'aria-current="page" class=""' in page
    assert "Trạng thái</th>" not in page
    # The specialist lands on their own dossiers, where the status column stays (the states differ).
    as_user(office, client, "a.chuyenvien")
    page = assert_good_page(client.get("/xa-a/"))
    assert current_tab(page) == "mine" and "Trạng thái</th>" in page
