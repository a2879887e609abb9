"""Pure rules of the social-welfare (bảo trợ xã hội) field: monthly allowance coefficients, social pension, funeral
support.

Legal basis:
- Decree 20/2021/NĐ-CP art. 5 (who receives the monthly social allowance), art. 6 (coefficients; only the highest
  applies, art. 6(2)), art. 8 (public posting of the review result for 2 working days), art. 11 (funeral support of
  at least 20 × the base rate);
- Decree 76/2024/NĐ-CP: base rate (mức chuẩn trợ giúp xã hội) 500,000 đ/month from 1/7/2024; provinces may set more;
- Law on Social Insurance 2024 + Decree 176/2025/NĐ-CP: social pension (trợ cấp hưu trí xã hội) from 1/7/2025 for
  people without a pension or monthly social-insurance benefit from full 75, or from full 70 to under 75 for members
  of poor or near-poor households; 500,000 đ a month; when the recipient dies, funeral support of 10,000,000 đ.
  Sources read (third-party copies, Decree 176 as quoted): dantri.com.vn 09/11/2025 "Trình tự thủ tục để được hưởng
  trợ cấp hưu trí xã hội" and 07/11/2025 "Chi tiết chế độ mai táng phí của người hưởng hưu trí xã hội"; the
  procedure 1.014027 as published by a commune (nghiahung.ninhbinh.gov.vn): 10 working days, the commune chairman
  decides, and answers in writing with the reasons when the applicant is not eligible.
- Decree 147/2025/NĐ-CP art. 5(1): from 1/7/2025 the commune chairman decides the monthly social allowance; art. 5(2)
  as quoted by the press (vietnam.vn / Báo Bình Dương 24/06/2025): 10 working days from receiving the request, and a
  written answer with the reasons when not eligible.

Ages are in full years on the application date (the birthday counts; 29 February birthdays are reached on
28 February in non-leap years, as in the civil-status plugin). "Child" (trẻ em) means under 16 (Law on Children
2016 art. 1), "elderly" (người cao tuổi) full 60 or more (Law on the Elderly 2009 art. 2).

Everything here is pure: no Flask app, no database. Rules return ``Issue`` objects and never raise for a business
rule violation; they raise ``ValueError`` only for programming errors (an unknown category code passed to
``coefficient``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from core.plugins import Issue
from core.plugins.api import full_years

DEFAULT_BASE_RATE = 500_000
SOCIAL_PENSION_AGE = 75
SOCIAL_PENSION_POOR_HOUSEHOLD_AGE = 70  # members of poor or near-poor households, from full 70 to under 75
SOCIAL_PENSION_AMOUNT = 500_000  # đ/month (Decree 176/2025)
SOCIAL_PENSION_FUNERAL_SUPPORT = 10_000_000  # đ, when a social-pension recipient dies (Decree 176/2025)
SOCIAL_PENSION_EFFECTIVE_FROM = date(2025, 7, 1)
FUNERAL_SUPPORT_MULTIPLIER = 20
POSTING_WORKING_DAYS = 2

CHILD_AGE_LIMIT = 16  # trẻ em: under 16
ELDERLY_AGE = 60  # người cao tuổi: full 60 or more

SINGLE_PARENT = "single_parent_poor"


def _child_or_elderly(age: int) -> bool:
    return age < CHILD_AGE_LIMIT or age >= ELDERLY_AGE


@dataclass(frozen=True)
class Category:
    """One beneficiary category of Decree 20/2021 art. 5 with its art. 6 coefficient rule.

    ``rule(age, children)`` returns the coefficient. ``min_age``/``max_age`` are the eligible ages in full years,
    both inclusive (``None`` = no bound). ``stacks_with_single_parent`` marks the categories of art. 5(5), (6) and
    (8) which a poor single parent receives *in addition to* the single-parent allowance (art. 6(2)).
    """

    code: str
    label: str
    basis: str
    rule: Callable[[int, int], float]
    min_age: int | None = None
    max_age: int | None = None
    stacks_with_single_parent: bool = False

    def age_allowed(self, age: int) -> bool:
        """Whether ``age`` (full years) is within this category's age range."""
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)


