"""Read-side queries over dossiers, always scoped to the units the user may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import Integer, Select, and_, bindparam, func, or_, select, union_all
from sqlalchemy.orm import aliased

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.tenancy.models import Unit
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


# --- a unit's list: statements built once per unit subtree and kind of filter, values bound at each request ----------


def _like_pattern(text: str) -> str:
    """``%text%`` with "/" as the escape character, as ``contains(..., autoescape=True)`` writes it (SEC-18)."""
    return "%" + text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _filter_values(status, procedure, q, date_from: date | None, date_to: date | None) -> tuple[tuple, dict]:
    """Which filters apply (the statement's shape) and their bound values; the same rows as ``filter_conditions``."""
    values: dict = {}
    q = (q or "").strip()
    search = None
    if q:
        digits = normalize_phone(q)
        search = "digits" if digits.isascii() and digits.isdigit() else "text"
        values.update(q=q, code_like=_like_pattern(q), name_like=_like_pattern(fold(q)), digits=digits)
    if status:
        values["status"] = status
    if procedure:
        values["procedure"] = procedure
    if date_from:
        values["date_from"] = local_day_start(date_from)
    if date_to:
        values["date_to"] = local_day_start(date_to + timedelta(days=1))
    shape = (search, bool(status), bool(procedure), bool(date_from), bool(date_to))
    return shape, values


def _bound_conditions(shape: tuple) -> list:
    search, status, procedure, date_from, date_to = shape
    conditions = []
    if search:
        found = [Dossier.code == bindparam("q"), Dossier.code.like(bindparam("code_like"), escape="/"),
                 Dossier.applicant_name_folded.like(bindparam("name_like"), escape="/")]
        if search == "digits":
            found += [Dossier.applicant_phone == bindparam("digits"), Dossier.applicant_id_number == bindparam("q")]
        conditions.append(or_(*found))
    if status:
        conditions.append(Dossier.status == bindparam("status"))
    if procedure:
        conditions.append(Dossier.procedure_key == bindparam("procedure"))
    if date_from:
        conditions.append(Dossier.submitted_at >= bindparam("date_from"))
    if date_to:
        conditions.append(Dossier.submitted_at < bindparam("date_to"))
    return conditions


def _scope_parts(units) -> tuple[list, object]:
    """The disjoint parts of "received at one of ``units`` or handled there": one condition per receiving unit (or
    one IN list above MAX_UNIT_BRANCHES), and the dossiers transferred in from outside."""
    if len(units) <= MAX_UNIT_BRANCHES:
        received_here = [Dossier.receiving_unit_id == unit_id for unit_id in sorted(units)]
    else:
        received_here = [Dossier.receiving_unit_id.in_(sorted(units))]
    transferred_in = and_(Dossier.competent_unit_id != Dossier.receiving_unit_id,
                          Dossier.competent_unit_id.in_(sorted(units)))
    if len(units) > 1:
        transferred_in = and_(transferred_in, Dossier.receiving_unit_id.not_in(sorted(units)))
    # For one unit (a commune) "received elsewhere" follows from the other two conditions, and left out it lets the
    # count be read from the partial index ix_dossiers_transferred_in alone. With it, PostgreSQL (which takes
    # competent <> receiving for nearly every row) counted them by visiting every dossier the commune handles: 8,800
    # pages and 30-40 ms for the queue's total at 1M dossiers, against 2 pages and 0.3 ms (issue 16).
    return received_here, transferred_in


_SIZE, _OFFSET, _DEPTH = (bindparam(name, type_=Integer) for name in ("size", "offset", "depth"))


def _listing(units: tuple[int, ...], shape: tuple, visible: tuple[int, ...] | None = None):
    """The page's ``id``s (a subquery, with ``submitted_at``), the columns that give the list's total when read
    beside the page, and a query of the total alone (for a page past the end, where no row carries it).
    ``visible``: the units the user may see when that is only part of ``units``."""
    conditions = _bound_conditions(shape)
    if visible is not None:
        # A role over only part of the subtree: the general query, filtered row by row.
        scope = and_(or_(Dossier.receiving_unit_id.in_(visible), Dossier.competent_unit_id.in_(visible)),
                     or_(Dossier.receiving_unit_id.in_(units), Dossier.competent_unit_id.in_(units)))
        query = select(Dossier.id, Dossier.submitted_at).where(scope, *conditions)
        page_ids = query.order_by(*NEWEST_FIRST).limit(_SIZE).offset(_OFFSET).subquery()
        count = select(func.count()).select_from(query.subquery())
        return page_ids, [count.scalar_subquery()], count
    received_here, transferred_in = _scope_parts(units)
    scope = or_(Dossier.receiving_unit_id.in_(units), transferred_in)
    count = select(func.count()).select_from(Dossier).where(scope, *conditions)
    if shape[0]:
        # A search is served by its own indexes (trigrams, code, phone, ID number), not by walking each unit's list:
        # one scan finds the matches once and counts them (a part per unit would repeat the search for every unit,
        # and the count would repeat it all again).
        page_ids = (select(Dossier.id, Dossier.submitted_at, func.count().over().label("total"))
                    .where(scope, *conditions).order_by(*NEWEST_FIRST).limit(_SIZE).offset(_OFFSET).subquery())
        return page_ids, [page_ids.c.total], count
    heads = [select(Dossier.id, Dossier.submitted_at).where(part, *conditions).order_by(*NEWEST_FIRST)
             .limit(_DEPTH).subquery() for part in [*received_here, transferred_in]]
    merged = union_all(*(select(head.c.id, head.c.submitted_at) for head in heads)).subquery()
    page_ids = (select(merged.c.id, merged.c.submitted_at)
                .order_by(merged.c.submitted_at.desc(), merged.c.id.desc()).limit(_SIZE).offset(_OFFSET).subquery())
    # Uncorrelated: the database computes them once for the statement, from the same indexes as the parts.
    counts = [select(func.count()).select_from(Dossier).where(part, *conditions).scalar_subquery()
              for part in (Dossier.receiving_unit_id.in_(units), transferred_in)]
    return page_ids, counts, count


_RECEIVING, _COMPETENT = aliased(Unit), aliased(Unit)
# What a line of the API's list shows (``serializers.summary_json``): columns, not Dossier objects, so that a page
# loads no JSON ``data``, no unit settings and no ORM state it does not show.
SUMMARY_COLUMNS = (Dossier.code, Dossier.status, Dossier.step, Dossier.procedure_key, Dossier.channel,
                   _RECEIVING.slug.label("receiving_slug"), _COMPETENT.slug.label("competent_slug"),
                   Dossier.applicant_name, Dossier.applicant_phone, Dossier.received_at, Dossier.due_at,
                   Dossier.extended_due_at, Dossier.version)


@lru_cache(maxsize=512)
def _statements(rows: bool, units: tuple[int, ...], shape: tuple, visible: tuple[int, ...] | None):
    """The page statement (Dossier objects, or rows of SUMMARY_COLUMNS) with its total, and the total alone: built
    once per unit subtree and kind of filter (building them cost more than running them, issue 16)."""
    page_ids, totals, count = _listing(units, shape, visible)
    if rows:
        page = (select(*SUMMARY_COLUMNS, *totals).join(page_ids, Dossier.id == page_ids.c.id)
                .join(_RECEIVING, _RECEIVING.id == Dossier.receiving_unit_id)
                .join(_COMPETENT, _COMPETENT.id == Dossier.competent_unit_id))
    else:
        page = select(Dossier, *totals).join(page_ids, Dossier.id == page_ids.c.id)
    return page.order_by(*NEWEST_FIRST), count, len(totals)


def _read_page(session, rows: bool, user, unit, page: int, size: int, filters: tuple):
    units = descendant_ids({unit.id})
    visible = unit_ids_with(user, "dossier.view")
    partial = None if units <= visible else tuple(sorted(visible))
    shape, values = _filter_values(*filters)
    statement, count, totals = _statements(rows, tuple(sorted(units)), shape, partial)
    found = session.execute(statement, {**values, "size": size, "offset": (page - 1) * size,
                                        "depth": page * size}).all()
    if not found:
        return [], session.scalar(count, values) or 0
    return found, sum(found[0][-totals:])


def unit_page(session, user, unit, page: int = 1, size: int = PAGE_SIZE, *, status=None, procedure=None, q=None,
              date_from: date | None = None, date_to: date | None = None) -> tuple[list[Dossier], int]:
    """One page of the dossiers of ``unit`` and the units below it, newest submission first, and their total.

    The list is "received here OR handled here", and no index serves an ordered OR over two columns: PostgreSQL
    would read and sort the unit's whole history for every page. So it is read as disjoint parts that each
    walk an index already in order and stop after the page: the dossiers received at each unit (one part per
    unit, so a district's page does not sort the district's history either), and those transferred in from
    outside (a small partial index). The total counts the same parts from the same indexes, in the same statement.
    A search (``q``) instead reads its matches once from its own indexes and counts them in the same scan.
    """
    found, total = _read_page(session, False, user, unit, page, size, (status, procedure, q, date_from, date_to))
    return [row[0] for row in found], total


def unit_page_rows(session, user, unit, page: int = 1, size: int = PAGE_SIZE, *, status=None, procedure=None,
                   q=None, date_from: date | None = None, date_to: date | None = None) -> tuple[list, int]:
    """``unit_page`` as rows of SUMMARY_COLUMNS (the JSON API's list), read with the total in one statement."""
    return _read_page(session, True, user, unit, page, size, (status, procedure, q, date_from, date_to))
