"""The report API's access rules and input checks, the pages, and the staff, satisfaction and evaluation figures."""

from __future__ import annotations

import pytest
from reports_helpers import PLUGINS, vn

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

MARCH = ("2026-03-01", "2026-03-31")


def _history(world):
    a = world.receive(vn(2026, 3, 2, 9))
    world.resolve(a, vn(2026, 3, 3, 9))
    b = world.receive(vn(2026, 3, 2, 9), unit="xa-b")
    world.resolve(b, vn(2026, 3, 6, 9), unit="xa-b")  # late
    world.receive(vn(2026, 3, 2, 10))  # overdue at the end of March
    return a, b


def test_summary_requires_login(world):
    response = world.client.get("/api/v1/reports/summary?unit=huyen&from=2026-03-01&to=2026-03-31")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("username", "unit", "status"), [
    ("tn.c", "huyen", 403), ("tn.c", "xa-a", 403), ("tn.c", "xa-c", 200), ("admin.huyen", "xa-a", 200),
    ("admin.huyen", "huyen", 200), ("admin.huyen", "huyen-2", 403), ("admin.huyen", "tinh", 403),
    ("kt.tinh", "xa-c", 200), ("cv.o", "vp-dat", 200), ("cv.o", "huyen", 403),
])
def test_summary_needs_a_role_over_the_unit(world, username, unit, status):
    response = world.summary(unit, *MARCH, username=username)
    assert response.status_code == status, response.get_json()
    if status == 403:
        assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("query", "status", "field"), [
    ("unit=huyen&from=2026-03-01", 422, "to"),
    ("unit=huyen&from=2026-13-01&to=2026-03-31", 422, "from"),
    ("unit=huyen&from=2026-03-31&to=2026-03-01", 422, "from"),
    ("unit=huyen&from=01/03/2026&to=2026-03-31", 422, "from"),
    ("unit=huyen&from=2020-01-01&to=2026-03-31", 422, "to"),
    ("from=2026-03-01&to=2026-03-31", 422, "unit"),
    ("unit=huyen&from=2026-03-01&to=2026-03-31&by=commune", 422, "by"),
    ("unit=khong-co&from=2026-03-01&to=2026-03-31", 404, None),
])
def test_summary_rejects_bad_input(world, query, status, field):
    response = world.client.get(f"/api/v1/reports/summary?{query}", headers=world.h("kt.tinh"))
    assert response.status_code == status
    if field:
        assert field in response.get_json()["error"]["fields"]


def test_summary_shape(world):
    _history(world)
    body = world.figures("huyen", *MARCH, by="unit")
    assert set(body) >= {"received", "resolved", "in_progress", "refused", "stopped", "on_time_rate", "online_rate",
                         "rows", "awaiting_supplement"}
    assert set(body["received"]) == {"carried_over", "online", "counter", "postal", "total"}
    assert set(body["resolved"]) == {"early", "on_time", "late", "total"}
    assert set(body["in_progress"]) == {"within_time", "overdue", "total"}
    for row in body["rows"]:
        assert set(row) >= {"key", "label", "received", "resolved", "in_progress", "refused", "stopped",
                            "on_time_rate", "online_rate"}
    assert body["resolved"] == {"early": 1, "on_time": 0, "late": 1, "total": 2}
    assert body["on_time_rate"] == 0.5
    assert body["in_progress"] == {"within_time": 0, "overdue": 1, "total": 1}
    one_day = world.figures("huyen", "2026-03-03", "2026-03-03")
    assert one_day["resolved"]["total"] == 1 and one_day["received"]["carried_over"] == 3


def test_monthly_endpoint_gives_the_chart_numbers(world):
    _history(world)
    response = world.client.get("/api/v1/reports/monthly?unit=huyen&from=2026-02-01&to=2026-04-30",
                                headers=world.h("admin.huyen"))
    months = response.get_json()["months"]
    assert [m["month"] for m in months] == ["2026-02", "2026-03", "2026-04"]
    assert months[1] == {"month": "2026-03", "early": 1, "on_time": 0, "late": 1, "resolved": 2,
                         "on_time_rate": 0.5}
    assert months[0]["on_time_rate"] is None


