"""Social-welfare procedures end to end: amounts shown to the officer, the 2-working-day review posting, decisions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.plugins.conftest import VN, days_ago, load, print_document, render_document, today, years_ago

MONTHLY = "social_welfare.monthly_allowance"
PENSION = "social_welfare.social_pension"
FUNERAL = "social_welfare.funeral_support"


def monthly(**changes) -> dict:
    data = {"beneficiary_full_name": "Hoàng Văn Tư", "birth_date": years_ago(40), "categories": ["disability_severe"],
            "residence_address": "Thôn Đông, xã An Bình"}
    data.update(changes)
    return data


def pension(**changes) -> dict:
    data = {"beneficiary_full_name": "Ngô Thị Năm", "birth_date": years_ago(76)}
    data.update(changes)
    return data


def funeral(**changes) -> dict:
    data = {"deceased_full_name": "Hoàng Văn Tư", "death_date": days_ago(3),
            "deceased_received_monthly_allowance": True}
    data.update(changes)
    return data


def record_posting(app, code: str, unit: str, on: date) -> dict:
    from core.dossiers.services import perform_action
    from core.extensions import db
    from core.users.models import User

    with app.test_request_context():
        specialist = db.session.scalar(db.select(User).where(User.username == f"spec.{unit}"))
        moment = datetime(on.year, on.month, on.day, 9, 0, tzinfo=VN)
        return dict(perform_action(specialist, load(app, code), "record_step", {"step": "posting_started"},
                                   now=moment).data)


def posting_boundary(app, unit: str) -> tuple[date, date]:
    """(the latest start whose posting still covers today, the start one day earlier, whose posting has ended)."""
    from core.dossiers.calendar import calendar_for
    from core.tenancy.services import get_unit_or_none
    from plugins.social_welfare.rules import posting_ends_on

    with app.test_request_context():
        calendar = calendar_for(get_unit_or_none(unit))
        start = today()
        while posting_ends_on(start - timedelta(days=1), calendar.is_working_day) >= today():
            start -= timedelta(days=1)
        assert posting_ends_on(start, calendar.is_working_day) >= today()
        return start, start - timedelta(days=1)


def panel(app, code: str) -> str:
    from core.plugins import hooks_for

    with app.test_request_context():
        dossier = load(app, code)
        found = hooks_for(dossier.competent_unit).dossier_panels(dossier=dossier, user=None)
        return {p.title: p.html for group in found for p in group}["Mức trợ giúp xã hội"]


def test_catalogue_lists_the_three_procedures_without_fee(api, client):
    procedures = {p["key"]: p for p in api.ok(client.get("/api/v1/units/xa-a/procedures"))["procedures"]
                  if p["plugin"] == "social_welfare"}
    assert {k: p["national_code"] for k, p in procedures.items()} == {
        MONTHLY: "1.001776", PENSION: "1.014027", FUNERAL: "1.001731"}
    assert {p["fee"] for p in procedures.values()} == {"Không thu phí, lệ phí"}
    fields = {f["name"]: f for f in procedures[MONTHLY]["fields"]}
    assert fields["categories"]["type"] == "multiple_choice" and fields["categories"]["required"] is True
    assert len(fields["categories"]["choices"]) == 12


@pytest.mark.parametrize(("categories", "age", "base", "coefficient", "amount"), [
    (["disability_severe"], 40, None, 1.5, 750_000),
    (["disability_severe"], 40, 600_000, 1.5, 900_000),
    (["elderly_80_no_pension", "disability_extremely_severe"], 85, None, 2.5, 1_250_000),
    (["orphan_child"], 3, None, 2.5, 1_250_000),
])
def test_monthly_amount_is_computed_on_reception_from_the_base_rate(api, factory, categories, age, base,
                                                                     coefficient, amount):
    if base:
        factory.set_plugin("xa-a", "social_welfare", True, settings={"base_rate": base})
    body = api.receive("xa-a", MONTHLY, monthly(categories=categories, birth_date=years_ago(age)))
    assert body["fee"] == 0
    data = body["data"]
    assert (data["age"], data["coefficient"], data["monthly_amount"], data["base_rate"]) == (
        age, coefficient, amount, base or 500_000)
    assert len(data["category_labels"]) == len(categories)
    expected = (["social_pension_overlap"] if "elderly_80_no_pension" in categories else []) + (
        ["highest_coefficient_only"] if len(categories) > 1 else [])
    assert [w["code"] for w in body["warnings"]] == expected


def test_monthly_allowance_rules_refuse_ineligible_dossiers(api):
    orphan = api.create("xa-a", MONTHLY, monthly(categories=["orphan_child"], birth_date=years_ago(16)), "recv.xa-a")
    assert orphan.status_code == 422 and list(orphan.get_json()["error"]["fields"]) == ["birth_date"]
    single = api.create("xa-a", MONTHLY, monthly(categories=["single_parent_poor"]), "recv.xa-a")
    assert single.get_json()["error"]["fields"] == {"children": "Người đơn thân nghèo phải đang nuôi ít nhất một con."}
    ok = api.receive("xa-a", MONTHLY, monthly(categories=["single_parent_poor"], children=2))
    assert ok["data"]["monthly_amount"] == 1_000_000
    unknown = api.create("xa-a", MONTHLY, monthly(categories=["rich"]), "recv.xa-a")
    assert unknown.get_json()["error"]["fields"] == {"categories": "Lựa chọn không hợp lệ."}
    empty = api.create("xa-a", MONTHLY, monthly(categories=[], birth_date="không rõ"), "recv.xa-a")
    assert empty.get_json()["error"]["fields"] == {"categories": "Trường này là bắt buộc.",
                                                   "birth_date": "Nhập ngày theo dạng ngày/tháng/năm, ví dụ "
                                                                 "05/11/2026."}


def test_the_review_posting_is_judged_at_the_moment_of_the_action(app, deployment):
    """Submitting for approval is judged on the day of the action itself, not on today's date."""
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
        data = monthly(disability_certificate_date="2020-03-15")
        code = services.create_dossier(get_unit_or_none("xa-a"), MONTHLY, "counter", dict(APPLICANT), data,
                                       user("recv.xa-a"), now=datetime(2026, 3, 2, 9, 0, tzinfo=VN)).dossier.code
        act("recv.xa-a", "assign", datetime(2026, 3, 2, 10, 0, tzinfo=VN), assignee="spec.xa-a")
        act("spec.xa-a", "record_step", datetime(2026, 3, 3, 9, 0, tzinfo=VN), step="posting_started")
        last_day = date(2026, 3, 5)  # posted Tuesday 3 March (not counted): Wednesday 4 and Thursday 5
        with pytest.raises(services.ServiceError) as refused:
            act("spec.xa-a", "submit_for_approval", datetime(2026, 3, 5, 16, 0, tzinfo=VN))
        assert refused.value.code == "welfare_posting_not_finished"
        assert last_day.strftime("%d/%m/%Y") in refused.value.message
        submitted = act("spec.xa-a", "submit_for_approval", datetime(2026, 3, 6, 8, 0, tzinfo=VN))
        assert submitted.step == "pending_approval"
        db.session.remove()


