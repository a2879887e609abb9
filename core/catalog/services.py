"""The catalogue as the public sees it, and its database mirror."""

from __future__ import annotations

from sqlalchemy import select

from core.catalog.forms import bind_form, describe_fields
from core.catalog.models import ProcedureRecord
from core.extensions import db
from core.plugins.manager import host, procedures_for
from core.plugins.types import Procedure


def procedure_fee_text(procedure: Procedure) -> str:
    return procedure.current_version.fee_description or ("Miễn phí" if procedure.fee is None else "")


def serialize_procedure(procedure: Procedure, unit) -> dict:
    version = procedure.current_version
    pt = version.processing_time
    return {
        "key": procedure.key,
        "national_code": procedure.national_code,
        "name": procedure.name,
        "field": procedure.field,
        "plugin": procedure.plugin,
        "legal_basis": version.legal_basis,
        "version": version.version,
        "processing_time": {"value": pt.value, "unit": pt.unit,
                            "cutoff": pt.cutoff.strftime("%H:%M") if pt.cutoff else None},
        "fee": procedure_fee_text(procedure),
        "required_documents": [{"name": d.name, "kind": d.kind, "count": d.count, "required": d.is_required}
                               for d in procedure.required_documents],
        "transfer_to_kind": procedure.transfer_to_kind,
        "fully_online": procedure.fully_online,
        "fields": describe_fields(bind_form(procedure, unit)),
    }


def catalogue_for(unit) -> list[dict]:
    return [serialize_procedure(p, unit) for p in procedures_for(unit)]


def sync_catalog() -> int:
    """Mirror the registry into the procedures table (insert new, update changed, deactivate vanished)."""
    registry = host().procedures
    rows = {r.key: r for r in db.session.scalars(select(ProcedureRecord))}
    changed = 0
    for key, proc in registry.items():
        values = {"plugin": proc.plugin, "national_code": proc.national_code, "name": proc.name,
                  "field": proc.field, "current_version": proc.current_version.version, "active": True}
        row = rows.get(key)
        if row is None:
            db.session.add(ProcedureRecord(key=key, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    for key, row in rows.items():
        if key not in registry and row.active:
            row.active = False
            changed += 1
    db.session.flush()
    return changed


def ensure_procedure_row(procedure: Procedure) -> None:
    if db.session.get(ProcedureRecord, procedure.key) is None:
        sync_catalog()