def test_staff_figures(world):
    _history(world)
    response = world.client.get("/api/v1/reports/staff?unit=huyen&from=2026-03-01&to=2026-03-31",
                                headers=world.h("admin.huyen"))
    rows = {r["username"]: r for r in response.get_json()["staff"]}
    assert rows["tn.a"]["received"] == 2 and rows["tn.b"]["received"] == 1
    assert rows["cv.a"]["handled"] == 1 and rows["cv.a"]["early"] == 1 and rows["cv.a"]["on_time_rate"] == 1.0
    # received Monday 09:00, approved Tuesday 09:00: one working day
    assert rows["cv.a"]["average_working_days"] == 1.0
    assert rows["cv.b"]["late"] == 1 and rows["cv.b"]["average_working_days"] == 4.0
    assert rows["ld.a"]["approved"] == 1 and rows["ld.b"]["approved"] == 1
    assert "cv.c" not in rows


def test_satisfaction_shares(world, app):
    a, b = _history(world)
    from sqlalchemy import select

    from core.dossiers.models import Dossier, Rating
    from core.extensions import db

    with app.app_context():
        ids = {d.code: d for d in db.session.scalars(select(Dossier))}
        for code, level, moment in ((a, "rat_hai_long", vn(2026, 3, 4, 9)), (b, "khong_hai_long", vn(2026, 3, 7, 9))):
            d = ids[code]
            db.session.add(Rating(dossier_id=d.id, unit_id=d.competent_unit_id, level=level, created_at=moment))
        db.session.commit()
    response = world.client.get("/api/v1/reports/satisfaction?unit=huyen&from=2026-03-01&to=2026-03-31",
                                headers=world.h("admin.huyen"))
    body = response.get_json()
    assert body["total"] == 2 and body["satisfied_rate"] == 0.5
    assert body["levels"]["rat_hai_long"] == {"count": 1, "share": 0.5}
    assert body["levels"]["hai_long"] == {"count": 0, "share": 0.0}
    only_a = world.client.get("/api/v1/reports/satisfaction?unit=xa-a&from=2026-03-01&to=2026-03-31",
                              headers=world.h("admin.huyen")).get_json()
    assert only_a["total"] == 1
    empty = world.client.get("/api/v1/reports/satisfaction?unit=xa-a&from=2026-04-01&to=2026-04-30",
                             headers=world.h("admin.huyen")).get_json()
    assert empty["total"] == 0 and empty["satisfied_rate"] is None


def test_pages_need_login_and_a_role(world):
    assert world.client.get("/huyen/dashboard").status_code in (302, 303)
    world.factory.login(world.client, "tn.c")
    assert world.client.get("/huyen/dashboard").status_code == 403
    assert world.client.get("/huyen/reports").status_code == 403
    assert world.client.get("/huyen/reports/export.xlsx?from=2026-03-01&to=2026-03-31").status_code == 403
    assert world.client.get("/khong-co/reports").status_code == 404


def test_district_dashboard_shows_every_commune_and_the_overdue(world):
    _history(world)
    world.factory.login(world.client, "admin.huyen")
    page = world.client.get("/huyen/dashboard?period=range&from=2026-03-01&to=2026-03-31")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("Xã A", "Xã B", "Văn phòng đăng ký đất đai"):
        assert name in html
    assert "<svg" in html and "50,00%" in html  # March: one early, one late
    assert "/xa-a/dossiers/TEST.XA-A-260302-0002" in html  # the overdue dossier, linked
    assert "/xa-a/dashboard?" in html  # every commune's own dashboard
    commune = world.client.get("/xa-a/dashboard")
    assert commune.status_code == 200 and "Theo lĩnh vực" in commune.get_data(as_text=True)


