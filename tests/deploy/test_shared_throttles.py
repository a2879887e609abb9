"""SEC-12, issue 14 item 5: with RATELIMIT_STORAGE_URI=redis://… every throttle counts across processes and nodes.

Two gunicorn nodes (separate processes, as on two machines) share a private redis-server; requests alternate between
them. With the default memory:// each process keeps its own counters, so two nodes allow twice the budget: the
README says so, and the first case shows it.
"""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest

from core.testing import TEST_PASSWORD
from tests.deploy.services import call, gunicorn_node, gunicorn_nodes, node_env, redis_server

BUDGET = 4
LIMITS = {"LOGIN_RATE_LIMIT": f"{BUDGET} per minute", "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
          "TRACK_RATE_LIMIT": f"{BUDGET} per minute", "SUBMIT_RATE_LIMIT": f"{BUDGET} per hour"}


def _statuses(ports, request, times: int) -> list[int]:
    """``request(port)`` ``times`` times, alternating between the nodes."""
    return [request(ports[i % len(ports)]) for i in range(times)]


def _wrong_login(port):
    return call(port, "POST", "/api/v1/auth/token", {"username": " XA-A.TiepNhan", "password": "wrong"})[0]


def _right_login(port):
    return call(port, "POST", "/api/v1/auth/token", {"username": "xa-a.tiepnhan", "password": TEST_PASSWORD})[0]


def _track(port):
    return call(port, "GET", "/api/v1/track/KHONG-CO?phone=0900000000")[0]


def _submit(port):
    return call(port, "POST", "/api/v1/units/xa-a/dossiers", {"procedure": "khong-co"})[0]


@pytest.fixture
def officer(factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_throttles_count_across_two_nodes_with_redis_only(storage, officer, database_url, tmp_path):
    with ExitStack() as stack:
        uri = stack.enter_context(redis_server(tmp_path / "redis")) if storage == "redis" else "memory://"
        env = node_env(database_url, tmp_path, RATELIMIT_STORAGE_URI=uri, **LIMITS)
        ports = stack.enter_context(gunicorn_nodes(env, tmp_path, ("a", "b")))
        # Each process counts for itself with memory://: the nodes together allow the budget once per node.
        allowed = BUDGET if storage == "redis" else BUDGET * len(ports)

        logins = _statuses(ports, _wrong_login, allowed + 2)
        assert logins == [401] * allowed + [429] * 2, logins
        # Locked on every node: the right password too.
        assert [_right_login(port) for port in ports] == [429, 429]

        tracking = _statuses(ports, _track, allowed + 2)
        assert 429 not in tracking[:allowed] and tracking[allowed:] == [429, 429], tracking

        submissions = _statuses(ports, _submit, allowed + 2)
        assert 429 not in submissions[:allowed] and submissions[allowed:] == [429, 429], submissions
        status, _headers, body = call(ports[0], "POST", "/api/v1/units/xa-a/dossiers", {"procedure": "khong-co"})
        assert status == 429 and json.loads(body)["error"]["code"] == "too_many_requests"


def test_a_throttle_in_redis_outlives_a_node_restart_and_survives_a_redis_outage(officer, database_url, tmp_path):
    """The counters are in Redis, not in the process: a restarted (or replacement) node still refuses. While Redis
    is down the nodes keep answering and count in each process meanwhile (never a 500)."""
    with ExitStack() as redis:
        uri = redis.enter_context(redis_server(tmp_path / "redis"))
        env = node_env(database_url, tmp_path, RATELIMIT_STORAGE_URI=uri, **LIMITS)
        with gunicorn_node(env, tmp_path, "first") as port:
            assert _statuses([port], _wrong_login, BUDGET) == [401] * BUDGET
        with gunicorn_node(env, tmp_path, "second") as port:
            assert _right_login(port) == 429
            redis.close()  # Redis stops
            assert _statuses([port], _wrong_login, BUDGET + 1) == [401] * BUDGET + [429]
            assert _statuses([port], _track, BUDGET + 1)[-1] == 429
