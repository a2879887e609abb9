"""Land procedures end to end: reception at the commune, liên thông to the office, the 15-day posting, payments,
documents, and what a commune without the land plugin sees."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.plugins.conftest import VN, days_ago, load, print_document, render_document, today

FIRST = "land.first_registration"
CHANGE = "land.change_registration"


def parcel(**changes) -> dict:
    data = {"parcel_number": 125, "map_sheet": 14, "area": 152.5, "parcel_address": "Thôn Đông, xã An Bình",
            "land_use_purpose": "ONT", "owners": "Nguyễn Văn An, 1980, 001080012345\nTrần Thị Bích, 1982, 001182054321"}
    data.update(changes)
    return data


def change(**changes) -> dict:
    data = parcel(change_type="transfer", change_date=days_ago(5), counterparties="Lê Văn Cường, 1990, 001090067890",
                  certificate_number="DA 123456")
    data.update(changes)
    return data


def record_posting(app, code: str, unit: str, days_before_today: int) -> dict:
    """The commune's specialist records the start of the public posting ``days_before_today`` days ago."""
    from core.dossiers.services import perform_action
    from core.extensions import db
    from core.users.models import User

    moment = datetime.now(VN).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=days_before_today)
    with app.test_request_context():
        specialist = db.session.scalar(db.select(User).where(User.username == f"spec.{unit}"))
        dossier = perform_action(specialist, load(app, code), "record_step", {"step": "posting_started"}, now=moment)
        return dict(dossier.data)


def panels(app, code: str) -> dict:
    from core.plugins import hooks_for

    with app.test_request_context():
        dossier = load(app, code)
        found = hooks_for(dossier.competent_unit).dossier_panels(dossier=dossier, user=None)
        return {p.title: p.html for group in found for p in group}


# --- catalogue and enablement ----------------------------------------------------------------------------------------


def test_catalogue_offers_land_only_where_enabled(api, client):
    a = {p["key"]: p for p in api.ok(client.get("/api/v1/units/xa-a/procedures"))["procedures"]}
    assert a[FIRST]["national_code"] == "1.012753" and a[CHANGE]["national_code"] == "1.012765"
    assert a[FIRST]["transfer_to_kind"] == "office" and a[CHANGE]["transfer_to_kind"] == "office"
    assert a[FIRST]["processing_time"] == {"value": 20, "unit": "working_days", "cutoff": None}
    assert a[CHANGE]["processing_time"] == {"value": 10, "unit": "working_days", "cutoff": None}
    fields = {f["name"]: f for f in a[CHANGE]["fields"]}
    for name in ("parcel_number", "map_sheet", "area", "parcel_address", "land_use_purpose", "change_type",
                 "change_date", "owners", "counterparties"):
        assert fields[name]["required"] is True, name
    assert fields["area"]["type"] == "number" and fields["change_date"]["type"] == "date"
    assert [c["value"] for c in fields["change_type"]["choices"]] == ["transfer", "gift", "inheritance", "mortgage"]
    c = api.ok(client.get("/api/v1/units/xa-c/procedures"))["procedures"]
    assert c and not [p for p in c if p["plugin"] == "land"]
    refused = api.create("xa-c", CHANGE, change(), "recv.xa-c")
    assert refused.status_code == 404
    assert refused.get_json()["error"]["code"] == "procedure_not_offered"


def test_old_land_dossiers_stay_readable_after_the_plugin_is_disabled(api, client, factory):
    body = api.receive("xa-a", CHANGE, change())
    factory.set_plugin("xa-a", "land", False)
    assert not [p for p in api.ok(client.get("/api/v1/units/xa-a/procedures"))["procedures"] if p["plugin"] == "land"]
    assert api.create("xa-a", CHANGE, change(), "recv.xa-a").status_code == 404
    again = api.ok(api.get(body["code"], "recv.xa-a"))
    assert again["procedure"] == CHANGE and again["data"]["parcel_number"] == 125
    listed = api.ok(client.get("/api/v1/units/xa-a/dossiers", headers=api.headers("recv.xa-a")))
    assert body["code"] in [d["code"] for d in listed["dossiers"]]


# --- change registration: commune desk → office ----------------------------------------------------------------------


