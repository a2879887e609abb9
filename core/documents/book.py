"""The tracking book (Sổ theo dõi hồ sơ: Mẫu 06 of the 2018 set, Mẫu 07 of the 2025 set) and book numbers.

The book of a unit lists the dossiers *received at that unit* (its desk) in a period, one row each, numbered by
their position in the year's volume (Quyển số = the year): the same "Số thứ tự" that the receipt (Mẫu 01) prints,
whatever period the book is printed for.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from core.db_types import utcnow
from core.documents import formats as fmt
from core.documents.forms import CIRCULARS, TRACKING_BOOK, agency_lines, form_set_at
from core.documents.model import Document, Paragraph, Table
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier, DossierEvent
from core.dossiers.workflow import CLOCK_STATES, PAUSED_STATES, state_label
from core.extensions import db
from core.plugins.manager import get_procedure
from core.tenancy.models import Unit

MAX_PERIOD_DAYS = 366
_CHUNK = 500


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def _count_received(unit_id: int, start: datetime, end: datetime) -> int:
    return db.session.scalar(select(func.count(Dossier.id)).where(
        Dossier.receiving_unit_id == unit_id, Dossier.received_at >= start, Dossier.received_at < end)) or 0


def book_position(dossier: Dossier) -> tuple[int, int]:
    """(volume, number) of a received dossier in its unit's tracking book: the year and its rank in that year."""
    received = fmt.local(dossier.received_at)
    year_start = _day_start(date(received.year, 1, 1))
    earlier = db.session.scalar(select(func.count(Dossier.id)).where(
        Dossier.receiving_unit_id == dossier.receiving_unit_id, Dossier.received_at >= year_start,
        or_(Dossier.received_at < dossier.received_at,
            and_(Dossier.received_at == dossier.received_at, Dossier.id < dossier.id)))) or 0
    return received.year, earlier + 1


def book_form_set(date_to: date) -> str:
    """The form set of a book whose period ends on ``date_to`` (the Circular in force that day, as for forms)."""
    return form_set_at(date_to)


def _events_by_dossier(ids: list[int]) -> dict[int, list[DossierEvent]]:
    found: dict[int, list[DossierEvent]] = defaultdict(list)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        for event in db.session.scalars(select(DossierEvent).where(DossierEvent.dossier_id.in_(chunk))
                                        .order_by(DossierEvent.id)):
            found[event.dossier_id].append(event)
    return found


def book_dossiers(unit: Unit, date_from: date, date_to: date) -> list[Dossier]:
    """Dossiers received at ``unit`` from ``date_from`` to ``date_to`` (local dates, both included), in order."""
    return list(db.session.scalars(select(Dossier).where(
        Dossier.receiving_unit_id == unit.id, Dossier.received_at >= _day_start(date_from),
        Dossier.received_at < _day_start(date_to + timedelta(days=1))).order_by(Dossier.received_at, Dossier.id)))


def _note(dossier: Dossier, events: list[DossierEvent]) -> str:
    notes = []
    if dossier.status in ("refused", "rejected", "stopped", *PAUSED_STATES):
        notes.append(state_label(dossier.status))
    due = dossier.extended_due_at or dossier.due_at
    open_late = dossier.status in CLOCK_STATES and due is not None and dossier.paused_at is None and due < utcnow()
    if dossier.completion == "late" or open_late:  # an open dossier past its appointment is noted too (LAW-13)
        notes.append(_("Quá hạn"))
    if dossier.extended_due_at is not None:
        notes.append(_("Hẹn lại: %(at)s", at=fmt.short_moment(dossier.extended_due_at)))
    return "; ".join(notes)


