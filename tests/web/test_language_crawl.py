"""Issue 10 item 10 (DAY-33): every page, as each role, in both languages, holds no string outside the catalogue.

The crawler starts from each role's home pages and follows same-site links (GET only, a bounded number of pages).
Each page's visible text (text nodes, aria-label, title, placeholder) is checked:
- in English, no Vietnamese letters may remain once data is taken out: data are the database's values (unit and
  people names, dossier data, official names) and anything inside an element marked lang="vi" (the language link,
  official form titles);
- in Vietnamese, no text may be an English msgstr of the catalogue, nor an English-only phrase such as a setting's
  raw name ("Late fee", "Register number").
It is strict (every text node) but not flaky: it reads the server's HTML, no timing, no browser.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po

from tests.web.helpers import act, make_dossier
from tests.web.html_checks import parse_strict

PO = Path(__file__).resolve().parents[2] / "translations" / "en" / "LC_MESSAGES" / "messages.po"
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
SKIP_TAGS = {"script", "style", "template"}
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
MAX_PAGES = 60
# Names kept in Vietnamese in every language: the product, Tết, and legal citations ("Decree 20/2021/NĐ-CP").
OFFICIAL = re.compile(r"Một Cửa|Tết|\b\d+/\d{4}/[A-ZĐ0-9-]+")
# Links a crawler must not follow: logging out, file downloads, printable official documents (Vietnamese by law).
NOT_FOLLOWED = re.compile(r"/logout|\.pdf$|\.xlsx$|\.csv$|/documents/|/drafts/|/tracking-book|/tep-dinh-kem/"
                          r"|[?&]print=")

ROLES = {
    None: ["/", "/thu-tuc/xa-a", "/thu-tuc/xa-a/civil_status.birth_registration",
           "/nop-ho-so/xa-a/civil_status.birth_registration", "/tra-cuu", "/login"],
    "a.tiepnhan": ["/xa-a/", "/xa-a/tiep-nhan", "/xa-a/tim-kiem?q=nguyen"],
    "a.chuyenvien": ["/xa-a/"],
    "a.lanhdao": ["/xa-a/", "/xa-a/?tab=approval"],
    "huyen.admin": ["/huyen-test/admin", "/huyen-test/admin/don-vi/xa-a/linh-vuc", "/huyen-test/admin/nhat-ky",
                    "/huyen-test/admin/can-bo", "/huyen-test/admin/lich"],
}


def _catalogue() -> tuple[set[str], set[str]]:
    """(English msgstrs that differ from their msgid, English words, words that only English uses)."""
    with PO.open("rb") as f:
        catalog = read_po(f)
    english, vietnamese_words, english_words = set(), set(), set()
    for message in catalog:
        if not message.id or not isinstance(message.string, str) or not message.string:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        # Placeholder names ("%(child)s") are code, not Vietnamese words.
        vietnamese_words.update(w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"%\(\w+\)", "", msgid)))
        if message.string != msgid and not re.search(r"%\(|%s|\{", message.string) and " " in message.string:
            english.add(" ".join(message.string.split()))
        english_words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", message.string))
    return english, english_words, english_words - vietnamese_words


ENGLISH_MSGSTRS, ENGLISH_WORDS, ENGLISH_ONLY_WORDS = _catalogue()


def _data_strings(app) -> list[str]:
    """Every string the database holds that a page may show as data, longest first."""
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db
    from core.plugins.manager import host
    from core.tenancy.models import Unit
    from core.users.models import User

    found: set[str] = set()

    def add(value) -> None:
        if isinstance(value, str) and value.strip():
            found.add(value.strip())
            found.update(part.strip() for part in value.splitlines() if part.strip())
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)

    with app.app_context():
        for unit in db.session.scalars(select(Unit)):
            add([unit.name, unit.address, unit.parent.name if unit.parent else ""])
        for user in db.session.scalars(select(User)):
            add(user.full_name)
        for dossier in db.session.scalars(select(Dossier)):
            add([dossier.applicant_name, dossier.applicant_address, dossier.data])
            for event in dossier.events:
                add([event.note, event.actor_name, event.payload])
        for procedure in host().procedures.values():
            add([procedure.current_version.legal_basis])  # legal citations stay in Vietnamese
        for template in host().documents.values():
            add(template.title)  # official form titles
        db.session.remove()
    return sorted(found, key=len, reverse=True)


def _texts(page: str):
    """(text, where) of every visible string of a page, skipping elements declared Vietnamese (lang="vi")."""
    tree = parse_strict(page)

    def walk(element, vietnamese: bool):
        vietnamese = element.get("lang") == "vi" if element.get("lang") else vietnamese
        if element.tag in SKIP_TAGS or (element.tag == "html" and False):
            return
        if not vietnamese:
            if element.text and element.text.strip() and element.tag not in ("title",):
                yield " ".join(element.text.split()), element.tag
            for attribute in ATTRIBUTES:
                if element.get(attribute):
                    yield " ".join(element.get(attribute).split()), f"{element.tag}@{attribute}"
        for child in element:
            yield from walk(child, vietnamese)
            if not vietnamese and child.tail and child.tail.strip():
                yield " ".join(child.tail.split()), element.tag

    body = tree.find(".//body")
    head_title = tree.find(".//head/title")
    if head_title is not None and head_title.text:
        yield " ".join(head_title.text.split()), "title"
    yield from walk(body, False)


def _links(base: str, page: str) -> list[str]:
    tree = parse_strict(page)
    links = []
    for anchor in tree.iter("a"):
        href = anchor.get("href") or ""
        if not href or href.startswith(("#", "mailto:", "tel:")) or "lang=" in href:
            continue
        target = urljoin(base, href)
        parts = urlsplit(target)
        if parts.netloc not in ("", "localhost") or NOT_FOLLOWED.search(target):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _crawl(client, starts: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            seen[path] = ""
            continue
        seen[path] = response.get_data(as_text=True)
        queue.extend(link for link in _links(f"http://localhost{path}", seen[path]) if link not in seen)
    return {path: page for path, page in seen.items() if page}


def _without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return OFFICIAL.sub(" ", text)


def vietnamese_on_english_page(text: str, data: list[str]) -> bool:
    return bool(VIETNAMESE.search(_without_data(text, data)))


def english_on_vietnamese_page(text: str) -> bool:
    """An English msgstr, or a phrase of English words (two of them English only, or all English and one English
    only: a raw setting name such as "Transfer office")."""
    if text in ENGLISH_MSGSTRS:
        return True
    if VIETNAMESE.search(text):
        return False
    words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)]
    english_only = [w for w in words if w in ENGLISH_ONLY_WORDS]
    return len(english_only) >= 2 or (len(words) >= 2 and english_only != [] and all(w in ENGLISH_WORDS
                                                                                        for w in words))


def test_the_checks_themselves():
    for english in ("Register number", "Late fee", "Transfer office", "Base rate", "Child birth date in words",
                    "Print documents"):
        assert english_on_vietnamese_page(english), english
    for vietnamese in ("Xã An Bình", "Số đăng ký", "PDF", "DEMO.09319-261129-0001", "Đăng ký khai sinh", "08:30"):
        assert not english_on_vietnamese_page(vietnamese), vietnamese
    data = ["Xã An Bình", "Nguyễn Văn Bình"]
    assert vietnamese_on_english_page("Register book: Quyển số", data)
    assert vietnamese_on_english_page("Hộ tịch", data)
    for fine in ("Reception at Xã An Bình", "Decree 20/2021/NĐ-CP", "Một Cửa", "Received by Nguyễn Văn Bình"):
        assert not vietnamese_on_english_page(fine, data), fine


@pytest.fixture
def world(app, desk):
    """Dossiers in the states whose pages differ: online, received, with the specialist, waiting for the leader,
    approved (with its register number), and a land dossier with its liên thông panel."""
    desk.factory.unit("vpdk-test", kind="office", parent="huyen-test", plugins=("land",),
                      name="Chi nhánh Văn phòng đăng ký đất đai huyện Thử Nghiệm")
    make_dossier(app, channel="online", username=None)
    make_dossier(app)
    assigned = make_dossier(app)
    act(app, assigned, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    pending = make_dossier(app)
    act(app, pending, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(app, pending, "a.chuyenvien", "submit_for_approval")
    approved = make_dossier(app)
    act(app, approved, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(app, approved, "a.chuyenvien", "submit_for_approval")
    act(app, approved, "a.lanhdao", "approve")
    land = {"parcel_number": 125, "map_sheet": 14, "area": 152.5, "parcel_address": "Thôn Đông, xã An Bình",
            "land_use_purpose": "ONT", "owners": "Nguyễn Văn An, 1980, 001080012345",
            "change_type": "transfer", "change_date": "2026-01-05", "counterparties": "Lê Văn Cường, 1990",
            "certificate_number": "DA 123456"}
    make_dossier(app, procedure="land.change_registration", data=land)
    return desk


@pytest.mark.parametrize("who", list(ROLES), ids=lambda w: w or "citizen")
def test_no_english_on_vietnamese_pages_and_no_vietnamese_on_english_pages(app, world, client, who):
    starts = list(ROLES[who])
    if who:
        world.factory.login(client, who)
    problems: list[str] = []
    client.get("/login?lang=vi")
    vietnamese_pages = _crawl(client, starts)
    assert len(vietnamese_pages) >= len(starts)
    for path, page in vietnamese_pages.items():
        for text, where in _texts(page):
            if english_on_vietnamese_page(text):
                problems.append(f"vi {path} <{where}>: {text!r}")
    client.get("/login?lang=en")
    data = _data_strings(app)
    english_pages = _crawl(client, starts)
    for path, page in english_pages.items():
        for text, where in _texts(page):
            if vietnamese_on_english_page(text, data):
                problems.append(f"en {path} <{where}>: {text!r}")
    assert not problems, "\n".join(sorted(set(problems)))
