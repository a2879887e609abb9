"""Agency identifiers: the prefix of every dossier code (``<agency>-YYMMDD-NNNN``, domain.md 1.4).

Two active units with one prefix would hand out the same dossier codes (the running number is counted per unit), so
the prefix must be unique among active units. Its shape follows the electronic agency identifier of QCVN 102:2016/
BTTTT (Circular 10/2016/TT-BTTTT), e.g. ``000.00.12.H56``: groups of ASCII letters and digits joined by dots. A '-'
would be read as the code's own separator, a '/' breaks every URL that carries the code, and a non-ASCII letter
breaks the file names of printed documents.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from core.extensions import db
from core.tenancy.models import Unit

AGENCY_CODE_RE = re.compile(r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")
AGENCY_CODE_MAX = 40


def agency_code_ok(code: str) -> bool:
    return len(code) <= AGENCY_CODE_MAX and bool(AGENCY_CODE_RE.match(code))


def prefix_of(agency_code: str, gso_code: str) -> str:
    """The prefix dossier codes get: the agency code, else the GSO code (see core.dossiers.codes)."""
    return agency_code or gso_code


def active_unit_with_prefix(prefix: str, except_id: int | None = None) -> Unit | None:
    """Another active unit whose dossier codes start with ``prefix`` (compared without case: codes are looked up
    case-insensitively by citizens)."""
    if not prefix:
        return None
    effective = func.coalesce(func.nullif(Unit.agency_code, ""), Unit.code)
    query = select(Unit).where(Unit.active.is_(True), func.upper(effective) == prefix.upper())
    if except_id is not None:
        query = query.where(Unit.id != except_id)
    return db.session.scalars(query.order_by(Unit.id)).first()
