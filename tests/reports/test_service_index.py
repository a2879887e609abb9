"""The service-quality index of Decision 766 (core/reports/service_index.py) against a history computed by hand."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from reports_helpers import PLUGINS, vn

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

MARCH = "from=2026-03-01&to=2026-03-31"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GROUP_MAX = {"publicity": 18, "progress": 20, "digitisation": 22, "online_services": 22, "satisfaction": 18}


def _history(world) -> dict[str, str]:
    """March 2026 (1 March is a Sunday). The probe procedures: permit 3 working days, notice 1 working day.

    xa-a  a1 counter permit, received Mon 2/3 09:00, approved Tue 3/3 09:00 (due Thu 5/3): early; a scan attached;
             rated "rất hài lòng".
          a2 online notice, submitted and received Mon 2/3 09:00, approved Wed 4/3 10:00 (due Tue 3/3): late;
             rated "không hài lòng".
          a3 counter permit, received Mon 2/3 10:00, never decided: overdue at the end of March.
          a4 counter notice, received Tue 31/3 09:00: within time at the end of March (due Wed 1/4).
          Self-score of March: 16 of 18.
    xa-b  b1 counter permit, received Mon 2/3 09:00, approved Fri 6/3 09:00 (due Thu 5/3): late.
    """
    codes = {}
    codes["a1"] = world.receive(vn(2026, 3, 2, 9))
    world.resolve(codes["a1"], vn(2026, 3, 3, 9))
    codes["a2"] = world.receive(vn(2026, 3, 2, 9), channel="online", procedure="reportprobe.notice")
    world.resolve(codes["a2"], vn(2026, 3, 4, 10))
    codes["a3"] = world.receive(vn(2026, 3, 2, 10))
    codes["a4"] = world.receive(vn(2026, 3, 31, 9), procedure="reportprobe.notice")
    codes["b1"] = world.receive(vn(2026, 3, 2, 9), unit="xa-b")
    world.resolve(codes["b1"], vn(2026, 3, 6, 9), unit="xa-b")

    scan = world.client.post(f"/api/v1/dossiers/{codes['a1']}/attachments", headers=world.h("tn.a"),
                             data={"file": (io.BytesIO(PDF), "scan.pdf", "application/pdf")},
                             content_type="multipart/form-data")
    assert scan.status_code == 201, scan.get_json()

    from sqlalchemy import select

    from core.dossiers.models import Dossier, Rating
    from core.extensions import db

    with world.app.app_context():  # ratings carry the moment they were given: written with March's moments
        rows = {d.code: d for d in db.session.scalars(select(Dossier))}
        for code, level, moment in ((codes["a1"], "rat_hai_long", vn(2026, 3, 4, 9)),
                                    (codes["a2"], "khong_hai_long", vn(2026, 3, 5, 9))):
            d = rows[code]
            db.session.add(Rating(dossier_id=d.id, unit_id=d.competent_unit_id, level=level, created_at=moment))
        db.session.commit()

    world.factory.login(world.client, "ld.a")
    scores = {f"c{i}": "2" for i in range(1, 10)} | {"c4": "1", "c9": "1"}  # 2*7 + 1 + 1 = 16
    saved = world.client.post("/xa-a/reports/evaluation?period=month&year=2026&n=3", data={"kind": "self", **scores})
    assert saved.status_code in (302, 303)
    world.client.post("/logout")
    return codes


def _index(world, unit: str, query: str = MARCH, username: str = "admin.huyen"):
    return world.client.get(f"/api/v1/reports/service-index?unit={unit}&{query}", headers=world.h(username))


def _points(body: dict) -> dict:
    """{"group": points, "group.indicator": (value, points)} of an index body."""
    flat = {}
    for group in body["groups"]:
        flat[group["key"]] = group["points"]
        for item in group["indicators"]:
            flat[f"{group['key']}.{item['key']}"] = (item["value"], item["points"])
    return flat


def test_commune_index_matches_the_hand_computation(world):
    _history(world)
    response = _index(world, "xa-a")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["unit"], body["from"], body["to"], body["max"]) == ("xa-a", "2026-03-01", "2026-03-31", 100)
    got = _points(body)

    # 1. Publicity (18). xa-a offers the 2 probe procedures, both public with national code, legal basis and time
    #    limit: 2/2 → 6 × 1 = 6. Nothing is synced to the national portal yet: 0/4 received → 0.
    assert got["publicity.procedures_published"] == (1.0, 6.0)
    assert got["publicity.dossiers_synced"] == (0.0, 0.0)
    assert got["publicity"] == 6.0
    # 2. Progress (20). Resolved in March: a1 early, a2 late → (1 + 0) / 2 = 0.5 → 14 × 0.5 = 7.
    #    In progress at the end of March: a3 overdue, a4 within time → 1 / 2 = 0.5 → 6 × 0.5 = 3.  7 + 3 = 10.
    assert got["progress.resolved_on_time"] == (0.5, 7.0)
    assert got["progress.in_progress_on_time"] == (0.5, 3.0)
    assert got["progress"] == 10.0
    # 3. Digitisation (22). Received in March: a1..a4, a1 scanned → 1/4 = 0.25 → 11 × 0.25 = 2.75.
    #    Results a1, a2: none electronic yet → 0/2 → 0.  2.75 + 0 = 2.75.
    assert got["digitisation.digitised_dossiers"] == (0.25, 2.75)
    assert got["digitisation.electronic_results"] == (0.0, 0.0)
    assert got["digitisation"] == 2.75
    # 4. Online services (22). Procedures with an online dossier: notice (a2) of 2 → 0.5 → 6 × 0.5 = 3.
    #    Online receptions: a2 of 4 new → 0.25 → 10 × 0.25 = 2.5. No fee anywhere: no denominator → null, 0.
    #    3 + 2.5 + 0 = 5.5.
    assert got["online_services.online_procedures"] == (0.5, 3.0)
    assert got["online_services.online_dossiers"] == (0.25, 2.5)
    assert got["online_services.online_payments"] == (None, 0.0)
    assert got["online_services"] == 5.5
    # 5. Satisfaction (18). Ratings: 1 satisfied of 2 → 0.5 → 6 × 0.5 = 3.
    #    Self-score of March 16/18 = 0.8889 → 12 × 16 / 18 = 10.666… → 10.67.  3 + 10.67 = 13.67.
    assert got["satisfaction.rating_satisfaction"] == (0.5, 3.0)
    assert got["satisfaction.handling_evaluation"] == (0.8889, 10.67)
    assert got["satisfaction"] == 13.67
    # Total: 6 + 10 + 2.75 + 5.5 + 13.67 = 37.92.
    assert body["total"] == 37.92
    assert body["total"] == round(sum(g["points"] for g in body["groups"]), 2)


def test_district_index_adds_up_its_units(world):
    _history(world)
    body = _index(world, "huyen").get_json()
    got = _points(body)
    # huyen offers nothing itself; xa-a, xa-b and vp-dat offer 2 each, all public: 6/6 → 6. Synced 0/5 → 0.
    assert got["publicity.procedures_published"] == (1.0, 6.0) and got["publicity"] == 6.0
    # Resolved a1 early, a2 late, b1 late → 1/3 = 0.3333 → 14/3 = 4.666… → 4.67; in progress a3, a4 → 3.
    assert got["progress.resolved_on_time"] == (0.3333, 4.67)
    assert got["progress"] == 7.67
    # Received 5 (a1..a4, b1), 1 scanned → 0.2 → 2.2; results 3, none electronic → 0.
    assert got["digitisation.digitised_dossiers"] == (0.2, 2.2) and got["digitisation"] == 2.2
    # Procedures with online dossiers: 1 of 6 offered → 6/6 = 1; online 1 of 5 new → 0.2 → 2.  1 + 2 + 0 = 3.
    assert got["online_services.online_procedures"] == (0.1667, 1.0)
    assert got["online_services.online_dossiers"] == (0.2, 2.0)
    assert got["online_services"] == 3.0
    # Ratings and the evaluation are xa-a's: 3 + 10.67 = 13.67.
    assert got["satisfaction"] == 13.67
    # 6 + 7.67 + 2.2 + 3 + 13.67 = 32.54.
    assert body["total"] == 32.54

    # xa-b alone: publicity 6; progress: b1 late → 0/1 → 0, nothing in progress → full 6; digitisation 0 of 1
    # received, 0 of 1 results; online 0; no rating, no evaluation → 0.  6 + 6 = 12.
    xa_b = _points(_index(world, "xa-b").get_json())
    assert xa_b["progress.in_progress_on_time"] == (None, 6.0)
    assert [xa_b[k] for k in GROUP_MAX] == [6.0, 6.0, 0.0, 0.0, 0.0]
    assert _index(world, "xa-b").get_json()["total"] == 12.0


def test_every_indicator_documents_its_formula_and_source(world):
    body = _index(world, "xa-a").get_json()
    assert [g["key"] for g in body["groups"]] == list(GROUP_MAX)
    assert {g["key"]: g["max_points"] for g in body["groups"]} == GROUP_MAX
    for group in body["groups"]:
        assert sum(i["max_points"] for i in group["indicators"]) == group["max_points"]
        for item in group["indicators"]:
            assert set(item) >= {"key", "name", "value", "points", "max_points", "formula", "our_reading", "source"}
            assert item["formula"] and "766/QĐ-TTg" in item["source"] and isinstance(item["our_reading"], bool)
    english = world.client.get("/api/v1/reports/service-index?unit=xa-a&from=2026-03-01&to=2026-03-31&lang=en",
                               headers=world.h("admin.huyen")).get_json()
    assert english["groups"][0]["name"] == "Publicity and transparency"


def test_groups_never_exceed_their_maximum_and_the_total_is_their_sum(world, monkeypatch):
    _history(world)
    from core.reports import index_sources

    # A source that counts more in its numerator than in its denominator (inconsistent data) still scores at most
    # the indicator's maximum; every source full gives exactly each group's maximum and 100 in all.
    monkeypatch.setattr(index_sources, "digitised_dossier_counts", lambda ids, period: {i: (9, 1) for i in ids})
    body = _index(world, "xa-a").get_json()
    got = _points(body)
    assert got["digitisation.digitised_dossiers"] == (1.0, 11.0)
    for group in body["groups"]:
        assert group["points"] <= group["max_points"]
    assert body["total"] == round(sum(g["points"] for g in body["groups"]), 2)

    full = {i: (1, 1) for i in range(1, 1000)}
    for name in ("national_sync_counts", "online_payment_counts", "electronic_result_counts",
                 "digitised_dossier_counts", "rating_counts"):
        monkeypatch.setattr(index_sources, name, lambda ids, period, _full=full: _full)
    monkeypatch.setattr(index_sources, "evaluation_counts", lambda ids, period, most: full)
    monkeypatch.setattr(index_sources, "online_procedure_pairs",
                        lambda ids, period: {(u, k) for u in ids for k in ("reportprobe.permit",
                                                                            "reportprobe.notice")})
    from core.reports import services
    from core.reports.services import Figures

    monkeypatch.setattr(services, "figures_per_unit",
                        lambda ids, period: {i: Figures(online=1, early=1, within_time=1) for i in ids})
    body = _index(world, "xa-a").get_json()
    assert [g["points"] for g in body["groups"]] == [18, 20, 22, 22, 18]
    assert body["total"] == 100


@pytest.mark.parametrize(("username", "unit", "status"), [
    ("tn.c", "xa-a", 403), ("tn.c", "huyen", 403), ("tn.c", "xa-c", 200), ("cv.a", "xa-a", 200),
    ("cv.a", "xa-b", 403), ("admin.huyen", "xa-a", 200), ("admin.huyen", "huyen", 200),
    ("admin.huyen", "huyen-2", 403), ("admin.huyen", "xa-c", 403), ("admin.huyen", "tinh", 403),
    ("kt.tinh", "xa-c", 200), ("admin.huyen", "xa-khac", 403),
])
def test_scope_follows_the_report_rules(world, username, unit, status):
    world.factory.unit("tinh-khac", kind="province", plugins=(), name="Tỉnh Khác")
    world.factory.commune("xa-khac", parent="tinh-khac", plugins=PLUGINS, name="Xã Khác", code="00077")
    response = _index(world, unit, username=username)
    assert response.status_code == status, response.get_json()
    if status == 403:
        error = response.get_json()["error"]
        assert error["code"] == "forbidden" and error["message"] == "Bạn không có quyền xem báo cáo của đơn vị này."


def test_requires_login(world):
    response = world.client.get(f"/api/v1/reports/service-index?unit=xa-a&{MARCH}")
    assert response.status_code == 401


@pytest.mark.parametrize(("query", "status", "field", "message"), [
    ("unit=huyen&from=2026-03-31&to=2026-03-01", 422, "from", "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."),
    ("unit=huyen&from=2026-02-30&to=2026-03-31", 422, "from", None),
    ("unit=huyen&from=01/03/2026&to=2026-03-31", 422, "from", None),
    ("unit=huyen&from=2026-03-01", 422, "to", None),
    ("unit=huyen&from=2020-01-01&to=2026-03-31", 422, "to", None),
    ("from=2026-03-01&to=2026-03-31", 422, "unit", None),
    ("unit=khong-co&from=2026-03-01&to=2026-03-31", 404, None, "Không tìm thấy đơn vị."),
])
def test_bad_input_is_refused_in_vietnamese(world, query, status, field, message):
    response = world.client.get(f"/api/v1/reports/service-index?{query}", headers=world.h("kt.tinh"))
    assert response.status_code == status
    error = response.get_json()["error"]
    if field:
        assert field in error["fields"] and error["code"] == "invalid"
    if message:
        assert message in (error["message"], *error.get("fields", {}).values())


def test_district_dashboard_ranks_its_communes(world):
    _history(world)
    world.factory.login(world.client, "admin.huyen")
    html = world.client.get(f"/huyen/dashboard?period=range&{MARCH}").get_data(as_text=True)
    assert "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)" in html
    assert "32,54" in html  # the district's total
    ranking = html[html.index("data-ranking"):]
    ranking = ranking[:ranking.index("</table>")]
    # xa-a 37.92 before xa-b 12; the land office is not a commune and is not ranked.
    assert ranking.index('data-unit="xa-a"') < ranking.index('data-unit="xa-b"')
    assert "37,92" in ranking and "12" in ranking and "vp-dat" not in ranking
    assert "/xa-a/dashboard?" in ranking
    commune = world.client.get(f"/xa-a/dashboard?period=range&{MARCH}").get_data(as_text=True)
    assert "37,92" in commune and "data-ranking" not in commune
    report = world.client.get(f"/huyen/reports?period=range&{MARCH}").get_data(as_text=True)
    assert "/huyen/reports/service-index.xlsx?" in report and "32,54" in report


def test_export_downloads_the_index_and_the_ranking(world):
    _history(world)
    api = _index(world, "huyen").get_json()
    world.factory.login(world.client, "admin.huyen")
    response = world.client.get(f"/huyen/reports/service-index.xlsx?period=range&{MARCH}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="chi-so-phuc-vu-huyen-2026-03-01-2026-03-31.xlsx"' in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    sheet = wb["Chi so"]
    rows = {sheet.cell(row=r, column=2).value: [sheet.cell(row=r, column=c).value for c in range(1, 11)]
            for r in range(1, sheet.max_row + 1)}
    assert rows["Tổng điểm"][4] == api["total"] == 32.54
    for group in api["groups"]:
        assert rows[group["name"]][4] == group["points"]
        for item in group["indicators"]:
            line = rows[item["name"]]
            assert (line[3], line[4], line[5], line[6], line[7]) == (
                item["value"], item["points"], item["max_points"], item["numerator"], item["denominator"])
            assert line[2] == item["formula"] and line[8] == ("Có" if item["our_reading"] else "Không")
    ranking = wb["Xep hang"]
    assert [ranking.cell(row=r, column=3).value for r in (5, 6)] == ["xa-a", "xa-b"]
    assert [ranking.cell(row=r, column=4).value for r in (5, 6)] == [37.92, 12.0]
    assert [ranking.cell(row=r, column=1).value for r in (5, 6)] == [1, 2]

    assert world.client.get("/huyen/reports/service-index.xlsx?period=range&from=2026-03-31&to=2026-03-01"
                            ).status_code == 422
    world.client.post("/logout")
    world.factory.login(world.client, "tn.c")
    assert world.client.get(f"/huyen/reports/service-index.xlsx?period=range&{MARCH}").status_code == 403


PORTAL = {"NATIONAL_PORTAL_TOKEN": "portal-token", "NATIONAL_PORTAL_AGENCY_CODE": "000.00.00.H27",
          "NATIONAL_PORTAL_TIMEOUT": "0.5", "OUTBOX_BACKOFF_SECONDS": 60, "OUTBOX_MAX_ATTEMPTS": 5}


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, **PORTAL)
def test_sync_and_electronic_results_come_from_their_modules(world, tmp_path):
    """dossiers_synced reads the national portal sync state; electronic_results the signed results on record."""
    import json
    import urllib.request

    from sqlalchemy import select

    from core.db_types import utcnow
    from core.dossiers.models import Dossier, DossierResult
    from core.extensions import db
    from core.national_portal.simulator import RunningSimulator
    from core.notifications import deliver as delivery

    simulator = RunningSimulator(record_file=str(tmp_path / "portal.sqlite"), token="portal-token")
    try:
        world.app.config["NATIONAL_PORTAL_URL"] = simulator.url

        def deliver():
            with world.app.app_context():
                delivery.deliver_pending(now=utcnow())

        synced = world.receive(vn(2026, 3, 2, 9))
        world.resolve(synced, vn(2026, 3, 3, 9))
        deliver()  # every status of the first dossier reaches the portal
        request = urllib.request.Request(simulator.url + "_simulator/mode", method="POST",
                                         data=json.dumps({"mode": "reject"}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=5).close()
        world.receive(vn(2026, 3, 2, 10))
        deliver()  # refused by the portal: failed
        world.receive(vn(2026, 3, 2, 11))  # not delivered yet: pending
    finally:
        simulator.stop()

    with world.app.app_context():  # the first result as the approval's signing records it
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == synced))
        db.session.add(DossierResult(dossier_id=dossier.id, unit_id=dossier.competent_unit_id, key="permit",
                                     title="Giấy phép", sha256="a" * 64, document_sha256="b" * 64, size=1,
                                     signer="UBND Xã A", signed_at=vn(2026, 3, 3, 9)))
        db.session.commit()
    got = _points(_index(world, "xa-a").get_json())
    # Synced 1 of the 3 received → 12 / 3 = 4. Results: 1 decided, 1 signed → 11.
    assert got["publicity.dossiers_synced"] == (0.3333, 4.0)
    assert got["digitisation.electronic_results"] == (1.0, 11.0)


def test_digitised_means_every_paper_handed_in_has_its_scan(world):
    """A dossier with a checklist counts as digitised when each paper handed in is linked to its scan; a scan
    attached while a paper stays unscanned is not enough. Without a checklist, an attached scan counts."""
    from sqlalchemy import select

    from core.dossiers.models import Attachment, Dossier, DossierDocument
    from core.extensions import db

    whole, partial, bare = (world.receive(vn(2026, 3, 2, 9 + i)) for i in range(3))
    for code in (whole, partial, bare):
        scan = world.client.post(f"/api/v1/dossiers/{code}/attachments", headers=world.h("tn.a"),
                                 data={"file": (io.BytesIO(PDF), "scan.pdf", "application/pdf")},
                                 content_type="multipart/form-data")
        assert scan.status_code == 201
    with world.app.app_context():  # the checklists of two dossiers, as a procedure with papers would have them
        for code, scanned in ((whole, (True, True)), (partial, (True, False))):
            dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
            attachment = db.session.scalar(select(Attachment.id).where(Attachment.dossier_id == dossier.id))
            for position, has_scan in enumerate(scanned, start=1):
                db.session.add(DossierDocument(dossier_id=dossier.id, position=position, name=f"Giấy {position}",
                                               provided=True, attachment_id=attachment if has_scan else None))
            db.session.add(DossierDocument(dossier_id=dossier.id, position=3, name="Giấy không nộp (nếu có)",
                                           required=False, provided=False))
        db.session.commit()
    got = _points(_index(world, "xa-a").get_json())
    # whole: both papers scanned → yes; partial: one paper unscanned → no; bare: no checklist, a scan → yes. 2/3.
    assert got["digitisation.digitised_dossiers"] == (0.6667, 7.33)
