"""The small document model every official form is built into.

One source of content: a form builder (core/documents/forms.py) returns a ``Document``; ``render.py`` turns it into
printable HTML through one Jinja template and ``pdf.py`` into a PDF through one fpdf2 renderer. Blocks are plain
dataclasses; ``kind`` tells the renderers which one they hold. All text is NFC-normalised on the way in so that
Vietnamese diacritics print as precomposed characters (and come back out of the PDF unchanged).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

DRAFT_MARK = "DỰ THẢO"  # printed on a result previewed before approval (not translated: the paper is Vietnamese)


def nfc(value: object) -> str:
    """``value`` as text in Unicode NFC ("" for None)."""
    return unicodedata.normalize("NFC", "" if value is None else str(value))


@dataclass
class Paragraph:
    """A run of text; ``label`` (optional) is printed before it, ``text`` after it in bold when ``strong``."""

    text: str
    label: str = ""
    strong: bool = False
    italic: bool = False
    align: str = "left"  # left | center | right | justify
    kind: str = "paragraph"

    def __post_init__(self) -> None:
        self.text, self.label = nfc(self.text), nfc(self.label)


@dataclass
class Heading:
    """A numbered section heading inside the body, e.g. "1. Thành phần hồ sơ"."""

    text: str
    kind: str = "heading"

    def __post_init__(self) -> None:
        self.text = nfc(self.text)


@dataclass
class Table:
    """A table with a header row; ``widths`` are relative column widths (same length as ``columns``)."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)
    align: list[str] = field(default_factory=list)  # per column: left | center | right
    font_size: float = 10
    empty_text: str = ""
    kind: str = "table"

    def __post_init__(self) -> None:
        self.columns = [nfc(c) for c in self.columns]
        self.rows = [[nfc(c) for c in row] for row in self.rows]
        if not self.widths:
            self.widths = [1.0] * len(self.columns)
        if not self.align:
            self.align = ["left"] * len(self.columns)
        self.empty_text = nfc(self.empty_text)
        if len(self.widths) != len(self.columns) or len(self.align) != len(self.columns):
            raise ValueError("a table needs one width and one alignment per column")
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("every table row needs one cell per column")


@dataclass
class Signature:
    """One signature column: who signs, the usual hint "(Ký, ghi rõ họ tên)", and the name when known."""

    title: str
    hint: str = ""
    name: str = ""
    date_line: str = ""

    def __post_init__(self) -> None:
        self.title, self.hint, self.name, self.date_line = (nfc(self.title), nfc(self.hint), nfc(self.name),
                                                            nfc(self.date_line))


@dataclass
class Signatures:
    """Signature columns side by side (one column is placed on the right, as on Vietnamese forms)."""

    items: list[Signature]
    kind: str = "signatures"


@dataclass
class QrCode:
    """A QR code of ``data`` with a caption; HTML shows it as inline SVG, the PDF as a PNG image."""

    data: str
    caption: str = ""
    kind: str = "qr"

    def __post_init__(self) -> None:
        self.caption = nfc(self.caption)


@dataclass
class Document:
    """A printable official document.

    ``agency_lines`` go top-left (the governing body, then the issuing unit in bold), ``reference_lines`` under them
    (e.g. "Mã hồ sơ: …"), the national header top-right, ``place_date`` right-aligned in italics, then the title,
    ``subtitle_lines`` and the ``blocks``. ``body_html`` (plugin result documents) is rendered after the blocks.
    """

    key: str
    title: str
    form_number: str = ""  # "Mẫu số 01" (empty when the form is not numbered in its set)
    circular: str = ""  # "Thông tư số 01/2018/TT-VPCP"
    agency_lines: list[str] = field(default_factory=list)
    reference_lines: list[str] = field(default_factory=list)
    place_date: str = ""
    subtitle_lines: list[str] = field(default_factory=list)
    blocks: list = field(default_factory=list)
    landscape: bool = False
    filename: str = "document"
    body_html: str = ""
    national_header: tuple[str, str] = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    draft: bool = False  # a result not yet approved: both renderers mark it "DỰ THẢO" (draft)
    # The QR code of an electronic result, printed in the top-right corner of the first page (PDF only), in the
    # margin above the national header, so it never pushes the text onto another page.
    corner_qr: QrCode | None = None

    def __post_init__(self) -> None:
        self.title = nfc(self.title)
        self.form_number, self.circular, self.place_date = (nfc(self.form_number), nfc(self.circular),
                                                            nfc(self.place_date))
        self.agency_lines = [nfc(x) for x in self.agency_lines]
        self.reference_lines = [nfc(x) for x in self.reference_lines]
        self.subtitle_lines = [nfc(x) for x in self.subtitle_lines]

    def text_lines(self) -> list[str]:
        """Every visible text of the document in order (used by tests and for a plain-text fallback)."""
        lines = [DRAFT_MARK if self.draft else "", self.form_number, self.circular, *self.agency_lines,
                 *self.reference_lines, *self.national_header, self.place_date, self.title, *self.subtitle_lines]
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(f"{block.label} {block.text}".strip())
            elif isinstance(block, Heading):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.append(" | ".join(block.columns))
                lines.extend(" | ".join(row) for row in block.rows)
            elif isinstance(block, Signatures):
                for item in block.items:
                    lines.extend([item.date_line, item.title, item.hint, item.name])
            elif isinstance(block, QrCode):
                lines.append(block.caption)
        return [line for line in lines if line]
