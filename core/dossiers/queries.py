"""Read-side queries over dossiers, always scoped to the units the user may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.tenancy.services import descendant_ids
from core.users.permissions import unit_ids_with
from core.validators import fold, normalize_phone

PAGE_SIZE = 50


def visible_to(user, query: Select | None = None) -> Select:
    """Dossiers received at or handled by a unit the user has a role over (no role: nothing)."""
    ids = unit_ids_with(user, "dossier.view")
    query = query if query is not None else select(Dossier)
    if not ids:
        return query.where(False)
    return query.where(or_(Dossier.receiving_unit_id.in_(ids), Dossier.competent_unit_id.in_(ids)))


def in_unit(query: Select, unit) -> Select:
    """Dossiers of ``unit`` and the units below it (received there or handled there)."""
    ids = descendant_ids({unit.id})
    return query.where(or_(Dossier.receiving_unit_id.in_(ids), Dossier.competent_unit_id.in_(ids)))


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def search(query: Select, q: str | None) -> Select:
    """By code, applicant name (with or without diacritics), phone or ID number."""
    q = (q or "").strip()
    if not q:
        return query
    digits = normalize_phone(q)
    conditions = [Dossier.code == q, Dossier.code.like(f"%{q}%"),
                  Dossier.applicant_name_folded.like(f"%{fold(q)}%")]
    if digits.isdigit():
        conditions += [Dossier.applicant_phone == digits, Dossier.applicant_id_number == q]
    return query.where(or_(*conditions))


def filtered(user, unit, status=None, procedure=None, q=None, date_from: date | None = None,
             date_to: date | None = None) -> Select:
    query = in_unit(visible_to(user), unit)
    if status:
        query = query.where(Dossier.status == status)
    if procedure:
        query = query.where(Dossier.procedure_key == procedure)
    if date_from:
        query = query.where(Dossier.submitted_at >= local_day_start(date_from))
    if date_to:
        query = query.where(Dossier.submitted_at < local_day_start(date_to + timedelta(days=1)))
    return search(query, q)


def page_of(session, query: Select, page: int, order_by, size: int = PAGE_SIZE):
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.order_by(*order_by).limit(size).offset((page - 1) * size)).all()
    return rows, total
