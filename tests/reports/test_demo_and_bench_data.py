"""The demo history (made through the services) and the bench generator (bulk inserts) give data the reports can
use: the balance of the standard report holds, districts are the sum of their units, and both are repeatable."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from core.dossiers.clock import VN_TZ


def _counts(app) -> dict:
    from sqlalchemy import func, select

    from core.dossiers.models import Dossier, DossierEvent
    from core.extensions import db

    with app.app_context():
        return {"dossiers": db.session.scalar(select(func.count(Dossier.id))),
                "events": db.session.scalar(select(func.count(DossierEvent.id))),
                "statuses": dict(db.session.execute(select(Dossier.status, func.count())
                                                    .group_by(Dossier.status)).all())}


def test_demo_history_goes_through_the_services_and_runs_once(app, runner, client):
    result = runner.invoke(args=["demo", "seed", "--no-history"])
    assert result.exit_code == 0, result.output
    from core.demo.history import seed_history

    now = datetime(2026, 6, 15, 12, 0, tzinfo=VN_TZ)
    made = seed_history(app, dossiers=80, now=now)
    assert made >= 70
    counts = _counts(app)
    assert counts["dossiers"] == made
    assert counts["events"] >= 3 * made  # receive, assign, … every change has its history row
    assert {"returned", "in_progress"} <= set(counts["statuses"])
    assert seed_history(app, dossiers=80, now=now) == 0  # idempotent
    assert _counts(app)["dossiers"] == made

    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db
    from core.reports.models import FLOW_COLUMNS, ReportCount

    with app.app_context():
        assert max(d.received_at for d in db.session.scalars(select(Dossier))) <= now
        maintained = {(r.grain, r.day, r.unit_id, r.procedure_key): tuple(getattr(r, c) for c in FLOW_COLUMNS)
                      for r in db.session.scalars(select(ReportCount))}
        from core.reports.aggregate import rebuild

        rebuild(db.session)
        db.session.commit()
        rebuilt = {(r.grain, r.day, r.unit_id, r.procedure_key): tuple(getattr(r, c) for c in FLOW_COLUMNS)
                   for r in db.session.scalars(select(ReportCount))}
        assert rebuilt == maintained

    token = client.post("/api/v1/auth/token", json={"username": "tien-du.admin", "password": "motcua-demo"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    body = client.get("/api/v1/reports/summary?unit=tien-du&from=2025-06-01&to=2026-06-15&by=unit",
                      headers=headers).get_json()
    assert body["received"]["total"] == made  # everything was received at the demo communes in the window
    assert body["received"]["total"] == (body["resolved"]["total"] + body["in_progress"]["total"] + body["refused"]
                                         + body["stopped"])
    assert body["resolved"]["total"] > made // 2 and body["on_time_rate"] > 0.8
    assert sum(r["received"]["total"] for r in body["rows"]) == made


def test_bench_seed_writes_a_consistent_province(app, runner, client):
    result = runner.invoke(args=["bench", "seed", "--dossiers", "400", "--units", "12", "--years", "1"])
    assert result.exit_code == 0, result.output
    assert "dossiers=400" in result.output
    counts = _counts(app)
    assert counts["dossiers"] == 400 and counts["events"] > 4 * 400
    assert {"returned", "refused"} <= set(counts["statuses"])
    with app.app_context():
        from sqlalchemy import select

        from core.dossiers.models import Dossier
        from core.extensions import db
        from core.validators import fold

        names = db.session.execute(select(Dossier.applicant_name, Dossier.applicant_name_folded)).all()
        assert all(folded == fold(name) for name, folded in names)  # "nguyen van binh", as the officers' search folds
        # Names repeat as real ones do (bench/names.py), so a name search counts a realistic number of matches.
        surnames = Counter(name.split()[0] for name, _ in names)
        assert 0.25 < surnames["Nguyễn"] / len(names) < 0.55 and len(surnames) >= 8
        assert all(len(name.split()) == 3 for name, _ in names)
    token = client.post("/api/v1/auth/token", json={"username": "bench.tinh", "password": "bench-pass"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    today = datetime.now(VN_TZ).date()
    query = f"from={today.replace(year=today.year - 2).isoformat()}&to={today.isoformat()}"
    province = client.get(f"/api/v1/reports/summary?unit=bench-tinh&{query}&by=unit", headers=headers).get_json()
    assert province["received"]["total"] == 400
    assert province["received"]["total"] == (province["resolved"]["total"] + province["in_progress"]["total"]
                                             + province["refused"] + province["stopped"])
    assert [r["key"] for r in province["rows"]] == ["bench-huyen-01", "bench-huyen-02"]
    district = client.get(f"/api/v1/reports/summary?unit=bench-huyen-01&{query}&by=unit",
                          headers=headers).get_json()
    assert district["resolved"] == province["rows"][0]["resolved"]
    assert len(district["rows"]) == 11  # ten communes and the land office
    assert sum(r["resolved"]["total"] for r in district["rows"]) == district["resolved"]["total"]
    again = runner.invoke(args=["bench", "seed", "--dossiers", "10", "--units", "12", "--years", "1"])
    assert again.exit_code == 0, again.output  # adds to the same units
    assert _counts(app)["dossiers"] == 410


def test_demo_land_dossiers_are_handled_by_the_land_office(app, runner):
    assert runner.invoke(args=["demo", "seed", "--no-history"]).exit_code == 0
    from sqlalchemy import select

    from core.demo.history import seed_history
    from core.dossiers.models import Dossier
    from core.extensions import db
    from core.tenancy.models import Unit

    assert seed_history(app, dossiers=120, now=datetime(2026, 6, 15, 12, 0, tzinfo=VN_TZ), seed=3) > 100
    with app.app_context():
        office = db.session.scalar(select(Unit).where(Unit.slug == "vpdkdd-tien-du"))
        land = db.session.scalars(select(Dossier).where(Dossier.procedure_key == "land.change_registration")).all()
        assert land and all(d.competent_unit_id == office.id for d in land if d.status != "refused")
        old = [d for d in land if d.received_at < datetime(2026, 5, 1, tzinfo=VN_TZ) and d.status != "refused"]
        assert old and sum(d.status in ("returned", "result_ready", "stopped") for d in old) >= len(old) - 1
