"""Exports: the standard report as Excel (official column layout, ready to print), CSV and PDF; the tracking book
(Mẫu 06 of TT 01/2018, Mẫu 07 of TT 03/2025) as Excel and CSV.

Every export is built from the same dictionaries the API returns (``services.summary``), so a cell of the workbook
holds exactly the number of the API. Rates are fractions formatted as percentages. Text is Vietnamese on purpose:
these are administrative documents.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.cellsafety import neutralise, neutralise_workbook
from core.formatting import percent, short_moment

# (key in the flattened API body, leaf header, group, subgroup)
REPORT_COLUMNS = (
    ("received.total", "Tổng số", "Số hồ sơ nhận giải quyết", None),
    ("received.carried_over", "Số kỳ trước chuyển qua", "Số hồ sơ nhận giải quyết", "Trong đó"),
    ("received.online", "Trực tuyến", "Số hồ sơ nhận giải quyết", "Số mới tiếp nhận"),
    ("received.counter", "Trực tiếp", "Số hồ sơ nhận giải quyết", "Số mới tiếp nhận"),
    ("received.postal", "Qua dịch vụ bưu chính công ích", "Số hồ sơ nhận giải quyết", "Số mới tiếp nhận"),
    ("resolved.total", "Tổng số", "Số hồ sơ đã giải quyết", None),
    ("resolved.early", "Trả trước hạn", "Số hồ sơ đã giải quyết", "Trong đó"),
    ("resolved.on_time", "Trả đúng hạn", "Số hồ sơ đã giải quyết", "Trong đó"),
    ("resolved.late", "Trả quá hạn", "Số hồ sơ đã giải quyết", "Trong đó"),
    ("in_progress.total", "Tổng số", "Số hồ sơ đang giải quyết", None),
    ("in_progress.within_time", "Trong hạn", "Số hồ sơ đang giải quyết", "Trong đó"),
    ("in_progress.overdue", "Quá hạn", "Số hồ sơ đang giải quyết", "Trong đó"),
    ("refused", "Từ chối tiếp nhận", None, None),
    ("stopped", "Dừng giải quyết (rút hồ sơ)", None, None),
    ("awaiting_supplement", "Chờ bổ sung hồ sơ", None, None),
    ("transferred_in", "Nhận liên thông từ đơn vị khác", None, None),
    ("transferred_out", "Chuyển liên thông đến đơn vị khác", None, None),
    ("on_time_rate", "Tỷ lệ giải quyết trước hạn và đúng hạn", None, None),
    ("online_rate", "Tỷ lệ tiếp nhận trực tuyến", None, None),
)
RATE_KEYS = ("on_time_rate", "online_rate")
BY_LABELS = {"unit": "Đơn vị", "field": "Lĩnh vực", "procedure": "Thủ tục hành chính", None: "Đơn vị"}
REPORT_TITLE = "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
TOTAL_LABEL = "Tổng cộng"
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NOTES = (
    "Ghi chú: (1) = (2) + (3) + (4) + (5); (6) = (7) + (8) + (9); (10) = (11) + (12). Số liệu tính đến hết ngày "
    "cuối kỳ. Hồ sơ đã xin lỗi, hẹn lại vẫn tính quá hạn theo hạn giải quyết ban đầu; hồ sơ đang chờ công dân bổ "
    "sung hoặc thực hiện nghĩa vụ tài chính từ trước khi đến hạn được tính trong hạn (thời hạn tạm dừng).",
    "Mỗi dòng cân đối: (1) + (16) = (6) + (10) + (13) + (14) + (17). Hồ sơ liên thông được tính tại đơn vị đang "
    "giải quyết: (2) và (10) tại đơn vị giải quyết ở đầu và cuối kỳ, (16) và (17) khi chuyển đến và chuyển đi; số mới "
    "tiếp nhận tính tại nơi tiếp nhận. Dòng tổng cộng bằng tổng các dòng.",
    "Tỷ lệ (18) = ((7) + (8)) / (6); tỷ lệ (19) = (3) / ((3) + (4) + (5)).",
)
SIGNERS = (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"))
TRACKING_COLUMNS = (
    ("number", "STT", 6), ("code", "Mã hồ sơ", 24), ("procedure", "Tên thủ tục hành chính", 30),
    ("copies", "Số lượng hồ sơ (bộ)", 9), ("applicant", "Tên cá nhân, tổ chức", 22),
    ("contact", "Địa chỉ, số điện thoại", 26), ("received_at", "Nhận hồ sơ vào lúc (giờ, ngày)", 17),
    ("due_at", "Hẹn trả kết quả (giờ, ngày)", 17), ("handed", "Chuyển hồ sơ đến cơ quan giải quyết", 22),
    ("result_at", "Nhận kết quả từ cơ quan giải quyết", 17),
    ("returned", "Trả kết quả cho cá nhân, tổ chức (ngày, ký nhận)", 22), ("note", "Ghi chú", 22),
)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FONT_NAME = "Times New Roman"


def header_grid(by: str | None) -> list[tuple[int, int, int, int, str]]:
    """The official 4-row header as (row, column, rows spanned, columns spanned, text), rows and columns from 0."""
    cells = [(0, 0, 4, 1, "STT"), (0, 1, 4, 1, BY_LABELS.get(by))]
    groups: dict[str, list[int]] = {}
    for col, (_key, header, group, sub) in enumerate(REPORT_COLUMNS, start=2):
        if group is None:
            cells.append((0, col, 4, 1, header))
            continue
        groups.setdefault(group, []).append(col)
        if sub is None:
            cells.append((1, col, 3, 1, header))
        elif sub == "Số mới tiếp nhận":
            cells.append((3, col, 1, 1, header))
        else:
            cells.append((2, col, 2, 1, header))
    for group, cols in groups.items():
        cells.append((0, cols[0], 1, len(cols), group))
        cells.append((1, cols[1], 1, len(cols) - 1, "Trong đó"))
    news = [2 + i for i, c in enumerate(REPORT_COLUMNS) if c[3] == "Số mới tiếp nhận"]
    cells.append((2, news[0], 1, len(news), "Số mới tiếp nhận"))
    return sorted(cells)


def issuer_of(unit, today) -> dict:
    """The heading of a report issued by ``unit`` on ``today``: the issuing body's full name ("UBND HUYỆN TIÊN DU"),
    the document number line and the place and date line (Decree 30/2020 on administrative document style).

    The unit's print settings (``settings["documents"]``: "agency", "place") override the names built here."""
    from core.documents.formats import place_name
    from core.documents.forms import document_settings

    settings = document_settings(unit)
    committee = unit.kind in ("commune", "district", "province")
    agency = settings.get("agency") or (f"UBND {unit.name}" if committee else unit.name)
    home = unit.parent if unit.kind == "office" and unit.parent is not None else unit
    place = settings.get("place") or place_name(home.name)
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    return {"agency": str(agency).upper(), "number": "Số:        /BC-UBND" if committee else "Số:        /BC",
            "place_date": f"{place}, ngày {today.day:02d} tháng {month} năm {today.year}"}


