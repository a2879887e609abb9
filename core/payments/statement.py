"""Bank statement import: confirm VietQR transfers from the unit's account statement (CSV or XLSX).

A row confirms a dossier's fee when its transfer note holds the dossier's code and its credited amount is exactly the
dossier's fee. Banks strip punctuation from notes ("DEMO.09319-261129-0001" may arrive as "DEMO09319 261129 0001"),
so code and note are compared on their letters and digits only. Rows that match nothing, or match a dossier of
another unit, a wrong amount or an already paid fee are reported and change nothing; importing the same statement
twice confirms nothing twice.

Columns are found by their header (Vietnamese or English, any case, with or without diacritics): the note
("Nội dung", "Diễn giải", "Mô tả", "Description", "Note", "Remark"), the credited amount ("Ghi có", "Số tiền ghi có",
"Số tiền", "Credit", "Amount") and optionally the bank's transaction number ("Số tham chiếu", "Mã giao dịch",
"Reference", "Transaction").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from itertools import islice

from flask_babel import gettext as _
from sqlalchemy import select

from core.dossiers.models import Dossier
from core.dossiers.services import ServiceError
from core.extensions import db
from core.payments import services
from core.validators import fold

MAX_ROWS = 20000
NOTE_HEADERS = ("noi dung", "dien giai", "mo ta", "description", "note", "remark", "noi dung giao dich")
AMOUNT_HEADERS = ("ghi co", "so tien ghi co", "so tien", "credit", "amount", "so tien (vnd)", "credit amount")
REFERENCE_HEADERS = ("so tham chieu", "ma giao dich", "reference", "transaction", "so giao dich", "transaction id")
# The date and running number of a dossier code (<agency>-YYMMDD-NNNN), whatever the bank left of the dashes.
CODE_TAIL_RE = re.compile(r"(\d{6})\W*(\d{4,})")


class StatementError(ValueError):
    """The file cannot be read as a statement; the message says why (Vietnamese, for the officer)."""


@dataclass
class Outcome:
    confirmed: list[tuple[int, str, str]] = field(default_factory=list)  # (row, dossier code, receipt number)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def _header_index(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [fold(str(h or "")).strip() for h in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _rows_of(filename: str, content: bytes) -> list[list]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            return [list(row) for row in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 50)]
        except Exception as exc:  # noqa: BLE001 (any unreadable workbook is the same answer)
            raise StatementError(_("Không đọc được tệp Excel (.xlsx) này.")) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError(_("Tệp CSV phải được lưu với mã UTF-8.")) from None
    # Banks export with commas, semicolons (Excel in Vietnamese) or tabs, often under a title block that defeats
    # csv.Sniffer: the separator is the one most used in the first lines.
    head = "\n".join(text.splitlines()[:30])
    delimiter = max(",;\t", key=head.count)
    try:
        return list(islice(csv.reader(io.StringIO(text), delimiter=delimiter), MAX_ROWS + 50))
    except csv.Error:  # a NUL byte, a runaway quoted field
        raise StatementError(_("Không đọc được tệp CSV này.")) from None


def parse_amount(value) -> int | None:
    """A credited amount in đồng: 8000, "8.000", "8,000", "8000.00", "8.000 VND"; None if it is none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == int(value) else None
    text = re.sub(r"(?i)\s*(vnd|đ|d|dong|đồng)\s*$", "", str(value).strip())
    text = re.sub(r"[.,]00$", "", text.replace(" ", ""))
    digits = text.replace(".", "").replace(",", "")
    return int(digits) if digits.isdigit() else None


def _header(rows: list[list]) -> tuple[int, int, int, int | None]:
    """(row index, note column, amount column, reference column) of the header: banks put a title block above it."""
    for index, header in enumerate(rows[:20]):
        note_at, amount_at = _header_index(header, NOTE_HEADERS), _header_index(header, AMOUNT_HEADERS)
        if note_at is not None and amount_at is not None:
            return index, note_at, amount_at, _header_index(header, REFERENCE_HEADERS)
    raise StatementError(_("Không tìm thấy dòng tiêu đề có cột nội dung chuyển khoản và cột số tiền ghi có."))


def _cell(row: list, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def read_statement(filename: str, content: bytes) -> list[tuple[int, str, int | None, str]]:
    """(row number, note, amount, bank reference) of every row under the header."""
    rows = _rows_of(filename, content)
    position, note_at, amount_at, reference_at = _header(rows)
    found = []
    for number, row in enumerate(rows[position + 1:], start=position + 2):
        if len(found) >= MAX_ROWS:
            raise StatementError(_("Sao kê có quá %(n)s dòng: vui lòng chia nhỏ tệp.", n=MAX_ROWS))
        if not row or all(cell in (None, "") for cell in row):
            continue
        found.append((number, str(_cell(row, note_at) or ""), parse_amount(_cell(row, amount_at)),
                      str(_cell(row, reference_at) or "")[:100]))
    return found


def _dossier_in_note(unit, note: str) -> Dossier | None:
    flat = _alnum(note)
    for day, running in CODE_TAIL_RE.findall(note or ""):
        candidates = db.session.scalars(select(Dossier).where(
            Dossier.receiving_unit_id == unit.id, Dossier.code.like(f"%{day}-{running}"))).all()
        for dossier in candidates:
            if _alnum(dossier.code) in flat:
                return dossier
    return None


def import_statement(user, unit, filename: str, content: bytes) -> Outcome:
    """Confirm every transfer of the statement that pays a fee of a dossier received at ``unit``."""
    outcome = Outcome()
    for number, note, amount, reference in read_statement(filename, content):
        if amount is None or amount <= 0:
            continue  # debits and balance lines
        dossier = _dossier_in_note(unit, note)
        if dossier is None:
            outcome.skipped.append((number, _("Không có mã hồ sơ của đơn vị trong nội dung chuyển khoản.")))
            continue
        if amount != dossier.fee:
            outcome.skipped.append((number, _("Hồ sơ %(code)s: số tiền %(amount)s khác phí, lệ phí %(fee)s.",
                                              code=dossier.code, amount=amount, fee=dossier.fee)))
            continue
        try:
            payment = services.confirm_transfer(user, dossier, via="statement",
                                                transaction_id=reference or f"sao-ke:{number}")
        except ServiceError as exc:
            outcome.skipped.append((number, f"{dossier.code}: {exc.message}"))
            continue
        outcome.confirmed.append((number, dossier.code, payment.receipt.receipt_number))
    return outcome
