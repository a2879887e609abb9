"""Civil-status procedures end to end through the API: reception, validation, rules, workflow, register, documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.plugins.conftest import VN, days_ago, load, print_document, render_document, today, years_ago

BIRTH = "civil_status.birth_registration"
DEATH = "civil_status.death_registration"
MARRIAGE = "civil_status.marriage_registration"
MARITAL = "civil_status.marital_status_certificate"
COPY = "civil_status.extract_copy"


def birth_data(**changes) -> dict:
    data = {"child_full_name": "Trần Minh Khang", "child_sex": "male", "child_birth_date": days_ago(10),
            "birth_place": "Trạm y tế xã An Bình", "mother_full_name": "Lê Thị Hoa"}
    data.update(changes)
    return data


def death_data(**changes) -> dict:
    data = {"deceased_full_name": "Phạm Văn Bảy", "deceased_birth_date": "1940-02-03", "death_date": days_ago(2),
            "death_place": "Tại nhà, thôn Đông", "declarant_relationship": "child"}
    data.update(changes)
    return data


def marriage_data(**changes) -> dict:
    data = {"female_full_name": "Lê Thị Mai", "female_birth_date": "1998-04-01", "female_id_number": "001198000111",
            "male_full_name": "Nguyễn Văn Nam", "male_birth_date": "1996-09-12", "male_id_number": "001096000222"}
    data.update(changes)
    return data


def marital_data(**changes) -> dict:
    data = {"person_full_name": "Đỗ Văn Hùng", "person_birth_date": "1995-06-15",
            "purpose": "Để đăng ký kết hôn với bà Lê Thị Thu"}
    data.update(changes)
    return data


# --- catalogue -----------------------------------------------------------------------------------------------------


def test_catalogue_lists_the_five_procedures_with_their_legal_facts(api, client):
    body = api.ok(client.get("/api/v1/units/xa-a/procedures"))
    procedures = {p["key"]: p for p in body["procedures"] if p["plugin"] == "civil_status"}
    assert {k: p["national_code"] for k, p in procedures.items()} == {
        BIRTH: "1.001193", DEATH: "1.000656", MARRIAGE: "1.000894", MARITAL: "1.004873", COPY: "2.000635"}
    for key in (BIRTH, DEATH, MARRIAGE, COPY):
        assert procedures[key]["processing_time"] == {"value": 0, "unit": "same_day", "cutoff": "15:00"}
    assert procedures[MARITAL]["processing_time"] == {"value": 3, "unit": "working_days", "cutoff": None}
    names = {key: {f["name"]: f for f in p["fields"]} for key, p in procedures.items()}
    contract = {
        BIRTH: ["child_full_name", "child_sex", "child_birth_date", "birth_place", "mother_full_name",
                "father_full_name"],
        DEATH: ["deceased_full_name", "deceased_birth_date", "death_date", "death_place", "cause",
                "declarant_relationship", "residence_unit"],
        MARRIAGE: ["female_full_name", "female_birth_date", "female_id_number", "male_full_name", "male_birth_date",
                   "male_id_number", "female_residence", "male_residence", "female_previous_status",
                   "male_previous_status"],
        MARITAL: ["person_full_name", "person_birth_date", "purpose"],
        COPY: ["copies"],
    }
    for key, fields in contract.items():
        assert set(fields) <= set(names[key]), key
    assert names[BIRTH]["child_sex"]["choices"] == [{"value": "male", "label": "Nam"},
                                                    {"value": "female", "label": "Nữ"}]
    assert names[BIRTH]["father_full_name"]["required"] is False
    assert names[DEATH]["cause"]["required"] is False
    assert names[BIRTH]["child_birth_date"]["type"] == "date"
    assert procedures[MARRIAGE]["fee"] == "Miễn lệ phí"
    assert any("Giấy chứng sinh" in d["name"] for d in procedures[BIRTH]["required_documents"])


def test_processing_time_same_day_with_the_15h_cutoff(app, api):
    from core.dossiers.services import preview_due_at
    from core.plugins import get_procedure
    from core.tenancy.services import get_unit_or_none

    monday = date(2026, 3, 9)
    with app.test_request_context():
        unit = get_unit_or_none("xa-a")
        birth, marital = get_procedure(BIRTH), get_procedure(MARITAL)
        morning = preview_due_at(unit, birth, datetime(2026, 3, 9, 9, 0, tzinfo=VN)).astimezone(VN)
        late = preview_due_at(unit, birth, datetime(2026, 3, 9, 15, 30, tzinfo=VN)).astimezone(VN)
        three = preview_due_at(unit, marital, datetime(2026, 3, 9, 9, 0, tzinfo=VN)).astimezone(VN)
    assert morning.date() == monday
    assert late.date() == monday + timedelta(days=1)
    assert three.date() == monday + timedelta(days=3)


# --- birth -----------------------------------------------------------------------------------------------------------


def test_birth_received_at_the_counter_walks_to_result_and_prints_the_extract(app, api, client, factory):
    created = api.receive("xa-a", BIRTH, birth_data(father_full_name="Trần Văn Long"))
    assert created["status"] == "received" and created["fee"] == 0 and created["warnings"] == []
    assert created["data"]["child_birth_date"] == days_ago(10)
    assert created["data"]["child_nationality"] == "Việt Nam"  # an optional field's default
    done = api.to_result(created["code"], "xa-a")
    assert done["status"] == "result_ready"
    year = datetime.now(VN).year
    assert done["data"]["register_number"] == 1
    assert done["data"]["register_book"] == f"KS/{year}"
    assert done["data"]["registered_on"] == today().isoformat()
    assert done["data"]["child_birth_date_in_words"].startswith("Ngày ")
    returned = api.ok(api.act(created["code"], "return_result", "recv.xa-a", received_by="Lê Thị Hoa"))
    assert returned["status"] == "returned"
    html = render_document(app, created["code"], "civil_status.birth_extract", pdf=True)
    assert "TRÍCH LỤC KHAI SINH" in html.upper()
    assert "Trần Minh Khang" in html and "Trần Văn Long" in html and "Lê Thị Hoa" in html
    assert f"KS/{year}" in html and "UBND XÃ AN BÌNH" in html
    assert done["data"]["child_birth_date_in_words"] in html
    page = print_document(client, factory, "xa-a", created["code"], "civil_status.birth_extract")
    assert page.status_code == 200 and "Trần Minh Khang" in page.get_data(as_text=True)
    pdf = print_document(client, factory, "xa-a", created["code"], "civil_status.birth_extract", pdf=True)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_birth_extract_prints_the_childs_personal_id_number(app, api):
    """LAW-14: ``child_id_number`` (optional, 12 digits) is printed on the Trích lục khai sinh."""
    created = api.receive("xa-a", BIRTH, birth_data(child_id_number=" 001225012345 "))
    assert created["data"]["child_id_number"] == "001225012345"
    api.to_result(created["code"], "xa-a")
    html = render_document(app, created["code"], "civil_status.birth_extract", pdf=True)
    assert "001225012345" in html
    for bad in ("12345", "00122501234a", "0012250123456"):
        response = api.create("xa-a", BIRTH, birth_data(child_id_number=bad), "recv.xa-a")
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {
            "child_id_number": "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."}
    without = api.receive("xa-a", BIRTH, birth_data())
    assert not without["data"].get("child_id_number")


@pytest.mark.parametrize(("procedure", "data", "field"), [
    (BIRTH, {"child_birth_date": days_ago(90)}, "child_birth_date"),
    (DEATH, {"death_date": days_ago(30)}, "death_date"),
])
def test_no_late_fee_warning_when_the_fee_is_waived(api, procedure, data, field):
    """LAW-15: an exempt late registration pays nothing and is not told it will pay a late fee."""
    make = birth_data if procedure == BIRTH else death_data
    paying = api.receive("xa-a", procedure, make(**data))
    assert paying["fee"] == 8000
    assert [w["message"] for w in paying["warnings"]][0].endswith("thu lệ phí đăng ký quá hạn.")
    exempt = api.receive("xa-a", procedure, make(exemption="poor_household", **data))
    assert exempt["fee"] == 0
    messages = [w["message"] for w in exempt["warnings"]]
    assert messages and not any("thu lệ phí" in m for m in messages)
    assert messages[0].endswith("được miễn lệ phí.")


def test_birth_submitted_online_then_received(api):
    response = api.create("xa-a", BIRTH, birth_data(), as_user=None, channel="online")
    body = api.ok(response, 201)
    assert body["status"] == "submitted" and "data" not in body  # the citizen does not see the officers' view
    received = api.ok(api.act(body["code"], "receive", "recv.xa-a"))
    assert received["status"] == "received"
    assert api.to_result(body["code"], "xa-a")["data"]["register_number"] == 1


def test_birth_validation_errors_have_per_field_messages(api):
    response = api.create("xa-a", BIRTH, {"child_sex": "other", "child_birth_date": "31/13/2026"}, "recv.xa-a")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    fields = error["fields"]
    assert fields["child_full_name"] == "Trường này là bắt buộc."
    assert fields["birth_place"] == "Trường này là bắt buộc."
    assert fields["mother_full_name"] == "Trường này là bắt buộc."
    assert fields["child_birth_date"] == "Không có ngày 31/13/2026."
    assert fields["child_sex"] == "Lựa chọn không hợp lệ."
    assert "father_full_name" not in fields


def test_birth_date_in_the_future_is_refused(api):
    response = api.create("xa-a", BIRTH, birth_data(child_birth_date=days_ago(-1)), "recv.xa-a")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "rule_violation"
    assert error["fields"] == {"child_birth_date": "Ngày sinh không được sau ngày đăng ký."}


@pytest.mark.parametrize(("days", "fee", "late"), [(0, 0, False), (60, 0, False), (61, 8000, True)])
def test_birth_day_60_is_on_time_and_day_61_is_late(api, days, fee, late):
    body = api.receive("xa-a", BIRTH, birth_data(child_birth_date=days_ago(days)))
    assert body["fee"] == fee
    assert [w["code"] for w in body["warnings"]] == (["late_birth_registration"] if late else [])


def test_late_fee_comes_from_the_unit_setting_and_exemptions_pay_nothing(api, factory):
    factory.set_plugin("xa-b", "civil_status", True, settings={"late_fee": 10000})
    assert api.receive("xa-b", BIRTH, birth_data(child_birth_date=days_ago(90)))["fee"] == 10000
    exempt = api.receive("xa-b", BIRTH, birth_data(child_birth_date=days_ago(90), exemption="poor_household"))
    assert exempt["fee"] == 0
    bad = api.create("xa-b", BIRTH, birth_data(exemption="rich"), "recv.xa-b")
    assert bad.status_code == 422 and "exemption" in bad.get_json()["error"]["fields"]


def test_reception_needs_a_reception_officer(api):
    assert api.create("xa-a", BIRTH, birth_data(), "spec.xa-a").status_code == 403
    assert api.create("xa-a", BIRTH, birth_data(), "recv.xa-b").status_code == 403
    assert api.create("xa-a", BIRTH, birth_data(), None, channel="counter").status_code == 401


# --- death -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "fee", "late"), [(15, 0, False), (16, 8000, True)])
def test_death_day_15_is_on_time_and_day_16_is_late(api, days, fee, late):
    body = api.receive("xa-a", DEATH, death_data(death_date=days_ago(days)))
    assert body["fee"] == fee
    assert [w["code"] for w in body["warnings"]] == (["late_death_registration"] if late else [])


def test_death_dates_are_checked(api):
    future = api.create("xa-a", DEATH, death_data(death_date=days_ago(-1)), "recv.xa-a")
    assert future.status_code == 422
    assert future.get_json()["error"]["fields"] == {"death_date": "Ngày chết không được sau ngày đăng ký."}
    before = api.create("xa-a", DEATH, death_data(deceased_birth_date=days_ago(1), death_date=days_ago(5)),
                        "recv.xa-a")
    assert before.status_code == 422
    assert before.get_json()["error"]["fields"] == {"death_date": "Ngày chết không được trước ngày sinh."}
    missing = api.create("xa-a", DEATH, death_data(declarant_relationship=""), "recv.xa-a")
    assert missing.status_code == 422 and "declarant_relationship" in missing.get_json()["error"]["fields"]


def test_death_filed_elsewhere_goes_to_the_commune_of_last_residence(app, api):
    body = api.receive("xa-a", DEATH, death_data(residence_unit="xa-b"))
    assert body["receiving_unit"] == "xa-a" and body["competent_unit"] == "xa-b"
    # the receiving desk keeps read access; the competent commune processes and registers it in its own book
    assert api.get(body["code"], "recv.xa-a").status_code == 200
    done = api.to_result(body["code"], "xa-b")
    assert done["data"]["register_book"].startswith("KT/") and done["data"]["register_number"] == 1
    html = render_document(app, body["code"], "civil_status.death_extract", pdf=True)
    assert "Phạm Văn Bảy" in html and "UBND XÃ BÌNH MINH" in html
    same = api.receive("xa-a", DEATH, death_data(residence_unit="xa-a"))
    assert same["competent_unit"] == "xa-a"


def test_the_receiving_desk_can_refuse_a_dossier_routed_to_another_commune(api):
    body = api.receive("xa-a", DEATH, death_data(residence_unit="xa-b"))
    assert "refuse" in body["allowed_actions"]
    refused = api.ok(api.act(body["code"], "refuse", "recv.xa-a", reason="Thiếu Giấy báo tử"))
    assert refused["status"] == "refused" and refused["competent_unit"] == "xa-b"
    assert api.act(body["code"], "refuse", "recv.xa-c", reason="x").status_code == 404


def test_death_residence_unit_must_be_a_civil_status_commune(api, factory):
    factory.set_plugin("xa-c", "civil_status", False)
    for slug in ("nowhere", "xa-c", "vpdk"):
        response = api.create("xa-a", DEATH, death_data(residence_unit=slug), "recv.xa-a")
        assert response.status_code == 422, slug
        assert response.get_json()["error"]["fields"]["residence_unit"].startswith("Không có xã, phường")


# --- marriage --------------------------------------------------------------------------------------------------------


def test_marriage_age_boundaries_on_the_registration_date(api):
    ok = api.receive("xa-a", MARRIAGE, marriage_data(male_birth_date=years_ago(20), female_birth_date=years_ago(18)))
    assert ok["status"] == "received" and ok["fee"] == 0
    young_man = api.create("xa-a", MARRIAGE, marriage_data(male_birth_date=years_ago(20, extra_days=1)), "recv.xa-a")
    assert young_man.status_code == 422
    assert young_man.get_json()["error"]["fields"] == {"male_birth_date": "Bên nam chưa đủ 20 tuổi."}
    young_woman = api.create("xa-a", MARRIAGE, marriage_data(female_birth_date=years_ago(18, extra_days=1)),
                             "recv.xa-a")
    assert young_woman.get_json()["error"]["fields"] == {"female_birth_date": "Bên nữ chưa đủ 18 tuổi."}


def test_marriage_parties_must_be_two_people_with_valid_ids(api):
    same = api.create("xa-a", MARRIAGE, marriage_data(male_id_number="001198000111"), "recv.xa-a")
    assert same.get_json()["error"]["fields"] == {"male_id_number": "Số định danh cá nhân của hai bên trùng nhau."}
    bad = api.create("xa-a", MARRIAGE, marriage_data(female_id_number="12345"), "recv.xa-a")
    assert bad.status_code == 422
    assert bad.get_json()["error"]["fields"]["female_id_number"] == "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."


def test_a_party_married_in_the_register_is_refused_until_the_spouse_death_is_registered(app, api):
    first = api.receive("xa-a", MARRIAGE, marriage_data())
    # before approval nothing is in the register yet
    assert api.create("xa-b", MARRIAGE, marriage_data(female_id_number="001199000333"), "recv.xa-b").status_code == 201
    done = api.to_result(first["code"], "xa-a")
    assert done["data"]["register_book"].startswith("KH/")
    html = render_document(app, first["code"], "civil_status.marriage_certificate", pdf=True)
    assert "GIẤY CHỨNG NHẬN KẾT HÔN" in html.upper() and "Lê Thị Mai" in html and "Nguyễn Văn Nam" in html
    again = api.create("xa-b", MARRIAGE, marriage_data(female_full_name="Hồ Thị Lan", female_id_number="001199000444"),
                       "recv.xa-b")
    assert again.status_code == 422
    assert again.get_json()["error"]["fields"] == {"male_id_number": "Bên nam đang có vợ/chồng."}
    death = api.receive("xa-a", DEATH, death_data(deceased_full_name="Lê Thị Mai", deceased_birth_date="1998-04-01",
                                                  deceased_id_number="001198000111"))
    # registered deaths only: a dossier still in progress changes nothing
    still = api.create("xa-b", MARRIAGE, marriage_data(female_id_number="001199000444"), "recv.xa-b")
    assert still.status_code == 422
    api.to_result(death["code"], "xa-a")
    remarriage = marriage_data(female_full_name="Hồ Thị Lan", female_id_number="001199000444",
                               male_previous_status="widowed")
    widower = api.create("xa-b", MARRIAGE, remarriage, "recv.xa-b")
    assert widower.status_code == 201, widower.get_json()


def test_marriage_needing_verification_warns_about_the_5_working_days(api):
    body = api.receive("xa-a", MARRIAGE, marriage_data(needs_verification=True))
    assert [w["code"] for w in body["warnings"]] == ["marriage_verification_needed"]
    assert body["data"]["needs_verification"] is True
    plain = api.receive("xa-a", MARRIAGE, marriage_data(female_id_number="001198000333",
                                                        male_id_number="001096000444"))
    assert plain["warnings"] == []
    # 5 working days end at least 4 calendar days after the same-day limit, whatever today is
    assert datetime.fromisoformat(body["due_at"]) - datetime.fromisoformat(plain["due_at"]) >= timedelta(days=4)


@pytest.mark.parametrize("needs_verification, due", [
    (False, datetime(2026, 3, 3, 17, 0, tzinfo=VN)),   # same day (received before 15:00)
    (True, datetime(2026, 3, 10, 9, 0, tzinfo=VN)),    # Luật Hộ tịch, Điều 18 khoản 2: 5 working days
])
def test_marriage_time_limit_depends_on_verification(app, deployment, needs_verification, due):
    from sqlalchemy import select

    from core.dossiers import services
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User
    from tests.plugins.conftest import APPLICANT

    tuesday_morning = datetime(2026, 3, 3, 9, 0, tzinfo=VN)
    with app.test_request_context():
        officer = db.session.scalar(select(User).where(User.username == "recv.xa-a"))
        dossier = services.create_dossier(get_unit_or_none("xa-a"), MARRIAGE, "counter", dict(APPLICANT),
                                          marriage_data(needs_verification=needs_verification), officer,
                                          now=tuesday_morning).dossier
        assert dossier.due_at.astimezone(VN) == due
        limit = (dossier.time_limit_value, dossier.time_limit_unit)
        assert limit == ((5, "working_days") if needs_verification else (0, "same_day"))
        db.session.remove()


# --- marital status certificate --------------------------------------------------------------------------------------


def test_marital_status_certificate_is_valid_six_months(app, api):
    body = api.receive("xa-a", MARITAL, marital_data(person_id_number="001095000555"))
    assert body["fee"] == 0
    done = api.to_result(body["code"], "xa-a")
    issued = date.fromisoformat(done["data"]["registered_on"])
    valid_until = date.fromisoformat(done["data"]["valid_until"])
    assert (valid_until.year * 12 + valid_until.month) - (issued.year * 12 + issued.month) == 6
    assert done["data"]["register_book"].startswith("XNTTHN/")
    html = render_document(app, body["code"], "civil_status.marital_status_certificate", pdf=True)
    assert "Để đăng ký kết hôn với bà Lê Thị Thu" in html
    assert "Hiện tại chưa đăng ký kết hôn với ai" in html and "06 tháng" in html


def test_marital_status_declared_single_but_married_in_the_register_is_refused(api, factory):
    api.to_result(api.receive("xa-a", MARRIAGE, marriage_data())["code"], "xa-a")
    single = api.create("xa-b", MARITAL, marital_data(person_id_number="001096000222"), "recv.xa-b")
    assert single.status_code == 422
    assert single.get_json()["error"]["fields"] == {
        "marital_status": "Sổ hộ tịch ghi nhận người này đang có vợ/chồng."}
    married = api.create("xa-b", MARITAL, marital_data(person_id_number="001096000222", marital_status="married"),
                         "recv.xa-b")
    assert married.status_code == 201
    factory.set_plugin("xa-b", "civil_status", True, settings={"marital_status_fee": 5000})
    assert api.receive("xa-b", MARITAL, marital_data())["fee"] == 5000
    assert api.receive("xa-b", MARITAL, marital_data(exemption="disability"))["fee"] == 0
    future = api.create("xa-b", MARITAL, marital_data(person_birth_date=days_ago(-3)), "recv.xa-b")
    assert future.get_json()["error"]["fields"] == {"person_birth_date": "Ngày sinh không được sau ngày nộp hồ sơ."}


# --- extract copy ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("copies", "exemption", "fee"), [(1, "", 8000), (3, "", 24000), (3, "meritorious_family", 0)])
def test_extract_copy_fee_is_8000_per_copy(api, copies, exemption, fee):
    assert api.receive("xa-a", COPY, {"copies": copies, "exemption": exemption})["fee"] == fee


@pytest.mark.parametrize(("copies", "message"), [
    (0, "Số bản sao từ 1 đến 50."), (51, "Số bản sao từ 1 đến 50."), ("hai", "Giá trị không phải số nguyên hợp lệ."),
    (None, "Trường này là bắt buộc."),
])
def test_extract_copy_count_is_validated(api, copies, message):
    response = api.create("xa-a", COPY, {"copies": copies}, "recv.xa-a")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["copies"] == message


def test_extract_copy_reproduces_the_register_entry(app, api, factory):
    birth = api.to_result(api.receive("xa-a", BIRTH, birth_data())["code"], "xa-a")
    book, number = birth["data"]["register_book"], birth["data"]["register_number"]
    factory.set_plugin("xa-a", "civil_status", True, settings={"copy_fee": 5000})
    copy = api.receive("xa-a", COPY, {"copies": 2, "extract_type": "birth", "original_unit": "xa-a",
                                      "original_register_book": book, "original_register_number": number})
    assert copy["fee"] == 10000 and copy["warnings"] == []
    done = api.to_result(copy["code"], "xa-a")
    assert done["data"]["source_record"]["child_full_name"] == "Trần Minh Khang"
    assert done["data"]["register_book"].startswith("BSTL/") and done["data"]["register_number"] == 1
    html = render_document(app, copy["code"], "civil_status.extract_copy", pdf=True)
    assert "Trần Minh Khang" in html and "Lê Thị Hoa" in html and "BẢN SAO TRÍCH LỤC KHAI SINH" in html.upper()
    unknown = api.receive("xa-a", COPY, {"copies": 1, "original_unit": "xa-a", "original_register_book": book,
                                         "original_register_number": number + 40})
    assert [w["code"] for w in unknown["warnings"]] == ["register_entry_not_found"]
    plain = api.to_result(api.receive("xa-b", COPY, {"copies": 1})["code"], "xa-b")
    assert "source_record" not in plain["data"]
    assert "Nguyễn Văn An" in render_document(app, plain["code"], "civil_status.extract_copy")


# --- register book numbering -----------------------------------------------------------------------------------------


def test_register_numbers_run_per_unit_per_book_and_per_year(app, api):
    from core.dossiers.services import perform_action
    from core.extensions import db
    from core.users.models import User
    from plugins.civil_status.models import RegisterEntry

    codes = {}
    for key, unit, data in (("a1", "xa-a", birth_data()), ("a2", "xa-a", birth_data()), ("b1", "xa-b", birth_data()),
                            ("d1", "xa-a", death_data()), ("a3", "xa-a", birth_data())):
        body = api.receive(unit, BIRTH if key[0] != "d" else DEATH, data)
        codes[key] = (body["code"], unit)
        api.ok(api.act(body["code"], "assign", f"recv.{unit}", assignee=f"spec.{unit}"))
        api.ok(api.act(body["code"], "submit_for_approval", f"spec.{unit}"))
    year = datetime.now(VN).year
    moments = {"a1": datetime(year, 12, 31, 16, 0, tzinfo=VN), "a2": datetime(year, 12, 31, 16, 30, tzinfo=VN),
               "b1": datetime(year, 12, 31, 16, 45, tzinfo=VN), "d1": datetime(year, 12, 31, 16, 50, tzinfo=VN),
               "a3": datetime(year + 1, 1, 1, 0, 5, tzinfo=VN)}  # 17:05 UTC on 31/12: still next year in Vietnam
    with app.test_request_context():
        for key, (code, unit) in codes.items():
            leader = db.session.scalar(db.select(User).where(User.username == f"lead.{unit}"))
            perform_action(leader, load(app, code), "approve", now=moments[key])
        rows = {e.dossier_id: e for e in db.session.scalars(db.select(RegisterEntry))}
        got = {key: (rows[load(app, code).id].book, rows[load(app, code).id].year, rows[load(app, code).id].number)
               for key, (code, _unit) in codes.items()}
        assert load(app, codes["a3"][0]).data["register_book"] == f"KS/{year + 1}"
    assert got == {"a1": ("birth", year, 1), "a2": ("birth", year, 2), "b1": ("birth", year, 1),
                   "d1": ("death", year, 1), "a3": ("birth", year + 1, 1)}


def test_register_panel_shows_the_entry(app, api):
    from core.plugins import hooks_for

    body = api.receive("xa-a", BIRTH, birth_data())
    with app.test_request_context():
        dossier = load(app, body["code"])
        before = [p for found in hooks_for(dossier.competent_unit).dossier_panels(dossier=dossier, user=None)
                  for p in found]
    assert [p.title for p in before] == ["Sổ hộ tịch"]
    assert "Khi lãnh đạo phê duyệt" in before[0].html
    api.to_result(body["code"], "xa-a")
    with app.test_request_context():
        dossier = load(app, body["code"])
        after = [p for found in hooks_for(dossier.competent_unit).dossier_panels(dossier=dossier, user=None)
                 for p in found if p.title == "Sổ hộ tịch"]
    assert f"số 1, quyển số KS/{datetime.now(VN).year}" in after[0].html
