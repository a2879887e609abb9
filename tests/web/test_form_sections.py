"""DAY-24: the birth declaration's fields are grouped as on the paper form (child, mother, father), on the portal and
at the counter, with every field still shown once and errors still reaching their field."""

from __future__ import annotations

from collections import Counter

from tests.web.helpers import BIRTH
from tests.web.html_checks import assert_good_page, parse_strict

SECTIONS = {"Người được khai sinh": "child_full_name", "Người mẹ": "mother_full_name", "Người cha": "father_full_name"}


def _controls(element):
    return [e.get("name") for e in element.iter() if e.tag in ("input", "select", "textarea") and e.get("name")]


def _sections(page: str) -> dict[str, list[str]]:
    tree = parse_strict(page)
    found = {}
    for fieldset in tree.iter("fieldset"):
        if "form-section" not in (fieldset.get("class") or ""):
            continue
        legend = "".join(next(fieldset.iter("legend")).itertext()).strip()
        found[legend] = _controls(fieldset)
    return found


def _names(page: str) -> Counter:
    return Counter(_controls(parse_strict(page)))


def test_the_portal_form_groups_child_mother_and_father(desk, client):
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}"))
    sections = _sections(page)
    assert list(sections) == list(SECTIONS)
    for legend, first in SECTIONS.items():
        assert sections[legend][0] == first
    assert all(n.startswith("mother_") for n in sections["Người mẹ"])
    assert all(n.startswith("father_") for n in sections["Người cha"])
    names = _names(page)
    radios = {"child_sex"}
    assert all(count == 1 for name, count in names.items() if name not in radios and name != "csrf_token")
    # Fields outside every section still follow (who declares, the fee exemption).
    assert names["declarant_relationship"] == 1 and names["exemption"] == 1


def test_the_counter_form_groups_them_too_and_errors_reach_their_field(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    assert list(_sections(assert_good_page(client.get(f"/xa-a/tiep-nhan/{BIRTH}")))) == list(SECTIONS)
    page = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data={"mother_birth_date": "31/02/2026"}).get_data(as_text=True)
    assert 'href="#mother_birth_date"' in page or 'href="#data-mother_birth_date"' in page


def test_english_pages_name_the_sections_in_english(desk, client):
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}?lang=en"))
    assert list(_sections(page)) == ["Child being registered", "Mother", "Father"]
