"""SEC-18: an over-long URL answers 414 with the documented JSON error under /api and the error page elsewhere."""

from __future__ import annotations

from core.request_limits import MAX_URL_BYTES


def test_an_over_long_api_url_answers_json_414(client):
    response = client.get("/api/v1/units?q=" + "a" * MAX_URL_BYTES)
    assert response.status_code == 414
    assert response.get_json() == {"error": {"code": "uri_too_long", "message": "Địa chỉ yêu cầu quá dài.",
                                             "fields": {}}}
    english = client.get("/api/v1/units?q=" + "a" * MAX_URL_BYTES, headers={"Accept-Language": "en"})
    assert english.get_json()["error"]["message"] == "The request address is too long."


def test_a_url_within_the_limit_is_served(client):
    url = "/api/v1/units?q="
    response = client.get(url + "a" * (MAX_URL_BYTES - len(url)))
    assert response.status_code == 200


def test_an_over_long_page_url_answers_the_error_page(client):
    response = client.get("/tra-cuu?code=" + "a" * MAX_URL_BYTES)
    assert response.status_code == 414 and response.mimetype == "text/html"
    assert "Địa chỉ yêu cầu quá dài." in response.get_data(as_text=True)
