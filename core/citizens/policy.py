"""Whether a unit takes online dossiers from citizens who have not signed in (unit setting allow_anonymous_online)."""

from __future__ import annotations


def anonymous_online_allowed(unit) -> bool:
    """The unit's ``allow_anonymous_online``, else its parent's (a province decides for its communes), else true:
    anonymous online filing stays as it was until a unit turns it off."""
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        value = (unit.settings or {}).get("allow_anonymous_online") if isinstance(unit.settings, dict) else None
        if isinstance(value, bool):
            return value
        unit = unit.parent
    return True
