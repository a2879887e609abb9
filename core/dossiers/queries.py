"""Read-side queries over dossiers, always scoped to the units the user may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, or_, select, union_all

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


def search_condition(q: str | None):
    """By code, applicant name (with or without diacritics), phone or ID number; None for an empty search."""
    q = (q or "").strip()
    if not q:
        return None
    digits = normalize_phone(q)
    # autoescape: "%" or "_" typed in the search box are characters, not wildcards matching everything (SEC-18).
    conditions = [Dossier.code == q, Dossier.code.contains(q, autoescape=True),
                  Dossier.applicant_name_folded.contains(fold(q), autoescape=True)]
    if digits.isascii() and digits.isdigit():
        conditions += [Dossier.applicant_phone == digits, Dossier.applicant_id_number == q]
    return or_(*conditions)


# Beyond any real list (10 million dossiers at 20 a page), and small enough that the offset fits the database.
MAX_PAGE = 500_000

NEWEST_FIRST = (Dossier.submitted_at.desc(), Dossier.id.desc())
# Above this many units (a whole province of several hundred communes) one IN-list scan replaces a branch per unit.
MAX_UNIT_BRANCHES = 200


def filter_conditions(status=None, procedure=None, q=None, date_from: date | None = None,
                      date_to: date | None = None) -> list:
    searched = search_condition(q)
    conditions = [] if searched is None else [searched]
    if status:
        conditions.append(Dossier.status == status)
    if procedure:
        conditions.append(Dossier.procedure_key == procedure)
    if date_from:
        conditions.append(Dossier.submitted_at >= local_day_start(date_from))
    if date_to:
        conditions.append(Dossier.submitted_at < local_day_start(date_to + timedelta(days=1)))
    return conditions


def filtered(user, unit, status=None, procedure=None, q=None, date_from: date | None = None,
             date_to: date | None = None) -> Select:
    return in_unit(visible_to(user), unit).where(*filter_conditions(status, procedure, q, date_from, date_to))


def page_of(session, query: Select, page: int, order_by, size: int = PAGE_SIZE):
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.order_by(*order_by).limit(size).offset((page - 1) * size)).all()
    return rows, total


def unit_page(session, user, unit, page: int = 1, size: int = PAGE_SIZE, *, status=None, procedure=None, q=None,
              date_from: date | None = None, date_to: date | None = None) -> tuple[list[Dossier], int]:
    """One page of the dossiers of ``unit`` and the units below it, newest submission first, and their total.

    The list is "received here OR handled here", and no index serves an ordered OR over two columns: PostgreSQL
    would read and sort the unit's whole history for every page. So it is read as disjoint parts that each
    walk an index already in order and stop after the page: the dossiers received at each unit (one part per
    unit, so a district's page does not sort the district's history either), and those transferred in from
    outside (a small partial index). The total counts the same parts from the same indexes.
    """
    units = descendant_ids({unit.id})
    if not units <= unit_ids_with(user, "dossier.view"):
        # A role over only part of the subtree: the general query, filtered row by row.
        return page_of(session, filtered(user, unit, status, procedure, q, date_from, date_to), page, NEWEST_FIRST,
                       size)
    conditions = filter_conditions(status, procedure, q, date_from, date_to)
    if len(units) <= MAX_UNIT_BRANCHES:
        received_here = [Dossier.receiving_unit_id == unit_id for unit_id in sorted(units)]
    else:
        received_here = [Dossier.receiving_unit_id.in_(units)]
    transferred_in = and_(Dossier.competent_unit_id != Dossier.receiving_unit_id,
                          Dossier.competent_unit_id.in_(units), Dossier.receiving_unit_id.not_in(units))
    parts = [*received_here, transferred_in]

    depth = page * size
    heads = [select(Dossier.id, Dossier.submitted_at).where(part, *conditions).order_by(*NEWEST_FIRST).limit(depth)
             .subquery() for part in parts]
    merged = union_all(*(select(head.c.id, head.c.submitted_at) for head in heads)).subquery()
    page_ids = (select(merged.c.id).order_by(merged.c.submitted_at.desc(), merged.c.id.desc())
                .limit(size).offset((page - 1) * size).subquery())
    rows = session.scalars(select(Dossier).join(page_ids, Dossier.id == page_ids.c.id).order_by(*NEWEST_FIRST)).all()

    counts = [select(func.count()).select_from(Dossier).where(part, *conditions).scalar_subquery()
              for part in (Dossier.receiving_unit_id.in_(units), transferred_in)]
    total = session.execute(select(*counts)).one()
    return rows, sum(total)
