"""A ``Document`` as an A4 PDF with fpdf2 and the vendored DejaVu Sans fonts (Vietnamese text stays extractable).

The layout mirrors ``templates/documents/print.html``: form number, the two-column header (issuing body left,
national header right), place and date, title, then the blocks. Plugin result documents (``body_html``) go through
fpdf2's ``write_html``; markup it cannot lay out falls back to the plain text, so a PDF is always produced.
"""

from __future__ import annotations

import html
import re
from io import BytesIO
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos

from core.documents.model import Document, Heading, Paragraph, QrCode, Signatures, Table

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FAMILY = "DejaVu"
BODY_SIZE = 10.5
LINE = 5.2  # mm per body line
_ALIGN = {"left": "L", "center": "C", "right": "R", "justify": "J"}


class _Sheet(FPDF):
    """An A4 page with the administrative margins and a page counter on multi-page documents."""

    def __init__(self, landscape: bool) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        if landscape:
            self.set_margins(left=20, top=15, right=15)
            self.set_auto_page_break(True, margin=15)
        else:
            self.set_margins(left=30, top=20, right=15)
            self.set_auto_page_break(True, margin=20)
        regular, bold = str(FONT_DIR / "DejaVuSans.ttf"), str(FONT_DIR / "DejaVuSans-Bold.ttf")
        self.add_font(FAMILY, "", regular)
        self.add_font(FAMILY, "B", bold)
        self.add_font(FAMILY, "I", regular)  # no oblique face is vendored: italics print upright
        self.add_font(FAMILY, "BI", bold)
        self.set_font(FAMILY, size=BODY_SIZE)
        self.page_label = ""

    def footer(self) -> None:
        if self.pages_count_hint > 1:
            self.set_y(-10)
            self.set_font(FAMILY, size=8)
            self.cell(0, 4, self.page_label.format(page=self.page_no()), align="C")

    @property
    def pages_count_hint(self) -> int:
        return getattr(self, "_expected_pages", 1)


def _font(pdf: FPDF, bold: bool = False, size: float = BODY_SIZE) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)


def _rule(pdf: FPDF, x: float, width: float, fraction: float) -> None:
    length = width * fraction
    y = pdf.get_y() + 0.8
    pdf.line(x + (width - length) / 2, y, x + (width + length) / 2, y)
    pdf.set_y(y + 1.5)


