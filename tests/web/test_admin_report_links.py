"""DAY-26: the district administrator reaches the dashboard, the report and its downloads from the administration
menu, drills down from the overview table to a unit's dashboard, and finds the way back from the dashboards."""

from __future__ import annotations

import re

from tests.web.helpers import make_dossier
from tests.web.html_checks import assert_good_page


def links(page: str) -> dict[str, str]:
    """{link text: href} of the page's navigation bar."""
    nav = page[page.index('<nav class="subnav"'):]
    nav = nav[:nav.index("</nav>")]
    found = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    return {re.sub(r"\s+", " ", text).strip(): href for href, text in found}


def test_the_district_admin_reaches_dashboard_report_and_exports_and_comes_back(desk, client):
    make_dossier(desk.app)
    desk.factory.login(client, "huyen.admin")
    nav = links(assert_good_page(client.get("/huyen-test/admin")))
    assert nav["Bảng điều khiển"] == "/huyen-test/dashboard"
    assert nav["Báo cáo"] == "/huyen-test/reports"
    assert nav["Xuất báo cáo"] == "/huyen-test/reports#downloads"
    report = assert_good_page(client.get(nav["Báo cáo"]))
    assert 'id="downloads"' in report and "/huyen-test/reports/export.xlsx" in report
    dashboard = assert_good_page(client.get(nav["Bảng điều khiển"]))
    assert links(dashboard)["Quản trị"] == "/huyen-test/admin"  # and back to administration
    assert links(report)["Quản trị"] == "/huyen-test/admin"


def test_the_overview_drills_down_to_each_unit(desk, client):
    make_dossier(desk.app)
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get("/huyen-test/admin"))
    assert '<a href="/xa-a/dashboard">Xã An Bình</a>' in page
    assert '<a href="/xa-b/dashboard">Xã Bình Minh</a>' in page
    unit = assert_good_page(client.get("/xa-a/dashboard"))
    assert "Xã An Bình" in unit


def test_officers_without_administration_see_no_admin_link_on_the_dashboard(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    assert "Quản trị" not in links(assert_good_page(client.get("/xa-a/dashboard")))
    client.post("/logout")
    desk.factory.login(client, "a.admin")  # a commune's administrator: the same entries for the commune
    nav = links(assert_good_page(client.get("/xa-a/admin")))
    assert nav["Bảng điều khiển"] == "/xa-a/dashboard" and nav["Báo cáo"] == "/xa-a/reports"
