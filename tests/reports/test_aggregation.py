"""A district is the sum of its communes, a province the sum of its districts, every breakdown sums to its total,
and the maintained counts equal a recount from the dossiers. Over a seeded random history made through the
services."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from reports_helpers import LETTER, NOTICE, PERMIT, PLUGINS, flat, vn

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

COUNTS = ("received.carried_over", "received.online", "received.counter", "received.postal", "received.total",
          "resolved.early", "resolved.on_time", "resolved.late", "resolved.total", "in_progress.within_time",
          "in_progress.overdue", "in_progress.total", "refused", "stopped", "awaiting_supplement")
PERIODS = (("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31"), ("2026-03-09", "2026-04-14"),
           ("2026-01-01", "2026-06-30"), ("2026-04-15", "2026-04-15"))


def _history(world, seed: int = 7) -> int:
    rng = random.Random(seed)
    made = 0
    for _ in range(36):
        unit = rng.choice(("xa-a", "xa-a", "xa-b", "xa-c", "vp-dat"))
        letter = LETTER[unit]
        channel = rng.choice(("counter", "counter", "online", "postal"))
        procedure = rng.choice((PERMIT, NOTICE))
        day = vn(2026, 2, 2, 8) + timedelta(days=rng.randrange(0, 75), minutes=rng.randrange(0, 540))
        code = world.receive(day, unit, channel, procedure, received=day + timedelta(hours=1))
        now = day + timedelta(hours=2)
        made += 1
        fate = rng.choice(("resolve", "resolve", "resolve", "transfer", "supplement", "withdraw", "refuse", "open"))
        step = lambda: timedelta(hours=rng.randrange(3, 120))  # noqa: E731
        if fate == "refuse":
            world.act(code, f"tn.{letter}", "refuse", now, reason="Không đủ điều kiện")
            continue
        if fate == "withdraw":
            world.act(code, f"tn.{letter}", "withdraw", now + step())
            continue
        if fate == "open":
            continue
        if fate == "supplement":
            now += step()
            world.act(code, f"tn.{letter}", "request_supplement", now, missing_documents=["Giấy tờ"], reason="Thiếu")
            if rng.random() < 0.3:
                continue
            now += step()
            world.act(code, f"tn.{letter}", "supplement_received", now)
        if fate == "transfer":
            target = rng.choice([u for u in ("xa-a", "xa-b", "xa-c", "vp-dat") if u != unit])
            now += step()
            world.act(code, f"cv.{letter}", "transfer", now, to_unit=target)
            unit, letter = target, LETTER[target]
            if rng.random() < 0.3:
                continue
        now += step()
        world.resolve(code, now, unit=unit, assigned=now - timedelta(minutes=5))
    return made


def _sum(rows: list[dict]) -> dict:
    total = {k: 0 for k in COUNTS}
    for row in rows:
        for k in COUNTS:
            total[k] += flat(row)[k]
    return total


def _counts(body: dict) -> dict:
    return {k: flat(body)[k] for k in COUNTS}


def test_units_sum_up_and_breakdowns_add_to_the_totals(world):
    assert _history(world) == 36
    for start, end in PERIODS:
        district = world.figures("huyen", start, end, by="unit")
        assert [r["key"] for r in district["rows"]] == ["xa-a", "xa-b", "vp-dat"]
        assert _sum(district["rows"]) == _counts(district), (start, end)
        for row in district["rows"]:
            assert _counts(row) == _counts(world.figures(row["key"], start, end)), (row["key"], start, end)
        province = world.figures("tinh", start, end, by="unit")
        assert [r["key"] for r in province["rows"]] == ["huyen", "huyen-2"]
        assert _sum(province["rows"]) == _counts(province)
        assert _counts(province["rows"][0]) == _counts(district)
        for by in ("field", "procedure"):
            assert _sum(world.figures("tinh", start, end, by=by)["rows"]) == _counts(province)
        p = flat(province)
        # The province is closed under transfers: everything received ends in exactly one place.
        assert p["received.total"] == p["resolved.total"] + p["in_progress.total"] + p["refused"] + p["stopped"]
        resolved = p["resolved.total"]
        assert p["on_time_rate"] == (round((p["resolved.early"] + p["resolved.on_time"]) / resolved, 4)
                                     if resolved else None)


def test_the_maintained_counts_equal_a_recount(world, app):
    _history(world, seed=11)
    from sqlalchemy import select

    from core.extensions import db
    from core.reports import aggregate
    from core.reports.models import FLOW_COLUMNS, ReportCount

    def snapshot():
        rows = db.session.scalars(select(ReportCount)).all()
        return {(r.grain, r.day, r.unit_id, r.procedure_key): tuple(getattr(r, c) for c in FLOW_COLUMNS)
                for r in rows if any(getattr(r, c) for c in FLOW_COLUMNS)}

    with app.app_context():
        maintained = snapshot()
        assert maintained
        aggregate.rebuild(db.session)
        db.session.commit()
        assert snapshot() == maintained


def test_rebuild_command_recounts(world, runner, app):
    world.resolve(world.receive(vn(2026, 3, 2, 9)), vn(2026, 3, 3, 9))
    from sqlalchemy import delete

    from core.extensions import db
    from core.reports.models import ReportCount

    with app.app_context():
        db.session.execute(delete(ReportCount))
        db.session.commit()
    assert world.figures("xa-a", "2026-03-01", "2026-03-31")["resolved"]["total"] == 0
    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilt: 3 rows" in result.output  # a D row for each of the two days, one M row
    body = world.figures("xa-a", "2026-03-01", "2026-03-31")
    assert body["resolved"]["early"] == 1 and body["received"]["counter"] == 1


def test_counts_follow_only_the_applications_sessions(app):
    """The bucket counter listens on the app's ``db.session`` (CODE-03), not on every SQLAlchemy session of the
    process: a session opened by a script or another library writes no bucket behind its back."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from core.extensions import db
    from core.reports import aggregate

    assert event.contains(db.session, "after_flush", aggregate._count_new_history)
    assert not event.contains(Session, "after_flush", aggregate._count_new_history)
