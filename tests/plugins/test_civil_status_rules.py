"""Boundary tests of the civil-status pure rules (ages, 60/15-day deadlines, marriage conditions, fees)."""

from datetime import date, timedelta

import pytest

from plugins.civil_status import rules as r


def codes(issues):
    return [(i.code, i.level) for i in issues]


# --- full_years ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2005, 5, 10), date(2025, 5, 10), 20),  # birthday itself counts
        (date(2005, 5, 10), date(2025, 5, 9), 19),  # one day short
        (date(2005, 5, 10), date(2025, 12, 31), 20),
        (date(2005, 5, 10), date(2005, 5, 10), 0),
        (date(2005, 12, 31), date(2006, 1, 1), 0),
        (date(2005, 12, 31), date(2006, 12, 31), 1),
        (date(2025, 5, 10), date(2025, 5, 9), -1),  # before birth
    ],
)
def test_full_years(birth, on, expected):
    assert r.full_years(birth, on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2022, 2, 27), 17),
        (date(2022, 2, 28), 18),  # non-leap year: the 29 Feb birthday is reached on 28 Feb
        (date(2022, 3, 1), 18),
        (date(2024, 2, 28), 19),  # leap year: the birthday is 29 Feb
        (date(2024, 2, 29), 20),
        (date(2100, 2, 28), 96),  # 2100 is not a leap year
    ],
)
def test_full_years_leap_day_birthday(on, expected):
    assert r.full_years(date(2004, 2, 29), on) == expected


# --- birth -----------------------------------------------------------------------------------------------------


def test_birth_day_60_on_time_day_61_late():
    birth = date(2025, 1, 1)
    assert r.BIRTH_REGISTRATION_DAYS == 60
    assert not r.is_late_birth_registration(birth, birth)
    assert not r.is_late_birth_registration(birth, date(2025, 3, 2))  # day 60
    assert r.is_late_birth_registration(birth, date(2025, 3, 3))  # day 61
    assert (date(2025, 3, 2) - birth).days == 60


def test_birth_deadline_across_leap_february():
    birth = date(2024, 1, 1)
    assert not r.is_late_birth_registration(birth, date(2024, 3, 1))  # day 60 in a leap year
    assert r.is_late_birth_registration(birth, date(2024, 3, 2))


def test_check_birth_on_time_is_clean():
    assert r.check_birth(date(2025, 1, 1), date(2025, 3, 2)) == []
    assert r.check_birth(date(2025, 1, 1), date(2025, 1, 1)) == []


def test_check_birth_late_is_warning():
    assert codes(r.check_birth(date(2025, 1, 1), date(2025, 3, 3))) == [("late_birth_registration", "warning")]


def test_check_birth_future_is_error():
    issues = r.check_birth(date(2025, 1, 2), date(2025, 1, 1))
    assert codes(issues) == [("birth_date_in_future", "error")]
    assert issues[0].field == "child_birth_date"


@pytest.mark.parametrize(
    ("registered_on", "exempt", "expected"),
    [
        (date(2025, 3, 2), False, 0),  # day 60: free
        (date(2025, 3, 3), False, 8000),  # day 61: late fee
        (date(2025, 3, 3), True, 0),  # late but exempt
        (date(2026, 1, 1), False, 8000),
    ],
)
def test_birth_registration_fee(registered_on, exempt, expected):
    assert r.birth_registration_fee(date(2025, 1, 1), registered_on, exempt) == expected


def test_birth_registration_fee_custom_provincial_fee():
    assert r.birth_registration_fee(date(2025, 1, 1), date(2025, 6, 1), False, late_fee=5000) == 5000


def test_exemption_choices():
    values = [value for value, _label in r.EXEMPTION_CHOICES]
    assert values == ["poor_household", "disability", "meritorious_family"]
    labels = [str(label) for _value, label in r.EXEMPTION_CHOICES]
    assert labels == ["Hộ nghèo", "Người khuyết tật", "Gia đình người có công với cách mạng"]


# --- death -----------------------------------------------------------------------------------------------------


def test_death_day_15_on_time_day_16_late():
    death = date(2025, 6, 1)
    assert r.DEATH_REGISTRATION_DAYS == 15
    assert not r.is_late_death_registration(death, date(2025, 6, 16))  # day 15
    assert r.is_late_death_registration(death, date(2025, 6, 17))  # day 16


