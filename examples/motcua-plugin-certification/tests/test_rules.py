"""The pure rules, with their boundaries."""

from datetime import date

import pytest

from motcua_plugin_certification import rules


@pytest.mark.parametrize(("pages", "copies", "fee"), [
    (1, 1, 2000), (2, 1, 4000), (3, 1, 5000), (10, 3, 36000),
    (197, 1, 199_000), (198, 1, 200_000), (199, 1, 200_000),  # at most 200,000 đ per copy
    (500, 2, 400_000),
])
def test_copy_fee(pages, copies, fee):
    assert rules.copy_fee(pages, copies) == fee


@pytest.mark.parametrize(("pages", "copies"), [(0, 1), (1, 0), (-1, 2)])
def test_copy_fee_rejects_counts_below_one(pages, copies):
    with pytest.raises(ValueError):
        rules.copy_fee(pages, copies)


def test_a_paper_issued_abroad_is_flagged():
    assert rules.check_copy(False) == []
    assert [(i.code, i.level) for i in rules.check_copy(True)] == [("consular_legalisation", "warning")]


def test_signer_under_18_is_a_warning_from_the_18th_birthday_on_nothing():
    on = date(2026, 6, 10)
    assert rules.check_signature(date(2008, 6, 10), on) == []
    assert [(i.code, i.level) for i in rules.check_signature(date(2008, 6, 11), on)] == [("signer_under_18", "warning")]
    assert [i.level for i in rules.check_signature(date(2026, 6, 11), on)] == ["error"]
    assert rules.check_signature(None, on) == []