def test_change_registration_is_transferred_to_the_office_which_processes_it(app, api, client, factory):
    body = api.receive("xa-a", CHANGE, change())
    assert body["status"] == "received" and body["competent_unit"] == "xa-a" and body["fee"] == 0
    panel = panels(app, body["code"])["Liên thông đất đai"]
    assert "Chi nhánh Văn phòng đăng ký đất đai huyện Test" in panel and "mã đơn vị" not in panel
    vetoed = api.act(body["code"], "assign", "recv.xa-a", assignee="spec.xa-a")
    assert vetoed.status_code == 409
    assert vetoed.get_json()["error"]["code"] == "land_transfer_to_office"
    assert "Chi nhánh Văn phòng đăng ký đất đai huyện Test" in vetoed.get_json()["error"]["message"]
    assert api.act(body["code"], "transfer", "recv.xa-a", to_unit="xa-b").status_code == 409
    moved = api.ok(api.act(body["code"], "transfer", "recv.xa-a", to_unit="vpdk"))
    assert moved["competent_unit"] == "vpdk" and moved["step"] == "transferred"
    assert "Hồ sơ nhận liên thông từ Xã An Bình" in panels(app, body["code"])["Liên thông đất đai"]
    code = body["code"]
    api.ok(api.act(code, "assign", "recv.vpdk", assignee="spec.vpdk"))
    paying = api.ok(api.act(code, "request_payment", "spec.vpdk", amount=1_500_000, note="Thuế TNCN, lệ phí trước bạ"))
    assert paying["status"] == "awaiting_payment" and paying["paused"] is True
    paid = api.ok(api.act(code, "payment_received", "recv.vpdk"))
    assert paid["status"] == "in_progress" and paid["paused"] is False
    api.ok(api.act(code, "submit_for_approval", "spec.vpdk"))
    done = api.ok(api.act(code, "approve", "lead.vpdk"))
    assert done["status"] == "result_ready"
    # the receiving commune keeps read access and hands the result back to the citizen
    assert api.ok(api.get(code, "recv.xa-a"))["status"] == "result_ready"
    assert api.ok(api.act(code, "return_result", "recv.xa-a", received_by="Nguyễn Văn An"))["status"] == "returned"
    html = render_document(app, code, "land.change_result", pdf=True)
    assert "CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI HUYỆN TEST" in html.upper()
    assert "Chuyển nhượng" in html and "Lê Văn Cường, 1990, 001090067890" in html and "DA 123456" in html
    page = print_document(client, factory, "vpdk", code, "land.change_result")
    assert page.status_code == 200 and "Diện tích: <b>152,5</b> m²" in page.get_data(as_text=True)


def test_change_registration_submitted_online(api):
    body = api.ok(api.create("xa-a", CHANGE, change(), None, channel="online"), 201)
    assert body["status"] == "submitted"
    api.ok(api.act(body["code"], "receive", "recv.xa-a"))
    assert api.ok(api.act(body["code"], "transfer", "recv.xa-a", to_unit="vpdk"))["competent_unit"] == "vpdk"


@pytest.mark.parametrize(("days", "late"), [(0, False), (30, False), (31, True)])
def test_change_day_30_is_on_time_and_day_31_is_flagged(api, days, late):
    body = api.receive("xa-a", CHANGE, change(change_date=days_ago(days)))
    assert [w["code"] for w in body["warnings"]] == (["late_change_registration"] if late else [])


def test_land_validation_errors(api):
    future = api.create("xa-a", CHANGE, change(change_date=days_ago(-1)), "recv.xa-a")
    assert future.get_json()["error"]["fields"] == {"change_date": "Ngày biến động không được sau ngày đăng ký."}
    zero = api.create("xa-a", CHANGE, change(area=0, parcel_number=-3), "recv.xa-a")
    assert zero.status_code == 422 and zero.get_json()["error"]["code"] == "rule_violation"
    assert zero.get_json()["error"]["fields"] == {"area": "Diện tích thửa đất phải lớn hơn 0.",
                                                  "parcel_number": "Số thửa đất phải là số nguyên dương."}
    bad = api.create("xa-a", CHANGE, change(area="abc", map_sheet="7a", land_use_purpose="XYZ", change_type="sale",
                                            owners="", counterparties=None), "recv.xa-a")
    assert bad.status_code == 422
    assert bad.get_json()["error"]["fields"] == {
        "area": "“abc” không phải là số hợp lệ. Ví dụ: 152,5", "map_sheet": "Giá trị không phải số nguyên hợp lệ.",
        "land_use_purpose": "Lựa chọn không hợp lệ.",
        "change_type": "Lựa chọn không hợp lệ.", "owners": "Trường này là bắt buộc.",
        "counterparties": "Trường này là bắt buộc."}
    missing = api.create("xa-a", FIRST, {}, "recv.xa-a")
    assert set(missing.get_json()["error"]["fields"]) == {"parcel_number", "map_sheet", "area", "parcel_address",
                                                           "land_use_purpose", "owners"}


