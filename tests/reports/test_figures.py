"""Every figure of the standard report over small known histories made through the services with controlled clocks.

The probe procedure ``reportprobe.permit`` has a 3-working-day limit: received Monday 02/03/2026 09:00 it is due
Thursday 05/03/2026 09:00 (no holiday in between).
"""

from __future__ import annotations

import pytest
from reports_helpers import NOTICE, PERMIT, PLUGINS, flat, vn

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

MON = vn(2026, 3, 2, 9)  # due Thursday 05/03 09:00
SUPPLEMENT = {"missing_documents": ["Bản vẽ"], "reason": "Thiếu bản vẽ"}


def zero() -> dict:
    return {"received.carried_over": 0, "received.online": 0, "received.counter": 0, "received.postal": 0,
            "received.total": 0, "resolved.early": 0, "resolved.on_time": 0, "resolved.late": 0,
            "resolved.total": 0, "in_progress.within_time": 0, "in_progress.overdue": 0, "in_progress.total": 0,
            "refused": 0, "stopped": 0, "awaiting_supplement": 0, "transferred_in": 0, "transferred_out": 0,
            "on_time_rate": None, "online_rate": None}


def expect(**changes) -> dict:
    result = zero()
    for key, value in changes.items():
        result[key.replace("__", ".")] = value
    return result


def test_due_moment_of_the_probe_procedure(world):
    code = world.receive(MON)
    assert world.load(code)["due_at"] == vn(2026, 3, 5, 9)


def test_early_on_time_late_at_the_exact_boundaries(world):
    cases = [vn(2026, 3, 4, 23, 59, 59), vn(2026, 3, 5, 0, 0, 0), vn(2026, 3, 5, 9, 0, 0), vn(2026, 3, 5, 9, 0, 1)]
    codes = [world.receive(MON) for _ in cases]
    results = [world.resolve(code, moment)["completion"] for code, moment in zip(codes, cases, strict=False)]
    assert results == ["early", "on_time", "on_time", "late"]
    body = flat(world.figures("xa-a", "2026-03-01", "2026-03-31"))
    assert body == expect(received__counter=4, received__total=4, resolved__early=1, resolved__on_time=2,
                          resolved__late=1, resolved__total=4, on_time_rate=0.75, online_rate=0.0)


def test_carried_over_and_in_progress_at_the_period_edges(world):
    before = world.receive(vn(2026, 2, 27, 10))  # due Wed 04/03 10:00
    world.resolve(before, vn(2026, 3, 2, 8))  # resolved in March: carried over into March
    done_in_feb = world.receive(vn(2026, 2, 27, 10, 5))
    world.resolve(done_in_feb, vn(2026, 2, 28, 10))
    open_late = world.receive(MON)  # never finished: overdue at the end of March
    last_day = world.receive(vn(2026, 3, 31, 16))  # within time at the end of March
    at_midnight = world.receive(vn(2026, 3, 2, 10))
    world.resolve(at_midnight, vn(2026, 4, 1, 0, 0, 0))  # finished exactly at the end of March: still open then
    world.receive(vn(2026, 4, 1, 0, 0, 0))  # received exactly at the end of March: not in March

    feb = flat(world.figures("xa-a", "2026-02-01", "2026-02-28"))
    assert feb == expect(received__counter=2, received__total=2, resolved__early=1, resolved__total=1,
                         in_progress__within_time=1, in_progress__total=1, on_time_rate=1.0, online_rate=0.0)
    march = flat(world.figures("xa-a", "2026-03-01", "2026-03-31"))
    assert march == expect(received__carried_over=1, received__counter=3, received__total=4, resolved__early=1,
                           resolved__total=1, in_progress__within_time=1, in_progress__overdue=2,
                           in_progress__total=3, on_time_rate=1.0, online_rate=0.0)
    april = flat(world.figures("xa-a", "2026-04-01", "2026-04-30"))
    assert april["received.carried_over"] == 3  # open_late, last_day, at_midnight
    assert april["received.counter"] == 1
    assert april["resolved.late"] == 1  # at_midnight, due 05/03
    assert {open_late, last_day}  # the dossiers exist


