"""SEC-15: POST /api/v1/units/<slug>/dossiers and POST /api/v1/dossiers/<code>/actions honour an Idempotency-Key:
a retry answers like the first request and writes nothing; another body with the same key answers 422."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from lifecycle_helpers import APPLICANT, PERMIT, PERMIT_DATA, PLUGINS, counts, events

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

BODY = {"procedure": PERMIT, "channel": "counter", "applicant": APPLICANT, "data": PERMIT_DATA}
ONLINE = {**BODY, "channel": "online"}


def _post(world, path, body, key=None, username="tn.a", client=None):
    headers = dict(world.h(username)) if username else {}
    if key is not None:
        headers["Idempotency-Key"] = key
    return (client or world.client).post(path, json=body, headers=headers)


def test_the_same_key_twice_creates_one_dossier_and_answers_the_same(world):
    first = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="3f1c2a9e-0001")
    assert first.status_code == 201, first.get_json()
    before = counts(world.app)

    again = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="3f1c2a9e-0001")
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert counts(world.app) == before
    assert before["dossiers"] == 1

    # The same JSON spaced and ordered differently is the same request.
    headers = {**world.h("tn.a"), "Idempotency-Key": "3f1c2a9e-0001", "Content-Type": "application/json"}
    import json
    respaced = world.client.post("/api/v1/units/xa-a/dossiers", headers=headers,
                                 data=json.dumps(dict(reversed(list(BODY.items()))), indent=2))
    assert respaced.status_code == 201 and respaced.get_json() == first.get_json()
    assert counts(world.app) == before


def test_the_same_key_with_another_body_answers_422_and_writes_nothing(world):
    assert _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="k-1").status_code == 201
    before = counts(world.app)
    other = _post(world, "/api/v1/units/xa-a/dossiers", {**BODY, "data": {**PERMIT_DATA, "area": 41}}, key="k-1")
    assert other.status_code == 422
    error = other.get_json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert error["message"] and set(error["fields"]) == {"Idempotency-Key"}
    # Another endpoint with the same key is another request too.
    elsewhere = _post(world, "/api/v1/units/xa-b/dossiers", BODY, key="k-1", username="tn.a")
    assert elsewhere.status_code == 422
    assert counts(world.app) == before


def test_without_a_key_every_request_writes(world):
    codes = {_post(world, "/api/v1/units/xa-a/dossiers", BODY).get_json()["code"] for _ in range(2)}
    assert len(codes) == 2
    assert counts(world.app)["dossiers"] == 2


def test_keys_are_scoped_per_client(world):
    a = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="shared", username="tn.a")
    b = _post(world, "/api/v1/units/xa-b/dossiers", BODY, key="shared", username="tn.b")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.get_json()["code"] != b.get_json()["code"]

    # Anonymous online submissions: scoped by endpoint; a retry replays the citizen's short answer.
    online = _post(world, "/api/v1/units/xa-a/dossiers", ONLINE, key="shared", username=None,
                   client=world.app.test_client())
    assert online.status_code == 201
    retry = _post(world, "/api/v1/units/xa-a/dossiers", ONLINE, key="shared", username=None,
                  client=world.app.test_client())
    assert retry.get_json() == online.get_json()
    assert counts(world.app)["dossiers"] == 3


def test_a_refused_request_keeps_no_key(world):
    refused = _post(world, "/api/v1/units/xa-a/dossiers", {**BODY, "channel": "fax"}, key="k-2")
    assert refused.status_code == 422
    assert counts(world.app)["dossiers"] == 0
    fixed = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="k-2")
    assert fixed.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa-có-dấu", "a b"])
def test_a_malformed_key_answers_422(world, key):
    response = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key=key)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    assert set(response.get_json()["error"]["fields"]) == {"Idempotency-Key"}
    assert counts(world.app)["dossiers"] == 0


def test_actions_are_idempotent(world):
    code = _post(world, "/api/v1/units/xa-a/dossiers", BODY).get_json()["code"]
    path = f"/api/v1/dossiers/{code}/actions"
    first = _post(world, path, {"action": "assign", "assignee": "cv.a", "version": 1}, key="act-1")
    assert first.status_code == 200, first.get_json()
    again = _post(world, path, {"action": "assign", "assignee": "cv.a", "version": 1}, key="act-1")
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert [e[0] for e in events(world, code)] == ["receive", "assign"]

    other = _post(world, path, {"action": "assign", "assignee": "cv.a", "version": 2}, key="act-1")
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert [e[0] for e in events(world, code)] == ["receive", "assign"]


def test_a_commit_whose_answer_was_lost_is_not_written_twice(world, monkeypatch):
    """The worker dies after the commit (here: the answer cannot be built): the retry names the dossier."""
    import core.dossiers.api as api

    real = api.dossier_json
    monkeypatch.setattr(api, "dossier_json", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("killed")))
    lost = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="k-lost")
    assert lost.status_code == 500
    assert counts(world.app)["dossiers"] == 1
    monkeypatch.setattr(api, "dossier_json", real)

    retry = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="k-lost")
    assert retry.status_code == 409
    error = retry.get_json()["error"]
    assert error["code"] == "idempotency_in_progress"
    assert error["dossier"].startswith("TEST.XA-A-")
    assert retry.headers["Retry-After"] == "1"
    assert counts(world.app)["dossiers"] == 1


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, IDEMPOTENCY_KEY_HOURS=0)
def test_an_expired_key_is_free_again(world):
    assert _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="k-old").status_code == 201
    again = _post(world, "/api/v1/units/xa-a/dossiers", BODY, key="k-old")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert counts(world.app)["dossiers"] == 2


def test_concurrent_duplicates_write_one_dossier(world):
    headers = {**world.h("tn.a"), "Idempotency-Key": "k-race"}
    barrier = threading.Barrier(6)

    def work(_i):
        client = world.app.test_client()
        barrier.wait()
        response = client.post("/api/v1/units/xa-a/dossiers", json=BODY, headers=headers)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(work, range(6)))
    assert counts(world.app)["dossiers"] == 1, results
    codes = set()
    for status, body in results:
        assert status in (201, 409), results
        codes.add(body["code"] if status == 201 else body["error"]["dossier"])
    assert len(codes) == 1
    assert sum(status == 201 for status, _body in results) >= 1
