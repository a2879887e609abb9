"""Throttle headers (docs/api.md "Throttles"): a refused request says its limit and when to retry; an answered one
says nothing, since reading the window's reset time costs the limit storage (Redis) a second round trip (issue 16)."""

from __future__ import annotations

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, create

LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, TRACK_RATE_LIMIT="2 per minute")
def test_only_a_refused_lookup_carries_the_limit_headers(world):
    code = create(world).get_json()["code"]
    answers = [world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]})
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    for answered in answers[:2]:
        assert not any(name in answered.headers for name in (*LIMIT_HEADERS, "Retry-After")), answered.headers
    refused = answers[2]
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert refused.headers["X-RateLimit-Limit"] == "2" and refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["X-RateLimit-Reset"]) > 0 and 0 < int(refused.headers["Retry-After"]) <= 60
