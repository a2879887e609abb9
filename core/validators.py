"""Validation shared by every channel: the applicant's citizen ID number and phone (one source of rules)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

# ASCII digits only: "\d" also matches Arabic-Indic or full-width digits, which no SMS gateway or registry accepts
# and which tracking with the ASCII number would never find (SEC-17). Full-width input is folded first (NFKC).
ID_NUMBER_RE = re.compile(r"^[0-9]{12}$")
PHONE_RE = re.compile(r"^0[0-9]{9}$")
# Days typed in a query or a form: beyond these years date arithmetic overflows (year 9999 + a day) (SEC-11).
DAY_YEARS = (1900, 2199)


def parse_day(text: str) -> date:
    """An ISO date (YYYY-MM-DD) within DAY_YEARS; ValueError otherwise."""
    day = date.fromisoformat(text.strip())
    if not DAY_YEARS[0] <= day.year <= DAY_YEARS[1]:
        raise ValueError(f"year {day.year} out of range")
    return day


def normalize_phone(value: str) -> str:
    """Fold full-width digits, drop spaces, dots and dashes; turn +84 / 84 prefixes into 0."""
    digits = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def is_valid_id_number(value: str) -> bool:
    return bool(ID_NUMBER_RE.match((value or "").strip()))


def normalize_id_number(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match(normalize_phone(value)))


def id_number_validator(form, field) -> None:
    field.data = normalize_id_number(field.data or "")
    if not is_valid_id_number(field.data):
        raise ValidationError(_l("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."))


def phone_validator(form, field) -> None:
    field.data = normalize_phone(field.data or "")
    if not is_valid_phone(field.data):
        raise ValidationError(_l("Số điện thoại di động phải gồm 10 chữ số và bắt đầu bằng số 0."))


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics ('Đặng Thị Ánh' -> 'dang thi anh'), for search."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


# Legal names: letters of any alphabet (Vietnamese with its tone marks included), spaces, and the few marks names
# carry ("-", "'", "."). No digits, no "<" or ">", no emoji: a name is printed on civil-status books and certificates.
_NAME_MARKS = frozenset(" -'’.")


def is_plausible_name(value: str) -> bool:
    text = unicodedata.normalize("NFC", value or "")
    return all(ch in _NAME_MARKS or unicodedata.category(ch)[0] in "LM" for ch in text)


def person_name(form, field) -> None:
    field.data = " ".join((field.data or "").split())
    if field.data and not is_plausible_name(field.data):
        raise ValidationError(_l("Họ tên chỉ gồm chữ cái, dấu cách và các dấu - ' . (không có chữ số, ký hiệu "
                                 "hay biểu tượng)."))
