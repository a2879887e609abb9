"""Boundary tests of the social-welfare pure rules (Decree 20/2021 coefficients, social pension, funeral support)."""

from datetime import date

import pytest

from plugins.social_welfare import rules as r

APPLIED = date(2025, 9, 1)


def born_aged(years: int, on: date = APPLIED) -> date:
    """A birth date making the person exactly ``years`` full years old on ``on`` (birthday today)."""
    return on.replace(year=on.year - years)


def codes(issues):
    return [(i.code, i.level) for i in issues]


def test_constants():
    assert r.DEFAULT_BASE_RATE == 500_000
    assert r.SOCIAL_PENSION_AGE == 75
    assert r.FUNERAL_SUPPORT_MULTIPLIER == 20
    assert r.POSTING_WORKING_DAYS == 2


def test_categories_catalogue():
    expected = {
        "orphan_child",
        "child_16_22_studying",
        "child_hiv_poor",
        "single_parent_poor",
        "elderly_poor_no_support",
        "elderly_75_80_disadvantaged",
        "elderly_80_no_pension",
        "elderly_poor_community_care",
        "disability_extremely_severe",
        "disability_severe",
        "child_under_3_poor_disadvantaged",
        "hiv_poor_adult",
    }
    assert {c.code for c in r.CATEGORIES} == expected
    assert len(r.CATEGORIES) == len(expected)
    for category in r.CATEGORIES:
        assert str(category.label)
        assert category.basis.startswith("NĐ 20/2021")


# --- coefficients (Decree 20/2021 art. 6(1)) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "age", "expected"),
    [
        ("orphan_child", 0, 2.5),
        ("orphan_child", 3, 2.5),
        ("orphan_child", 4, 1.5),  # from full 4
        ("orphan_child", 15, 1.5),
        ("child_16_22_studying", 16, 1.5),
        ("child_16_22_studying", 22, 1.5),
        ("child_hiv_poor", 3, 2.5),
        ("child_hiv_poor", 4, 2.0),  # art. 6(1)(c): 2.0 from full 4 to under 16
        ("child_hiv_poor", 15, 2.0),
        ("elderly_poor_no_support", 60, 1.5),
        ("elderly_poor_no_support", 79, 1.5),
        ("elderly_poor_no_support", 80, 2.0),  # from full 80
        ("elderly_poor_no_support", 95, 2.0),
        ("elderly_75_80_disadvantaged", 75, 1.0),
        ("elderly_75_80_disadvantaged", 79, 1.0),
        ("elderly_80_no_pension", 80, 1.0),
        ("elderly_poor_community_care", 70, 3.0),
        ("disability_extremely_severe", 15, 2.5),  # child
        ("disability_extremely_severe", 16, 2.0),
        ("disability_extremely_severe", 59, 2.0),
        ("disability_extremely_severe", 60, 2.5),  # elderly
        ("disability_severe", 15, 2.0),
        ("disability_severe", 16, 1.5),
        ("disability_severe", 59, 1.5),
        ("disability_severe", 60, 2.0),
        ("child_under_3_poor_disadvantaged", 2, 1.5),
        ("hiv_poor_adult", 30, 1.5),
    ],
)
def test_coefficient(category, age, expected):
    assert r.coefficient(category, age) == expected


@pytest.mark.parametrize(("children", "expected"), [(0, 0.0), (1, 1.0), (3, 3.0)])
def test_coefficient_single_parent_per_child(children, expected):
    assert r.coefficient("single_parent_poor", 35, children) == expected


def test_coefficient_unknown_category():
    with pytest.raises(ValueError):
        r.coefficient("martian", 30)


def test_coefficient_negative_children():
    with pytest.raises(ValueError):
        r.coefficient("single_parent_poor", 30, -1)


# --- monthly amount --------------------------------------------------------------------------------------------


def test_monthly_amount_single_category():
    assert r.monthly_amount(["orphan_child"], born_aged(3), APPLIED) == 1_250_000
    assert r.monthly_amount(["orphan_child"], born_aged(4), APPLIED) == 750_000
    assert r.monthly_amount(["elderly_80_no_pension"], born_aged(80), APPLIED) == 500_000
    assert r.monthly_amount(["elderly_poor_community_care"], born_aged(70), APPLIED) == 1_500_000


