"""The civil-status register books: numbering on approval and look-ups for later dossiers.

Called from the plugin's hooks inside core's transactions (never commits). One book per kind of event; the book label
printed on the documents is ``<code>/<year>``, e.g. ``KS/2026``, and the number runs from 1 each year per unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.plugins.api import VN_TZ, db
from plugins.civil_status.models import RegisterCounter, RegisterEntry


@dataclass(frozen=True)
class Book:
    key: str
    code: str
    title: str


BOOKS: dict[str, Book] = {
    "civil_status.birth_registration": Book("birth", "KS", _l("Sổ đăng ký khai sinh")),
    "civil_status.death_registration": Book("death", "KT", _l("Sổ đăng ký khai tử")),
    "civil_status.marriage_registration": Book("marriage", "KH", _l("Sổ đăng ký kết hôn")),
    "civil_status.marital_status_certificate": Book("marital_status", "XNTTHN",
                                                    _l("Sổ cấp Giấy xác nhận tình trạng hôn nhân")),
    "civil_status.extract_copy": Book("extract_copy", "BSTL", _l("Sổ cấp bản sao trích lục hộ tịch")),
}
BOOK_BY_CODE: dict[str, Book] = {b.code: b for b in BOOKS.values()}


def book_label(book: Book, year: int) -> str:
    """The volume label printed as "Quyển số", e.g. ``KS/2026``."""
    return f"{book.code}/{year}"


def parse_book_label(label: str) -> tuple[Book, int] | None:
    """``"KS/2026"`` → (birth book, 2026); None when the label is not one of ours."""
    code, _, year = (label or "").strip().upper().partition("/")
    if code not in BOOK_BY_CODE or not (year.isascii() and year.isdigit()):
        return None
    return BOOK_BY_CODE[code], int(year)


def next_number(unit_id: int, book: str, year: int) -> int:
    """Take the next number of ``book`` of ``unit_id`` in ``year`` (row-locked counter, gap-free)."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(RegisterCounter).values(unit_id=unit_id, book=book, year=year, last_number=0).on_conflict_do_nothing()
    )
    return db.session.execute(
        update(RegisterCounter)
        .where(RegisterCounter.unit_id == unit_id, RegisterCounter.book == book, RegisterCounter.year == year)
        .values(last_number=RegisterCounter.last_number + 1)
        .returning(RegisterCounter.last_number)
    ).scalar_one()


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def subject_of(procedure_key: str, data: dict, applicant_name: str = "") -> dict:
    """Who a register entry is about, from the dossier's stored data."""
    if procedure_key == "civil_status.birth_registration":
        return {"person_name": data.get("child_full_name", ""), "event_date": _day(data.get("child_birth_date"))}
    if procedure_key == "civil_status.death_registration":
        return {"person_name": data.get("deceased_full_name", ""),
                "person_id_number": data.get("deceased_id_number") or "", "event_date": _day(data.get("death_date"))}
    if procedure_key == "civil_status.marriage_registration":
        return {"person_name": data.get("female_full_name", ""), "person_id_number": data.get("female_id_number", ""),
                "partner_name": data.get("male_full_name", ""), "partner_id_number": data.get("male_id_number", "")}
    if procedure_key == "civil_status.marital_status_certificate":
        return {"person_name": data.get("person_full_name", ""),
                "person_id_number": data.get("person_id_number") or ""}
    return {"person_name": data.get("person_full_name") or applicant_name}


def entry_for_dossier(dossier_id: int) -> RegisterEntry | None:
    return db.session.scalar(select(RegisterEntry).where(RegisterEntry.dossier_id == dossier_id))


def record(dossier, at: datetime) -> RegisterEntry | None:
    """Write the dossier into its register book (once; a second call returns the existing entry)."""
    book = BOOKS.get(dossier.procedure_key)
    if book is None:
        return None
    existing = entry_for_dossier(dossier.id)
    if existing is not None:
        return existing
    local_day = at.astimezone(VN_TZ).date()
    data = dossier.data or {}
    entry = RegisterEntry(
        unit_id=dossier.competent_unit_id, book=book.key, year=local_day.year,
        number=next_number(dossier.competent_unit_id, book.key, local_day.year), dossier_id=dossier.id,
        registered_at=at, registered_on=local_day, details={"code": dossier.code, "data": data},
        **subject_of(dossier.procedure_key, data, dossier.applicant_name),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def currently_married(id_numbers) -> set[str]:
    """The ID numbers among ``id_numbers`` that this deployment's register shows as married now.

    A registered marriage ends for the register when a death of either spouse is registered here. (Divorces are
    decided by courts and recorded by another procedure; until that exists, a divorced person must present the
    judgment and the officer decides.)
    """
    wanted = {i for i in id_numbers if i}
    if not wanted:
        return set()
    marriages = db.session.scalars(select(RegisterEntry).where(
        RegisterEntry.book == "marriage",
        or_(RegisterEntry.person_id_number.in_(wanted), RegisterEntry.partner_id_number.in_(wanted)),
    )).all()
    if not marriages:
        return set()
    spouses = {i for m in marriages for i in (m.person_id_number, m.partner_id_number) if i}
    dead = set(db.session.scalars(select(RegisterEntry.person_id_number).where(
        RegisterEntry.book == "death", RegisterEntry.person_id_number.in_(spouses))))
    married = set()
    for m in marriages:
        if m.person_id_number in dead or m.partner_id_number in dead:
            continue
        married.update(i for i in (m.person_id_number, m.partner_id_number) if i in wanted)
    return married


def find_entry(unit_slug: str, label: str, number: int | None) -> RegisterEntry | None:
    """The entry ``number`` of the book labelled ``label`` (e.g. ``KS/2026``) of unit ``unit_slug``."""
    from core.plugins.api import get_unit_or_none

    parsed = parse_book_label(label)
    unit = get_unit_or_none(unit_slug or "")
    if parsed is None or unit is None or not number:
        return None
    book, year = parsed
    return db.session.scalar(select(RegisterEntry).where(
        RegisterEntry.unit_id == unit.id, RegisterEntry.book == book.key, RegisterEntry.year == year,
        RegisterEntry.number == number))
