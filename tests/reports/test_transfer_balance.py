"""Report rows reconcile with transfers (DAY-31): at every unit, and in every row of every breakdown,

    received (carried over + new) + transferred in = resolved + in progress + refused + stopped + transferred out,

and a district's figures are the sum of its units', column by column. The figures below are worked out by hand from
the story of each dossier (March 2026; the probe permit takes 3 working days)."""

from __future__ import annotations

import re

import pytest
from reports_helpers import NOTICE, PLUGINS, flat, vn

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

MON = vn(2026, 3, 2, 9)
TUE = vn(2026, 3, 3, 9)
MARCH = ("2026-03-01", "2026-03-31")
COLUMNS = ("received.carried_over", "received.online", "received.counter", "received.postal", "received.total",
           "resolved.early", "resolved.on_time", "resolved.late", "resolved.total", "in_progress.within_time",
           "in_progress.overdue", "in_progress.total", "refused", "stopped", "awaiting_supplement", "transferred_in",
           "transferred_out")


def balance(row: dict) -> tuple[int, int]:
    """(what came in, what went out) of a flattened row."""
    return (row["received.total"] + row["transferred_in"],
            row["resolved.total"] + row["in_progress.total"] + row["refused"] + row["stopped"]
            + row["transferred_out"])


@pytest.fixture
def story(world):
    # Received in February at xa-a and sent to the land office before March: the office carries it into March.
    early = world.receive(vn(2026, 2, 20, 9))
    world.act(early, "tn.a", "transfer", vn(2026, 2, 25, 9), to_unit="vp-dat")
    world.resolve(early, vn(2026, 3, 3, 10), unit="vp-dat")
    # xa-a → office, resolved there.
    to_office = world.receive(MON)
    world.act(to_office, "tn.a", "transfer", TUE, to_unit="vp-dat")
    world.resolve(to_office, vn(2026, 3, 4, 10), unit="vp-dat")
    # xa-a → office → back to xa-a, still in progress at the end of March (overdue by then).
    back = world.receive(MON)
    world.act(back, "tn.a", "transfer", TUE, to_unit="vp-dat")
    world.act(back, "tn.o", "transfer", vn(2026, 3, 5, 8), to_unit="xa-a")
    # xa-b → xa-a, withdrawn at xa-a.
    across = world.receive(MON, unit="xa-b")
    world.act(across, "tn.b", "transfer", TUE, to_unit="xa-a")
    world.act(across, "tn.a", "withdraw", vn(2026, 3, 4, 9))
    # xa-a → xa-c, a commune of the other district, in progress there.
    away = world.receive(MON)
    world.act(away, "tn.a", "transfer", TUE, to_unit="xa-c")
    # Filed at xa-a, routed at reception to xa-b, refused.
    routed = world.receive(MON, subject="@xa-b Thửa đất ở xã B")
    world.act(routed, "tn.a", "refuse", vn(2026, 3, 2, 10), reason="Không đủ điều kiện")
    # Filed at xa-b, routed at reception to the office, resolved there.
    routed_office = world.receive(MON, unit="xa-b", subject="@vp-dat")
    world.resolve(routed_office, vn(2026, 3, 4, 11), unit="vp-dat")
    # Nothing moves: a notice received and resolved (late: 1 working day) at xa-a.
    world.resolve(world.receive(MON, procedure=NOTICE), vn(2026, 3, 4, 9))
    assert world.load(routed)["competent_unit_id"] != world.load(routed)["receiving_unit_id"]


def test_every_unit_balances_with_its_transfers(world, story):
    rows = {r["key"]: flat(r) for r in world.figures("huyen", *MARCH, by="unit")["rows"]}
    a, b, office = rows["xa-a"], rows["xa-b"], rows["vp-dat"]
    assert (a["received.carried_over"], a["received.counter"], a["transferred_in"]) == (0, 5, 2)
    assert (a["resolved.total"], a["resolved.late"], a["in_progress.total"], a["stopped"], a["refused"],
            a["transferred_out"]) == (1, 1, 1, 1, 0, 4)
    assert (b["received.counter"], b["transferred_in"], b["refused"], b["transferred_out"]) == (2, 1, 1, 2)
    assert b["resolved.total"] == b["in_progress.total"] == b["stopped"] == 0
    assert (office["received.carried_over"], office["received.counter"], office["transferred_in"]) == (1, 0, 3)
    assert (office["resolved.total"], office["in_progress.total"], office["transferred_out"]) == (3, 0, 1)
    for key, row in rows.items():
        assert balance(row)[0] == balance(row)[1], key
    # A unit reported on its own has the same figures as its row in the district.
    for key in ("xa-a", "xa-b", "vp-dat"):
        assert flat(world.figures(key, *MARCH)) == rows[key], key
    other = flat(world.figures("huyen-2", *MARCH))
    assert (other["transferred_in"], other["in_progress.total"], other["received.total"]) == (1, 1, 0)
    assert balance(other) == (1, 1)


