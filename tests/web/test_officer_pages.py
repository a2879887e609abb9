"""Officer pages through the Flask client: the counter, queues, the dossier page and its actions, search, switcher."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.dossiers.clock import VN_TZ
from tests.web.helpers import APPLICANT, BIRTH, act, birth_data, counter_form_data, dossier_state, make_dossier
from tests.web.html_checks import assert_good_page

COUNTER = f"/xa-a/tiep-nhan/{BIRTH}"


def dossier_count(app) -> int:
    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        n = db.session.scalar(select(func.count(Dossier.id)))
        db.session.remove()
    return n


def code_from(location: str) -> str:
    return re.search(r"/dossiers/([^/?]+)", location).group(1)


def a_weekday_long_ago(days: int = 40) -> datetime:
    """09:00 local on a Tuesday at least ``days`` days ago (never a holiday in any year: not in Tết or 30/4–2/9)."""
    moment = datetime.now(VN_TZ).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=days)
    while moment.weekday() != 1 or (moment.month, moment.day) in {(4, 30), (5, 1), (9, 1), (9, 2)} \
            or moment.month in (1, 2):
        moment -= timedelta(days=1)
    return moment


# --- the counter -----------------------------------------------------------------------------------------------------


def test_counter_lists_procedures_and_filters_without_diacritics(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get("/xa-a/tiep-nhan"))
    assert "Đăng ký khai sinh" in page and 'data-filter-list="procedure-list"' in page
    response = client.get("/xa-a/tiep-nhan?q=khai sinh")
    if response.status_code == 302:  # a single match opens its form at once
        assert response.headers["Location"].endswith(COUNTER)
    else:
        page = assert_good_page(response)
        assert "Đăng ký khai sinh" in page
    response = client.get("/xa-a/tiep-nhan?q=DANG KY KHAI SINH")
    assert response.status_code == 302 or "Đăng ký khai sinh" in response.get_data(as_text=True)
    page = assert_good_page(client.get("/xa-a/tiep-nhan?q=không-có-thủ-tục-này"))
    assert "Không có thủ tục nào khớp" in page


def test_filter_procedures_ignores_case_and_diacritics(app):
    from core.officer.common import filter_procedures
    from core.plugins.manager import get_procedure

    with app.app_context():
        birth = get_procedure(BIRTH)
        assert filter_procedures([birth], "khai sinh") == [birth]
        assert filter_procedures([birth], "KHAI  SINH") == [birth]
        assert filter_procedures([birth], "đăng ký") == [birth]
        assert filter_procedures([birth], "1.001193") == [birth]
        assert filter_procedures([birth], "khai tu") == []
        assert filter_procedures([birth], "sinh khai") == [birth]
        assert filter_procedures([birth], "001193") == [birth]
        assert filter_procedures([birth], "") == [birth]


def test_counter_form_shows_checklist_fee_appointment_and_fields(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(COUNTER))
    assert "Thành phần hồ sơ đã nhận" in page
    assert 'name="counter-documents"' in page
    assert not re.search(r'<input checked[^>]*name="counter-documents"', page)  # the officer ticks what is handed in
    assert "Hẹn trả kết quả nếu tiếp nhận ngay" in page and "Phí, lệ phí" in page
    for name in ("applicant-full_name", "applicant-id_number", "applicant-phone", "child_full_name", "child_sex",
                 "child_birth_date", "mother_full_name"):
        assert f'name="{name}"' in page
    assert "Từ chối tiếp nhận (Mẫu 03)" in page and "Hướng dẫn bổ sung (Mẫu 02)" in page


def test_counter_receives_and_opens_the_receipt_ready_to_print(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data())
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "print=receipt" in location
    code = code_from(location)
    state = dossier_state(desk.app, code)
    assert (state.status, state.channel, state.events) == ("received", "counter", ["receive"])
    page = assert_good_page(client.get(location))
    assert f"Đã tiếp nhận hồ sơ {code}" in page
    assert f'src="/xa-a/dossiers/{code}/documents/receipt?embed=1"' in page  # bare sheet in the frame (DAY-16)
    assert 'data-print-frame="doc-frame"' in page and "autofocus" in page


def test_counter_error_keeps_what_was_typed_and_writes_nothing(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    applicant = dict(APPLICANT, phone="12345")
    data = birth_data(child_full_name="", birth_place="Bệnh viện Đa khoa tỉnh Bắc Ninh")
    response = client.post(COUNTER, data=counter_form_data(applicant=applicant, data=data))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="applicant-phone-error"' in page and "10 chữ số" in page
    assert 'id="child_full_name-error"' in page and "Trường này là bắt buộc." in page
    assert 'aria-describedby="child_full_name-error"' in page
    assert 'value="Bệnh viện Đa khoa tỉnh Bắc Ninh"' in page
    assert 'value="12345"' in page and 'value="Nguyễn Văn Bình"' in page
    assert dossier_count(desk.app) == 0


def test_counter_rule_error_from_the_plugin_is_shown_beside_the_field(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    future = datetime.now(VN_TZ).date() + timedelta(days=5)
    response = client.post(COUNTER, data=counter_form_data(data=birth_data(child_birth_date=future.isoformat())))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="child_birth_date-error"' in page
    assert f'value="{future:%d/%m/%Y}"' in page  # read back day-first
    assert dossier_count(desk.app) == 0


def test_counter_receive_with_a_missing_document_is_refused_beside_the_checklist(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data(documents=(0,)))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="counter-documents-error"' in page and "Hồ sơ còn thiếu" in page
    assert dossier_count(desk.app) == 0


def test_counter_refusal_needs_a_reason_then_prints_form_03(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data(do="refuse"))
    assert response.status_code == 422
    assert 'id="counter-reason-error"' in assert_good_page(response)
    assert dossier_count(desk.app) == 0
    response = client.post(COUNTER, data=counter_form_data(do="refuse", reason="Không thuộc thẩm quyền của xã."))
    assert response.status_code == 302 and "print=refusal" in response.headers["Location"]
    state = dossier_state(desk.app, code_from(response.headers["Location"]))
    assert state.status == "refused" and state.events == ["refuse"]  # refused at the desk: never received


def test_counter_supplement_guidance_lists_the_unticked_documents(app, desk, client):
    from core.dossiers.models import DossierEvent
    from core.extensions import db
    from core.plugins.manager import get_procedure

    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data(do="supplement", reason="Thiếu giấy tờ"))
    assert response.status_code == 422  # nothing unticked: nothing to ask for
    assert "Bỏ chọn những giấy tờ còn thiếu" in response.get_data(as_text=True)
    with app.app_context():
        documents = [d.name for d in get_procedure(BIRTH).required_documents]
    ticked = tuple(range(1, len(documents)))
    response = client.post(COUNTER, data=counter_form_data(documents=ticked, do="supplement",
                                                           reason="Thiếu giấy chứng sinh"))
    assert response.status_code == 302 and "print=supplement_request" in response.headers["Location"]
    code = code_from(response.headers["Location"])
    assert dossier_state(app, code).status == "supplement_requested"
    with app.app_context():
        event = db.session.scalar(select(DossierEvent).where(DossierEvent.action == "request_supplement"))
        assert event.payload["missing_documents"] == [documents[0]]


def test_counter_access(desk, client):
    assert client.get("/xa-a/tiep-nhan").status_code == 302  # to the login page
    desk.factory.login(client, "a.chuyenvien")
    assert client.get("/xa-a/tiep-nhan").status_code == 403
    assert client.get(COUNTER).status_code == 403
    client.post("/logout")
    desk.factory.login(client, "b.tiepnhan")
    response = client.get("/xa-a/tiep-nhan")
    assert response.status_code == 403
    page = assert_good_page(response)
    assert "Không có quyền truy cập" in page and 'href="/"' in page
    assert client.get("/khong-co-xa-nay/tiep-nhan").status_code == 404
    assert client.get("/xa-b/tiep-nhan/civil_status.khong_co").status_code == 404


def test_counter_stops_offering_a_disabled_plugin(desk, client):
    desk.factory.set_plugin("xa-a", "civil_status", False)
    desk.factory.login(client, "a.tiepnhan")
    assert "Đăng ký khai sinh" not in client.get("/xa-a/tiep-nhan").get_data(as_text=True)
    assert client.get(COUNTER).status_code == 404
    assert client.post(COUNTER, data=counter_form_data()).status_code == 404


# --- queues ----------------------------------------------------------------------------------------------------------


def test_queues_have_counts_and_the_overdue_tab_is_red(desk, client):
    online = make_dossier(desk.app, channel="online", username=None)
    late = make_dossier(desk.app, now=a_weekday_long_ago())
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get("/xa-a/"))
    assert "Chờ tiếp nhận trực tuyến" in page and "Chờ phê duyệt" not in page  # approval is the leaders' tab
    assert online in page  # the first tab is the online queue
    page = assert_good_page(client.get("/xa-a/?tab=overdue"))
    assert late in page and 'class="row-overdue"' in page and "tab-danger" in page
    assert online not in page
    mine = assert_good_page(client.get("/xa-a/?tab=mine"))
    assert late in mine and online not in mine  # received by me and not yet assigned: still mine
    assert client.get("/xa-a/?tab=khong-co").status_code == 404
    assert client.get("/xa-a/?page=abc").status_code == 404


def test_leader_sees_the_approval_tab(desk, client):
    code = make_dossier(desk.app)
    act(desk.app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(desk.app, code, "a.chuyenvien", "submit_for_approval")
    desk.factory.login(client, "a.lanhdao")
    page = assert_good_page(client.get("/xa-a/?tab=approval"))
    assert "Chờ phê duyệt" in page and code in page
    assert "Chờ tiếp nhận trực tuyến" not in page


def test_queue_definitions_with_a_fixed_clock(app, desk):
    from core.extensions import db
    from core.officer import queues
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User

    received = datetime(2026, 3, 3, 8, 0, tzinfo=VN_TZ)  # a Tuesday: same-day procedure, due 17:00 that day
    code = make_dossier(app, now=received)
    earlier = make_dossier(app, now=received - timedelta(days=7))
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == "a.tiepnhan"))
        unit = get_unit_or_none("xa-a")
        tabs = queues.tabs_for(user, unit)
        at_noon = queues.counts(user, unit, tabs, datetime(2026, 3, 3, 12, 0, tzinfo=VN_TZ))
        assert at_noon["due_today"] == 1 and at_noon["overdue"] == 1 and at_noon["mine"] == 2
        rows = queues.rows("mine", user, unit, datetime(2026, 3, 3, 12, 0, tzinfo=VN_TZ))
        assert [d.code for d in rows] == [earlier, code]  # sorted by due date
        evening = queues.counts(user, unit, tabs, datetime(2026, 3, 3, 18, 0, tzinfo=VN_TZ))
        assert evening["due_today"] == 0 and evening["overdue"] == 2
        db.session.remove()


def test_every_tab_count_is_the_number_of_dossiers_it_lists(app, desk):
    """The tab counts come from one query; each must equal what the tab itself lists, for every role."""
    from core.extensions import db
    from core.officer import queues
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User

    make_dossier(app, channel="online", username=None)
    make_dossier(app, now=a_weekday_long_ago())                           # overdue, received by a.tiepnhan
    assigned = make_dossier(app)
    act(app, assigned, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    pending = make_dossier(app)
    act(app, pending, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(app, pending, "a.chuyenvien", "submit_for_approval")
    signed = make_dossier(app)
    act(app, signed, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(app, signed, "a.chuyenvien", "submit_for_approval")
    act(app, signed, "a.lanhdao", "approve")
    waiting = make_dossier(app)
    act(app, waiting, "a.tiepnhan", "request_supplement", reason="Thiếu giấy chứng sinh",
        missing_documents=["Giấy chứng sinh"])
    make_dossier(app, unit_slug="xa-b", username="b.tiepnhan")               # another commune: in no tab of xa-a
    now = datetime.now(VN_TZ)
    with app.test_request_context():
        unit = get_unit_or_none("xa-a")
        seen = {}
        for username in ("a.tiepnhan", "a.chuyenvien", "a.lanhdao", "multi"):
            user = db.session.scalar(select(User).where(User.username == username))
            tabs = queues.tabs_for(user, unit)
            counts = queues.counts(user, unit, tabs, now)
            assert set(counts) == {t.key for t in tabs}
            for tab in tabs:
                listed = queues.rows(tab.key, user, unit, now, size=1000)
                assert counts[tab.key] == len(listed), (username, tab.key)
                seen[tab.key] = max(seen.get(tab.key, 0), counts[tab.key])
        db.session.remove()
    assert all(seen[key] for key in ("online", "mine", "overdue", "supplement", "approval", "to_return")), seen


def test_an_officer_reading_english_sees_english_names_and_prints_vietnamese_forms(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    assert "Birth registration" in assert_good_page(client.get("/xa-a/tiep-nhan?lang=en"))
    assert "Birth registration" in assert_good_page(client.get("/xa-a/?tab=mine"))
    assert "Birth registration" in assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    receipt = client.get(f"/xa-a/dossiers/{code}/documents/receipt").get_data(as_text=True)
    assert "Đăng ký khai sinh" in receipt and "Birth registration" not in receipt  # the official form


# --- the dossier page ------------------------------------------------------------------------------------------------


def test_dossier_page_shows_everything_an_officer_needs(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert APPLICANT["full_name"] in page and APPLICANT["id_number"] in page
    assert "Họ, chữ đệm, tên người được khai sinh" in page and "Nguyễn Thị Hoa" in page
    assert "<dd>Nữ</dd>" in page  # the choice's label, not its value
    assert "Quá trình xử lý" in page and "Tiếp nhận hồ sơ" in page
    assert "Hạn giải quyết" in page and ("Còn" in page or "Quá hạn" in page)
    assert 'action="/xa-a/dossiers/' + code + '/actions/assign"' in page
    assert 'name="assign-assignee"' in page and "Phạm Văn Chuyên" in page
    assert 'name="csrf_token"' in page and 'name="version"' in page


def test_workflow_through_the_pages_to_returned(desk, client):
    code = make_dossier(desk.app)
    url = f"/xa-a/dossiers/{code}"
    desk.factory.login(client, "a.tiepnhan")
    version = dossier_state(desk.app, code).version
    response = client.post(f"{url}/actions/assign", data={"assign-assignee": "a.chuyenvien", "version": version})
    assert response.status_code == 302
    assert dossier_state(desk.app, code).assignee == "a.chuyenvien"
    client.post("/logout")
    desk.factory.login(client, "a.chuyenvien")
    page = assert_good_page(client.get(url))
    assert "Trình lãnh đạo phê duyệt" in page
    assert client.post(f"{url}/actions/submit_for_approval", data={"submit_for_approval-note": ""}).status_code == 302
    client.post("/logout")
    desk.factory.login(client, "a.lanhdao")
    unconfirmed = client.post(f"{url}/actions/approve", data={})  # DAY-04: signing asks for a confirmation
    assert unconfirmed.status_code == 422
    assert "Tôi đã xem dự thảo kết quả và xác nhận phê duyệt, ký" in assert_good_page(unconfirmed)
    assert dossier_state(desk.app, code).status == "in_progress"
    assert client.post(f"{url}/actions/approve", data={"approve-confirm": "y"}).status_code == 302
    assert dossier_state(desk.app, code).status == "result_ready"
    client.post("/logout")
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get("/xa-a/?tab=to_return"))
    assert code in page
    page = assert_good_page(client.get(url))
    assert f'value="{APPLICANT["full_name"]}"' in page  # received_by defaults to the applicant
    response = client.post(f"{url}/actions/return_result", data={"return_result-received_by": "Nguyễn Văn Bình"})
    assert response.status_code == 302
    assert dossier_state(desk.app, code).status == "returned"


def test_action_error_is_shown_beside_the_field_and_keeps_the_note(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(f"/xa-a/dossiers/{code}/actions/assign",
                           data={"assign-assignee": "", "assign-note": "Giao gấp trong sáng nay"})
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="assign-assignee-error"' in page
    assert "Giao gấp trong sáng nay" in page
    response = client.post(f"/xa-a/dossiers/{code}/actions/refuse", data={"refuse-reason": "  "})
    assert response.status_code == 422 and 'id="refuse-reason-error"' in response.get_data(as_text=True)
    assert dossier_state(desk.app, code).status == "received"


def test_stale_version_and_forbidden_actions_change_nothing(desk, client):
    code = make_dossier(desk.app)
    version = dossier_state(desk.app, code).version
    act(desk.app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(f"/xa-a/dossiers/{code}/actions/assign",
                           data={"assign-assignee": "a.lanhdao", "version": version})
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in assert_good_page(response)
    response = client.post(f"/xa-a/dossiers/{code}/actions/approve", data={})
    assert response.status_code in (403, 409)
    assert client.post(f"/xa-a/dossiers/{code}/actions/khong_co", data={}).status_code == 404
    state = dossier_state(desk.app, code)
    assert (state.status, state.assignee) == ("in_progress", "a.chuyenvien")


def test_an_officer_of_another_commune_cannot_open_the_dossier(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "b.tiepnhan")
    assert client.get(f"/xa-a/dossiers/{code}").status_code == 403
    response = client.get(f"/xa-b/dossiers/{code}")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in assert_good_page(response)
    assert client.post(f"/xa-b/dossiers/{code}/actions/refuse", data={"refuse-reason": "x"}).status_code == 404
    assert dossier_state(desk.app, code).status == "received"


def test_online_dossier_is_received_from_the_dossier_page(desk, client):
    code = make_dossier(desk.app, channel="online", username=None)
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "Chưa tiếp nhận" in page and "/actions/receive" in page
    response = client.post(f"/xa-a/dossiers/{code}/actions/receive", data={})
    assert response.status_code == 302 and "print=receipt" in response.headers["Location"]
    assert dossier_state(desk.app, code).status == "received"


# --- search and unit switcher ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["nguyen van binh", "Nguyễn Văn Bình", "0912345678", "027090001234", "VĂN BÌNH"])
def test_search_by_name_phone_and_id_number(desk, client, query):
    code = make_dossier(desk.app)
    other = make_dossier(desk.app, unit_slug="xa-b", username="b.tiepnhan")
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get("/xa-a/tim-kiem", query_string={"q": query}))
    assert code in page and other not in page


def test_search_by_code_and_status(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get("/xa-a/tim-kiem", query_string={"q": code}))
    assert "Kết quả: 1" in page
    page = assert_good_page(client.get("/xa-a/tim-kiem", query_string={"status": "returned"}))
    assert "Kết quả: 0" in page and "Không tìm thấy hồ sơ nào." in page
    page = assert_good_page(client.get("/xa-a/tim-kiem", query_string={"status": "khong-co", "q": "zzz"}))
    assert "Kết quả: 0" in page
    assert_good_page(client.get("/xa-a/tim-kiem"))


def test_unit_switcher(desk, client):
    desk.factory.login(client, "multi")
    page = assert_good_page(client.get("/xa-a/"))
    assert 'id="unit-switch"' in page and "Xã Bình Minh" in page
    response = client.get("/chon-don-vi?unit=xa-b")
    assert response.status_code == 302 and response.headers["Location"].endswith("/xa-b/")
    assert client.get("/chon-don-vi?unit=huyen-test").status_code == 403
    assert client.get("/chon-don-vi?unit=khong-co").status_code == 404
    client.post("/logout")
    desk.factory.login(client, "a.tiepnhan")
    assert 'id="unit-switch"' not in client.get("/xa-a/").get_data(as_text=True)


def test_login_lands_on_the_queues_and_admins_on_administration(desk, client):
    response = client.post("/login", data={"username": "a.tiepnhan", "password": "motcua-test-pass"})
    assert response.headers["Location"].endswith("/xa-a/")
    client.post("/logout")
    desk.factory.login(client, "huyen.admin")
    response = client.get("/huyen-test/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/huyen-test/admin")


def test_counter_rejects_an_unknown_button(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data(do="xoa-het"))
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in assert_good_page(response)
    assert dossier_count(desk.app) == 0


def test_counter_in_english_shows_english_documents_and_fee_and_prints_vietnamese_forms(app, desk, client):
    """The counter checklist, fee and the missing-documents message follow the officer's language; the guidance
    (Mẫu 02) and the receipt (Mẫu 01) list the official Vietnamese names, and the dossier keeps them."""
    from core.dossiers.models import DossierEvent
    from core.extensions import db

    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(f"{COUNTER}?lang=en"))
    assert "Birth registration declaration (form TP/HT-2020-KS)" in page and "Tờ khai đăng ký khai sinh" not in page
    assert "Free if registered within 60 days of the birth" in page and "Miễn lệ phí nếu đăng ký" not in page
    page = assert_good_page(client.get("/xa-a/tiep-nhan"))
    assert "No fees or charges" in page and "Không thu phí, lệ phí" not in page
    response = client.post(COUNTER, data=counter_form_data(documents=(1, 2, 3)))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert "The dossier is missing: Birth registration declaration (form TP/HT-2020-KS)" in page
    response = client.post(COUNTER, data=counter_form_data(documents=(1, 2, 3), do="supplement",
                                                           reason="Thiếu tờ khai"))
    assert response.status_code == 302 and "print=supplement_request" in response.headers["Location"]
    code = code_from(response.headers["Location"])
    with app.app_context():
        event = db.session.scalar(select(DossierEvent).where(DossierEvent.action == "request_supplement"))
        assert event.payload["missing_documents"] == ["Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS)"]
        db.session.remove()
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "Documents to be supplemented: Birth registration declaration (form TP/HT-2020-KS)" in page
    guidance = client.get(f"/xa-a/dossiers/{code}/documents/supplement_request")
    assert guidance.status_code == 200
    text = guidance.get_data(as_text=True)
    assert "Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS)" in text and "Birth registration declaration" not in text
    receipt = client.get(f"/xa-a/dossiers/{make_dossier(app)}/documents/receipt")
    assert receipt.status_code == 200
    text = receipt.get_data(as_text=True)
    assert "Giấy chứng sinh hoặc văn bản của người làm chứng" in text and "Medical birth notice" not in text
    page = assert_good_page(client.get(f"{COUNTER}?lang=vi"))
    assert "Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS)" in page and "Birth registration declaration" not in page
    assert "Miễn lệ phí nếu đăng ký trong 60 ngày" in page and "Free if registered" not in page


def test_a_procedure_step_is_chosen_and_shown_in_the_officers_language(app, desk, client):
    land = {"parcel_number": 125, "map_sheet": 14, "area": 152.5, "parcel_address": "Thôn Đông, xã An Bình",
            "land_use_purpose": "ONT", "owners": "Nguyễn Văn An, 1980, 001080012345"}
    code = make_dossier(app, procedure="land.first_registration", data=land)
    act(app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    desk.factory.login(client, "a.chuyenvien")
    english = "Public posting at the commune People&#39;s Committee office and in the residential area (15 days)"
    vietnamese = "Niêm yết công khai tại trụ sở UBND xã và khu dân cư (15 ngày)"
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}?lang=en"))
    assert f'value="posting_started">{english}</option>' in page and vietnamese not in page
    act(app, code, "a.chuyenvien", "record_step", step="posting_started")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert f"Step: {english}" in page and vietnamese not in page
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}?lang=vi"))
    assert f"Bước: {vietnamese}" in page and "Public posting at the commune" not in page
