"""Validation shared by every channel: the applicant's citizen ID number and phone (one source of rules)."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

ID_NUMBER_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^0\d{9}$")


def normalize_phone(value: str) -> str:
    """Drop spaces, dots and dashes; turn +84 / 84 prefixes into 0."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def is_valid_id_number(value: str) -> bool:
    return bool(ID_NUMBER_RE.match((value or "").strip()))


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match(normalize_phone(value)))


def id_number_validator(form, field) -> None:
    field.data = (field.data or "").strip()
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