def test_the_carried_over_of_a_period_is_the_in_progress_of_the_one_before(world):
    for day in (2, 9, 16, 23, 30):
        world.receive(vn(2026, 3, day, 9))
    code = world.receive(vn(2026, 3, 3, 9))
    world.resolve(code, vn(2026, 4, 2, 9))
    march = world.figures("huyen", "2026-03-01", "2026-03-31")
    april = world.figures("huyen", "2026-04-01", "2026-04-30")
    assert april["received"]["carried_over"] == march["in_progress"]["total"] == 6


def test_pauses_keep_the_clock_stopped_at_the_period_end(world):
    paused = world.receive(MON)
    world.act(paused, "tn.a", "request_supplement", vn(2026, 3, 3, 9), **SUPPLEMENT)
    resumed = world.receive(MON)
    world.act(resumed, "tn.a", "request_supplement", vn(2026, 3, 3, 9), **SUPPLEMENT)
    snap = world.act(resumed, "tn.a", "supplement_received", vn(2026, 3, 4, 9))
    assert snap["due_at"] == vn(2026, 3, 6, 9)  # two working days were left at the pause
    late_pause = world.receive(MON)
    world.act(late_pause, "tn.a", "request_supplement", vn(2026, 3, 6, 9), **SUPPLEMENT)  # after the due moment
    payment = world.receive(MON)
    world.act(payment, "cv.a", "assign", vn(2026, 3, 2, 10), assignee="cv.a")
    world.act(payment, "cv.a", "request_payment", vn(2026, 3, 3, 9), amount=100000)

    early_cut = flat(world.figures("xa-a", "2026-03-01", "2026-03-05"))  # ends 06/03 00:00
    assert early_cut["in_progress.within_time"] == 3  # paused, resumed (due 06/03 09:00), payment
    assert early_cut["in_progress.overdue"] == 1  # late_pause: due 05/03 09:00, running until 06/03 09:00
    assert early_cut["awaiting_supplement"] == 1  # only paused (resumed has its papers back)

    later = flat(world.figures("xa-a", "2026-03-01", "2026-03-10"))
    assert later["in_progress.within_time"] == 2  # paused and payment: clocks still stopped
    assert later["in_progress.overdue"] == 2  # resumed (due 06/03) and late_pause (paused after its due moment)
    assert later["awaiting_supplement"] == 2  # paused and late_pause


def test_a_withdrawal_after_the_period_does_not_change_a_paused_dossier_in_that_period(world):
    code = world.receive(MON)
    world.act(code, "tn.a", "request_supplement", vn(2026, 3, 3, 9), **SUPPLEMENT)
    before = world.figures("xa-a", "2026-03-01", "2026-03-10")
    world.act(code, "tn.a", "withdraw", vn(2026, 3, 20, 9))
    assert world.load(code)["paused_at"] is None
    assert world.figures("xa-a", "2026-03-01", "2026-03-10") == before
    assert flat(before)["in_progress.within_time"] == 1 and flat(before)["awaiting_supplement"] == 1
    march = flat(world.figures("xa-a", "2026-03-01", "2026-03-31"))
    assert march == expect(received__counter=1, received__total=1, stopped=1, online_rate=0.0)


def test_an_apology_does_not_make_a_late_dossier_on_time(world):
    code = world.receive(MON)
    world.act(code, "cv.a", "apologize", vn(2026, 3, 4, 16), reason="Chờ xác minh", new_due_at="2026-03-10T16:00")
    snap = world.load(code)
    assert snap["extended_due_at"] == vn(2026, 3, 10, 16) and snap["due_at"] == vn(2026, 3, 5, 9)
    assert flat(world.figures("xa-a", "2026-03-01", "2026-03-06"))["in_progress.overdue"] == 1
    assert world.resolve(code, vn(2026, 3, 9, 10))["completion"] == "late"
    body = flat(world.figures("xa-a", "2026-03-01", "2026-03-31"))
    assert body["resolved.late"] == 1 and body["on_time_rate"] == 0.0


