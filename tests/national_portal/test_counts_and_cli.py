"""sync_state_counts for the service-quality index, and the simulator as the command ships it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import PERMIT, PERMIT_DATA, SYNC_CONFIG, deliver, set_mode

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.app_config(**SYNC_CONFIG)
def test_sync_state_counts_per_unit_and_period(app, factory, simulator):
    from core.localtime import VN_TZ
    from core.national_portal import sync_state_counts
    from core.tenancy.services import get_unit_or_none

    app.config["NATIONAL_PORTAL_URL"] = simulator.url
    desk = factory.desk("xa-a", plugins=("civil_status", "lifetest"))
    other = factory.desk("xa-b", plugins=("civil_status", "lifetest"))
    synced = desk.receive(PERMIT, PERMIT_DATA)["code"]
    deliver(app)
    set_mode(simulator, "reject")
    failed = desk.receive(PERMIT, PERMIT_DATA)["code"]
    deliver(app)
    set_mode(simulator, "error")
    desk.receive(PERMIT, PERMIT_DATA)
    deliver(app)
    other.receive(PERMIT, PERMIT_DATA)  # another commune: not counted for xa-a
    assert synced != failed
    from core.db_types import utcnow

    today = utcnow().astimezone(VN_TZ).date()
    with app.app_context():
        unit = get_unit_or_none("xa-a")
        assert sync_state_counts(unit, today, today) == {"total": 3, "disabled": 0, "pending": 1, "synced": 1,
                                                         "failed": 1}
        assert sync_state_counts(unit.id, today - timedelta(days=7), today - timedelta(days=1))["total"] == 0
        assert sync_state_counts(unit)["total"] == 3
        app.config["NATIONAL_PORTAL_URL"] = ""  # turning sync off keeps what was queued
        assert sync_state_counts(unit, date(2000, 1, 1), today)["pending"] == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.slow  # starting the application in a new process takes seconds on a loaded machine
def test_flask_national_portal_simulate_serves_and_keeps_its_record(tmp_path):
    port = _free_port()
    record = tmp_path / "portal.sqlite"
    env = {**os.environ, "FLASK_APP": "wsgi:app", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}", "SECRET_KEY": "simulator-test"}
    command = [sys.executable, "-m", "flask", "national-portal", "simulate", "--port", str(port),
               "--record-file", str(record)]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                assert _get(base + "/_simulator/mode") == {"mode": "ok", "delay": 5.0}
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(process.stdout.read().decode() if process.poll() is not None else "simulator did not start")
        request = urllib.request.Request(base + "/_simulator/mode", data=b'{"mode": "sideways"}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=5)
        assert caught.value.code == 400
        caught.value.close()
        assert _get(base + "/_simulator/records") == {"records": [], "count": 0}
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert record.exists()  # the SQLite record is created at start and read back on the next start