CATEGORIES: list[Category] = [
    Category(
        "orphan_child",
        _l("Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng"),
        "NĐ 20/2021 Đ5 k1; Đ6 k1 a",
        lambda age, children: 2.5 if age < 4 else 1.5,
        max_age=15,
    ),
    Category(
        "child_16_22_studying",
        _l("Người từ 16 đến 22 tuổi không có nguồn nuôi dưỡng đang đi học"),
        "NĐ 20/2021 Đ5 k2; Đ6 k1 b",
        lambda age, children: 1.5,
        min_age=16,
        max_age=22,
    ),
    Category(
        "child_hiv_poor",
        _l("Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo"),
        "NĐ 20/2021 Đ5 k3; Đ6 k1 c",
        # Art. 6(1)(c): 2.5 under 4, 2.0 from full 4 to under 16.
        lambda age, children: 2.5 if age < 4 else 2.0,
        max_age=15,
    ),
    Category(
        SINGLE_PARENT,
        _l("Người đơn thân nghèo đang nuôi con"),
        "NĐ 20/2021 Đ5 k4; Đ6 k1 d",
        lambda age, children: 1.0 * children,
    ),
    Category(
        "elderly_poor_no_support",
        _l("Người cao tuổi thuộc hộ nghèo không có người phụng dưỡng"),
        "NĐ 20/2021 Đ5 k5 a; Đ6 k1 đ",
        lambda age, children: 2.0 if age >= 80 else 1.5,
        min_age=ELDERLY_AGE,
        stacks_with_single_parent=True,
    ),
    Category(
        "elderly_75_80_disadvantaged",
        _l("Người từ đủ 75 tuổi đến 80 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn"),
        "NĐ 20/2021 Đ5 k5 b; Đ6 k1 đ",
        lambda age, children: 1.0,
        min_age=75,
        max_age=79,  # from full 80 the person falls under art. 5(5)(c)
        stacks_with_single_parent=True,
    ),
    Category(
        "elderly_80_no_pension",
        _l("Người từ đủ 80 tuổi trở lên không có lương hưu, trợ cấp bảo hiểm xã hội hằng tháng"),
        "NĐ 20/2021 Đ5 k5 c; Đ6 k1 đ",
        lambda age, children: 1.0,
        min_age=80,
        stacks_with_single_parent=True,
    ),
    Category(
        "elderly_poor_community_care",
        _l("Người cao tuổi thuộc hộ nghèo được nhận chăm sóc tại cộng đồng"),
        "NĐ 20/2021 Đ5 k5 d; Đ6 k1 đ",
        lambda age, children: 3.0,
        min_age=ELDERLY_AGE,
        stacks_with_single_parent=True,
    ),
    Category(
        "disability_extremely_severe",
        _l("Người khuyết tật đặc biệt nặng"),
        "NĐ 20/2021 Đ5 k6; Đ6 k1 e",
        lambda age, children: 2.5 if _child_or_elderly(age) else 2.0,
        stacks_with_single_parent=True,
    ),
    Category(
        "disability_severe",
        _l("Người khuyết tật nặng"),
        "NĐ 20/2021 Đ5 k6; Đ6 k1 e",
        lambda age, children: 2.0 if _child_or_elderly(age) else 1.5,
        stacks_with_single_parent=True,
    ),
    Category(
        "child_under_3_poor_disadvantaged",
        _l("Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn"),
        "NĐ 20/2021 Đ5 k7; Đ6 k1 g",
        lambda age, children: 1.5,
        max_age=2,
    ),
    Category(
        "hiv_poor_adult",
        _l("Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn thu nhập ổn định"),
        "NĐ 20/2021 Đ5 k8; Đ6 k1 g",
        lambda age, children: 1.5,
        min_age=CHILD_AGE_LIMIT,
        stacks_with_single_parent=True,
    ),
]

