"""Exports: the workbook opened with openpyxl matches the API cell by cell; CSV and PDF; the tracking book."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from reports_helpers import NOTICE, PLUGINS, vn

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

# The 19 value columns of the official layout, in order (see exports.REPORT_COLUMNS).
KEYS = ("received.total", "received.carried_over", "received.online", "received.counter", "received.postal",
        "resolved.total", "resolved.early", "resolved.on_time", "resolved.late", "in_progress.total",
        "in_progress.within_time", "in_progress.overdue", "refused", "stopped", "awaiting_supplement",
        "transferred_in", "transferred_out", "on_time_rate", "online_rate")


def _value(body: dict, key: str):
    if "." in key:
        group, name = key.split(".")
        return body[group][name]
    return body[key]


def _history(world):
    world.receive(vn(2026, 2, 26, 9))  # carried over into March
    a = world.receive(vn(2026, 3, 2, 9), channel="online", received=vn(2026, 3, 2, 9, 30))
    world.resolve(a, vn(2026, 3, 3, 9))
    b = world.receive(vn(2026, 3, 2, 9), unit="xa-b", procedure=NOTICE)
    world.resolve(b, vn(2026, 3, 6, 9), unit="xa-b")
    c = world.receive(vn(2026, 3, 4, 9), channel="postal")
    world.act(c, "tn.a", "request_supplement", vn(2026, 3, 5, 9), missing_documents=["Bản vẽ"], reason="Thiếu")
    d = world.receive(vn(2026, 3, 9, 9), unit="xa-b")
    world.act(d, "tn.b", "refuse", vn(2026, 3, 9, 10), reason="Không đủ điều kiện")
    e = world.receive(vn(2026, 3, 10, 9))
    world.resolve(e, vn(2026, 3, 11, 9))
    world.act(e, "tn.a", "return_result", vn(2026, 3, 12, 9), received_by="Trần Thị Bình")


def _workbook_rows(content: bytes):
    """(label, [19 values]) of every data line, found below the line of column numbers "(1)" … "(19)"."""
    ws = load_workbook(io.BytesIO(content)).active
    numbers = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=3).value == "(1)")
    assert [ws.cell(row=numbers, column=c).value for c in range(3, 22)] == [f"({i})" for i in range(1, 20)]
    rows, r = [], numbers + 1
    while ws.cell(row=r, column=2).value:
        rows.append((ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value,
                     [ws.cell(row=r, column=c).value for c in range(3, 22)]))
        if ws.cell(row=r, column=2).value == "Tổng cộng":
            break
        r += 1
    return ws, numbers, rows


@pytest.mark.parametrize("by", ["unit", "field", "procedure"])
def test_xlsx_matches_the_api_cell_by_cell(world, by):
    _history(world)
    body = world.figures("huyen", "2026-03-01", "2026-03-31", by=by)
    world.factory.login(world.client, "admin.huyen")
    response = world.client.get(f"/huyen/reports/export.xlsx?from=2026-03-01&to=2026-03-31&by={by}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="bao-cao-huyen-2026-03-01-2026-03-31.xlsx"' in response.headers["Content-Disposition"]
    ws, _numbers, rows = _workbook_rows(response.data)
    assert len(rows) == len(body["rows"]) + 1
    for (_number, label, values), api_row in zip(rows, body["rows"] + [body], strict=True):
        expected_label = api_row.get("label", "Tổng cộng")
        assert label == expected_label
        assert values == [_value(api_row, k) for k in KEYS], label
    assert [r[0] for r in rows] == list(range(1, len(body["rows"]) + 1)) + [None]
    assert ws.cell(row=1, column=1).value == "UBND HUYỆN THỬ"  # the issuing body
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert any(m.startswith("C") for m in merged)  # the header groups are merged cells
    titles = [ws.cell(row=r, column=1).value for r in range(1, 8)]
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in titles


def test_xlsx_header_layout(world):
    world.factory.login(world.client, "admin.huyen")
    content = world.client.get("/huyen/reports/export.xlsx?from=2026-03-01&to=2026-03-31").data
    ws, numbers, rows = _workbook_rows(content)
    top = numbers - 4
    assert ws.cell(row=top, column=1).value == "STT"
    assert ws.cell(row=top, column=3).value == "Số hồ sơ nhận giải quyết"
    assert ws.cell(row=top, column=8).value == "Số hồ sơ đã giải quyết"
    assert ws.cell(row=top, column=12).value == "Số hồ sơ đang giải quyết"
    assert ws.cell(row=top + 2, column=5).value == "Số mới tiếp nhận"
    assert [ws.cell(row=top + 3, column=c).value for c in (5, 6, 7)] == [
        "Trực tuyến", "Trực tiếp", "Qua dịch vụ bưu chính công ích"]
    assert [ws.cell(row=top + 2, column=c).value for c in (9, 10, 11)] == [
        "Trả trước hạn", "Trả đúng hạn", "Trả quá hạn"]
    assert ws.cell(row=numbers + 1, column=20).number_format == "0.00%"
    assert [ws.cell(row=top, column=c).value for c in (18, 19)] == ["Nhận liên thông từ đơn vị khác",
                                                                   "Chuyển liên thông đến đơn vị khác"]
    assert [r[1] for r in rows] == ["Xã A", "Xã B", "Văn phòng đăng ký đất đai", "Tổng cộng"]
    assert rows[-1][2] == [0] * 17 + [None, None]


def test_xlsx_heading_names_the_issuing_body_number_place_and_date(world):
    """DAY-20: "UBND HUYỆN …", a "Số: …/BC-UBND" line and "<place>, ngày … tháng … năm …"; signatures with their
    hints; an office is named as it is and dated at its district's place."""
    from core.reports.periods import today_local

    today = today_local()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    expected = {"huyen": ("UBND HUYỆN THỬ", "Số:        /BC-UBND", "Thử"),
                "xa-a": ("UBND XÃ A", "Số:        /BC-UBND", "A"),
                "tinh": ("UBND TỈNH THỬ", "Số:        /BC-UBND", "Thử"),
                "vp-dat": ("VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI", "Số:        /BC", "Thử")}
    world.factory.login(world.client, "kt.tinh")
    for slug, (agency, number, place) in expected.items():
        content = world.client.get(f"/{slug}/reports/export.xlsx?from=2026-03-01&to=2026-03-31").data
        ws = load_workbook(io.BytesIO(content)).active
        texts = [str(c.value) for row in ws.iter_rows(max_row=6) for c in row if c.value]
        assert texts[0] == agency, texts
        assert number in texts
        assert f"{place}, ngày {today.day:02d} tháng {month} năm {today.year}" in texts, texts
        everything = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
        assert {"NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "THỦ TRƯỞNG ĐƠN VỊ",
                "(Ký, ghi rõ họ tên, đóng dấu)"} <= set(everything)


