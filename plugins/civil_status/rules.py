"""Pure rules of the civil-status (hộ tịch) field: ages, registration deadlines, marriage conditions and fees.

Legal basis: Law on Civil Status 2014 (60/2014/QH13) art. 15 (birth within 60 days) and art. 33 (death within
15 days); Law on Marriage and Family 2014 art. 8 (man from full 20, woman from full 18) and art. 5 (no marriage while
married); Decree 123/2015/NĐ-CP art. 23 (marital-status certificate valid 6 months); provincial fee resolutions
(late registration and certified copies, typically 8,000 đ; exempt: poor households, people with disabilities,
families of people with meritorious service).

Counting days (Civil Code 2015 art. 147): the day of the event is not counted, so "within 60 days of birth" means
``registered_on - birth_date <= 60 days``: registering on day 60 after the birth is on time, on day 61 it is late.

Everything here is pure: no Flask app, no database. Rules return ``Issue`` objects and never raise for a business
rule violation; they raise ``ValueError`` only for programming errors (e.g. a copy count below 1).
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date

from flask_babel import lazy_gettext as _l

from core.plugins import Issue
from core.plugins.api import add_months, full_years

BIRTH_REGISTRATION_DAYS = 60
DEATH_REGISTRATION_DAYS = 15
MIN_MARRIAGE_AGE = {"male": 20, "female": 18}
MARITAL_STATUS_CERTIFICATE_MONTHS = 6
DEFAULT_LATE_FEE = 8000
DEFAULT_COPY_FEE = 8000

EXEMPTION_CHOICES = [
    ("poor_household", _l("Hộ nghèo")),
    ("disability", _l("Người khuyết tật")),
    ("meritorious_family", _l("Gia đình người có công với cách mạng")),
]


# --- birth -----------------------------------------------------------------------------------------------------


def is_late_birth_registration(birth_date: date, registered_on: date) -> bool:
    """True when the birth is registered more than 60 days after it (day 60 is on time, day 61 is late)."""
    return (registered_on - birth_date).days > BIRTH_REGISTRATION_DAYS


def _late_message(kind_days: int, fee_charged: bool, birth: bool):
    if birth:
        return (_l("Đăng ký khai sinh quá hạn %(days)s ngày kể từ ngày sinh; thu lệ phí đăng ký quá hạn.",
                   days=kind_days) if fee_charged else
                _l("Đăng ký khai sinh quá hạn %(days)s ngày kể từ ngày sinh; được miễn lệ phí.", days=kind_days))
    return (_l("Đăng ký khai tử quá hạn %(days)s ngày kể từ ngày chết; thu lệ phí đăng ký quá hạn.",
               days=kind_days) if fee_charged else
            _l("Đăng ký khai tử quá hạn %(days)s ngày kể từ ngày chết; được miễn lệ phí.", days=kind_days))


def check_birth(child_birth_date: date, registered_on: date, fee_charged: bool = True) -> list[Issue]:
    """Validate a birth registration: a birth date in the future is an error, a late registration a warning.

    ``fee_charged`` is False when the late fee is waived (an exempt applicant, or a unit whose fee is 0): the warning
    then says so instead of announcing a fee (LAW-15).
    """
    if child_birth_date > registered_on:
        return [
            Issue(
                "child_birth_date",
                _l("Ngày sinh không được sau ngày đăng ký."),
                "error",
                "birth_date_in_future",
            )
        ]
    if is_late_birth_registration(child_birth_date, registered_on):
        return [
            Issue(
                "child_birth_date",
                _late_message(BIRTH_REGISTRATION_DAYS, fee_charged, birth=True),
                "warning",
                "late_birth_registration",
            )
        ]
    return []


def birth_registration_fee(
    child_birth_date: date, registered_on: date, exempt: bool, late_fee: int = DEFAULT_LATE_FEE
) -> int:
    """Fee in đồng: free on time or for exempt people; ``late_fee`` (set by the provincial council) when late."""
    if exempt or not is_late_birth_registration(child_birth_date, registered_on):
        return 0
    return late_fee


# --- death -----------------------------------------------------------------------------------------------------


def is_late_death_registration(death_date: date, registered_on: date) -> bool:
    """True when the death is registered more than 15 days after it (day 15 is on time, day 16 is late)."""
    return (registered_on - death_date).days > DEATH_REGISTRATION_DAYS


def check_death(deceased_birth_date: date | None, death_date: date, registered_on: date,
                fee_charged: bool = True) -> list[Issue]:
    """Validate a death registration.

    Errors: the death date is after the registration date; the death date is before the birth date (when the birth
    date is known, ``None`` otherwise). Warning: registered more than 15 days after the death.
    """
    issues: list[Issue] = []
    if death_date > registered_on:
        issues.append(
            Issue("death_date", _l("Ngày chết không được sau ngày đăng ký."), "error", "death_date_in_future")
        )
    if deceased_birth_date is not None and death_date < deceased_birth_date:
        issues.append(Issue("death_date", _l("Ngày chết không được trước ngày sinh."), "error", "death_before_birth"))
    if not issues and is_late_death_registration(death_date, registered_on):
        issues.append(
            Issue(
                "death_date",
                _late_message(DEATH_REGISTRATION_DAYS, fee_charged, birth=False),
                "warning",
                "late_death_registration",
            )
        )
    return issues


def death_registration_fee(
    death_date: date, registered_on: date, exempt: bool, late_fee: int = DEFAULT_LATE_FEE
) -> int:
    """Fee in đồng: free within 15 days or for exempt people; ``late_fee`` when late."""
    if exempt or not is_late_death_registration(death_date, registered_on):
        return 0
    return late_fee


# --- marriage --------------------------------------------------------------------------------------------------


def _normalise_id(id_number: str | None) -> str:
    return "".join((id_number or "").split())


def check_marriage(
    female_birth_date: date,
    male_birth_date: date,
    female_id_number: str,
    male_id_number: str,
    registered_on: date,
    currently_married_ids: Set[str] = frozenset(),
) -> list[Issue]:
    """Validate the marriage conditions checkable from data (Law on Marriage and Family 2014 art. 5 and 8).

    - the man is at least 20 and the woman at least 18 full years old on ``registered_on`` (a man whose 20th
      birthday is today is accepted, one day short is refused);
    - the two parties have different ID numbers (whitespace ignored);
    - neither party's ID number is in ``currently_married_ids`` (people the civil-status DB shows as married).
    Field names in the issues are the parameter names.
    """
    issues: list[Issue] = []
    if full_years(male_birth_date, registered_on) < MIN_MARRIAGE_AGE["male"]:
        issues.append(
            Issue(
                "male_birth_date",
                _l("Bên nam chưa đủ %(age)s tuổi.", age=MIN_MARRIAGE_AGE["male"]),
                "error",
                "male_under_marriage_age",
            )
        )
    if full_years(female_birth_date, registered_on) < MIN_MARRIAGE_AGE["female"]:
        issues.append(
            Issue(
                "female_birth_date",
                _l("Bên nữ chưa đủ %(age)s tuổi.", age=MIN_MARRIAGE_AGE["female"]),
                "error",
                "female_under_marriage_age",
            )
        )
    female_id, male_id = _normalise_id(female_id_number), _normalise_id(male_id_number)
    if female_id and female_id == male_id:
        issues.append(
            Issue(
                "male_id_number",
                _l("Số định danh cá nhân của hai bên trùng nhau."),
                "error",
                "same_id_number",
            )
        )
    married = {_normalise_id(i) for i in currently_married_ids}
    for field, id_number, code in (
        ("female_id_number", female_id, "female_currently_married"),
        ("male_id_number", male_id, "male_currently_married"),
    ):
        if id_number and id_number in married:
            message = _l("Bên nữ đang có vợ/chồng.") if field.startswith("female") else _l("Bên nam đang có vợ/chồng.")
            issues.append(Issue(field, message, "error", code))
    return issues


def marital_status_certificate_valid_until(issued_on: date) -> date:
    """Last day of validity of a marital-status certificate: 6 months after issue (Decree 123/2015 art. 23).

    Month ends are clamped: issued 31/8 → valid until 28/2 (29/2 in a leap year).
    """
    return add_months(issued_on, MARITAL_STATUS_CERTIFICATE_MONTHS)


# --- copies ----------------------------------------------------------------------------------------------------


def extract_copy_fee(copies: int, exempt: bool, per_copy: int = DEFAULT_COPY_FEE) -> int:
    """Fee in đồng for certified copies of civil-status extracts: ``per_copy`` each, 0 when exempt.

    Raises ``ValueError`` when ``copies`` is below 1 (a programming or form error, not a business rule).
    """
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise ValueError(f"copies must be an integer >= 1, got {copies!r}")
    return 0 if exempt else copies * per_copy


# --- dates in words --------------------------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _tens_in_words(n: int, after_higher: bool) -> str:
    """0–99 in words; ``after_higher`` when a hundreds/thousands part precedes (05 → "linh năm")."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        if unit == 0:
            return ""
        return f"linh {_DIGITS[unit]}" if after_higher else _DIGITS[unit]
    head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens > 1:
        tail = "mốt"
    else:
        tail = _DIGITS[unit]
    return f"{head} {tail}"


