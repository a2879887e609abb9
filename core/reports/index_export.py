"""The service-quality index (Decision 766/QĐ-TTg) as an Excel workbook: the unit's groups and indicators with their
formulas and legal sources, and, for a district or province, the ranking of its communes.

Built from the dictionaries the API answers (``service_index.compute`` / ``with_ranking``), so every cell holds the
number of the API. Values are fractions formatted as percentages; points keep their two decimals.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from core.reports.exports import _BOX, _CENTER, _LEFT, FONT_NAME, _heading, _merge, _print_setup, _save

TITLE = "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TRONG THỰC HIỆN THỦ TỤC HÀNH CHÍNH, DỊCH VỤ CÔNG"
BASIS = "Theo Bộ chỉ số ban hành kèm Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ"
INDEX_COLUMNS = (("STT", 6), ("Nhóm chỉ số, chỉ số", 42), ("Cách tính", 52), ("Giá trị", 11), ("Điểm", 9),
                 ("Điểm tối đa", 9), ("Tử số", 9), ("Mẫu số", 9), ("Cách hiểu của dự án", 11), ("Căn cứ", 48))
NOTE = ("Số liệu tính từ hệ thống một cửa trong kỳ, trước khi Cổng Dịch vụ công quốc gia công bố. Chỉ số đánh dấu "
        "\"Có\" ở cột Cách hiểu của dự án là cách hiểu của dự án về công thức hoặc cách chia điểm (xem "
        "core/reports/service_index.py).")


def _period_line(index: dict) -> str:
    start, end = index["from"], index["to"]
    return f"Kỳ đánh giá: từ ngày {start[8:]}/{start[5:7]}/{start[:4]} đến ngày {end[8:]}/{end[5:7]}/{end[:4]}"


def _row(ws, row: int, values: list, bold: bool = False, percent_at: int | None = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.font = Font(name=FONT_NAME, bold=bold, size=11)
        cell.border = _BOX
        cell.alignment = _LEFT if column in (2, 3, 10) else _CENTER
        if column == percent_at and value is not None:
            cell.number_format = "0.00%"


def _index_sheet(ws, index: dict, issuer: dict | None) -> None:
    last = len(INDEX_COLUMNS)
    top = _heading(ws, index["name"], last, TITLE, [BASIS, _period_line(index), f"Đơn vị: {index['name']}"],
                   issuer=issuer)
    for column, (header, width) in enumerate(INDEX_COLUMNS, start=1):
        _merge(ws, top, column, top, column, header)
        ws.column_dimensions[ws.cell(row=top, column=column).column_letter].width = width
    row = top
    for number, group in enumerate(index["groups"], start=1):
        row += 1
        _row(ws, row, [number, group["name"], "", None, group["points"], group["max_points"], None, None, "", ""],
             bold=True)
        for sub, item in enumerate(group["indicators"], start=1):
            row += 1
            _row(ws, row, [f"{number}.{sub}", item["name"], item["formula"], item["value"], item["points"],
                           item["max_points"], item["numerator"], item["denominator"],
                           "Có" if item["our_reading"] else "Không", item["source"]], percent_at=4)
    row += 1
    _row(ws, row, ["", "Tổng điểm", "", None, index["total"], index["max"], None, None, "", ""], bold=True)
    row += 2
    _merge(ws, row, 1, row, last, NOTE, bold=False, align=_LEFT, size=10, border=False)
    ws.row_dimensions[row].height = 30
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    _print_setup(ws, f"{top}:{top}", last)


def _ranking_sheet(ws, index: dict, ranking: list[dict]) -> None:
    headers = ["Hạng", "Đơn vị", "Mã đơn vị", "Tổng điểm"] + [
        f"{group['name']} ({group['max_points']})" for group in index["groups"]]
    last = len(headers)
    _merge(ws, 1, 1, 1, last, f"XẾP HẠNG CÁC XÃ, PHƯỜNG — {index['name'].upper()}", size=13, border=False)
    _merge(ws, 2, 1, 2, last, _period_line(index), bold=False, border=False)
    for column, header in enumerate(headers, start=1):
        _merge(ws, 4, column, 4, column, header)
        ws.column_dimensions[ws.cell(row=4, column=column).column_letter].width = 30 if column == 2 else 14
    ws.row_dimensions[4].height = 45
    for offset, row in enumerate(ranking, start=5):
        values = [row["rank"], row["name"], row["unit"], row["total"]] + [g["points"] for g in row["groups"]]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=offset, column=column, value=value)
            cell.font = Font(name=FONT_NAME, bold=column == 4, size=11)
            cell.border = _BOX
            cell.alignment = _LEFT if column == 2 else _CENTER
    ws.freeze_panes = ws.cell(row=5, column=3)
    _print_setup(ws, "4:4", last)


def service_index_xlsx(index: dict, ranking: list[dict], issuer: dict | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Chi so"
    _index_sheet(ws, index, issuer)
    if ranking:
        _ranking_sheet(wb.create_sheet("Xep hang"), index, ranking)
    return _save(wb)
