"""Concurrent requests: dossier codes never repeat, and of two officers acting on one version only one wins.
Runs on the test database (a SQLite file, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from lifecycle_helpers import APPLICANT, PERMIT, PERMIT_DATA, PLUGINS, create, events, get, vn
from sqlalchemy import select

from core.dossiers import services
from core.dossiers.models import Dossier, DossierCounter
from core.extensions import db

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

THREADS = 20


def _run_together(count: int, work) -> list:
    """Start ``count`` calls of ``work(i)`` at the same moment; returns results (or exceptions) in order."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        try:
            return work(i)
        except Exception as exc:  # reported to the test, which shows what went wrong
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_creation_through_the_services_gives_unique_consecutive_codes(world):
    moment = vn(2026, 3, 2, 9, 0)

    def work(i):
        with world.app.test_request_context():
            unit = world.unit("xa-a")
            actor = world.user("tn.a")
            data = {**PERMIT_DATA, "subject": f"Hồ sơ {i}"}
            return services.create_dossier(unit, PERMIT, "counter", dict(APPLICANT), data, actor,
                                           now=moment).dossier.code

    codes = _run_together(THREADS, work)
    failures = [c for c in codes if isinstance(c, Exception)]
    assert failures == []
    assert len(set(codes)) == THREADS
    assert sorted(codes) == [f"TEST.XA-A-260302-{n:04d}" for n in range(1, THREADS + 1)]
    with world.app.app_context():
        assert db.session.scalar(select(DossierCounter.last_number)) == THREADS
        assert db.session.query(Dossier).count() == THREADS


def test_concurrent_creation_through_the_api_in_two_units(world):
    headers = {"tn.a": world.h("tn.a"), "tn.b": world.h("tn.b")}

    def work(i):
        unit, username = ("xa-a", "tn.a") if i % 2 else ("xa-b", "tn.b")
        client = world.app.test_client()
        response = client.post(f"/api/v1/units/{unit}/dossiers", headers=headers[username], json={
            "procedure": PERMIT, "channel": "counter", "applicant": APPLICANT, "data": PERMIT_DATA})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["code"]

    codes = _run_together(THREADS, work)
    assert [c for c in codes if isinstance(c, Exception)] == []
    assert len(set(codes)) == THREADS
    for prefix in ("TEST.XA-A-", "TEST.XA-B-"):
        numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes if c.startswith(prefix))
        assert numbers == list(range(1, THREADS // 2 + 1))


def test_online_submissions_at_once_do_not_collide(world):
    def work(i):
        response = world.app.test_client().post("/api/v1/units/xa-a/dossiers", json={
            "procedure": PERMIT, "channel": "online", "applicant": APPLICANT, "data": PERMIT_DATA})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["code"]

    codes = _run_together(10, work)
    assert [c for c in codes if isinstance(c, Exception)] == []
    assert len(set(codes)) == 10


def test_two_officers_acting_on_the_same_version_one_wins(world):
    code = create(world).get_json()["code"]
    headers = world.h("tn.a")

    def work(i):
        response = world.app.test_client().post(f"/api/v1/dossiers/{code}/actions", headers=headers, json={
            "action": "assign", "assignee": "cv.a", "version": 1})
        return response.status_code, response.get_json()

    results = _run_together(6, work)
    statuses = sorted(status for status, _body in results)
    assert statuses == [200] + [409] * 5, results
    for status, body in results:
        if status == 409:
            assert body["error"]["code"] in ("stale_version", "invalid_transition")
    assert [e[0] for e in events(world, code)] == ["receive", "assign"]
    assert get(world, code, "tn.a").get_json()["version"] == 2


def test_two_officers_acting_without_a_version_cannot_both_apply_one_transition(world):
    code = create(world).get_json()["code"]
    act_headers = world.h("tn.a")

    def work(i):
        response = world.app.test_client().post(f"/api/v1/dossiers/{code}/actions", headers=act_headers, json={
            "action": "refuse", "reason": f"Lý do {i}"})
        return response.status_code

    statuses = sorted(_run_together(6, work))
    assert statuses == [200] + [409] * 5
    assert [e[0] for e in events(world, code)] == ["receive", "refuse"]