CATEGORY_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
# Decree 20/2021 art. 5(5)(b) and (c) cover people whom the social pension (Decree 176/2025) now covers from 75 (70 in
# poor or near-poor households). Neither text found says these categories were repealed, so they stay selectable with
# a warning (docs/decisions.md, LAW-18).
SOCIAL_PENSION_OVERLAP = frozenset({"elderly_75_80_disadvantaged", "elderly_80_no_pension"})
CATEGORY_CHOICES = [(c.code, c.label) for c in CATEGORIES]


def _money(base_rate: int, coef: float) -> int:
    """base_rate × coef in whole đồng, rounded half up (exact decimal arithmetic)."""
    return int((Decimal(base_rate) * Decimal(str(coef))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def coefficient(category: str, age: int, children: int = 0) -> float:
    """The art. 6 coefficient of ``category`` for a person of ``age`` full years.

    ``children`` is only used by ``single_parent_poor`` (1.0 per child being raised). Raises ``ValueError`` for an
    unknown category code or a negative ``children``. Age eligibility is not checked here (see
    ``check_monthly_allowance``).
    """
    try:
        entry = CATEGORY_BY_CODE[category]
    except KeyError:
        raise ValueError(f"unknown social-welfare category {category!r}") from None
    if children < 0:
        raise ValueError(f"children must be >= 0, got {children!r}")
    return entry.rule(age, children)


def total_coefficient(categories: Iterable[str], age: int, children: int = 0) -> float:
    """The coefficient actually paid for a person in several ``categories`` (art. 6(2)).

    Only the highest coefficient applies. Exception: a poor single parent (``single_parent_poor``) who is also elderly,
    disabled or an HIV-positive poor adult (art. 5(5), (6), (8)) receives the single-parent coefficient *plus* the
    highest of those. Returns 0.0 for no category.
    """
    coefs = {code: coefficient(code, age, children) for code in set(categories)}
    best = max((v for code, v in coefs.items() if code != SINGLE_PARENT), default=0.0)
    if SINGLE_PARENT in coefs:
        stacked = max((v for code, v in coefs.items() if CATEGORY_BY_CODE[code].stacks_with_single_parent), default=0.0)
        best = max(best, coefs[SINGLE_PARENT] + stacked)
    return best


def monthly_amount(
    categories: list[str],
    birth_date: date,
    applied_on: date,
    base_rate: int = DEFAULT_BASE_RATE,
    children: int = 0,
) -> int:
    """Monthly social allowance in đồng = ``base_rate`` × the coefficient paid (see ``total_coefficient``).

    The age is taken in full years on ``applied_on``. Raises ``ValueError`` for an unknown category code; returns 0
    for an empty list.
    """
    age = full_years(birth_date, applied_on)
    return _money(base_rate, total_coefficient(categories, age, children))


def _age_issue(entry: Category) -> Issue:
    if entry.min_age is not None and entry.max_age is not None:
        message = _l(
            "%(category)s: tuổi phải từ đủ %(min)s đến %(max)s.",
            category=entry.label,
            min=entry.min_age,
            max=entry.max_age,
        )
    elif entry.min_age is not None:
        message = _l("%(category)s: phải từ đủ %(min)s tuổi trở lên.", category=entry.label, min=entry.min_age)
    else:
        message = _l("%(category)s: phải dưới %(limit)s tuổi.", category=entry.label, limit=(entry.max_age or 0) + 1)
    return Issue("birth_date", message, "error", f"{entry.code}_age_not_eligible")


def check_monthly_allowance(
    categories: list[str], birth_date: date, applied_on: date, children: int | None = None
) -> list[Issue]:
    """Validate an application for the monthly social allowance.

    Errors: no category; an unknown category code; a birth date after the application date; an age outside a
    category's range (orphan_child < 16, child_16_22_studying 16–22, child_hiv_poor < 16, elderly_poor_* ≥ 60,
    elderly_75_80_disadvantaged 75–79, elderly_80_no_pension ≥ 80, child_under_3 < 3, hiv_poor_adult ≥ 16);
    ``single_parent_poor`` with ``children`` given and below 1. Warning: several categories (only the highest
    coefficient is paid, art. 6(2)).
    """
    if not categories:
        return [Issue("categories", _l("Chưa chọn diện đối tượng hưởng trợ cấp."), "error", "no_category")]
    issues: list[Issue] = []
    unknown = [code for code in categories if code not in CATEGORY_BY_CODE]
    for code in unknown:
        issues.append(
            Issue("categories", _l("Diện đối tượng không hợp lệ: %(code)s.", code=code), "error", "unknown_category")
        )
    if birth_date > applied_on:
        issues.append(
            Issue("birth_date", _l("Ngày sinh không được sau ngày nộp hồ sơ."), "error", "birth_date_in_future")
        )
        return issues
    age = full_years(birth_date, applied_on)
    known = [code for code in dict.fromkeys(categories) if code in CATEGORY_BY_CODE]
    for code in known:
        entry = CATEGORY_BY_CODE[code]
        if not entry.age_allowed(age):
            issues.append(_age_issue(entry))
    if SINGLE_PARENT in known and children is not None and children < 1:
        issues.append(
            Issue(
                "children",
                _l("Người đơn thân nghèo phải đang nuôi ít nhất một con."),
                "error",
                "single_parent_without_children",
            )
        )
    overlap = [code for code in known if code in SOCIAL_PENSION_OVERLAP]
    if overlap and applied_on >= SOCIAL_PENSION_EFFECTIVE_FROM:
        issues.append(
            Issue(
                "categories",
                _l("Từ 01/7/2025, người từ đủ 75 tuổi (từ đủ 70 tuổi nếu thuộc hộ nghèo, hộ cận nghèo) không có lương "
                   "hưu, trợ cấp bảo hiểm xã hội hằng tháng thuộc diện trợ cấp hưu trí xã hội (Nghị định "
                   "176/2025/NĐ-CP): kiểm tra người này không đang hưởng, hoặc hướng dẫn làm thủ tục trợ cấp hưu trí "
                   "xã hội; chỉ hưởng một chế độ."),
                "warning",
                "social_pension_overlap",
            )
        )
    if len([code for code in known if code != SINGLE_PARENT]) > 1:
        issues.append(
            Issue(
                "categories",
                _l("Đối tượng thuộc nhiều diện: chỉ được hưởng một mức cao nhất."),
                "warning",
                "highest_coefficient_only",
            )
        )
    return issues


def social_pension_age(poor_household: bool) -> int:
    """The age in full years from which the social pension is granted (70 in poor or near-poor households)."""
    return SOCIAL_PENSION_POOR_HOUSEHOLD_AGE if poor_household else SOCIAL_PENSION_AGE


def check_social_pension(birth_date: date, applied_on: date, has_pension: bool,
                         poor_household: bool = False) -> list[Issue]:
    """Validate an application for the social pension (Decree 176/2025).

    Eligible from full 75 on ``applied_on`` (74 years and 364 days is refused, the 75th birthday accepted), or from
    full 70 when ``poor_household`` (a member of a poor or near-poor household); no pension or monthly
    social-insurance benefit; an application date from 1/7/2025 when the scheme starts.
    """
    issues: list[Issue] = []
    if applied_on < SOCIAL_PENSION_EFFECTIVE_FROM:
        issues.append(
            Issue(
                None,
                _l("Trợ cấp hưu trí xã hội áp dụng từ ngày 01/07/2025."),
                "error",
                "social_pension_not_in_force",
            )
        )
    if birth_date > applied_on:
        issues.append(
            Issue("birth_date", _l("Ngày sinh không được sau ngày nộp hồ sơ."), "error", "birth_date_in_future")
        )
    elif full_years(birth_date, applied_on) < social_pension_age(poor_household):
        message = (_l("Người thuộc hộ nghèo, hộ cận nghèo phải từ đủ %(age)s tuổi để hưởng trợ cấp hưu trí xã hội.",
                      age=SOCIAL_PENSION_POOR_HOUSEHOLD_AGE) if poor_household
                   else _l("Chưa đủ %(age)s tuổi để hưởng trợ cấp hưu trí xã hội (từ đủ %(poor)s tuổi nếu thuộc hộ "
                           "nghèo, hộ cận nghèo).", age=SOCIAL_PENSION_AGE, poor=SOCIAL_PENSION_POOR_HOUSEHOLD_AGE))
        issues.append(Issue("birth_date", message, "error", "under_social_pension_age"))
    if has_pension:
        issues.append(
            Issue(
                "has_pension",
                _l("Người đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng không thuộc diện này."),
                "error",
                "has_pension",
            )
        )
    return issues


def social_pension_amount() -> int:
    """The monthly social pension in đồng (Decree 176/2025: 500,000 đ)."""
    return SOCIAL_PENSION_AMOUNT


def funeral_support_amount(base_rate: int = DEFAULT_BASE_RATE, monthly_allowance: bool = True,
                           social_pension: bool = False) -> int:
    """Funeral support in đồng.

    20 × the base rate for people on the monthly social allowance and the other Decree 20/2021 art. 11(1) cases (the
    legal minimum, art. 11(2)); 10,000,000 đ for social-pension recipients (Decree 176/2025). Someone eligible both
    ways gets the higher amount only (art. 11(2): one amount, the highest).
    """
    amounts = []
    if monthly_allowance:
        amounts.append(FUNERAL_SUPPORT_MULTIPLIER * base_rate)
    if social_pension:
        amounts.append(SOCIAL_PENSION_FUNERAL_SUPPORT)
    return max(amounts, default=0)


def check_funeral_support(
    deceased_received_monthly_allowance: bool,
    death_date: date,
    applied_on: date,
    other_eligibility: bool = False,
    deceased_received_social_pension: bool = False,
) -> list[Issue]:
    """Validate an application for funeral support (Decree 20/2021 art. 11; Decree 176/2025).

    Errors: the death date is after the application date; the deceased received neither the monthly social allowance
    (art. 11(1)(a)) nor the social pension (Decree 176/2025) and ``other_eligibility`` is False. Pass
    ``other_eligibility=True`` when the officer confirmed art. 11(1)(b) (child of a poor single parent) or (c) (aged
    80+ with a monthly survivor or other allowance).
    """
    issues: list[Issue] = []
    if death_date > applied_on:
        issues.append(
            Issue("death_date", _l("Ngày chết không được sau ngày nộp hồ sơ."), "error", "death_date_in_future")
        )
    if not (deceased_received_monthly_allowance or deceased_received_social_pension or other_eligibility):
        issues.append(
            Issue(
                "deceased_received_monthly_allowance",
                _l("Người đã mất không thuộc diện được hỗ trợ chi phí mai táng (không hưởng trợ cấp xã hội hằng "
                   "tháng, trợ cấp hưu trí xã hội hoặc trường hợp khác)."),
                "error",
                "not_eligible_for_funeral_support",
            )
        )
    return issues


# --- review posting, ages and payment start --------------------------------------------------------------------

DISABILITY_CATEGORIES = frozenset({"disability_extremely_severe", "disability_severe"})


def posting_ends_on(start: date, is_working_day: Callable[[date], bool]) -> date:
    """Last day of the public posting of the review result (Decree 20/2021 art. 8: 2 working days).

    As for every period counted in days (Civil Code 2015 art. 147), the day the list is posted is not counted: the
    posting covers the next ``POSTING_WORKING_DAYS`` working days, and the dossier may go on the day after the last
    one. ``is_working_day`` is the unit's calendar (weekends, holidays, make-up days).
    """
    day, left = start, POSTING_WORKING_DAYS
    while left:
        day = date.fromordinal(day.toordinal() + 1)
        if is_working_day(day):
            left -= 1
    return day


def payment_start(decided_on: date, categories: Iterable[str] = (),
                  disability_certificate_date: date | None = None) -> date:
    """First day of the month from which the monthly allowance is paid (Decree 20/2021 art. 8(4)).

    From the month the decision is signed; for people with disabilities from the month the disability certificate
    was issued when that is earlier.
    """
    start = decided_on.replace(day=1)
    if disability_certificate_date is not None and DISABILITY_CATEGORIES & set(categories):
        start = min(start, disability_certificate_date.replace(day=1))
    return start