def test_monthly_allowance_review_posting_then_decision(app, api, client, factory):
    body = api.receive("xa-a", MONTHLY, monthly(disability_certificate_date="2020-03-15"))
    code = body["code"]
    api.ok(api.act(code, "assign", "recv.xa-a", assignee="spec.xa-a"))
    unposted = api.act(code, "submit_for_approval", "spec.xa-a")
    assert unposted.status_code == 409 and unposted.get_json()["error"]["code"] == "welfare_posting_not_started"
    still, ended = posting_boundary(app, "xa-a")
    data = record_posting(app, code, "xa-a", still)
    assert data["posting_started_on"] == still.isoformat() and data["posting_ends_on"] >= today().isoformat()
    vetoed = api.act(code, "submit_for_approval", "spec.xa-a")
    assert vetoed.status_code == 409 and vetoed.get_json()["error"]["code"] == "welfare_posting_not_finished"
    assert "Đang niêm yết kết quả xét duyệt" in panel(app, code)
    listing = render_document(app, code, "social_welfare.posting_list", pdf=True)
    assert "Hoàng Văn Tư" in listing and "750.000 đồng/tháng" in listing and "Người khuyết tật nặng" in listing
    record_posting(app, code, "xa-a", ended)
    assert "Đã hết thời gian niêm yết" in panel(app, code)
    api.ok(api.act(code, "submit_for_approval", "spec.xa-a"))
    done = api.ok(api.act(code, "approve", "lead.xa-a"))
    assert done["status"] == "result_ready"
    assert done["data"]["decided_on"] == today().isoformat()
    assert done["data"]["payment_from"] == "2020-03-01"  # disability: from the month of the certificate
    decision = render_document(app, code, "social_welfare.decision", pdf=True)
    assert "QUYẾT ĐỊNH" in decision and "Về việc trợ cấp xã hội hằng tháng" in decision
    assert "750.000 đồng/tháng" in decision and "03/2020" in decision
    assert print_document(client, factory, "xa-a", code, "social_welfare.decision").status_code == 200