def flatten(body: dict) -> dict:
    """{"received.total": n, …} of a summary body or row."""
    result = {}
    for key, _header, _group, _sub in REPORT_COLUMNS:
        if "." in key:
            group, name = key.split(".")
            result[key] = body[group][name]
        else:
            result[key] = body[key]
    return result


def _period_line(body: dict) -> str:
    start = datetime.fromisoformat(body["from"]).strftime("%d/%m/%Y")
    end = datetime.fromisoformat(body["to"]).strftime("%d/%m/%Y")
    return f"Kỳ báo cáo: từ ngày {start} đến ngày {end}"


def report_rows(body: dict) -> list[tuple[str, str, dict]]:
    """(number, label, flattened figures) of every line of the report, the total last."""
    rows = [(str(i), row["label"], flatten(row)) for i, row in enumerate(body["rows"], start=1)]
    rows.append(("", TOTAL_LABEL, flatten(body)))
    return rows


# --- Excel -----------------------------------------------------------------------------------------------------------


def _merge(ws, top: int, left: int, bottom: int, right: int, value, bold: bool = True, align=_CENTER,
           size: int = 11, border: bool = True) -> None:
    if (top, left) != (bottom, right):
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    cell = ws.cell(row=top, column=left, value=value)
    cell.font = Font(name=FONT_NAME, bold=bold, size=size)
    cell.alignment = align
    if border:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                ws.cell(row=r, column=c).border = _BOX