def test_check_death_clean():
    assert r.check_death(date(1940, 1, 1), date(2025, 6, 1), date(2025, 6, 16)) == []


def test_check_death_same_day_as_birth_is_valid():
    assert r.check_death(date(2025, 6, 1), date(2025, 6, 1), date(2025, 6, 1)) == []


def test_check_death_unknown_birth_date():
    assert r.check_death(None, date(2025, 6, 1), date(2025, 6, 2)) == []


def test_check_death_late_is_warning():
    assert codes(r.check_death(None, date(2025, 6, 1), date(2025, 6, 17))) == [("late_death_registration", "warning")]


def test_check_death_in_future_is_error():
    issues = r.check_death(date(1940, 1, 1), date(2025, 6, 2), date(2025, 6, 1))
    assert codes(issues) == [("death_date_in_future", "error")]


def test_check_death_before_birth_is_error():
    issues = r.check_death(date(1940, 1, 2), date(1940, 1, 1), date(2025, 6, 1))
    assert codes(issues) == [("death_before_birth", "error")]
    assert issues[0].field == "death_date"


def test_check_death_both_errors():
    issues = r.check_death(date(2030, 1, 1), date(2029, 1, 1), date(2025, 6, 1))
    assert {i.code for i in issues} == {"death_date_in_future", "death_before_birth"}
    assert all(i.level == "error" for i in issues)


@pytest.mark.parametrize(
    ("registered_on", "exempt", "expected"),
    [
        (date(2025, 6, 16), False, 0),
        (date(2025, 6, 17), False, 8000),
        (date(2025, 6, 17), True, 0),
    ],
)
def test_death_registration_fee(registered_on, exempt, expected):
    assert r.death_registration_fee(date(2025, 6, 1), registered_on, exempt) == expected


def test_death_registration_fee_custom():
    assert r.death_registration_fee(date(2025, 6, 1), date(2025, 7, 1), False, late_fee=10000) == 10000


# --- marriage --------------------------------------------------------------------------------------------------

TODAY = date(2025, 8, 15)
MAN_20_TODAY = date(2005, 8, 15)
WOMAN_18_TODAY = date(2007, 8, 15)


def marriage(**overrides):
    args = dict(
        female_birth_date=WOMAN_18_TODAY,
        male_birth_date=MAN_20_TODAY,
        female_id_number="001307000001",
        male_id_number="001205000002",
        registered_on=TODAY,
    )
    args.update(overrides)
    return r.check_marriage(**args)


def test_marriage_man_exactly_20_and_woman_exactly_18_today_accepted():
    assert r.MIN_MARRIAGE_AGE == {"male": 20, "female": 18}
    assert marriage() == []


def test_marriage_man_one_day_short_of_20_refused():
    issues = marriage(male_birth_date=MAN_20_TODAY + timedelta(days=1))
    assert codes(issues) == [("male_under_marriage_age", "error")]
    assert issues[0].field == "male_birth_date"


def test_marriage_woman_one_day_short_of_18_refused():
    issues = marriage(female_birth_date=WOMAN_18_TODAY + timedelta(days=1))
    assert codes(issues) == [("female_under_marriage_age", "error")]
    assert issues[0].field == "female_birth_date"


def test_marriage_woman_19_man_19_refused_only_man():
    issues = marriage(female_birth_date=date(2006, 1, 1), male_birth_date=date(2006, 1, 1))
    assert codes(issues) == [("male_under_marriage_age", "error")]


def test_marriage_leap_day_birthdays():
    man, adult_woman = date(2004, 2, 29), date(2000, 1, 1)
    assert marriage(male_birth_date=man, female_birth_date=adult_woman, registered_on=date(2024, 2, 29)) == []
    assert codes(marriage(male_birth_date=man, female_birth_date=adult_woman, registered_on=date(2024, 2, 28))) == [
        ("male_under_marriage_age", "error")
    ]
    woman = date(2004, 2, 29)  # 18th birthday falls in 2022, a non-leap year: reached on 28 Feb
    adult_man = date(1990, 1, 1)
    assert marriage(female_birth_date=woman, male_birth_date=adult_man, registered_on=date(2022, 2, 28)) == []
    assert codes(marriage(female_birth_date=woman, male_birth_date=adult_man, registered_on=date(2022, 2, 27))) == [
        ("female_under_marriage_age", "error")
    ]