def number_in_words(n: int) -> str:
    """A whole number from 0 to 9999 in Vietnamese words, as written on civil-status papers.

    2026 → "hai nghìn không trăm hai mươi sáu"; 2005 → "hai nghìn không trăm linh năm"; 15 → "mười lăm";
    21 → "hai mươi mốt". Raises ``ValueError`` outside 0–9999.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 9999:
        raise ValueError(f"number out of range 0-9999: {n!r}")
    if n == 0:
        return _DIGITS[0]
    thousands, rest = divmod(n, 1000)
    hundreds, tens = divmod(rest, 100)
    parts = []
    if thousands:
        parts.append(f"{_DIGITS[thousands]} nghìn")
    if hundreds or (thousands and tens):
        parts.append(f"{_DIGITS[hundreds]} trăm")
    tail = _tens_in_words(tens, after_higher=bool(parts))
    if tail:
        parts.append(tail)
    return " ".join(parts)


def date_in_words(d: date) -> str:
    """A date written in words ("ghi bằng chữ") on the birth extract.

    5/3/2026 → "Ngày năm, tháng ba, năm hai nghìn không trăm hai mươi sáu".
    """
    return f"Ngày {number_in_words(d.day)}, tháng {number_in_words(d.month)}, năm {number_in_words(d.year)}"
