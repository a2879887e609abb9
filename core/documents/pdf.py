"""A ``Document`` as an A4 PDF with fpdf2 and the vendored Liberation Serif fonts (Vietnamese text stays extractable).

Liberation Serif is metric-compatible with Times New Roman, the typeface of administrative documents (Nghị định
30/2020/NĐ-CP, Phụ lục I), and covers every Vietnamese letter; the files are Debian's fonts-liberation2 (SIL OFL 1.1,
LICENSE-Liberation.txt beside them).

The layout mirrors ``templates/documents/print.html``: form number, the two-column header (issuing body left,
national header right), place and date, title, then the blocks. Plugin result documents (``body_html``) go through
fpdf2's ``write_html``; markup it cannot lay out falls back to the plain text, so a PDF is always produced.
"""

from __future__ import annotations

import html
import re
import threading
from io import BytesIO
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from core.documents.model import DRAFT_MARK, Document, Heading, Paragraph, QrCode, Signatures, Table

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FAMILY = "LiberationSerif"
BODY_SIZE = 12
LINE = 5.5  # mm per body line: 1.3 × the body size, so stacked diacritics never touch the line above
SIGNING_SPACE = 18  # mm left blank for a hand signature (and a seal beside it)
HTML_LINE_HEIGHT = 1.4  # the same spacing for plugin result bodies (fpdf2's write_html defaults to 1.0)
_ALIGN = {"left": "L", "center": "C", "right": "R", "justify": "J"}
FONT_FILES = {"": FONT_DIR / "LiberationSerif-Regular.ttf", "B": FONT_DIR / "LiberationSerif-Bold.ttf",
              "I": FONT_DIR / "LiberationSerif-Italic.ttf", "BI": FONT_DIR / "LiberationSerif-BoldItalic.ttf"}

_prototypes: dict[str, TTFFont] = {}
_prototypes_lock = threading.Lock()


def _prototype(style: str) -> TTFFont:
    """The parsed font of ``style``, read once per process (parsing a face costs about 0.1 s)."""
    found = _prototypes.get(style)
    if found is None:
        with _prototypes_lock:
            found = _prototypes.get(style)
            if found is None:
                probe = FPDF()
                probe.add_font(FAMILY, style, str(FONT_FILES[style]))
                found = _prototypes[style] = probe.fonts[f"{FAMILY.lower()}{style}"]
    return found


def _add_font(pdf: FPDF, style: str) -> None:
    """Give ``pdf`` the face ``style`` from the parsed prototype: metrics shared, per-document state fresh.

    What fpdf2 changes while writing a document (the subset map, the font index, the fontTools object that output
    subsets in place) is new for each document; widths, glyph ids and the descriptor are read-only and shared.
    """
    prototype = _prototype(style)
    font = object.__new__(TTFFont)
    for slot in TTFFont.__slots__:
        if hasattr(prototype, slot):
            setattr(font, slot, getattr(prototype, slot))
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(str(FONT_FILES[style]), recalcTimestamp=False, lazy=True)
    for tag in ("GDEF", "GPOS", "GSUB"):  # layout tables fpdf2 drops from the subset anyway; never read them
        if tag in font.ttfont:
            del font.ttfont[tag]
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[prototype.fontkey] = font


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
        for style in FONT_FILES:
            _add_font(self, style)
        self.set_font(FAMILY, size=BODY_SIZE)
        self.page_label = ""
        self.draft = False
        self.corner_qr: QrCode | None = None
        self._turning = False

    def header(self) -> None:
        """A draft carries a large grey "DỰ THẢO" across every page, under the text; an electronic result its QR
        code in the top-right corner of the first page."""
        if self.corner_qr is not None and self.page_no() == 1:
            _corner_qr(self, self.corner_qr)
        if not self.draft:
            return
        with self.local_context():
            self.set_font(FAMILY, "B", 80)
            self.set_text_color(215)
            width = self.get_string_width(DRAFT_MARK)
            with self.rotation(angle=35, x=self.w / 2, y=self.h / 2):
                self.text(self.w / 2 - width / 2, self.h / 2 + 10, DRAFT_MARK)

    def add_page(self, *args, **kwargs) -> None:
        self._turning = self.page > 0  # the footer of the page being closed knows a next page follows
        super().add_page(*args, **kwargs)
        self._turning = False

    def footer(self) -> None:
        """"Trang x/y" on documents of more than one page (y is fpdf2's page-count alias)."""
        if getattr(self, "_turning", False) or self.page_no() > 1:
            self.set_y(-10)
            self.set_font(FAMILY, size=8)
            self.cell(0, 4, self.page_label.replace("{page}", str(self.page_no())), align="C")