def test_transfers_are_counted_once(world):
    moved = world.receive(MON)
    world.act(moved, "cv.a", "transfer", vn(2026, 3, 3, 9), to_unit="vp-dat")
    world.resolve(moved, vn(2026, 3, 4, 10), unit="vp-dat")
    later = world.receive(MON)
    world.act(later, "cv.a", "transfer", vn(2026, 3, 12, 9), to_unit="vp-dat")
    away = world.receive(MON)
    world.act(away, "cv.a", "transfer", vn(2026, 3, 3, 9), to_unit="xa-c")  # to a commune of the other district

    commune = flat(world.figures("xa-a", "2026-03-01", "2026-03-10"))
    assert commune["received.counter"] == 3 and commune["resolved.total"] == 0
    assert commune["in_progress.total"] == 1  # later: still at xa-a on 10/03
    office = flat(world.figures("vp-dat", "2026-03-01", "2026-03-10"))
    assert office["received.total"] == 0 and office["resolved.early"] == 1 and office["in_progress.total"] == 0
    assert flat(world.figures("vp-dat", "2026-03-01", "2026-03-31"))["in_progress.total"] == 1  # later, after 12/03
    district = flat(world.figures("huyen", "2026-03-01", "2026-03-10"))
    assert district["received.total"] == 3 and district["resolved.total"] == 1 and district["in_progress.total"] == 1
    other = flat(world.figures("huyen-2", "2026-03-01", "2026-03-10"))
    assert other["received.total"] == 0 and other["in_progress.total"] == 1
    province = flat(world.figures("tinh", "2026-03-01", "2026-03-10"))
    assert province["received.total"] == 3 and province["resolved.total"] == 1 and province["in_progress.total"] == 2

    rows = {r["key"]: flat(r) for r in world.figures("huyen", "2026-03-01", "2026-03-10", by="unit")["rows"]}
    assert rows["xa-a"]["received.total"] == 3 and rows["xa-a"]["resolved.total"] == 0
    assert rows["vp-dat"]["resolved.total"] == 1 and rows["vp-dat"]["received.total"] == 0


def test_channels_refusals_and_stops(world):
    world.receive(MON, channel="online", received=vn(2026, 3, 2, 10))
    world.receive(MON, channel="postal")
    world.receive(vn(2026, 2, 27, 20), channel="online", received=vn(2026, 3, 2, 8))  # submitted Feb, received March
    never = world.create(vn(2026, 3, 3, 9), channel="online")
    world.act(never, "tn.a", "refuse", vn(2026, 3, 3, 10), reason="Sai thủ tục")  # never received: not counted
    refused = world.receive(MON)
    world.act(refused, "tn.a", "refuse", vn(2026, 3, 2, 9, 30), reason="Không đủ điều kiện")
    stopped = world.receive(MON)
    world.act(stopped, "tn.a", "withdraw", vn(2026, 3, 3, 9))
    world.create(vn(2026, 3, 4, 9), channel="online")  # submitted, not yet received

    assert flat(world.figures("xa-a", "2026-02-01", "2026-02-28"))["received.total"] == 0
    body = flat(world.figures("xa-a", "2026-03-01", "2026-03-31"))
    assert body == expect(received__online=2, received__postal=1, received__counter=2, received__total=5,
                          in_progress__overdue=3, in_progress__total=3, refused=1, stopped=1, online_rate=0.4)
    assert body["received.total"] == (body["resolved.total"] + body["in_progress.total"] + body["refused"]
                                      + body["stopped"])