def _header(pdf: FPDF, doc: Document) -> None:
    if doc.form_number:
        _font(pdf, size=8.5)
        text = f"{doc.form_number} ({doc.circular})" if doc.circular else doc.form_number
        pdf.cell(0, 4, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y() + 1
    left_w = pdf.epw * 0.46
    right_w = pdf.epw - left_w
    x0 = pdf.l_margin
    pdf.set_xy(x0, top)
    for i, line in enumerate(doc.agency_lines):
        _font(pdf, bold=not (i == 0 and len(doc.agency_lines) > 1), size=9.5)
        pdf.set_x(x0)
        pdf.multi_cell(left_w, 4.6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _rule(pdf, x0, left_w, 0.35)
    for line in doc.reference_lines:
        _font(pdf, size=9.5)
        pdf.set_x(x0)
        pdf.multi_cell(left_w, 4.6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_end = pdf.get_y()
    pdf.set_xy(x0 + left_w, top)
    for line in doc.national_header:
        _font(pdf, bold=True, size=10)
        pdf.set_x(x0 + left_w)
        pdf.multi_cell(right_w, 4.6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _rule(pdf, x0 + left_w, right_w, 0.5)
    pdf.set_y(max(left_end, pdf.get_y()) + 2)
    if doc.place_date:
        _font(pdf, size=10)
        pdf.multi_cell(0, 5, doc.place_date, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _font(pdf, bold=True, size=12.5)
    pdf.multi_cell(0, 6.2, doc.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for line in doc.subtitle_lines:
        _font(pdf, size=10)
        pdf.multi_cell(0, 5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    if not block.label:
        _font(pdf, bold=block.strong)
        pdf.multi_cell(0, LINE, block.text, align=_ALIGN.get(block.align, "L"), new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        return
    label, text = block.label + " ", block.text
    if block.align == "center":
        _font(pdf)
        width = pdf.get_string_width(label)
        _font(pdf, bold=block.strong)
        width += pdf.get_string_width(text)
        if width < pdf.epw:
            pdf.set_x(pdf.l_margin + (pdf.epw - width) / 2)
    _font(pdf)
    pdf.write(LINE, label)
    _font(pdf, bold=block.strong)
    pdf.write(LINE, text)
    pdf.ln(LINE)


def _table(pdf: FPDF, block: Table) -> None:
    _font(pdf, size=block.font_size)
    line_height = block.font_size * 0.45
    aligns = tuple(_ALIGN.get(a, "L") for a in block.align)
    with pdf.table(col_widths=tuple(block.widths), text_align=aligns, align="LEFT", line_height=line_height,
                   width=pdf.epw, headings_style=FontFace(emphasis="BOLD"), first_row_as_headings=True,
                   repeat_headings=1, v_align="TOP", padding=(0.8, 1.0),
                   cell_fill_mode=TableCellFillMode.NONE) as table:
        heading = table.row()
        for column in block.columns:
            heading.cell(column, align="C", v_align="MIDDLE")
        for cells in block.rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
        if not block.rows and block.empty_text:
            table.row().cell(block.empty_text, colspan=len(block.columns), align="C")
    _font(pdf)
    pdf.ln(1.5)


def _qr(pdf: FPDF, block: QrCode) -> None:
    from core.documents.render import qr_code

    size = 28
    if pdf.get_y() + size > pdf.page_break_trigger:
        pdf.add_page()
    image = BytesIO()
    qr_code(block.data).save(image, kind="png", scale=8, border=2)
    image.seek(0)
    top = pdf.get_y() + 1
    pdf.image(image, x=pdf.l_margin, y=top, w=size, h=size)
    _font(pdf, size=9.5)
    pdf.set_xy(pdf.l_margin + size + 4, top + size / 2 - 5)
    pdf.multi_cell(pdf.epw - size - 4, 4.8, block.caption, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top + size + 2)
    _font(pdf)


def _signatures(pdf: FPDF, block: Signatures) -> None:
    if not block.items:
        return
    needed = 48
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    count = len(block.items)
    width = pdf.epw / max(count, 2)
    start = pdf.l_margin + (pdf.epw / 2 if count == 1 else 0)
    top = pdf.get_y()
    bottom = top
    for i, item in enumerate(block.items):
        x = start + i * width
        pdf.set_xy(x, top)
        if item.date_line:
            _font(pdf, size=10)
            pdf.multi_cell(width, 5, item.date_line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        _font(pdf, bold=True, size=10.5)
        pdf.multi_cell(width, 5, item.title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if item.hint:
            _font(pdf, size=9.5)
            pdf.multi_cell(width, 4.6, item.hint, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + 22)
        pdf.set_x(x)
        if item.name:
            _font(pdf, bold=True, size=10.5)
            pdf.multi_cell(width, 5, item.name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 2)
    _font(pdf)


def _plain(markup: str) -> str:
    text = re.sub(r"<\s*(br|/p|/div|/tr|/h\d|/li)\b[^>]*>", "\n", markup, flags=re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    lines = [re.sub(r"[ \t]+", " ", html.unescape(line)).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _body_html(pdf: FPDF, markup: str) -> None:
    start_page, start_y = pdf.page, pdf.get_y()
    try:
        _font(pdf)
        pdf.write_html(markup, font_family=FAMILY, warn_on_tags_not_matching=False)
    except Exception:  # fpdf2 cannot lay this markup out: print its text rather than nothing
        if pdf.page == start_page:
            pdf.set_y(start_y)
        _font(pdf)
        pdf.multi_cell(0, LINE, _plain(markup), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _draw(doc: Document, pages_hint: int) -> tuple[bytes, int]:
    pdf = _Sheet(doc.landscape)
    pdf._expected_pages = pages_hint
    with force_locale("vi"):
        pdf.page_label = _("Trang %(page)s/%(total)s", page="{page}", total=pages_hint)
    pdf.set_title(doc.title)
    pdf.set_subject(doc.form_number or doc.title)
    pdf.set_creator("Một Cửa")
    pdf.set_lang("vi")
    pdf.add_page()
    _header(pdf, doc)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _paragraph(pdf, block)
        elif isinstance(block, Heading):
            _font(pdf)
            pdf.multi_cell(0, LINE, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, QrCode):
            _qr(pdf, block)
        elif isinstance(block, Signatures):
            _signatures(pdf, block)
    if doc.body_html:
        _body_html(pdf, str(doc.body_html))
    return bytes(pdf.output()), pdf.page


def render_pdf(doc: Document) -> bytes:
    """``doc`` as PDF bytes (A4, portrait or landscape as the document asks)."""
    data, pages = _draw(doc, 1)
    if pages > 1:  # draw again knowing the page count, for the "Trang x/y" footer
        data, _pages = _draw(doc, pages)
    return data
