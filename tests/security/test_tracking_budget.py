"""SEC-12: every lookup that confirms a code with a phone number shares one budget per client address."""

from __future__ import annotations

import pytest

from tests.web.helpers import make_dossier


@pytest.mark.app_config(TRACK_RATE_LIMIT="6 per minute")
def test_the_six_code_and_phone_lookups_share_one_budget(app, client, desk):
    code = make_dossier(app)
    guesses = [
        lambda phone: client.get(f"/api/v1/track/{code}?phone={phone}"),
        lambda phone: client.post(f"/api/v1/track/{code}/withdrawal", json={"phone": phone, "reason": "x"}),
        lambda phone: client.post(f"/api/v1/track/{code}/rating", json={"phone": phone, "level": "hai_long"}),
        lambda phone: client.get("/tra-cuu", query_string={"code": code, "phone": phone}),
        lambda phone: client.post("/tra-cuu/danh-gia", data={"code": code, "phone": phone, "level": "hai_long"}),
        lambda phone: client.post("/tra-cuu/rut-ho-so", data={"code": code, "phone": phone, "reason": "x"}),
    ]
    answers = [guess(f"09000000{i:02d}").status_code for i, guess in enumerate(guesses)]
    assert 429 not in answers
    for i, guess in enumerate(guesses):  # the budget is spent: every one of the six refuses now
        assert guess(f"09000001{i:02d}").status_code == 429
    assert client.get(f"/api/v1/track/{code}?phone=0912345678",
                      environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200
