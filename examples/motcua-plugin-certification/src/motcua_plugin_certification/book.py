"""Numbering in the certification books, inside core's approving transaction (the plugin never commits)."""

from __future__ import annotations

from datetime import datetime

from core.plugins.api import VN_TZ, db
from sqlalchemy import func, select

from motcua_plugin_certification.models import BookEntry

BOOKS = {"certification.copy_from_original": "SCT/BS", "certification.signature": "SCT/CK"}


def enter(dossier, at: datetime) -> BookEntry:
    """The dossier's line in its book: numbers run from 1 each calendar year (Vietnam's time) per unit and book.
    Two approvals at the same instant would take the same number; the unique constraint refuses the second one,
    which the officer repeats (a busy deployment keeps a row-locked counter, as plugins/civil_status does)."""
    book, year = BOOKS[dossier.procedure_key], at.astimezone(VN_TZ).year
    last = db.session.scalar(select(func.max(BookEntry.number)).where(
        BookEntry.unit_id == dossier.competent_unit_id, BookEntry.book == book, BookEntry.year == year))
    entry = BookEntry(unit_id=dossier.competent_unit_id, dossier_id=dossier.id, book=book, year=year,
                      number=(last or 0) + 1)
    db.session.add(entry)
    db.session.flush()
    return entry
