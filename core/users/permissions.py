"""The one permission check. A role held on a unit covers that unit and all its descendants."""

from __future__ import annotations

from core.tenancy.services import ancestor_ids, descendant_ids
from core.users.models import ROLES

ALL_ROLES = frozenset(ROLES)

# permission -> roles that grant it. The only table of who may do what; plugins add theirs (register_permissions).
# Workflow actions keep their roles per state in core.dossiers.workflow (the state machine's own table).
PERMISSIONS: dict[str, frozenset[str]] = {
    "dossier.view": ALL_ROLES,
    "dossier.receive": frozenset({"reception"}),
    "dossier.process": frozenset({"specialist", "leader"}),  # may be assigned a dossier to process
    "dossier.act": frozenset({"reception", "specialist", "leader"}),
    "queue.view": frozenset({"reception", "specialist", "leader", "auditor"}),  # works on the unit's dossiers
    "report.view": ALL_ROLES,
    "report.self_score": frozenset({"leader", "unit_admin", "district_admin"}),  # the unit's own evaluation
    "unit.admin": frozenset({"unit_admin", "district_admin"}),
    "district.admin": frozenset({"district_admin"}),
}


def roles_over(user, unit_id: int) -> set[str]:
    """Roles the user holds on the unit or any of its ancestors."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return set()
    here = {m.role for m in user.memberships if m.unit_id == unit_id}
    if all(m.role in here for m in user.memberships):
        # Roles held elsewhere add none to those held on the unit itself: the unit tree need not be read (issue 16:
        # an officer reading their own unit's dossier costs one statement less).
        return here
    chain = set(ancestor_ids(unit_id))
    return {m.role for m in user.memberships if m.unit_id in chain}


def granting_roles(permission: str) -> frozenset[str]:
    """The roles that grant ``permission``: core's, or one a plugin declared (``register_permissions``)."""
    if permission in PERMISSIONS:
        return PERMISSIONS[permission]
    from flask import current_app

    declared = current_app.extensions["motcua"].permissions  # the plugin host, without importing core.plugins
    if permission not in declared:
        raise KeyError(f"Unknown permission '{permission}'")
    return declared[permission]


def can(user, permission: str, unit) -> bool:
    """May ``user`` do ``permission`` on ``unit`` (a Unit or a unit id)?"""
    if unit is None:
        return False
    unit_id = unit if isinstance(unit, int) else unit.id
    return bool(roles_over(user, unit_id) & granting_roles(permission))


def unit_ids_with(user, permission: str) -> set[int]:
    """Every unit id on which ``user`` has ``permission``: the scope of all tenant queries."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return set()
    roots = {m.unit_id for m in user.memberships if m.role in granting_roles(permission)}
    return descendant_ids(roots) if roots else set()