def _print_setup(ws, title_rows: str, last_col: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.print_area = f"A1:{get_column_letter(last_col)}{ws.max_row}"


def _heading(ws, unit_name: str, last_col: int, title: str, lines: list[str], form_number: str = "",
             issuer: dict | None = None) -> int:
    """Agency and national headers, the title and its lines; returns the next free row."""
    half = max(2, last_col // 3)
    right = last_col - half - 3
    _merge(ws, 1, 1, 1, half, issuer["agency"] if issuer else unit_name.upper(), border=False)
    _merge(ws, 1, right, 1, last_col, NATION[0], border=False)
    _merge(ws, 2, right, 2, last_col, NATION[1], border=False)
    row = 3
    if issuer:
        _merge(ws, row, 1, row, half, issuer["number"], bold=False, border=False)
        italic = Alignment(horizontal="center", vertical="center")
        _merge(ws, row, right, row, last_col, issuer["place_date"], bold=False, align=italic, border=False)
        ws.cell(row=row, column=right).font = Font(name=FONT_NAME, italic=True, size=11)
        row += 1
    if form_number:
        _merge(ws, row, right, row, last_col, form_number, bold=False, border=False)
        row += 1
    row += 1
    _merge(ws, row, 1, row, last_col, title, size=14, border=False)
    for line in lines:
        row += 1
        _merge(ws, row, 1, row, last_col, line, bold=False, border=False)
    return row + 2


def report_xlsx(body: dict, issuer: dict | None = None) -> bytes:
    """The standard report in the official column layout: 5 header rows (groups, subgroups, leaves, numbers)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bao cao"
    last = 2 + len(REPORT_COLUMNS)
    top = _heading(ws, body["unit"]["name"], last, REPORT_TITLE, [_period_line(body), "Đơn vị tính: hồ sơ"],
                   issuer=issuer)
    for row, col, rows, cols, text in header_grid(body.get("by")):
        _merge(ws, top + row, 1 + col, top + row + rows - 1, col + cols, text)
    numbers = top + 4
    ws.cell(row=numbers, column=1, value="(A)")
    ws.cell(row=numbers, column=2, value="(B)")
    for i in range(len(REPORT_COLUMNS)):
        ws.cell(row=numbers, column=3 + i, value=f"({i + 1})")
    for c in range(1, last + 1):
        cell = ws.cell(row=numbers, column=c)
        cell.font = Font(name=FONT_NAME, italic=True, size=10)
        cell.alignment, cell.border = _CENTER, _BOX
    row = numbers
    for number, label, values in report_rows(body):
        row += 1
        total = label == TOTAL_LABEL and number == ""
        ws.cell(row=row, column=1, value=int(number) if number else None)
        ws.cell(row=row, column=2, value=label)
        for i, (key, *_rest) in enumerate(REPORT_COLUMNS):
            cell = ws.cell(row=row, column=3 + i, value=values[key])
            if key in RATE_KEYS:
                cell.number_format = "0.00%"
        for c in range(1, last + 1):
            cell = ws.cell(row=row, column=c)
            cell.font = Font(name=FONT_NAME, bold=total, size=11)
            cell.border = _BOX
            cell.alignment = _LEFT if c == 2 else _CENTER
    row += 2
    for note in NOTES:
        _merge(ws, row, 1, row, last, note, bold=False, align=_LEFT, size=10, border=False)
        ws.row_dimensions[row].height = 30
        row += 1
    row += 1
    for (title, hint), (left, right) in zip(SIGNERS, ((2, 6), (last - 5, last)), strict=True):
        _merge(ws, row, left, row, right, title, border=False)
        _merge(ws, row + 1, left, row + 1, right, hint, bold=False, border=False)
        ws.cell(row=row + 1, column=left).font = Font(name=FONT_NAME, italic=True, size=11)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 34
    for i in range(len(REPORT_COLUMNS)):
        ws.column_dimensions[get_column_letter(3 + i)].width = 11
    for r in range(top, top + 4):
        ws.row_dimensions[r].height = 32
    ws.freeze_panes = ws.cell(row=numbers + 1, column=3)
    _print_setup(ws, f"{top}:{numbers}", last)
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    neutralise_workbook(wb)  # SEC-06: typed text never becomes a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- CSV -------------------------------------------------------------------------------------------------------------


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([neutralise(value) for value in row] for row in rows)  # SEC-06
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def report_headers(by: str | None) -> list[str]:
    headers = ["STT", BY_LABELS.get(by)]
    for _key, header, group, sub in REPORT_COLUMNS:
        parts = [p for p in (group, sub if sub == "Số mới tiếp nhận" else None, header) if p]
        headers.append(" - ".join(parts))
    return headers


def report_csv(body: dict) -> bytes:
    rows = [report_headers(body.get("by"))]
    for number, label, values in report_rows(body):
        rows.append([number, label] + ["" if values[k] is None else values[k] for k, *_ in REPORT_COLUMNS])
    return _csv(rows)


# --- PDF -------------------------------------------------------------------------------------------------------------


def _font_dir() -> Path:
    vendored = Path(__file__).resolve().parent.parent / "static" / "fonts"
    if (vendored / "DejaVuSans.ttf").exists():
        return vendored
    return Path("/usr/share/fonts/truetype/dejavu")


def report_pdf(body: dict, issuer: dict | None = None) -> bytes:
    """The report on A4 landscape pages with the same columns and 4-row header as the workbook; the notes and the
    signature blocks are kept together, and on the same page as the end of the table whenever the page has room."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf") if (fonts / "DejaVuSans-Oblique.ttf").exists()
                 else str(fonts / "DejaVuSans.ttf"))
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, 10)
    pdf.add_page()
    width = pdf.w - 20
    half = width / 2
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(half * 0.8, 5, issuer["agency"] if issuer else body["unit"]["name"].upper(), align="C")
    pdf.cell(half * 1.2, 5, NATION[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(half * 0.8, 5, issuer["number"] if issuer else "", align="C")
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(half * 1.2, 5, NATION[1], align="C", new_x="LMARGIN", new_y="NEXT")
    if issuer:
        pdf.set_font("DejaVu", "I", 9)
        pdf.cell(half * 0.8, 5, "")
        pdf.cell(half * 1.2, 5, issuer["place_date"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(width, 6, REPORT_TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(width, 5, _period_line(body) + " — Đơn vị tính: hồ sơ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    # Rates get the room of "100,00%" on one line; the other columns share the rest.
    label_w, number_w, rate_w = 40, 7, 13
    plain = len(REPORT_COLUMNS) - len(RATE_KEYS)
    col_w = (width - label_w - number_w - rate_w * len(RATE_KEYS)) / plain
    widths = [number_w, label_w] + [rate_w if key in RATE_KEYS else col_w for key, *_ in REPORT_COLUMNS]
    grid = header_grid(body.get("by"))
    pdf.set_font("DejaVu", "", 6.5)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=widths, text_align="CENTER", v_align="MIDDLE", line_height=2.9, num_heading_rows=5,
                   headings_style=FontFace(emphasis="BOLD", size_pt=5.8, fill_color=(238, 241, 245)),
                   padding=0.6) as table:
        for level in range(4):
            row = table.row()
            for _r, _c, rows, cols, text in (c for c in grid if c[0] == level):
                row.cell(text, rowspan=rows, colspan=cols)
        numbers = table.row()
        for text in ["(A)", "(B)"] + [f"({i + 1})" for i in range(len(REPORT_COLUMNS))]:
            numbers.cell(text)
        for number, label, values in report_rows(body):
            total = label == TOTAL_LABEL and number == ""
            line = table.row(style=bold if total else None)
            line.cell(number)
            line.cell(label, align="LEFT")
            for key, *_ in REPORT_COLUMNS:
                value = values[key]
                line.cell(percent(value) if key in RATE_KEYS else str(value))
    pdf.ln(2)

    # Notes and signatures never split: when they do not fit under the table, they move to the next page together.
    with pdf.unbreakable() as doc:
        doc.set_font("DejaVu", "", 7.5)
        for note in NOTES:
            doc.multi_cell(width, 3.6, note, new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
        doc.set_font("DejaVu", "B", 9)
        for title, _hint in SIGNERS:
            doc.cell(half, 5, title, align="C")
        doc.ln(5)
        doc.set_font("DejaVu", "I", 8)
        for _title, hint in SIGNERS:
            doc.cell(half, 4, hint, align="C")
        doc.ln(20)
    return bytes(pdf.output())


# --- the tracking book -----------------------------------------------------------------------------------------------


def tracking_values(row: dict) -> list:
    """The twelve columns of one tracking-book row, as text and numbers."""
    handed = short_moment(row["handed_at"])
    if handed and row.get("handed_to"):
        handed += f"\n{row['handed_to']}"
    returned = short_moment(row["returned_at"])
    if returned and row["returned_to"]:
        returned += f"\nNgười nhận: {row['returned_to']}"
    due = short_moment(row["due_at"])
    return [row["number"], row["code"], row["procedure"], row["copies"], row["applicant"], row["contact"],
            short_moment(row["received_at"]), due, handed, short_moment(row["result_at"]), returned, row["note"]]


def tracking_title(end) -> tuple[str, str]:
    """(form number, circular) of the tracking book for a period ending on ``end``."""
    from core.reports.services import form_set_for

    if form_set_for(end) == "2025":
        return "Mẫu số 07", "Thông tư số 03/2025/TT-VPCP"
    return "Mẫu số 06", "Thông tư số 01/2018/TT-VPCP"


def tracking_xlsx(unit_name: str, period, rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi"
    last = len(TRACKING_COLUMNS)
    number, circular = tracking_title(period.end)
    top = _heading(ws, unit_name, last, "SỔ THEO DÕI HỒ SƠ",
                   [f"Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"],
                   form_number=f"{number} ({circular})")
    for i, (_key, header, width) in enumerate(TRACKING_COLUMNS, start=1):
        _merge(ws, top, i, top, i, header)
        ws.cell(row=top + 1, column=i, value=f"({i})")
        cell = ws.cell(row=top + 1, column=i)
        cell.font, cell.alignment, cell.border = Font(name=FONT_NAME, italic=True, size=10), _CENTER, _BOX
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[top].height = 48
    row = top + 1
    for item in rows:
        row += 1
        for i, value in enumerate(tracking_values(item), start=1):
            cell = ws.cell(row=row, column=i, value=value)
            cell.font = Font(name=FONT_NAME, size=10)
            cell.border = _BOX
            cell.alignment = _CENTER if i in (1, 4) else _LEFT
    row += 2
    _merge(ws, row, 1, row, 6, f"Tổng số hồ sơ tiếp nhận trong kỳ: {len(rows)}", align=_LEFT, border=False)
    ws.freeze_panes = ws.cell(row=top + 2, column=3)
    _print_setup(ws, f"{top}:{top + 1}", last)
    return _save(wb)


def tracking_csv(rows: list[dict]) -> bytes:
    lines = [[header for _k, header, _w in TRACKING_COLUMNS]]
    lines += [tracking_values(item) for item in rows]
    return _csv(lines)
