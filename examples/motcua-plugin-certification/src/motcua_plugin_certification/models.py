"""The plugin's table: the certification books (sổ chứng thực, Decree 23/2015 art. 13), one line per certified
dossier. A plugin owns the tables whose names start with its own (``certification_``); their revisions live in
``migrations/``, written by ``flask plugins new-migration certification -m "..."``. Một Cửa imports this module
when it loads the plugin."""

from __future__ import annotations

from datetime import datetime

from core.plugins.api import UTCDateTime, db, utcnow
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class BookEntry(db.Model):
    """Number ``number`` of ``book`` (``SCT/BS`` copies, ``SCT/CK`` signatures) of one unit in one year."""

    __tablename__ = "certification_book_entries"
    __table_args__ = (UniqueConstraint("unit_id", "book", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    book: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
