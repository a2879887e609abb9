"""PDFs of the official forms: A4, the vendored Liberation Serif fonts, Vietnamese text extractable, the QR code."""

from __future__ import annotations

import io
import re

import pytest
import segno
from pypdf import PdfReader

from core.documents.model import Document, Paragraph, Table
from core.documents.pdf import FONT_DIR, render_pdf
from tests.documents.conftest import document_url, pdf_text, vn

RECEIVED = vn(2026, 3, 3, 8, 5)
A4 = (595.28, 841.89)


def _pdf(client, code: str, form: str) -> bytes:
    response = client.get(document_url(code, form + ".pdf"))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="{form}-{code}.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF-")
    return response.data


def _size(data: bytes, page: int = 0) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(data)).pages[page].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def test_vendored_fonts_and_licence_are_present():
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert (FONT_DIR / f"LiberationSerif-{face}.ttf").stat().st_size > 100_000
    licence = (FONT_DIR / "LICENSE-Liberation.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name Liberation" in licence


def test_vendored_serif_covers_every_vietnamese_letter():
    from fontTools.ttLib import TTFont

    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = "\u0300\u0301\u0303\u0309\u0323"
    import unicodedata

    wanted = {unicodedata.normalize("NFC", base + tone) for base in letters + letters.upper() for tone in ["", *tones]}
    for face in ("Regular", "Bold", "Italic"):
        cmap = TTFont(FONT_DIR / f"LiberationSerif-{face}.ttf").getBestCmap()
        assert not [c for c in wanted if len(c) == 1 and ord(c) not in cmap], face


def test_receipt_pdf_keeps_vietnamese_text(desk, officer):
    code = desk.receive(RECEIVED)
    data = _pdf(officer, code, "receipt")
    text = pdf_text(data)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Mã hồ sơ: {code}" in text
    assert "Tiếp nhận hồ sơ của: Nguyễn Thị Hoà" in text
    assert "Đăng ký khai sinh" in text
    assert "08 giờ 05 phút, ngày 03/03/2026" in text
    assert "17 giờ 00 phút, ngày 03/03/2026" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "Mẫu số 01 (Thông tư số 03/2025/TT-VPCP)" in text
    assert _size(data) == A4
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("LiberationSerif" in name for name in fonts), fonts  # official serif (DAY-18)
    assert reader.metadata.title == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"


def _dark(pixel) -> bool:
    return pixel < 128


def test_receipt_pdf_qr_image_encodes_the_tracking_url(desk, officer):
    code = desk.receive(RECEIVED)
    data = _pdf(officer, code, "receipt")
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1
    picture = images[0].image.convert("L")
    expected = segno.make(f"http://localhost/tra-cuu?code={code}", error="m", micro=False)
    modules = expected.symbol_size(border=0)[0]
    scale = picture.width // (modules + 4)  # rendered with a border of 2 modules each side
    assert picture.width == picture.height == scale * (modules + 4)
    for r, row in enumerate(expected.matrix):
        for c, bit in enumerate(row):
            pixel = picture.getpixel(((c + 2) * scale + scale // 2, (r + 2) * scale + scale // 2))
            assert _dark(pixel) == bool(bit), (r, c)
    assert f"http://localhost/tra-cuu?code={code}" in pdf_text(data)


def test_every_form_of_a_full_life_prints(desk, officer):
    code = desk.receive(RECEIVED)
    desk.act(code, "le.tiep.nhan", "assign", vn(2026, 3, 3, 9, 0), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "request_supplement", vn(2026, 3, 3, 9, 30),
             missing_documents=["Giấy chứng sinh hoặc văn bản của người làm chứng"], reason="Bản chụp mờ")
    desk.act(code, "le.tiep.nhan", "supplement_received", vn(2026, 3, 4, 8, 0))
    desk.act(code, "tran.chuyen.vien", "apologize", vn(2026, 3, 4, 9, 0), reason="Chờ xác minh",
             new_due_at="2026-03-06T16:00:00+07:00")
    desk.act(code, "le.tiep.nhan", "withdraw", vn(2026, 3, 4, 10, 0))
    expected = {
        "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "supplement_request": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "apology": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "stop_notice": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "control_sheet": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    }
    for form, title in expected.items():
        text = pdf_text(_pdf(officer, code, form))
        assert title in text, form
        assert code in text, form
    supplement = pdf_text(_pdf(officer, code, "supplement_request"))
    assert "Giấy chứng sinh hoặc văn bản của người làm chứng" in supplement and "Lý do: Bản chụp mờ" in supplement
    apology = pdf_text(_pdf(officer, code, "apology"))
    assert "16 giờ 00 phút, ngày 06/03/2026" in apology and "Lý do: Chờ xác minh" in apology
    sheet = _pdf(officer, code, "control_sheet")
    assert _size(sheet) == (A4[1], A4[0])  # landscape
    sheet_text = pdf_text(sheet)
    for moment in ("08 giờ 05 phút", "09 giờ 00 phút", "09 giờ 30 phút", "08 giờ 00 phút, ngày 04/03/2026",
                   "10 giờ 00 phút, ngày 04/03/2026"):
        assert moment in sheet_text
    assert "Dừng xử lý theo yêu cầu rút hồ sơ" in sheet_text
    assert officer.get(document_url(code, "refusal.pdf")).status_code == 404


def test_refusal_pdf_of_the_2018_set(desk, officer):
    code = desk.receive(vn(2025, 3, 4, 8, 0))
    desk.act(code, "le.tiep.nhan", "refuse", vn(2025, 3, 4, 8, 30), reason="Thiếu tờ khai có chữ ký")
    text = pdf_text(_pdf(officer, code, "refusal"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 03 (Thông tư số 01/2018/TT-VPCP)" in text
    assert "Lý do: Thiếu tờ khai có chữ ký" in text
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text


def test_decomposed_input_prints_precomposed_text(app):
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hoa\u0300"  # NFD, as some keyboards send it
    doc = Document(key="t", title="THU\u031b\u0309", blocks=[Paragraph(decomposed, label="Ho\u0323 te\u0302n:")])
    with app.test_request_context():
        text = pdf_text(render_pdf(doc))
    assert "Nguyễn Thị Hoà" in text and "Họ tên:" in text and "THỬ" in text


def test_long_tables_break_pages_with_numbered_pages(app):
    rows = [[str(i), f"Giấy tờ số {i} có tên khá dài để xuống dòng trong ô của bảng"] for i in range(1, 121)]
    doc = Document(key="t", title="BẢNG DÀI", blocks=[Table(["STT", "Tên"], rows, widths=[1, 8])])
    with app.test_request_context():
        data = render_pdf(doc)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 2
    last = re.sub(r"\s+", " ", pages[-1].extract_text())
    assert f"Trang {len(pages)}/{len(pages)}" in last
    assert "STT Tên" in last  # the heading row repeats on every page
    assert "Giấy tờ số 120" in last


@pytest.mark.parametrize("columns,rows,widths", [
    (["A", "B"], [["1"]], []),
    (["A", "B"], [["1", "2"]], [1]),
])
def test_table_rejects_inconsistent_shapes(columns, rows, widths):
    with pytest.raises(ValueError):
        Table(columns, rows, widths=widths)


def test_documents_rendered_one_after_another_and_in_threads_keep_their_own_text(app):
    """Fonts are parsed once per process; each PDF must still carry its own glyph subset."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["Lý Thị Ỹ", "Đặng Văn Ặc", "Phạm Thị Ửng", "Hoàng Văn Ẫm", "Trịnh Ngọc Ổn", "Vương Thị Ẻo"]

    def render(name: str) -> str:
        with app.test_request_context():
            return pdf_text(render_pdf(Document(key="t", title=name.upper(), blocks=[Paragraph(name, label="Tên:")])))

    for name in names[:2]:
        assert f"Tên: {name}" in render(name)
    with ThreadPoolExecutor(max_workers=3) as pool:
        texts = list(pool.map(render, names))
    for name, text in zip(names, texts, strict=True):
        assert f"Tên: {name}" in text and name.upper() in text
        assert all(other not in text for other in names if other != name)


def test_receipt_of_a_plain_birth_registration_is_one_a4_page(desk, officer):
    """DAY-14: the receipt (every required paper listed, QR code, note, both signatures) fits one A4 sheet."""
    code = desk.receive(RECEIVED)
    data = _pdf(officer, code, "receipt")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = pdf_text(data)
    assert "Chú ý:" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Lê Thị Tiếp" in text


def test_plugin_result_paragraphs_get_the_body_line_height():
    from core.documents.pdf import HTML_LINE_HEIGHT, _spaced

    spaced = _spaced('<p>a</p><P align="center">b</p><p line-height="2">c</p><pre>d</pre>')
    assert spaced.count(f'line-height="{HTML_LINE_HEIGHT}"') == 2
    assert '<p line-height="2">c</p>' in spaced and "<pre>d</pre>" in spaced