def test_hiv_categories_are_not_posted(app, api):
    body = api.receive("xa-a", MONTHLY, monthly(categories=["hiv_poor_adult"]))
    api.ok(api.act(body["code"], "assign", "recv.xa-a", assignee="spec.xa-a"))
    listing = render_document(app, body["code"], "social_welfare.posting_list")
    assert "không công khai" in listing and "HIV" not in listing.split("plugin-body")[1]


def test_monthly_allowance_submitted_online(api):
    body = api.ok(api.create("xa-b", MONTHLY, monthly(), None, channel="online"), 201)
    assert body["status"] == "submitted"
    received = api.ok(api.act(body["code"], "receive", "recv.xa-b"))
    assert received["data"]["monthly_amount"] == 750_000


@pytest.mark.parametrize(("extra_days", "accepted"), [(0, True), (1, False)])
def test_social_pension_from_exactly_75(api, extra_days, accepted):
    response = api.create("xa-a", PENSION, pension(birth_date=years_ago(75, extra_days=extra_days)), "recv.xa-a")
    if accepted:
        assert response.status_code == 201 and response.get_json()["data"]["age"] == 75
    else:
        assert response.get_json()["error"]["fields"] == {
            "birth_date": "Chưa đủ 75 tuổi để hưởng trợ cấp hưu trí xã hội (từ đủ 70 tuổi nếu thuộc hộ nghèo, hộ cận "
                          "nghèo)."}


@pytest.mark.parametrize(("years", "extra_days", "poor", "accepted"), [
    (72, 0, True, True),  # LAW-16: aged 72 in a poor or near-poor household
    (70, 0, True, True),  # the 70th birthday
    (70, 1, True, False),  # one day short of 70
    (72, 0, False, False),  # aged 72 outside a poor household
    (74, 0, "true", True),  # a JSON string "true" is a true checkbox too
])
def test_social_pension_from_70_in_poor_or_near_poor_households(api, years, extra_days, poor, accepted):
    response = api.create("xa-a", PENSION, pension(birth_date=years_ago(years, extra_days=extra_days),
                                                   poor_household=poor), "recv.xa-a")
    if accepted:
        body = api.ok(response, 201)
        assert body["data"]["poor_household"] is True and body["data"]["monthly_amount"] == 500_000
    else:
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"]["birth_date"].startswith(
            "Người thuộc hộ nghèo" if poor else "Chưa đủ 75 tuổi")


def test_social_pension_amount_is_shown_and_decided(app, api):
    body = api.receive("xa-a", PENSION, pension(birth_date=years_ago(71), poor_household=True))
    assert body["data"]["monthly_amount"] == 500_000 and body["fee"] == 0
    shown = panel(app, body["code"])
    assert "500.000 đồng/tháng" in shown and "hộ cận nghèo" in shown
    api.to_result(body["code"], "xa-a")
    decision = render_document(app, body["code"], "social_welfare.decision", pdf=True)
    assert "500.000 đồng/tháng" in decision and "thuộc hộ nghèo, hộ cận nghèo" in decision


def test_social_pension_catalogue_entry(api):
    entry = next(p for p in api.client.get("/api/v1/units/xa-a/procedures").get_json()["procedures"]
                 if p["key"] == PENSION)
    assert entry["processing_time"]["value"] == 10 and "176/2025" in entry["legal_basis"]


def test_social_pension_refused_with_a_pension_and_decided_otherwise(app, api):
    refused = api.create("xa-a", PENSION, pension(has_pension=True), "recv.xa-a")
    assert list(refused.get_json()["error"]["fields"]) == ["has_pension"]
    body = api.receive("xa-a", PENSION, pension())
    done = api.to_result(body["code"], "xa-a")  # no posting step for the social pension
    assert done["data"]["payment_from"] == today().replace(day=1).isoformat()
    decision = render_document(app, body["code"], "social_welfare.decision", pdf=True)
    assert "Về việc hưởng trợ cấp hưu trí xã hội" in decision and "Ngô Thị Năm" in decision
    assert "500.000 đồng/tháng (tuổi tròn: 76)" in panel(app, body["code"])


