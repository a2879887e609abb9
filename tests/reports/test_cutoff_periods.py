"""LAW-32: report presets with the data cut-off of Decree 09/2019/NĐ-CP (Art. 12): the 15th to the 14th."""

from __future__ import annotations

from datetime import date

import pytest
from reports_helpers import PLUGINS, vn

from core.reports.periods import PeriodError, preset

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


@pytest.mark.parametrize("kind, year, n, start, end", [
    ("month15", 2026, 3, date(2026, 2, 15), date(2026, 3, 14)),
    ("month15", 2026, 1, date(2025, 12, 15), date(2026, 1, 14)),   # across the new year
    ("quarter15", 2026, 1, date(2025, 12, 15), date(2026, 3, 14)),
    ("quarter15", 2026, 4, date(2026, 9, 15), date(2026, 12, 14)),
    ("year15", 2026, 1, date(2025, 12, 15), date(2026, 12, 14)),
])
def test_cutoff_presets(kind, year, n, start, end):
    period = preset(kind, year, n)
    assert (period.start, period.end) == (start, end)


def test_a_wrong_month_or_quarter_is_refused():
    with pytest.raises(PeriodError):
        preset("month15", 2026, 13)
    with pytest.raises(PeriodError):
        preset("quarter15", 2026, 5)


def test_the_report_page_offers_and_applies_the_preset(world):
    world.receive(vn(2026, 2, 16, 9))    # inside 15/02 – 14/03
    world.receive(vn(2026, 3, 13, 9))    # inside
    world.receive(vn(2026, 3, 16, 9))    # after the 14th: next period
    world.receive(vn(2026, 2, 13, 9))    # before the 15th: carried over into the period
    world.factory.login(world.client, "admin.huyen")
    page = world.client.get("/huyen/reports?period=month15&year=2026&n=3").get_data(as_text=True)
    assert 'value="month15" selected' in page
    assert "Tháng, chốt số liệu từ ngày 15 tháng trước đến ngày 14" in page
    assert "15/02/2026 – 14/03/2026" in page
    xlsx = world.client.get("/huyen/reports/export.csv?period=month15&year=2026&n=3")
    assert xlsx.status_code == 200
    body = world.figures("huyen", "2026-02-15", "2026-03-14")
    assert (body["received"]["counter"], body["received"]["carried_over"]) == (2, 1)
    bad = world.client.get("/huyen/reports?period=month15&year=2026&n=13").get_data(as_text=True)
    assert "Tháng phải từ 1 đến 12." in bad