# --- first registration: posting 15 days, then transfer --------------------------------------------------------------


def test_first_registration_posting_blocks_transfer_until_it_ends(app, api, client, factory):
    body = api.receive("xa-a", FIRST, parcel(land_use_origin="Nhận thừa kế năm 1995", use_since="1995-05-01",
                                             has_house=True))
    code = body["code"]
    assert body["competent_unit"] == "xa-a" and body["data"]["has_house"] is True
    api.ok(api.act(code, "assign", "recv.xa-a", assignee="spec.xa-a"))
    not_posted = api.act(code, "submit_for_approval", "spec.xa-a")
    assert not_posted.status_code == 409 and not_posted.get_json()["error"]["code"] == "land_posting_not_started"
    assert "Chưa niêm yết công khai" in panels(app, code)["Niêm yết công khai"]
    data = record_posting(app, code, "xa-a", 15)  # posted 15 days ago: today is the last posting day
    assert data["posting_started_on"] == days_ago(15) and data["posting_ends_on"] == today().isoformat()
    for action, arguments in (("transfer", {"to_unit": "vpdk"}), ("submit_for_approval", {})):
        vetoed = api.act(code, action, "spec.xa-a", **arguments)
        assert vetoed.status_code == 409 and vetoed.get_json()["error"]["code"] == "land_posting_not_finished"
        assert today().strftime("%d/%m/%Y") in vetoed.get_json()["error"]["message"]
    assert "còn 1 ngày" in panels(app, code)["Niêm yết công khai"]
    notice = render_document(app, code, "land.posting_notice", pdf=True)
    assert "THÔNG BÁO NIÊM YẾT CÔNG KHAI" in notice and days_ago(15)[8:10] in notice
    assert "Nguyễn Văn An, 1980, 001080012345" in notice and "Nhận thừa kế năm 1995" in notice
    record_posting(app, code, "xa-a", 16)  # posted again: the latest record counts, it ended yesterday
    assert "Đã kết thúc niêm yết" in panels(app, code)["Niêm yết công khai"]
    moved = api.ok(api.act(code, "transfer", "spec.xa-a", to_unit="vpdk"))
    assert moved["competent_unit"] == "vpdk"
    api.ok(api.act(code, "assign", "lead.vpdk", assignee="spec.vpdk"))
    api.ok(api.act(code, "request_payment", "spec.vpdk", amount=2_000_000))
    api.ok(api.act(code, "payment_received", "spec.vpdk"))
    api.ok(api.act(code, "submit_for_approval", "spec.vpdk"))
    assert api.ok(api.act(code, "approve", "lead.vpdk"))["status"] == "result_ready"
    result = render_document(app, code, "land.registration_result", pdf=True)
    assert "THÔNG BÁO XÁC NHẬN KẾT QUẢ ĐĂNG KÝ ĐẤT ĐAI" in result and "Có nhà ở, công trình xây dựng" in result
    page = print_document(client, factory, "xa-a", code, "land.registration_result")
    assert page.status_code == 200


def test_the_posting_is_judged_at_the_moment_of_the_action(app, deployment):
    """The veto reads the action's own moment, not the wall clock: an action recorded in March 2026 is judged in
    March 2026, whatever today is."""
    from core.dossiers import services
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User
    from tests.plugins.conftest import APPLICANT

    def user(name):
        return db.session.scalar(db.select(User).where(User.username == name))

    def act(name, action, moment, **arguments):
        return services.perform_action(user(name), load(app, code), action, arguments, now=moment)

    with app.test_request_context():
        code = services.create_dossier(get_unit_or_none("xa-a"), FIRST, "counter", dict(APPLICANT), parcel(),
                                       user("recv.xa-a"), now=datetime(2026, 2, 24, 9, 0, tzinfo=VN)).dossier.code
        act("recv.xa-a", "assign", datetime(2026, 2, 24, 10, 0, tzinfo=VN), assignee="spec.xa-a")
        act("spec.xa-a", "record_step", datetime(2026, 3, 2, 9, 0, tzinfo=VN), step="posting_started")
        assert load(app, code).data["posting_ends_on"] == "2026-03-17"
        with pytest.raises(services.ServiceError) as refused:
            act("spec.xa-a", "transfer", datetime(2026, 3, 17, 16, 0, tzinfo=VN), to_unit="vpdk")
        assert refused.value.code == "land_posting_not_finished"
        moved = act("spec.xa-a", "transfer", datetime(2026, 3, 18, 8, 0, tzinfo=VN), to_unit="vpdk")
        assert moved.competent_unit.slug == "vpdk"
        db.session.remove()