def book_rows(unit: Unit, date_from: date, date_to: date) -> list[list[str]]:
    """One row per dossier received at ``unit`` in the period, with the columns of the tracking book."""
    dossiers = book_dossiers(unit, date_from, date_to)
    events = _events_by_dossier([d.id for d in dossiers])
    names: dict[int, str] = {unit.id: unit.name}
    counters: dict[int, int] = {}
    rows = []
    for dossier in dossiers:
        year = fmt.local(dossier.received_at).year
        if year not in counters:
            year_start = _day_start(date(year, 1, 1))
            counters[year] = _count_received(unit.id, year_start, max(year_start, _day_start(date_from)))
        counters[year] += 1
        history = events.get(dossier.id, [])
        handed = next((e for e in history if e.action in ("assign", "transfer")), None)
        handed_text = ""
        if handed is not None:
            target = handed.to_unit_id or handed.unit_id
            if target not in names:
                names[target] = db.session.get(Unit, target).name
            handed_text = f"{fmt.short_moment(handed.at)}\n{names[target]}"
        approved = next((e for e in reversed(history) if e.action == "approve"), None)
        returned = next((e for e in reversed(history) if e.action == "return_result"), None)
        returned_text = ""
        if returned is not None:
            returned_text = fmt.short_moment(returned.at)
            if (returned.payload or {}).get("received_by"):
                returned_text += "\n" + _("Người nhận: %(name)s", name=returned.payload["received_by"])
        procedure = get_procedure(dossier.procedure_key)
        rows.append([
            str(counters[year]), dossier.code, procedure.name if procedure else dossier.procedure_key, "01",
            dossier.applicant_name, "\n".join(x for x in (dossier.applicant_address, dossier.applicant_phone) if x),
            fmt.short_moment(dossier.received_at), fmt.short_moment(dossier.due_at), handed_text,
            fmt.short_moment(approved.at) if approved else "", returned_text, _note(dossier, history),
        ])
    return rows


def build_tracking_book(unit: Unit, date_from: date, date_to: date) -> Document:
    """The tracking book of ``unit`` for a period, in the form set in force at the period's end."""
    form_set = book_form_set(date_to)
    number = TRACKING_BOOK["numbers"][form_set]
    rows = book_rows(unit, date_from, date_to)
    volumes = sorted({date_from.year, date_to.year})
    return Document(
        key="tracking_book", title=str(TRACKING_BOOK["titles"][form_set]).upper(),
        form_number=_("Mẫu số %(n)s", n=number), circular=str(CIRCULARS[form_set]),
        agency_lines=agency_lines(unit, form_set),
        reference_lines=[_("Quyển số: %(v)s", v=" – ".join(str(v) for v in volumes))],
        subtitle_lines=[_("Từ ngày %(a)s đến ngày %(b)s", a=fmt.day_text(date_from), b=fmt.day_text(date_to))],
        blocks=[
            Table([_("STT"), _("Mã hồ sơ"), _("Tên thủ tục hành chính"), _("Số lượng hồ sơ (bộ)"),
                   _("Tên cá nhân, tổ chức"), _("Địa chỉ, số điện thoại"), _("Nhận hồ sơ vào lúc (giờ, ngày)"),
                   _("Hẹn trả kết quả (giờ, ngày)"), _("Chuyển hồ sơ đến cơ quan giải quyết"),
                   _("Nhận kết quả từ cơ quan giải quyết"), _("Trả kết quả cho cá nhân, tổ chức (ngày, ký nhận)"),
                   _("Ghi chú")],
                  rows, widths=[0.8, 2.9, 2.6, 1.1, 2.2, 2.6, 1.9, 1.9, 2.3, 1.9, 2.3, 2.0],
                  align=["center", "left", "left", "center", "left", "left", "left", "left", "left", "left",
                         "left", "left"], font_size=7,
                  empty_text=_("Không có hồ sơ nào được tiếp nhận trong kỳ.")),
            Paragraph(str(len(rows)), label=_("Tổng số hồ sơ tiếp nhận trong kỳ:"), strong=True),
        ],
        landscape=True, filename=f"so-theo-doi-{unit.slug}-{date_from.isoformat()}-{date_to.isoformat()}",
    )