def test_report_page_filters_and_presets(world):
    _history(world)
    world.factory.login(world.client, "admin.huyen")
    for query in ("period=month&year=2026&n=3", "period=quarter&year=2026&n=1", "period=6m&year=2026",
                  "period=9m&year=2026", "period=year&year=2026", "period=range&from=2026-03-01&to=2026-03-31",
                  "period=month&year=2026&n=3&by=procedure", "period=month&year=2026&n=3&by=field"):
        page = world.client.get(f"/huyen/reports?{query}")
        assert page.status_code == 200, query
        html = page.get_data(as_text=True)
        assert "Tổng cộng" in html and "export.xlsx" in html, query
    bad = world.client.get("/huyen/reports?period=month&year=2026&n=13")
    assert bad.status_code == 200 and "Tháng phải từ 1 đến 12." in bad.get_data(as_text=True)
    wrong = world.client.get("/huyen/reports?period=range&from=2026-03-31&to=2026-03-01")
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in wrong.get_data(as_text=True)
    staff = world.client.get("/huyen/reports/staff?period=month&year=2026&n=3")
    assert staff.status_code == 200 and "cv.a" in staff.get_data(as_text=True)


def test_unit_evaluation_self_score_and_appraisal(world):
    url = "/xa-a/reports/evaluation?period=year&year=2026"
    world.factory.login(world.client, "admin.huyen")
    early = world.client.post(url, data={"kind": "appraisal", **{f"c{i}": "2" for i in range(1, 10)}})
    assert early.status_code == 409  # nothing to appraise before the unit scores itself
    world.client.post("/logout")

    world.factory.login(world.client, "tn.a")
    assert "Tự chấm điểm" not in world.client.get(url).get_data(as_text=True)
    assert world.client.post(url, data={"kind": "self", **{f"c{i}": "2" for i in range(1, 10)}}).status_code == 403
    world.client.post("/logout")

    world.factory.login(world.client, "ld.a")
    bad = world.client.post(url, data={"kind": "self", **{f"c{i}": "2" for i in range(1, 9)}, "c9": "3"})
    assert bad.status_code == 422 and "Điểm mỗi tiêu chí là 0, 1 hoặc 2." in bad.get_data(as_text=True)
    scores = {f"c{i}": "2" for i in range(1, 10)} | {"c3": "1", "c9": "0"}
    saved = world.client.post(url, data={"kind": "self", "note": "Tự đánh giá", **scores})
    assert saved.status_code in (302, 303)
    assert world.client.post(url, data={"kind": "appraisal", **scores}).status_code == 403  # not its own appraiser
    world.client.post("/logout")

    world.factory.login(world.client, "admin.huyen")
    page = world.client.get(url).get_data(as_text=True)
    assert "Thẩm định điểm" in page and "15" in page
    appraised = world.client.post(url, data={"kind": "appraisal", **{f"c{i}": "2" for i in range(1, 10)}})
    assert appraised.status_code in (302, 303)
    body = world.client.get("/api/v1/reports/satisfaction?unit=huyen&from=2026-01-01&to=2026-12-31",
                            headers=world.h("admin.huyen")).get_json()
    [evaluation] = body["evaluations"]
    assert evaluation["unit"] == "xa-a"
    assert evaluation["self"] == {"scores": [2, 2, 1, 2, 2, 2, 2, 2, 0], "total": 15, "rank": "Tốt",
                                  "note": "Tự đánh giá"}
    assert evaluation["appraised"]["total"] == 18 and evaluation["appraised"]["rank"] == "Xuất sắc"


def test_rank_thresholds():
    from core.reports.evaluation import clean_scores, rank

    assert [rank(t) for t in (18, 16, 15, 12, 11, 9, 8, 6, 5, 0, None)] == [
        "Xuất sắc", "Xuất sắc", "Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Trung bình", "Yếu", "Yếu", ""]
    assert clean_scores(["2", 1, 0, 2, 2, 2, 2, 2, 2]) == [2, 1, 0, 2, 2, 2, 2, 2, 2]
    for bad in ([2] * 8, [2] * 10, [True] + [2] * 8, [1.5] + [2] * 8, ["x"] + [2] * 8, None):
        with pytest.raises(ValueError):
            clean_scores(bad)


def test_pages_show_a_running_period_up_to_today(world):
    from core.reports.periods import today_local

    today = today_local()
    world.factory.login(world.client, "admin.huyen")
    html = world.client.get(f"/huyen/reports?period=year&year={today.year}").get_data(as_text=True)
    assert f"01/01/{today.year} – {today:%d/%m/%Y}" in html
    past = world.client.get("/huyen/reports?period=year&year=2025").get_data(as_text=True)
    assert "01/01/2025 – 31/12/2025" in past