def _font(pdf: FPDF, bold: bool = False, size: float = BODY_SIZE, italic: bool = False) -> None:
    pdf.set_font(FAMILY, ("B" if bold else "") + ("I" if italic else ""), size)


def _rule(pdf: FPDF, x: float, width: float, fraction: float) -> None:
    length = width * fraction
    y = pdf.get_y() + 0.8
    pdf.line(x + (width - length) / 2, y, x + (width + length) / 2, y)
    pdf.set_y(y + 1.5)


def _header(pdf: FPDF, doc: Document) -> None:
    if doc.draft:
        with force_locale("vi"):
            note = _("DỰ THẢO — chưa phê duyệt, không có giá trị pháp lý")
        _font(pdf, bold=True, size=11)
        pdf.set_text_color(161, 17, 26)
        pdf.multi_cell(0, 6, note, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        pdf.ln(1)
    if doc.form_number:
        _font(pdf, size=10, italic=True)
        text = f"{doc.form_number} ({doc.circular})" if doc.circular else doc.form_number
        pdf.cell(0, 4, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y() + 1
    left_w = pdf.epw * 0.42  # the national header fits one line at 12 pt on the right
    right_w = pdf.epw - left_w
    x0 = pdf.l_margin
    pdf.set_xy(x0, top)
    for i, line in enumerate(doc.agency_lines):
        _font(pdf, bold=not (i == 0 and len(doc.agency_lines) > 1), size=12)
        pdf.set_x(x0)
        pdf.multi_cell(left_w, 5.4, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _rule(pdf, x0, left_w, 0.35)
    for line in doc.reference_lines:
        _font(pdf, size=11.5)
        pdf.set_x(x0)
        pdf.multi_cell(left_w, 5.2, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_end = pdf.get_y()
    pdf.set_xy(x0 + left_w, top)
    for i, line in enumerate(doc.national_header):
        _font(pdf, bold=True, size=12 if i == 0 else 13)
        pdf.set_x(x0 + left_w)
        pdf.multi_cell(right_w, 5.4, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _rule(pdf, x0 + left_w, right_w, 0.5)
    pdf.set_y(max(left_end, pdf.get_y()) + 2)
    if doc.place_date:
        _font(pdf, size=12, italic=True)
        pdf.multi_cell(0, LINE, doc.place_date, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    _font(pdf, bold=True, size=13.5)
    pdf.multi_cell(0, 6.6, doc.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for line in doc.subtitle_lines:
        _font(pdf, size=12, italic=True)
        pdf.multi_cell(0, LINE, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    italic = block.italic
    if not block.label:
        _font(pdf, bold=block.strong, italic=italic)
        pdf.multi_cell(0, LINE, block.text, align=_ALIGN.get(block.align, "L"), new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        return
    label, text = block.label + " ", block.text
    if block.align == "center":
        _font(pdf, italic=italic)
        width = pdf.get_string_width(label)
        _font(pdf, bold=block.strong, italic=italic)
        width += pdf.get_string_width(text)
        if width < pdf.epw:
            pdf.set_x(pdf.l_margin + (pdf.epw - width) / 2)
    _font(pdf, italic=italic)
    pdf.write(LINE, label)
    _font(pdf, bold=block.strong, italic=italic)
    pdf.write(LINE, text)
    pdf.ln(LINE)


def _width(pdf: FPDF, text: str) -> float:
    """Width of ``text`` in the current font (the same sum fpdf2 makes, without its per-call text parsing)."""
    widths = pdf.current_font.cw
    return sum(widths[ord(c)] for c in text) * pdf.font_size_pt * 0.001 / pdf.k


def _break_word(pdf: FPDF, word: str, width: float) -> list[str]:
    """Pieces of a word wider than ``width``, cut after a hyphen or dot when one fits (dossier codes)."""
    pieces = []
    while word and _width(pdf, word) > width:
        cut = len(word) - 1
        while cut > 1 and _width(pdf, word[:cut]) > width:
            cut -= 1
        soft = max(word.rfind("-", 0, cut), word.rfind(".", 0, cut))
        if soft > 0:
            cut = soft + 1
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces + ([word] if word else [])


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` in the current font (explicit newlines kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if _width(pdf, candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _break_word(pdf, word, width)
            lines.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
        lines.append(current)
    return lines


class _Grid:
    """A table drawn line by line (fpdf2's own table lays every cell out twice and is slow on long registers)."""

    PAD = 1.0

    def __init__(self, pdf: FPDF, block: Table) -> None:
        self.pdf, self.block = pdf, block
        total = sum(block.widths)
        self.widths = [pdf.epw * w / total for w in block.widths]
        self.size = block.font_size
        self.line = block.font_size * 0.5  # 1.4 × the cell font size, in mm

    def _layout(self, cells: list[str], bold: bool, spans: list[int] | None = None) -> tuple[list, float]:
        _font(self.pdf, bold=bold, size=self.size)
        spans = spans or [1] * len(cells)
        laid, index = [], 0
        for cell, span in zip(cells, spans, strict=True):
            width = sum(self.widths[index:index + span])
            laid.append((width, _wrap(self.pdf, cell, width - 2 * self.PAD)))
            index += span
        height = max(len(lines) for _w, lines in laid) * self.line + 2 * self.PAD
        return laid, height

    def _draw(self, laid: list, height: float, aligns: list[str], bold: bool, middle: bool) -> None:
        pdf = self.pdf
        _font(pdf, bold=bold, size=self.size)
        x, top = pdf.l_margin, pdf.get_y()
        for (width, lines), align in zip(laid, aligns, strict=True):
            pdf.rect(x, top, width, height)
            offset = (height - 2 * self.PAD - len(lines) * self.line) / 2 if middle else 0
            for i, line in enumerate(lines):
                if not line:
                    continue
                baseline = top + self.PAD + offset + i * self.line + self.line / 2 + pdf.font_size * 0.35
                room = width - 2 * self.PAD
                shift = {"center": (room - _width(pdf, line)) / 2,
                         "right": room - _width(pdf, line)}.get(align, 0)
                pdf.text(x + self.PAD + shift, baseline, line)
            x += width
        pdf.set_y(top + height)

    def _heading(self) -> None:
        laid, height = self._layout(self.block.columns, bold=True)
        self._draw(laid, height, ["center"] * len(laid), bold=True, middle=True)

    def _fits(self, height: float) -> bool:
        return self.pdf.get_y() + height <= self.pdf.page_break_trigger

    def render(self) -> None:
        pdf, block = self.pdf, self.block
        _laid, heading_height = self._layout(block.columns, bold=True)
        if not self._fits(heading_height + self.line + 2 * self.PAD):
            pdf.add_page()
        self._heading()
        rows = [(cells, None, block.align) for cells in block.rows]
        if not block.rows and block.empty_text:
            rows = [([block.empty_text], [len(block.columns)], ["center"])]
        for cells, spans, aligns in rows:
            laid, height = self._layout(cells, bold=False, spans=spans)
            if not self._fits(height) and pdf.get_y() > pdf.t_margin + heading_height + 1:
                pdf.add_page()
                self._heading()
            self._draw(laid, height, aligns, bold=False, middle=False)


def _table(pdf: FPDF, block: Table) -> None:
    _Grid(pdf, block).render()
    _font(pdf)
    pdf.ln(1.5)


def _qr(pdf: FPDF, block: QrCode) -> None:
    from core.documents.render import qr_code

    size = 24
    if pdf.get_y() + size > pdf.page_break_trigger:
        pdf.add_page()
    image = BytesIO()
    qr_code(block.data).save(image, kind="png", scale=8, border=2)
    image.seek(0)
    top = pdf.get_y() + 1
    pdf.image(image, x=pdf.l_margin, y=top, w=size, h=size)
    _font(pdf, size=11)
    pdf.set_xy(pdf.l_margin + size + 4, top + size / 2 - 5)
    pdf.multi_cell(pdf.epw - size - 4, 5.2, block.caption, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top + size + 2)
    _font(pdf)


CORNER_QR = 17  # mm: fits the top margin of both orientations (20 and 15 mm) with its caption beside it


def _corner_qr(pdf: FPDF, block: QrCode) -> None:
    """``block`` in the top-right corner, inside the margin, its caption in small type to its left."""
    from core.documents.render import qr_code

    size = min(CORNER_QR, pdf.t_margin - 1)
    image = BytesIO()
    qr_code(block.data).save(image, kind="png", scale=6, border=1)
    image.seek(0)
    x, saved = pdf.w - pdf.r_margin - size, (pdf.get_x(), pdf.get_y())
    with pdf.local_context():
        pdf.image(image, x=x, y=1, w=size, h=size)
        if block.caption:
            _font(pdf, size=7, italic=True)
            pdf.set_xy(x - 62, 1 + size / 2 - 4)
            pdf.multi_cell(60, 3, block.caption, align="R")
    pdf.set_xy(*saved)  # the page's text starts at the top margin as on any other paper


def _signatures(pdf: FPDF, block: Signatures) -> None:
    if not block.items:
        return
    dated = any(item.date_line for item in block.items)
    needed = 2 + 5.6 * (3 if dated else 2) + 5.4 + SIGNING_SPACE  # gap, date, title, hint, space, name
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2)
    count = len(block.items)
    width = pdf.epw / max(count, 2)
    start = pdf.l_margin + (pdf.epw / 2 if count == 1 else 0)
    top = pdf.get_y()
    bottom = top
    for i, item in enumerate(block.items):
        x = start + i * width
        pdf.set_xy(x, top)
        if item.date_line:
            _font(pdf, size=12, italic=True)
            pdf.multi_cell(width, 5.6, item.date_line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        _font(pdf, bold=True, size=12)
        pdf.multi_cell(width, 5.6, item.title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if item.hint:
            _font(pdf, size=11.5, italic=True)
            pdf.multi_cell(width, 5.4, item.hint, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_y(pdf.get_y() + SIGNING_SPACE)
        pdf.set_x(x)
        if item.name:
            _font(pdf, bold=True, size=12)
            pdf.multi_cell(width, 5.6, item.name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 2)
    _font(pdf)


def _plain(markup: str) -> str:
    text = re.sub(r"<\s*(br|/p|/div|/tr|/h\d|/li)\b[^>]*>", "\n", markup, flags=re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    lines = [re.sub(r"[ \t]+", " ", html.unescape(line)).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _spaced(markup: str) -> str:
    """``markup`` with the body line height on every paragraph that does not set its own."""
    return re.sub(r"<p(?=[\s>])(?![^>]*line-height)", f'<p line-height="{HTML_LINE_HEIGHT}"', markup, flags=re.I)


def _body_html(pdf: FPDF, markup: str) -> None:
    start_page, start_y = pdf.page, pdf.get_y()
    try:
        _font(pdf)
        pdf.write_html(_spaced(markup), font_family=FAMILY, warn_on_tags_not_matching=False)
    except Exception:  # fpdf2 cannot lay this markup out: print its text rather than nothing
        if pdf.page == start_page:
            pdf.set_y(start_y)
        _font(pdf)
        pdf.multi_cell(0, LINE, _plain(markup), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(doc: Document) -> bytes:
    """``doc`` as PDF bytes (A4, portrait or landscape as the document asks)."""
    pdf = _Sheet(doc.landscape)
    pdf.draft = doc.draft
    pdf.corner_qr = doc.corner_qr
    with force_locale("vi"):
        pdf.page_label = _("Trang %(page)s/%(total)s", page="{page}", total=pdf.str_alias_nb_pages)
    pdf.set_title(doc.title)
    pdf.set_subject(doc.form_number or doc.title)
    pdf.set_creator("Một Cửa")
    pdf.set_lang("vi")
    pdf.add_page()
    _header(pdf, doc)
    _blocks(pdf, doc.blocks)
    if doc.body_html:
        _body_html(pdf, str(doc.body_html))
    return bytes(pdf.output())


def _blocks(pdf: FPDF, blocks: list) -> None:
    for block in blocks:
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
