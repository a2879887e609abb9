"""The dossier page's actions (issue 10, DAY-03, DAY-05, DAY-07): one main action for the user's role, the others
folded, final actions confirmed by a tick box, and a step select only where the procedure has steps."""

from __future__ import annotations

from tests.web.helpers import act, dossier_state, make_dossier
from tests.web.html_checks import assert_good_page, parse_strict

LAND = {"parcel_number": 125, "map_sheet": 14, "area": 152.5, "parcel_address": "Thôn Đông, xã An Bình",
        "land_use_purpose": "ONT", "owners": "Nguyễn Văn An, 1980, 001080012345"}


def _action(form) -> str:
    return form.get("action").rsplit("/", 1)[-1]


def actions_of(page: str) -> tuple[str | None, list[str], list[str]]:
    """(the expanded main action, the folded ones, the folded ones marked as cautious) of a dossier page."""
    tree = parse_strict(page)
    main = [f for f in tree.iter("form") if "primary-action" in (f.get("class") or "")]
    assert len(main) <= 1
    folded, cautious = [], []
    for details in tree.iter("details"):
        if "action-more" not in (details.get("class") or ""):
            continue
        assert details.get("open") is None, "a folded action is open on a plain page view"
        name = _action(details.find(".//form"))
        folded.append(name)
        if "caution" in details.get("class"):
            cautious.append(name)
    return (_action(main[0]) if main else None), folded, cautious


def test_reception_sees_assignment_first_and_refusals_folded_last(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    main, folded, cautious = actions_of(assert_good_page(client.get(f"/xa-a/dossiers/{code}")))
    assert main == "assign"
    assert {"request_supplement", "refuse", "withdraw"} <= set(folded)
    assert {"refuse", "withdraw"} <= set(cautious) and "request_supplement" not in cautious
    assert folded[-len(cautious):] == cautious  # cautious actions come last


def test_specialist_main_action_is_submitting_to_the_leader_and_there_is_no_empty_step_select(desk, client):
    code = make_dossier(desk.app)
    act(desk.app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    desk.factory.login(client, "a.chuyenvien")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    main, folded, _cautious = actions_of(page)
    assert main == "submit_for_approval"
    assert "assign" in folded
    assert "record_step" not in folded and "record_step-step" not in page  # birth has no step to record


def test_leader_main_action_is_approval(desk, client):
    code = make_dossier(desk.app)
    act(desk.app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(desk.app, code, "a.chuyenvien", "submit_for_approval")
    desk.factory.login(client, "a.lanhdao")
    main, folded, cautious = actions_of(assert_good_page(client.get(f"/xa-a/dossiers/{code}")))
    assert main == "approve"
    assert "send_back" in cautious


def test_online_dossier_main_action_is_reception(desk, client):
    code = make_dossier(desk.app, channel="online", username=None)
    desk.factory.login(client, "a.tiepnhan")
    main, _folded, cautious = actions_of(assert_good_page(client.get(f"/xa-a/dossiers/{code}")))
    assert main == "receive" and "refuse" in cautious


def test_refusal_without_the_confirmation_box_changes_nothing(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    url = f"/xa-a/dossiers/{code}/actions/refuse"
    version = dossier_state(desk.app, code).version
    response = client.post(url, data={"refuse-reason": "Giấy tờ giả mạo", "version": version})
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="refuse-confirm-error"' in page and "Đánh dấu ô xác nhận" in page
    assert "Giấy tờ giả mạo" in page  # nothing typed is lost
    tree = parse_strict(page)
    refused = [d for d in tree.iter("details") if d.find(".//form") is not None
               and _action(d.find(".//form")) == "refuse"]
    assert refused and refused[0].get("open") is not None  # the failed form is shown open
    assert dossier_state(desk.app, code).status == "received"
    # Empty reason and no tick: both reported at once.
    page = client.post(url, data={"refuse-reason": " ", "version": version}).get_data(as_text=True)
    assert 'id="refuse-confirm-error"' in page and 'id="refuse-reason-error"' in page
    assert dossier_state(desk.app, code).status == "received"
    response = client.post(url, data={"refuse-reason": "Giấy tờ giả mạo", "refuse-confirm": "y", "version": version})
    assert response.status_code == 302
    assert dossier_state(desk.app, code).status == "refused"


def test_stop_on_withdrawal_asks_for_confirmation_too(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    url = f"/xa-a/dossiers/{code}/actions/withdraw"
    assert client.post(url, data={"withdraw-reason": "Công dân xin rút"}).status_code == 422
    assert dossier_state(desk.app, code).status == "received"
    assert client.post(url, data={"withdraw-reason": "Công dân xin rút", "withdraw-confirm": "y"}).status_code == 302
    assert dossier_state(desk.app, code).status == "stopped"


def test_the_step_select_offers_the_procedures_real_steps(app, desk, client):
    code = make_dossier(app, procedure="land.first_registration", data=LAND)
    act(app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    desk.factory.login(client, "a.chuyenvien")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    tree = parse_strict(page)
    select = next(s for s in tree.iter("select") if s.get("name") == "record_step-step")
    values = [o.get("value") for o in select.iter("option") if o.get("value")]
    assert values == ["posting_started"]


def test_a_supplement_request_with_mistakes_lists_each_one_linked_at_the_top(desk, client):
    """DAY-11: the summary names what is wrong and links to it, instead of "Yêu cầu bổ sung chưa đủ thông tin."."""
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    version = dossier_state(desk.app, code).version
    response = client.post(f"/xa-a/dossiers/{code}/actions/request_supplement",
                           data={"request_supplement-reason": " ", "version": version})
    assert response.status_code == 422
    page = assert_good_page(response)
    summary = next(e for e in parse_strict(page).iter("div") if e.get("id") == "error-summary")
    links = {a.get("href") for a in summary.iter("a")}
    assert "#request_supplement-reason" in links
    assert any(h.startswith("#request_supplement-missing") for h in links)
    assert "chưa đủ thông tin" not in "".join(summary.itertext())
    assert page.count('id="request_supplement-reason-error"') == 1  # and the message at the field itself
    assert dossier_state(desk.app, code).status == "received"
