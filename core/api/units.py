"""Public unit and catalogue endpoints."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import or_, select

from core.api import bp
from core.catalog.services import catalogue_for
from core.extensions import db
from core.plugins.manager import enabled_plugins, host
from core.tenancy.models import Unit
from core.tenancy.services import get_unit_or_none


@bp.get("/units")
def list_units():
    # Active units, and the units merged into another (the 2025 reform): old addresses and codes still name them.
    units = db.session.scalars(select(Unit).where(or_(Unit.active.is_(True), Unit.successor_id.isnot(None)))
                               .order_by(Unit.code, Unit.slug)).all()
    by_id = {u.id: u for u in units}
    # A field (lĩnh vực) is a plugin that owns procedures: payment providers and transports are not fields.
    owners = {key.split(".", 1)[0] for key in host().procedures}
    return jsonify({"units": [
        {"slug": u.slug, "code": u.code, "name": u.name, "kind": u.kind,
         "parent": by_id[u.parent_id].slug if u.parent_id in by_id else None,
         "fields": sorted(p for p in enabled_plugins(u) if p in owners) if u.active else [],
         "active": u.active, "successor": by_id[u.successor_id].slug if u.successor_id in by_id else None}
        for u in units
    ]})


@bp.get("/units/<slug>/procedures")
def list_procedures(slug: str):
    unit = get_unit_or_none(slug)
    if unit is None or not unit.active:
        abort(404)
    return jsonify({"procedures": catalogue_for(unit)})
