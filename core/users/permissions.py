"""The one permission check. A role held on a unit covers that unit and all its descendants."""

from __future__ import annotations

from core.tenancy.services import ancestor_ids, descendant_ids

ALL_ROLES = frozenset({"reception", "specialist", "leader", "unit_admin", "district_admin", "auditor"})

# permission -> roles that grant it
PERMISSIONS: dict[str, frozenset[str]] = {
    "dossier.view": ALL_ROLES,
    "dossier.receive": frozenset({"reception"}),
    "dossier.process": frozenset({"specialist"}),
    "dossier.approve": frozenset({"leader"}),
    "dossier.act": frozenset({"reception", "specialist", "leader"}),
    "report.view": ALL_ROLES,
    "unit.admin": frozenset({"unit_admin", "district_admin"}),
    "district.admin": frozenset({"district_admin"}),
}


def roles_over(user, unit_id: int) -> set[str]:
    """Roles the user holds on the unit or any of its ancestors."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return set()
    chain = set(ancestor_ids(unit_id))
    return {m.role for m in user.memberships if m.unit_id in chain}


def can(user, permission: str, unit) -> bool:
    """May ``user`` do ``permission`` on ``unit`` (a Unit or a unit id)?"""
    if unit is None:
        return False
    unit_id = unit if isinstance(unit, int) else unit.id
    return bool(roles_over(user, unit_id) & PERMISSIONS[permission])


def unit_ids_with(user, permission: str) -> set[int]:
    """Every unit id on which ``user`` has ``permission``: the scope of all tenant queries."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return set()
    roots = {m.unit_id for m in user.memberships if m.role in PERMISSIONS[permission]}
    return descendant_ids(roots) if roots else set()
