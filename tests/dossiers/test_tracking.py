"""Public tracking by code and phone: what the citizen sees, what stays private, and the rate limit per client."""

from __future__ import annotations

import json

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, act, create

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _track(world, code, phone, **kwargs):
    return world.client.get(f"/api/v1/track/{code}", query_string={"phone": phone} if phone is not None else {},
                            **kwargs)


def test_tracking_shows_the_progress_without_private_data(world):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "assign", assignee="cv.a", note="Ghi chú nội bộ của cán bộ")
    act(world, code, "cv.a", "request_supplement", missing_documents=["Bản vẽ"], reason="Thiếu bản vẽ")
    response = _track(world, code, APPLICANT["phone"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["code"] == code
    assert body["procedure"] == {"key": "lifetest.permit", "name": "Cấp phép thử nghiệm"}
    assert body["status"] == "supplement_requested" and body["status_label"] == "Yêu cầu bổ sung hồ sơ"
    assert body["received_at"] and body["due_at"] and body["returned_at"] is None
    assert [s["action"] for s in body["steps"]] == ["receive", "assign", "request_supplement"]
    assert body["steps"][0]["label"] == "Tiếp nhận hồ sơ" and all(s["at"] for s in body["steps"])
    # What to bring and whom to ask, as Mẫu 02 tells the citizen (DAY-21): the requesting officer's name only there.
    assert body["supplement"]["missing_documents"] == ["Bản vẽ"] and body["supplement"]["reason"] == "Thiếu bản vẽ"
    assert body["supplement"]["contact"]["officer"] == "Cv A"
    text = json.dumps({k: v for k, v in body.items() if k != "supplement"}, ensure_ascii=False)
    for secret in (APPLICANT["id_number"], APPLICANT["address"], APPLICANT["email"], APPLICANT["full_name"],
                   "Xin phép sửa nhà", "Ghi chú nội bộ", "Cv A", "Tn A"):
        assert secret not in text, secret
    assert "Tn A" not in json.dumps(body, ensure_ascii=False)
    assert not {"applicant", "data", "id_number", "address", "history"} & set(body)


@pytest.mark.parametrize("phone", ["+84912345678", "0912 345 678", "0912.345.678", "84912345678"])
def test_phone_is_matched_in_its_usual_spellings(world, phone):
    code = create(world).get_json()["code"]
    response = _track(world, code, phone)
    assert response.status_code == 200
    assert response.get_json()["code"] == code and response.get_json()["status"] == "received"


def test_wrong_phone_answers_exactly_like_an_unknown_code(world):
    code = create(world).get_json()["code"]
    unknown = _track(world, "TEST.XA-A-260101-9999", APPLICANT["phone"])
    assert unknown.status_code == 404
    for phone in ("0987654321", "", None, "0912345679", "not a phone"):
        wrong = _track(world, code, phone)
        assert wrong.status_code == 404, phone
        assert wrong.get_json() == unknown.get_json()
        assert wrong.headers.get("Content-Type") == unknown.headers.get("Content-Type")


def test_online_submission_is_trackable_before_reception(world):
    code = create(world, username=None, channel="online").get_json()["code"]
    body = _track(world, code, APPLICANT["phone"]).get_json()
    assert body["status"] == "submitted" and body["received_at"] is None and body["due_at"] is None
    assert [s["action"] for s in body["steps"]] == ["submit"]


def test_apology_shows_the_new_appointment(world):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "apologize", reason="Chờ xác minh", new_due_at="2099-01-05T16:00:00+07:00")
    body = _track(world, code, APPLICANT["phone"]).get_json()
    assert body["extended_due_at"] == "2099-01-05T16:00:00+07:00"
    assert body["steps"][-1]["label"] == "Xin lỗi và hẹn lại ngày trả kết quả"


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, TRACK_RATE_LIMIT="3 per minute")
def test_tracking_is_rate_limited_per_client(world):
    code = create(world).get_json()["code"]
    statuses = [_track(world, code, phone).status_code
                for phone in (APPLICANT["phone"], "0999999999", APPLICANT["phone"])]
    assert statuses == [200, 404, 200]
    limited = _track(world, code, APPLICANT["phone"])
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "too_many_requests"
    # Guessing phones is limited too, and another client is not affected.
    assert _track(world, code, "0911111111").status_code == 429
    other = _track(world, code, APPLICANT["phone"], environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