def test_funeral_support_is_twenty_times_the_base_rate(app, api, factory):
    body = api.receive("xa-a", FUNERAL, funeral())
    assert body["data"]["support_amount"] == 10_000_000 and body["fee"] == 0
    assert "10.000.000 đồng" in panel(app, body["code"])
    factory.set_plugin("xa-b", "social_welfare", True, settings={"base_rate": 600_000})
    assert api.receive("xa-b", FUNERAL, funeral())["data"]["support_amount"] == 12_000_000
    api.to_result(body["code"], "xa-a")
    decision = render_document(app, body["code"], "social_welfare.decision", pdf=True)
    assert "Về việc hỗ trợ chi phí mai táng" in decision and "10.000.000 đồng" in decision
    assert "Nguyễn Văn An" in decision  # the applicant organised the funeral


def test_funeral_support_eligibility(api):
    refused = api.create("xa-a", FUNERAL, funeral(deceased_received_monthly_allowance=False), "recv.xa-a")
    assert refused.get_json()["error"]["fields"] == {
        "deceased_received_monthly_allowance": "Người đã mất không thuộc diện được hỗ trợ chi phí mai táng (không "
                                               "hưởng trợ cấp xã hội hằng tháng, trợ cấp hưu trí xã hội hoặc trường "
                                               "hợp khác)."}
    other = api.receive("xa-a", FUNERAL, funeral(deceased_received_monthly_allowance=False,
                                                 other_eligibility="elderly_80_monthly_allowance"))
    assert other["status"] == "received"
    future = api.create("xa-a", FUNERAL, funeral(death_date=days_ago(-1)), "recv.xa-a")
    assert future.get_json()["error"]["fields"] == {"death_date": "Ngày chết không được sau ngày nộp hồ sơ."}


def test_dashboard_counts_dossiers_in_posting(app, api):
    from core.plugins import hooks_for
    from core.tenancy.services import get_unit_or_none

    codes = [api.receive("xa-a", MONTHLY, monthly())["code"] for _ in range(2)]
    still, ended = posting_boundary(app, "xa-a")
    for code, start in zip(codes, (still, ended), strict=True):
        api.ok(api.act(code, "assign", "recv.xa-a", assignee="spec.xa-a"))
        record_posting(app, code, "xa-a", start)
    with app.test_request_context():
        unit = get_unit_or_none("xa-a")
        widgets = {w.title: w.value for group in hooks_for(unit).dashboard_widgets(unit=unit, user=None)
                   for w in group}
    assert widgets["Bảo trợ xã hội: đang niêm yết kết quả xét duyệt"] == "1"


def test_funeral_support_for_a_social_pension_recipient(app, api, factory):
    """LAW-17: the deceased received the social pension (Decree 176/2025): 10,000,000 đ, whatever the base rate."""
    factory.set_plugin("xa-b", "social_welfare", True, settings={"base_rate": 600_000})
    body = api.receive("xa-b", FUNERAL, funeral(deceased_received_monthly_allowance=False,
                                                deceased_received_social_pension=True))
    assert body["status"] == "received" and body["data"]["support_amount"] == 10_000_000
    assert "người đang hưởng trợ cấp hưu trí xã hội" in panel(app, body["code"])
    api.to_result(body["code"], "xa-b")
    decision = render_document(app, body["code"], "social_welfare.decision", pdf=True)
    assert "10.000.000 đồng" in decision and "176/2025" in decision
    both = api.receive("xa-b", FUNERAL, funeral(deceased_received_social_pension=True))
    assert both["data"]["support_amount"] == 12_000_000  # one amount only, the higher


def test_monthly_allowance_follows_decree_147(api):
    """LAW-18: the commune chairman decides (Decree 147/2025 art. 5(1)) within 10 working days; the elderly
    categories that the social pension now covers warn the officer."""
    entry = next(p for p in api.client.get("/api/v1/units/xa-a/procedures").get_json()["procedures"]
                 if p["key"] == MONTHLY)
    assert entry["processing_time"]["value"] == 10 and "147/2025" in entry["legal_basis"]
    body = api.ok(api.create("xa-a", MONTHLY, monthly(birth_date=years_ago(82), categories=["elderly_80_no_pension"]),
                             "recv.xa-a"), 201)
    assert "social_pension_overlap" in {w["code"] for w in body["warnings"]}
    plain = api.ok(api.create("xa-a", MONTHLY, monthly(), "recv.xa-a"), 201)
    assert "social_pension_overlap" not in {w["code"] for w in plain["warnings"]}
