"""SEC-11, SEC-17, SEC-18: malformed input answers 4xx with the documented error body, never 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.dossiers.models import Dossier
from core.extensions import db
from tests.web.helpers import APPLICANT, birth_data, make_dossier

BIRTH = "civil_status.birth_registration"


def assert_error_body(response, status: int | tuple = (400, 422)):
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"])
    assert body["error"]["code"] != "server_error"
    return body["error"]


def raw(client, url, text: str, headers=None):
    return client.post(url, data=text.encode("utf-8", "surrogatepass"), content_type="application/json",
                       headers=headers or {})


@pytest.fixture
def world(app, client, factory, desk):
    code = make_dossier(app)
    return {"code": code, "officer": factory.token(client, "a.tiepnhan")}


# --- the nine causes of SEC-11, one by one ------------------------------------------------------------------------


def test_nul_bytes_anywhere(client, world):
    assert_error_body(client.get("/api/v1/track/A%00B?phone=1"), 400)
    assert_error_body(client.post("/api/v1/auth/token", json={"username": "a\x00b", "password": "x"}), 400)
    assert_error_body(client.get("/api/v1/units/xa-a/dossiers?q=a%00b", headers=world["officer"]), 400)
    assert_error_body(client.get("/api/v1/units/xa-a/dossiers?procedure=%00", headers=world["officer"]), 400)
    body = {"procedure": BIRTH, "channel": "counter", "applicant": APPLICANT, "data": birth_data(birth_place="x\x00")}
    error = assert_error_body(client.post("/api/v1/units/xa-a/dossiers", json=body, headers=world["officer"]), 400)
    assert error["code"] == "invalid_text" and "data.birth_place" in error["fields"]
    assert client.post("/login", data={"username": "a\x00", "password": "x"}).status_code == 400
    assert client.get("/tra-cuu?code=A%00&phone=1").status_code == 400


def test_a_multipart_part_with_an_unreadable_name(client, world):
    """Found by the schemathesis run: a CR in a part's name made werkzeug give the field the name None, and the text
    check of every request failed on it (500)."""
    for url, headers in ((f"/api/v1/dossiers/{world['code']}/attachments", world["officer"]), ("/login", {})):
        response = client.post(url, data={"\r": "x", "file": "y"}, content_type="multipart/form-data",
                               headers=headers)
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = assert_error_body(client.post(f"/api/v1/dossiers/{world['code']}/attachments", headers=world["officer"],
                                          data={"\r": "x"}, content_type="multipart/form-data"), 400)
    assert error["code"] == "invalid_text"


def test_a_json_body_to_a_page_form(client, factory, world):
    """Found by the fuzz run: Flask-WTF reads a JSON body as form data, and one that is not an object made every
    page form fail (500). Pages take form posts only; the API keeps its JSON."""
    for body in ('"text"', "12", '{"username": 5, "password": ["x"]}', "[]"):
        response = raw(client, "/login", body)
        assert response.status_code == 415, (body, response.status_code)
        assert "không nhận JSON" in response.get_data(as_text=True)
    factory.login(client, "a.tiepnhan")
    assert raw(client, "/xa-a/tiep-nhan/civil_status.birth_registration", '"text"').status_code == 415
    assert raw(client, "/tra-cuu/danh-gia", "12").status_code == 415
    assert client.post("/api/v1/auth/token", json={"username": "a.tiepnhan", "password": "x"}).status_code == 401


def test_a_huge_number_typed_in_a_form_is_refused_and_shown_as_typed(client, factory, world):
    """Found by the fuzz run: a land area of twenty digits passed parsing, was refused by the range check, and then
    failed to render back into the form (a 500 from the decimal precision)."""
    factory.login(client, "a.tiepnhan")
    response = client.post("/xa-a/tiep-nhan/land.first_registration", data={
        "area": "99999999999999999999", "parcel_number": "1", "map_sheet": "1", "do": "receive"})
    assert response.status_code in (200, 422), response.status_code
    assert 'value="99999999999999999999"' in response.get_data(as_text=True)


def test_lone_surrogates(client, world):
    assert_error_body(raw(client, "/api/v1/auth/token", '{"username":"a\\ud800b","password":"x"}'), 400)
    text = json.dumps({"procedure": BIRTH, "channel": "counter", "applicant": APPLICANT,
                       "data": birth_data()}).replace('"birth_place": "', '"birth_place": "\\udfff')
    assert_error_body(raw(client, "/api/v1/units/xa-a/dossiers", text, world["officer"]), 400)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers(client, world, number):
    text = '{"action": "request_payment", "amount": NUMBER}'.replace("NUMBER", number)
    error = assert_error_body(raw(client, f"/api/v1/dossiers/{world['code']}/actions", text, world["officer"]), 400)
    assert error["code"] == "bad_json"


def test_numbers_too_big_for_the_database(client, factory, world):
    url = f"/api/v1/dossiers/{world['code']}/actions"
    assert client.post(url, json={"action": "assign", "assignee": "a.chuyenvien"},
                       headers=world["officer"]).status_code == 200
    specialist = factory.token(client, "a.chuyenvien")
    error = assert_error_body(client.post(url, json={"action": "request_payment", "amount": 10**13},
                                          headers=specialist), 422)
    assert "amount" in error["fields"]
    error = assert_error_body(client.post(url, json={"action": "request_payment", "amount": 10**30},
                                          headers=specialist), 400)
    assert error["code"] == "bad_json"
    assert client.post(url, json={"action": "request_payment", "amount": 150000},
                       headers=specialist).status_code == 200


def test_land_area_overflow_is_a_field_error(client, world):
    data = {"parcel_number": 125, "map_sheet": 14, "area": "1e999", "parcel_address": "Thôn Đông",
            "land_use_purpose": "ONT", "origin": "x"}
    for area in ("1e999", "NaN", "Infinity", "-1e400"):
        body = {"procedure": "land.first_registration", "channel": "counter", "applicant": APPLICANT,
                "data": dict(data, area=area)}
        error = assert_error_body(client.post("/api/v1/units/xa-a/dossiers", json=body, headers=world["officer"]),
                                  422)
        assert "area" in error["fields"], error


def test_deep_json(client, world):
    deep = "[" * 100000 + "]" * 100000
    assert_error_body(raw(client, "/api/v1/auth/token", deep), 400)
    nested = '{"username": ' + "[" * 200 + "]" * 200 + ', "password": "x"}'
    assert_error_body(raw(client, "/api/v1/auth/token", nested), 400)
    assert_error_body(raw(client, f"/api/v1/dossiers/{world['code']}/actions", deep, world["officer"]), 400)


def test_wrong_json_types(client, world):
    url = f"/api/v1/dossiers/{world['code']}/actions"
    assert_error_body(client.post(url, json={"action": {"x": 1}}, headers=world["officer"]), 422)
    assert_error_body(client.post(url, json={"action": ["receive"]}, headers=world["officer"]), 422)
    assert_error_body(client.post(f"/api/v1/track/{world['code']}/rating",
                                  json={"level": ["hai_long"], "phone": APPLICANT["phone"]}), (404, 409, 422))
    for procedure in (["x"], {"a": 1}, 12):
        response = client.post("/api/v1/units/xa-a/dossiers", headers=world["officer"],
                               json={"procedure": procedure, "channel": "counter", "applicant": APPLICANT, "data": {}})
        assert_error_body(response, (404, 422))


def test_integer_overflow_in_ids_and_pages(client, factory, world):
    assert_error_body(client.get(f"/api/v1/dossiers/{world['code']}/attachments/2147483648",
                                 headers=world["officer"]), 404)
    assert_error_body(client.get("/api/v1/units/xa-a/dossiers?page=1000000000000000000",
                                 headers=world["officer"]), 422)
    factory.login(client, "huyen.admin")
    # 404, or 405 where the same path also has a GET page (werkzeug checks the method before the converter).
    assert client.post("/huyen-test/admin/lich/99999999999999999999/xoa").status_code in (404, 405)
    assert client.get("/huyen-test/admin/lich/99999999999999999999/xoa").status_code == 404
    factory.login(client, "a.tiepnhan")
    assert client.get("/xa-a/?page=1000000000000000000").status_code == 404


def test_unicode_digits(app, client, factory, world):
    factory.login(client, "a.tiepnhan")
    response = client.post(f"/xa-a/dossiers/{world['code']}/actions/assign",
                           data={"version": "²", "assignee": "a.chuyenvien"})
    assert response.status_code < 500
    body = {"procedure": "civil_status.extract_copy", "channel": "counter", "applicant": APPLICANT,
            "data": {"copies": 1, "original_unit": "xa-a", "original_register_book": "KS/²",
                     "original_register_number": 1}}
    response = client.post("/api/v1/units/xa-a/dossiers", json=body, headers=world["officer"])
    assert response.status_code in (201, 422)


def test_extreme_dates(client, factory, world):
    factory.login(client, "a.tiepnhan")
    assert client.get("/xa-a/tracking-book?from=9999-12-01&to=9999-12-31").status_code == 400
    assert client.get("/xa-a/tracking-book.csv?from=9999-12-01&to=9999-12-31").status_code in (400, 422)
    assert_error_body(client.get("/api/v1/units/xa-a/dossiers?from=9999-12-31", headers=world["officer"]), 422)
    assert_error_body(client.get("/api/v1/reports/summary?unit=xa-a&from=0001-01-01&to=9999-12-31",
                                 headers=world["officer"]), (400, 422))


# --- SEC-17: Unicode digits are not a CCCD or a phone number ---------------------------------------------------


def test_unicode_digits_refused_for_id_and_phone(app, client, world):
    for field, value in (("id_number", "٠٠١٢٠٣٠٠٤٠٠٥"), ("phone", "٠٩١٢٣٤٥٦٧٨")):
        body = {"procedure": BIRTH, "channel": "counter", "applicant": dict(APPLICANT, **{field: value}),
                "data": birth_data()}
        error = assert_error_body(client.post("/api/v1/units/xa-a/dossiers", json=body, headers=world["officer"]),
                                  422)
        assert f"applicant.{field}" in error["fields"]
    # Full-width digits are the same digits typed on another keyboard: folded to ASCII, and tracking finds them.
    body = {"procedure": BIRTH, "channel": "counter", "applicant": dict(APPLICANT, phone="0９１２３４５６７８",
                                                                        id_number="００１２０３００４００５"),
            "data": birth_data()}
    response = client.post("/api/v1/units/xa-a/dossiers", json=body, headers=world["officer"])
    assert response.status_code == 201
    code = response.get_json()["code"]
    with app.app_context():
        row = db.session.scalar(select(Dossier).where(Dossier.code == code))
        assert (row.applicant_phone, row.applicant_id_number) == ("0912345678", "001203004005")
    assert client.get(f"/api/v1/track/{code}?phone=0912345678").status_code == 200


# --- a bounded fuzz over the JSON endpoints ---------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=12) | st.sampled_from(
    ["", " ", "\x00", "²", "٣", "1e999", "NaN", "-1", "=1+1", "%", "KS/2026", "9999-12-31", "0912345678"])
_NUMBERS = st.integers(min_value=-(10**30), max_value=10**30) | st.floats(allow_nan=False, allow_infinity=False)
_SCALARS = st.none() | st.booleans() | _NUMBERS | _TEXT
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8)
_ACTIONS = st.sampled_from(["receive", "assign", "request_payment", "request_supplement", "approve", "refuse",
                            "transfer", "submit_for_approval", "apologize"]) | _JSON


def _mutate(base: dict, data):
    body = dict(base)
    for key in data.draw(st.lists(st.sampled_from(sorted(base) + ["extra"]), max_size=3)):
        body[key] = data.draw(_JSON)
    return body


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
def test_no_server_error_for_any_json(client, world, data):
    code, officer = world["code"], world["officer"]
    target = data.draw(st.sampled_from(["create", "create_anon", "action", "rating", "withdrawal", "token",
                                        "revoke", "list", "due", "track"]))
    if target in ("create", "create_anon"):
        base = {"procedure": BIRTH, "channel": "counter" if target == "create" else "online",
                "applicant": dict(APPLICANT), "data": birth_data()}
        body = _mutate(base, data)
        if data.draw(st.booleans()):
            body["applicant"] = _mutate(base["applicant"], data)
        if data.draw(st.booleans()):
            body["data"] = _mutate(base["data"], data)
        response = client.post("/api/v1/units/xa-a/dossiers", json=body,
                               headers=officer if target == "create" else {})
    elif target == "action":
        body = _mutate({"action": data.draw(_ACTIONS), "version": 1, "amount": 1000, "note": "x",
                        "assignee": "a.chuyenvien", "reason": "x", "target_unit": "xa-b"}, data)
        response = client.post(f"/api/v1/dossiers/{code}/actions", json=body, headers=officer)
    elif target in ("rating", "withdrawal"):
        body = _mutate({"phone": APPLICANT["phone"], "level": "hai_long", "comment": "x", "reason": "x"}, data)
        response = client.post(f"/api/v1/track/{code}/{target}", json=body)
    elif target in ("token", "revoke"):
        body = _mutate({"username": "a.tiepnhan", "password": "x", "all": False}, data)
        response = client.post(f"/api/v1/auth/{target}", json=body, headers=officer if target == "revoke" else {})
    else:
        params = {key: data.draw(_TEXT) for key in data.draw(st.lists(st.sampled_from(
            ["page", "q", "status", "procedure", "from", "to", "phone", "received_at"]), max_size=4))}
        url = {"list": "/api/v1/units/xa-a/dossiers", "due": "/api/v1/units/xa-a/due-date",
               "track": f"/api/v1/track/{code}"}[target]
        response = client.get(url, query_string=params, headers=officer)
    assert response.status_code < 500, (target, response.get_data(as_text=True)[:300])
    if response.status_code >= 400:
        assert_error_body(response, response.status_code)