def test_monthly_amount_age_is_taken_on_application_date():
    birth = date(2021, 9, 2)  # 4th birthday is the day after APPLIED
    assert r.monthly_amount(["orphan_child"], birth, APPLIED) == 1_250_000
    assert r.monthly_amount(["orphan_child"], birth, date(2025, 9, 2)) == 750_000


def test_monthly_amount_highest_only():
    # elderly 85 in a poor household (2.0) and severely disabled elderly (2.0) and 80+ no pension (1.0) → 2.0
    cats = ["elderly_poor_no_support", "disability_severe", "elderly_80_no_pension"]
    assert r.monthly_amount(cats, born_aged(85), APPLIED) == 1_000_000
    # extremely severe disabled adult (2.0) with HIV in a poor household (1.5) → 2.0, not 3.5
    assert r.monthly_amount(["disability_extremely_severe", "hiv_poor_adult"], born_aged(40), APPLIED) == 1_000_000


def test_monthly_amount_single_parent_alone():
    assert r.monthly_amount(["single_parent_poor"], born_aged(30), APPLIED, children=2) == 1_000_000


def test_monthly_amount_single_parent_added_on_top():
    # art. 6(2): a poor single parent who is also severely disabled gets both: 1.5 + 1.0 × 2 children
    cats = ["disability_severe", "single_parent_poor"]
    assert r.monthly_amount(cats, born_aged(30), APPLIED, children=2) == 1_750_000
    # with two stackable categories, only the highest of them is added to the single-parent part
    cats = ["disability_severe", "hiv_poor_adult", "single_parent_poor"]
    assert r.monthly_amount(cats, born_aged(30), APPLIED, children=1) == 1_250_000


def test_monthly_amount_single_parent_not_stacked_on_child_categories():
    # a 17-year-old orphan still studying who is a poor single parent: only the higher of 1.5 and 1.0
    cats = ["child_16_22_studying", "single_parent_poor"]
    assert r.monthly_amount(cats, born_aged(17), APPLIED, children=1) == 750_000
    assert r.monthly_amount(cats, born_aged(17), APPLIED, children=2) == 1_000_000


def test_monthly_amount_custom_base_rate_and_rounding():
    assert r.monthly_amount(["orphan_child"], born_aged(2), APPLIED, base_rate=360_000) == 900_000
    assert r.monthly_amount(["orphan_child"], born_aged(5), APPLIED, base_rate=333_333) == 500_000  # 499,999.5 ↑


def test_monthly_amount_duplicates_and_empty():
    assert r.monthly_amount(["disability_severe", "disability_severe"], born_aged(30), APPLIED) == 750_000
    assert r.monthly_amount([], born_aged(30), APPLIED) == 0


def test_monthly_amount_unknown_category():
    with pytest.raises(ValueError):
        r.monthly_amount(["nope"], born_aged(30), APPLIED)


def test_total_coefficient():
    assert r.total_coefficient(["elderly_poor_no_support", "single_parent_poor"], 65, children=1) == 2.5


# --- check_monthly_allowance -----------------------------------------------------------------------------------


def test_check_monthly_allowance_empty():
    assert codes(r.check_monthly_allowance([], born_aged(30), APPLIED)) == [("no_category", "error")]


def test_check_monthly_allowance_unknown():
    assert codes(r.check_monthly_allowance(["nope"], born_aged(30), APPLIED)) == [("unknown_category", "error")]


def test_check_monthly_allowance_future_birth():
    issues = r.check_monthly_allowance(["orphan_child"], date(2025, 9, 2), APPLIED)
    assert codes(issues) == [("birth_date_in_future", "error")]


