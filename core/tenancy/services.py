"""Queries over the unit tree. Units are few (hundreds), so the tree is read whole and walked in memory."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from core.extensions import db
from core.tenancy.models import Unit


def get_unit_or_none(slug: str) -> Unit | None:
    if not slug:
        return None
    return db.session.scalar(select(Unit).where(Unit.slug == slug))


def _parent_map() -> dict[int, int | None]:
    cache = g.get("_unit_parents") if _has_g() else None
    if cache is None:
        cache = {unit_id: parent_id for unit_id, parent_id in db.session.execute(select(Unit.id, Unit.parent_id))}
        if _has_g():
            g._unit_parents = cache
    return cache


def _kind_map() -> dict[int, str]:
    cache = g.get("_unit_kinds") if _has_g() else None
    if cache is None:
        cache = dict(db.session.execute(select(Unit.id, Unit.kind)).all())
        if _has_g():
            g._unit_kinds = cache
    return cache


def _has_g() -> bool:
    from flask import has_app_context

    return has_app_context()


def forget_tree() -> None:
    """Drop the cached tree after a unit is created or moved."""
    if _has_g():
        g.pop("_unit_parents", None)
        g.pop("_unit_kinds", None)


def ancestor_ids(unit_id: int) -> list[int]:
    """The unit itself, then its parent, up to the root."""
    parents = _parent_map()
    chain, current, seen = [], unit_id, set()
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return chain


def descendant_ids(unit_ids: set[int] | list[int]) -> set[int]:
    """The given units and every unit below them."""
    children: dict[int | None, list[int]] = {}
    for child, parent in _parent_map().items():
        children.setdefault(parent, []).append(child)
    result, stack = set(), list(unit_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return result


def units_by_ids(ids) -> list[Unit]:
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(list(ids))).order_by(Unit.kind, Unit.code)))


def province_id(unit_id: int) -> int | None:
    """The nearest unit of kind ``province`` at or above ``unit_id``; ``None`` in a tree that declares no province."""
    kinds = _kind_map()
    return next((ancestor for ancestor in ancestor_ids(unit_id) if kinds.get(ancestor) == "province"), None)


def same_jurisdiction(first: Unit, second: Unit) -> bool:
    """May a dossier move between these units (transfer, routing)? Only inside one province (SEC-21, see
    docs/decisions.md): since 1 July 2025 the province is the level that links its communes, and no procedure of
    the catalogue moves a dossier to another province's system. A tree without a province unit is one jurisdiction."""
    one, other = province_id(first.id), province_id(second.id)
    return one is None or other is None or one == other


def designated_office(unit: Unit, kind: str = "office") -> Unit | None:
    """The nearest unit of ``kind`` among the siblings of ``unit`` and its ancestors' children (liên thông target)."""
    for ancestor_id in ancestor_ids(unit.id):
        found = db.session.scalar(
            select(Unit)
            .where(Unit.parent_id == ancestor_id, Unit.kind == kind, Unit.active.is_(True))
            .order_by(Unit.id)
        )
        if found is not None:
            return found
    return None