def test_first_registration_may_be_approved_at_the_commune_after_posting(app, api):
    code = api.receive("xa-a", FIRST, parcel())["code"]
    api.ok(api.act(code, "assign", "recv.xa-a", assignee="spec.xa-a"))
    record_posting(app, code, "xa-a", 20)
    api.ok(api.act(code, "submit_for_approval", "spec.xa-a"))
    assert api.ok(api.act(code, "approve", "lead.xa-a"))["status"] == "result_ready"


def test_first_registration_goes_to_the_commune_where_the_land_lies(api):
    body = api.receive("xa-a", FIRST, parcel(parcel_unit="xa-b"))
    assert body["competent_unit"] == "xa-b"
    for slug in ("xa-c", "vpdk", "nowhere"):
        refused = api.create("xa-a", FIRST, parcel(parcel_unit=slug), "recv.xa-a")
        assert refused.get_json()["error"]["fields"]["parcel_unit"].startswith("Không có xã, phường"), slug
    # filed at the wrong commune without the field: the desk forwards it before any posting
    other = api.receive("xa-a", FIRST, parcel())
    assert api.ok(api.act(other["code"], "transfer", "recv.xa-a", to_unit="xa-b"))["competent_unit"] == "xa-b"


def test_dispute_and_use_date_rules(api):
    warned = api.receive("xa-a", FIRST, parcel(in_dispute=True))
    assert [w["code"] for w in warned["warnings"]] == ["land_in_dispute"]
    future = api.create("xa-a", FIRST, parcel(use_since=days_ago(-2)), "recv.xa-a")
    assert future.get_json()["error"]["fields"] == {
        "use_since": "Thời điểm bắt đầu sử dụng đất không được sau ngày nộp hồ sơ."}


# --- the office to transfer to ---------------------------------------------------------------------------------------


def test_transfer_office_setting_overrides_the_designated_office(app, api, factory):
    from core.tenancy.services import get_unit_or_none
    from plugins.land.hooks import office_for

    factory.unit("vpdk-2", kind="office", parent="huyen-test", plugins=("land",), name="Văn phòng đăng ký đất đai 2")
    factory.set_plugin("xa-b", "land", True, settings={"transfer_office": "vpdk-2"})
    factory.set_plugin("xa-c", "land", True, settings={"transfer_office": "xa-a"})  # not an office: ignored
    with app.test_request_context():
        assert office_for(get_unit_or_none("xa-a")).slug == "vpdk"
        assert office_for(get_unit_or_none("xa-b")).slug == "vpdk-2"
        assert office_for(get_unit_or_none("xa-c")).slug == "vpdk"
    factory.set_plugin("vpdk", "land", False)
    with app.test_request_context():
        assert office_for(get_unit_or_none("xa-a")) is None


def test_dashboard_widgets_count_postings_and_pending_transfers(app, api):
    from core.plugins import hooks_for
    from core.tenancy.services import get_unit_or_none

    api.receive("xa-a", CHANGE, change())
    posting = api.receive("xa-a", FIRST, parcel())["code"]
    posted = api.receive("xa-a", FIRST, parcel())["code"]
    for code, days in ((posting, 3), (posted, 30)):
        api.ok(api.act(code, "assign", "recv.xa-a", assignee="spec.xa-a"))
        record_posting(app, code, "xa-a", days)
    with app.test_request_context():
        widgets = [w for group in hooks_for(get_unit_or_none("xa-a")).dashboard_widgets(
            unit=get_unit_or_none("xa-a"), user=None) for w in group]
    values = {w.title: w.value for w in widgets}
    assert values["Đất đai: đang niêm yết công khai"] == "1"
    assert values["Đất đai: hết niêm yết, chờ chuyển"] == "1"
    assert values["Đất đai: biến động chờ chuyển liên thông"] == "1"