def test_breakdowns_by_field_and_procedure(world):
    world.resolve(world.receive(MON, procedure=PERMIT), vn(2026, 3, 3, 9))
    world.resolve(world.receive(MON, procedure=NOTICE), vn(2026, 3, 4, 9))  # notice: due 03/03 09:00 -> late
    world.receive(MON, unit="xa-b", procedure=NOTICE)
    by_field = world.figures("huyen", "2026-03-01", "2026-03-31", by="field")
    rows = {r["key"]: flat(r) for r in by_field["rows"]}
    assert [r["key"] for r in by_field["rows"]] == ["Văn hóa", "Xây dựng"]
    assert rows["Xây dựng"]["resolved.early"] == 1 and rows["Xây dựng"]["received.total"] == 1
    assert rows["Văn hóa"]["resolved.late"] == 1 and rows["Văn hóa"]["in_progress.overdue"] == 1
    assert rows["Văn hóa"]["received.total"] == 2
    by_procedure = world.figures("huyen", "2026-03-01", "2026-03-31", by="procedure")
    labels = {r["key"]: r["label"] for r in by_procedure["rows"]}
    assert labels == {PERMIT: "Cấp phép xây dựng thử", NOTICE: "Thông báo văn hóa thử"}
    assert flat(by_procedure["rows"][0]) == rows["Xây dựng"] or flat(by_procedure["rows"][1]) == rows["Xây dựng"]
    assert by_field["received"] == by_procedure["received"]
    assert world.figures("huyen", "2026-03-01", "2026-03-31")["rows"] == []


def test_figures_are_reproducible_later(world):
    a = world.receive(MON)
    b = world.receive(vn(2026, 3, 10, 9))
    c = world.receive(vn(2026, 3, 11, 9), channel="online", received=vn(2026, 3, 11, 10))
    world.act(c, "tn.a", "request_supplement", vn(2026, 3, 12, 9), **SUPPLEMENT)
    before = world.figures("huyen", "2026-03-01", "2026-03-15", by="unit")
    # Everything that happens after the period leaves it unchanged.
    world.resolve(a, vn(2026, 3, 20, 9))
    world.act(b, "cv.a", "transfer", vn(2026, 3, 16, 9), to_unit="xa-b")
    world.act(c, "tn.a", "supplement_received", vn(2026, 3, 18, 9))
    world.act(c, "tn.a", "withdraw", vn(2026, 3, 19, 9))
    world.receive(vn(2026, 3, 16, 9))
    assert world.figures("huyen", "2026-03-01", "2026-03-15", by="unit") == before
    assert flat(before)["in_progress.total"] == 3 and flat(before)["awaiting_supplement"] == 1


def test_a_dossier_sent_away_and_back_is_counted_where_it_was_at_the_period_end(world):
    code = world.receive(MON)
    world.act(code, "cv.a", "transfer", vn(2026, 3, 3, 9), to_unit="xa-b")
    world.act(code, "cv.b", "transfer", vn(2026, 3, 12, 9), to_unit="xa-a")
    assert world.load(code)["competent_unit_id"] == world.load(code)["receiving_unit_id"]
    at_b = {r["key"]: r for r in world.figures("huyen", "2026-03-01", "2026-03-10", by="unit")["rows"]}
    assert at_b["xa-b"]["in_progress"]["total"] == 1 and at_b["xa-a"]["in_progress"]["total"] == 0
    assert at_b["xa-a"]["received"]["total"] == 1 and at_b["xa-b"]["received"]["total"] == 0
    back = {r["key"]: r for r in world.figures("huyen", "2026-03-01", "2026-03-31", by="unit")["rows"]}
    assert back["xa-a"]["in_progress"]["total"] == 1 and back["xa-b"]["in_progress"]["total"] == 0
    before = {r["key"]: r for r in world.figures("huyen", "2026-03-01", "2026-03-02", by="unit")["rows"]}
    assert before["xa-a"]["in_progress"]["total"] == 1  # before the first transfer