def test_a_district_is_the_sum_of_its_units_and_balances(world, story):
    body = world.figures("huyen", *MARCH, by="unit")
    district = flat(body)
    units = [flat(r) for r in body["rows"]]
    for column in COLUMNS:
        assert district[column] == sum(u[column] for u in units), column
    # Transfers inside the district count out at one unit and in at another; one dossier left for huyen-2.
    assert (district["transferred_in"], district["transferred_out"]) == (6, 7)
    assert balance(district) == (14, 14)
    province = world.figures("tinh", *MARCH, by="unit")
    assert flat(province)["transferred_in"] == flat(province)["transferred_out"] == 7
    assert balance(flat(province)) == (15, 15)
    for column in COLUMNS:
        assert flat(province)[column] == sum(flat(r)[column] for r in province["rows"]), column


@pytest.mark.parametrize("by", ["field", "procedure"])
def test_every_row_of_a_breakdown_balances(world, story, by):
    for unit in ("xa-a", "xa-b", "vp-dat", "huyen"):
        body = world.figures(unit, *MARCH, by=by)
        for row in body["rows"]:
            assert balance(flat(row))[0] == balance(flat(row))[1], (unit, row["key"])
        assert balance(flat(body))[0] == balance(flat(body))[1]
    # The commune's building row: 4 permits filed there, 2 transferred in, 4 sent on (one of them came back).
    rows = {r["key"]: flat(r) for r in world.figures("xa-a", *MARCH, by="field")["rows"]}
    if by == "field":
        assert (rows["Xây dựng"]["received.total"], rows["Xây dựng"]["transferred_out"]) == (4, 4)
        assert rows["Văn hóa"]["resolved.late"] == 1 and rows["Văn hóa"]["transferred_out"] == 0


def test_the_carried_over_of_march_is_the_in_progress_of_february_at_each_unit(world, story):
    february = {r["key"]: flat(r) for r in world.figures("huyen", "2026-02-01", "2026-02-28", by="unit")["rows"]}
    march = {r["key"]: flat(r) for r in world.figures("huyen", *MARCH, by="unit")["rows"]}
    for key in ("xa-a", "xa-b", "vp-dat"):
        assert february[key]["in_progress.total"] == march[key]["received.carried_over"], key
    assert (february["xa-a"]["received.counter"], february["xa-a"]["transferred_out"]) == (1, 1)
    assert (february["vp-dat"]["transferred_in"], february["vp-dat"]["in_progress.total"]) == (1, 1)


def test_the_dashboard_and_the_report_show_the_transfer_columns(world, story):
    world.factory.login(world.client, "ld.a")
    page = world.client.get("/xa-a/dashboard?period=range&from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert "Nhận liên thông" in page and "Chuyển liên thông đi" in page
    row = page[page.index(">Xây dựng<"):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
    # (1) received 4 = (2) carried 0 + (3) online 0 + (4) counter 4 + (5) postal 0; (6) resolved 0; (10) in
    # progress 1; (13) refused 0, (14) stopped 1; (16) transferred in 2; (17) transferred out 4: 4 + 2 = 0 + 1 + 1 + 4
    assert len(cells) == 19
    assert (cells[0], cells[1], cells[3], cells[5], cells[9], cells[12], cells[13]) == ("4", "0", "4", "0", "1", "0",
                                                                                      "1"), cells
    assert (cells[15], cells[16]) == ("2", "4"), cells
    assert "Số liệu tính đến hết ngày 31/03/2026" in page  # dd/mm/yyyy (DAY-32)
    report = world.client.get("/xa-a/reports?period=range&from=2026-03-01&to=2026-03-31&by=field")
    assert "(1) + (16) = (6) + (10) + (13) + (14) + (17)" in report.get_data(as_text=True)
