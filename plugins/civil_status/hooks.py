"""Hook implementations of the civil-status plugin (thin: the work is in procedures.py and rules.py)."""

from __future__ import annotations

from core.plugins import hookimpl
from plugins.civil_status import rules
from plugins.civil_status.procedures import PROCEDURES


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def register_unit_settings():
    return {"late_fee": rules.DEFAULT_LATE_FEE}


@hookimpl
def validate_dossier(procedure, data, context):
    if procedure.key == "civil_status.birth_registration":
        return rules.check_birth(data["child_birth_date"], context.on)
    return []
