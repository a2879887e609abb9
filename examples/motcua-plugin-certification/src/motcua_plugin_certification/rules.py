"""Pure rules of certification (chứng thực): fees and the checks that can be made from the form.

Legal basis: Decree 23/2015/NĐ-CP (art. 7: done the same day, the next working day when received after 15:00;
art. 20: a paper issued abroad must be consular-legalised; art. 24: the signer signs in front of the officer) and
the fee circular (Circular 226/2016/TT-BTC as amended): copies 2,000 đ per page for the first two pages, 1,000 đ
per page from the third, at most 200,000 đ per copy; signature certification 10,000 đ per case.

No Flask app, no database: easy to test (see tests/test_rules.py).
"""

from __future__ import annotations

import calendar
from datetime import date

from core.plugins import Issue
from flask_babel import lazy_gettext as _l

FIRST_PAGES = 2
FIRST_PAGE_FEE = 2000
NEXT_PAGE_FEE = 1000
MAX_FEE_PER_COPY = 200_000
SIGNATURE_FEE = 10_000
ADULT_AGE = 18


def copy_fee(pages: int, copies: int) -> int:
    """Fee in đồng for ``copies`` certified copies of a ``pages``-page original.

    Raises ``ValueError`` when ``pages`` or ``copies`` is below 1 (the form prevents it).
    """
    if pages < 1 or copies < 1:
        raise ValueError("pages and copies must be at least 1")
    per_copy = min(FIRST_PAGES, pages) * FIRST_PAGE_FEE + max(0, pages - FIRST_PAGES) * NEXT_PAGE_FEE
    return copies * min(per_copy, MAX_FEE_PER_COPY)


def check_copy(issued_abroad: bool) -> list[Issue]:
    """An original issued abroad needs consular legalisation first (unless a treaty exempts it): a warning."""
    if issued_abroad:
        return [Issue("issued_abroad", _l("Giấy tờ do cơ quan nước ngoài cấp phải được hợp pháp hóa lãnh sự, trừ "
                                          "trường hợp được miễn."), "warning", "consular_legalisation")]
    return []


def _full_years(birth: date, on: date) -> int:
    month_day = (birth.month, birth.day)
    if month_day == (2, 29) and not calendar.isleap(on.year):
        month_day = (2, 28)
    return on.year - birth.year - (1 if (on.month, on.day) < month_day else 0)


def check_signature(signer_birth_date: date | None, on: date) -> list[Issue]:
    """A signer under 18 is not refused outright, but the officer must check their capacity for this paper."""
    if signer_birth_date is not None and signer_birth_date > on:
        return [Issue("signer_birth_date", _l("Ngày sinh không được sau ngày yêu cầu."), "error", "birth_in_future")]
    if signer_birth_date is not None and _full_years(signer_birth_date, on) < ADULT_AGE:
        return [Issue("signer_birth_date", _l("Người yêu cầu chưa đủ 18 tuổi: kiểm tra năng lực hành vi dân sự."),
                      "warning", "signer_under_18")]
    return []