def test_marriage_same_id_refused():
    issues = marriage(female_id_number="001205000002")
    assert codes(issues) == [("same_id_number", "error")]


def test_marriage_same_id_ignores_whitespace():
    issues = marriage(female_id_number=" 001205 000002 ")
    assert codes(issues) == [("same_id_number", "error")]


def test_marriage_empty_ids_are_not_a_duplicate():
    assert marriage(female_id_number="", male_id_number="") == []


def test_marriage_currently_married_party_refused():
    issues = marriage(currently_married_ids={"001205000002"})
    assert codes(issues) == [("male_currently_married", "error")]
    assert issues[0].field == "male_id_number"
    issues = marriage(currently_married_ids=frozenset({"001307000001", "999"}))
    assert codes(issues) == [("female_currently_married", "error")]
    assert "đang có vợ/chồng" in str(issues[0].message)


def test_marriage_both_married_and_under_age_all_reported():
    issues = marriage(
        male_birth_date=MAN_20_TODAY + timedelta(days=1),
        currently_married_ids={"001307000001", "001205000002"},
    )
    assert {i.code for i in issues} == {
        "male_under_marriage_age",
        "female_currently_married",
        "male_currently_married",
    }


# --- marital-status certificate --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "expected"),
    [
        (date(2025, 1, 15), date(2025, 7, 15)),
        (date(2025, 8, 31), date(2026, 2, 28)),  # month end, non-leap February
        (date(2023, 8, 31), date(2024, 2, 29)),  # month end, leap February
        (date(2025, 12, 31), date(2026, 6, 30)),  # 31 Dec → 30 June
        (date(2025, 7, 31), date(2026, 1, 31)),  # across the year
        (date(2023, 8, 29), date(2024, 2, 29)),
    ],
)
def test_marital_status_certificate_valid_until(issued_on, expected):
    assert r.marital_status_certificate_valid_until(issued_on) == expected


# --- certified copies ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("copies", "exempt", "expected"),
    [(1, False, 8000), (3, False, 24000), (3, True, 0), (1, True, 0)],
)
def test_extract_copy_fee(copies, exempt, expected):
    assert r.extract_copy_fee(copies, exempt) == expected


def test_extract_copy_fee_custom_price():
    assert r.extract_copy_fee(2, False, per_copy=5000) == 10000


@pytest.mark.parametrize("copies", [0, -1, True, 1.5, "2", None])
def test_extract_copy_fee_rejects_bad_count(copies):
    with pytest.raises(ValueError):
        r.extract_copy_fee(copies, False)


# --- messages --------------------------------------------------------------------------------------------------


def test_messages_are_vietnamese_outside_an_app_context():
    late = r.check_birth(date(2025, 1, 1), date(2025, 6, 1))[0]
    text = str(late.message)
    assert "quá hạn 60 ngày" in text
    assert "Đăng ký khai sinh" in text
    assert str(marriage(male_birth_date=MAN_20_TODAY + timedelta(days=1))[0].message) == "Bên nam chưa đủ 20 tuổi."


# --- dates in words --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"), (15, "mười lăm"),
        (20, "hai mươi"), (21, "hai mươi mốt"), (25, "hai mươi lăm"), (31, "ba mươi mốt"), (105, "một trăm linh năm"),
        (110, "một trăm mười"), (1990, "một nghìn chín trăm chín mươi"), (2000, "hai nghìn"),
        (2005, "hai nghìn không trăm linh năm"), (2010, "hai nghìn không trăm mười"),
        (2026, "hai nghìn không trăm hai mươi sáu"), (2100, "hai nghìn một trăm"),
    ],
)
def test_number_in_words(n, words):
    assert r.number_in_words(n) == words


@pytest.mark.parametrize("bad", [-1, 10000, 2.5, True, "12"])
def test_number_in_words_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        r.number_in_words(bad)


def test_date_in_words():
    assert r.date_in_words(date(2026, 3, 5)) == "Ngày năm, tháng ba, năm hai nghìn không trăm hai mươi sáu"
    assert r.date_in_words(date(2001, 12, 21)) == "Ngày hai mươi mốt, tháng mười hai, năm hai nghìn không trăm linh một"