@pytest.mark.parametrize(
    ("category", "ok_ages", "bad_ages"),
    [
        ("orphan_child", [0, 15], [16]),
        ("child_16_22_studying", [16, 22], [15, 23]),
        ("child_hiv_poor", [0, 15], [16]),
        ("elderly_poor_no_support", [60, 99], [59]),
        ("elderly_75_80_disadvantaged", [75, 79], [74, 80]),
        ("elderly_80_no_pension", [80, 100], [79]),
        ("elderly_poor_community_care", [60], [59]),
        ("child_under_3_poor_disadvantaged", [0, 2], [3]),
        ("hiv_poor_adult", [16, 50], [15]),
        ("disability_severe", [0, 40, 90], []),
        ("disability_extremely_severe", [0, 40, 90], []),
        ("single_parent_poor", [16, 40], []),
    ],
)
def test_check_monthly_allowance_age_ranges(category, ok_ages, bad_ages):
    for age in ok_ages:
        issues = r.check_monthly_allowance([category], born_aged(age), APPLIED)
        # The elderly categories that the social pension now covers only warn (LAW-18).
        assert [i for i in issues if i.code != "social_pension_overlap"] == [], age
        assert all(i.level == "warning" for i in issues)
    for age in bad_ages:
        issues = [i for i in r.check_monthly_allowance([category], born_aged(age), APPLIED)
                  if i.code != "social_pension_overlap"]
        assert codes(issues) == [(f"{category}_age_not_eligible", "error")], age
        assert issues[0].field == "birth_date"
        assert str(issues[0].message)


def test_check_monthly_allowance_orphan_one_day_before_16():
    birth = date(2009, 9, 2)  # turns 16 the day after APPLIED
    assert r.check_monthly_allowance(["orphan_child"], birth, APPLIED) == []
    assert codes(r.check_monthly_allowance(["orphan_child"], birth, date(2025, 9, 2))) == [
        ("orphan_child_age_not_eligible", "error")
    ]


def test_check_monthly_allowance_single_parent_children():
    assert codes(r.check_monthly_allowance(["single_parent_poor"], born_aged(30), APPLIED, children=0)) == [
        ("single_parent_without_children", "error")
    ]
    assert r.check_monthly_allowance(["single_parent_poor"], born_aged(30), APPLIED, children=1) == []


def test_check_monthly_allowance_several_categories_warns():
    issues = r.check_monthly_allowance(["disability_severe", "hiv_poor_adult"], born_aged(30), APPLIED)
    assert codes(issues) == [("highest_coefficient_only", "warning")]
    # the single-parent add-on alone with one other category is not a "highest only" case
    assert r.check_monthly_allowance(["disability_severe", "single_parent_poor"], born_aged(30), APPLIED) == []


# --- social pension --------------------------------------------------------------------------------------------


def test_social_pension_exactly_75_accepted():
    assert r.check_social_pension(date(1950, 9, 1), APPLIED, has_pension=False) == []


def test_social_pension_74_years_364_days_refused():
    issues = r.check_social_pension(date(1950, 9, 2), APPLIED, has_pension=False)
    assert codes(issues) == [("under_social_pension_age", "error")]


def test_social_pension_leap_day_birthday():
    # born 29/2/1952: 75th birthday in 2027 (non-leap) is reached on 28/2/2027
    assert r.check_social_pension(date(1952, 2, 29), date(2027, 2, 28), has_pension=False) == []
    assert codes(r.check_social_pension(date(1952, 2, 29), date(2027, 2, 27), has_pension=False)) == [
        ("under_social_pension_age", "error")
    ]


def test_social_pension_refused_with_pension():
    issues = r.check_social_pension(date(1940, 1, 1), APPLIED, has_pension=True)
    assert codes(issues) == [("has_pension", "error")]


def test_social_pension_too_young_and_pension():
    issues = r.check_social_pension(date(1960, 1, 1), APPLIED, has_pension=True)
    assert {i.code for i in issues} == {"under_social_pension_age", "has_pension"}


def test_social_pension_not_before_1_july_2025():
    assert codes(r.check_social_pension(date(1940, 1, 1), date(2025, 6, 30), has_pension=False)) == [
        ("social_pension_not_in_force", "error")
    ]
    assert r.check_social_pension(date(1940, 1, 1), date(2025, 7, 1), has_pension=False) == []


# --- funeral support -------------------------------------------------------------------------------------------


def test_funeral_support_amount():
    assert r.funeral_support_amount() == 10_000_000
    assert r.funeral_support_amount(360_000) == 7_200_000