def test_csv_matches_the_api(world):
    _history(world)
    body = world.figures("huyen", "2026-03-01", "2026-03-31", by="unit")
    world.factory.login(world.client, "admin.huyen")
    response = world.client.get("/huyen/reports/export.csv?from=2026-03-01&to=2026-03-31&by=unit")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:3] == ["STT", "Đơn vị", "Số hồ sơ nhận giải quyết - Tổng số"]
    assert rows[0][4] == "Số hồ sơ nhận giải quyết - Số mới tiếp nhận - Trực tuyến"
    for line, api_row in zip(rows[1:], body["rows"] + [body], strict=True):
        assert line[1] == api_row.get("label", "Tổng cộng")
        assert line[2:] == ["" if _value(api_row, k) is None else str(_value(api_row, k)) for k in KEYS]


def test_pdf_export(world):
    _history(world)
    world.factory.login(world.client, "admin.huyen")
    response = world.client.get("/huyen/reports/export.pdf?period=month&year=2026&n=3&by=field")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and len(response.data) > 2000


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_layout_keeps_the_signatures_with_the_table_and_rates_on_one_line(world):
    """DAY-19: a district report fits on one page with its signature blocks and their hints; the header has its
    groups on separate rows; "100,00%" is not broken."""
    _history(world)
    world.factory.login(world.client, "admin.huyen")
    pages = _pdf_pages(world.client.get("/huyen/reports/export.pdf?from=2026-03-01&to=2026-03-31&by=unit").data)
    assert len(pages) == 1, [len(p) for p in pages]
    text = pages[0]
    for piece in ("UBND HUYỆN THỬ", "/BC-UBND", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)",
                  "Số hồ sơ nhận giải quyết", "Số mới tiếp nhận", "Tổng cộng", "(19)"):
        assert piece in text, piece
    assert "Số hồ sơ nhận giải quyết - Tổng số" not in text  # no flattened one-row header
    assert "100,00%" in text  # Xã A resolved on time: the rate on one line


def test_exports_reject_a_bad_period(world):
    world.factory.login(world.client, "admin.huyen")
    assert world.client.get("/huyen/reports/export.xlsx?from=2026-03-31&to=2026-03-01").status_code == 422
    assert world.client.get("/huyen/tracking-book.csv?period=month&year=2026&n=0").status_code == 422


def test_tracking_book(world):
    _history(world)
    world.factory.login(world.client, "admin.huyen")
    response = world.client.get("/xa-a/tracking-book.xlsx?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "STT")
    assert [ws.cell(row=header, column=c).value for c in (2, 3, 7, 12)] == [
        "Mã hồ sơ", "Tên thủ tục hành chính", "Nhận hồ sơ vào lúc (giờ, ngày)", "Ghi chú"]
    assert ws.cell(row=header + 1, column=12).value == "(12)"
    lines = []
    r = header + 2
    while ws.cell(row=r, column=2).value:
        lines.append([ws.cell(row=r, column=c).value for c in range(1, 13)])
        r += 1
    # xa-a received three dossiers in March (a, c, e); the February one opens the 2026 volume as number 1.
    assert [line[0] for line in lines] == [2, 3, 4]
    assert [line[1][:20] for line in lines] == ["TEST.XA-A-260302-000", "TEST.XA-A-260304-000",
                                                "TEST.XA-A-260310-000"]
    assert lines[0][6] == "09:30 02/03/2026" and lines[0][7] == "09:30 05/03/2026"
    assert "Chờ bổ sung hồ sơ" in lines[1][11]
    assert lines[2][10] == "09:00 12/03/2026\nNgười nhận: Trần Thị Bình"
    assert lines[2][9] == "09:00 11/03/2026"
    assert "Mẫu số 07" in " ".join(str(ws.cell(row=i, column=c).value) for i in range(1, 6) for c in range(1, 13))

    csv_text = world.client.get("/huyen/tracking-book.csv?from=2026-03-01&to=2026-03-31").data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(csv_text[1:])))
    assert rows[0][0] == "STT" and len(rows[0]) == 12
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]  # the district lists every desk's dossiers
    assert any("Từ chối tiếp nhận" in row[11] for row in rows[1:])