def test_check_funeral_support_ok():
    assert r.check_funeral_support(True, date(2025, 8, 30), APPLIED) == []
    assert r.check_funeral_support(True, APPLIED, APPLIED) == []


def test_check_funeral_support_not_beneficiary():
    issues = r.check_funeral_support(False, date(2025, 8, 30), APPLIED)
    assert codes(issues) == [("not_eligible_for_funeral_support", "error")]
    assert r.check_funeral_support(False, date(2025, 8, 30), APPLIED, other_eligibility=True) == []


def test_check_funeral_support_future_death():
    issues = r.check_funeral_support(True, date(2025, 9, 2), APPLIED)
    assert codes(issues) == [("death_date_in_future", "error")]
    assert issues[0].field == "death_date"


def test_messages_are_vietnamese():
    issue = r.check_social_pension(date(1960, 1, 1), APPLIED, has_pension=False)[0]
    assert str(issue.message) == ("Chưa đủ 75 tuổi để hưởng trợ cấp hưu trí xã hội (từ đủ 70 tuổi nếu thuộc hộ nghèo, "
                                  "hộ cận nghèo).")
    age_issue = r.check_monthly_allowance(["orphan_child"], born_aged(16), APPLIED)[0]
    assert str(age_issue.message) == "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng: phải dưới 16 tuổi."


# --- review posting and payment start --------------------------------------------------------------------------


def _weekdays(d):
    return d.weekday() < 5


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 2), date(2026, 3, 4)),  # Monday → Wednesday: the posting day itself is not counted
        (date(2026, 3, 5), date(2026, 3, 9)),  # Thursday → Friday, Monday
        (date(2026, 3, 6), date(2026, 3, 10)),  # Friday → Monday, Tuesday
        (date(2026, 3, 7), date(2026, 3, 10)),  # posted on a Saturday
    ],
)
def test_posting_ends_after_two_working_days(start, end):
    assert r.posting_ends_on(start, _weekdays) == end


def test_posting_skips_days_off():
    holidays = {date(2026, 4, 30), date(2026, 5, 1)}
    assert r.posting_ends_on(date(2026, 4, 29), lambda d: _weekdays(d) and d not in holidays) == date(2026, 5, 5)


def test_full_years_is_the_rule_age():
    assert r.full_years(date(1951, 3, 10), date(2026, 3, 10)) == 75
    assert r.full_years(date(1951, 3, 10), date(2026, 3, 9)) == 74


@pytest.mark.parametrize(
    ("categories", "certificate", "expected"),
    [
        ([], None, date(2026, 5, 1)),
        (["disability_severe"], date(2025, 11, 20), date(2025, 11, 1)),
        (["disability_extremely_severe"], date(2026, 5, 30), date(2026, 5, 1)),  # never later than the decision
        (["elderly_80_no_pension"], date(2025, 11, 20), date(2026, 5, 1)),  # certificate irrelevant
    ],
)
def test_payment_start(categories, certificate, expected):
    assert r.payment_start(date(2026, 5, 14), categories, certificate) == expected


def test_social_pension_poor_household_age_and_amounts():
    """Decree 176/2025: from full 70 in poor or near-poor households, 500,000 đ a month; funeral 10,000,000 đ."""
    assert r.check_social_pension(born_aged(70), APPLIED, has_pension=False, poor_household=True) == []
    assert codes(r.check_social_pension(born_aged(69), APPLIED, has_pension=False, poor_household=True)) == [
        ("under_social_pension_age", "error")]
    assert codes(r.check_social_pension(born_aged(74), APPLIED, has_pension=False)) == [
        ("under_social_pension_age", "error")]
    assert r.social_pension_amount() == 500_000
    assert r.funeral_support_amount(600_000, monthly_allowance=False, social_pension=True) == 10_000_000
    assert r.funeral_support_amount(600_000, monthly_allowance=True, social_pension=True) == 12_000_000
    assert r.check_funeral_support(False, APPLIED, APPLIED, deceased_received_social_pension=True) == []
    assert codes(r.check_funeral_support(False, APPLIED, APPLIED)) == [("not_eligible_for_funeral_support", "error")]
