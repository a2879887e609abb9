"""What a plugin may use of core besides ``core.plugins``: the documented, stable surface (docs/writing_plugins.md,
"What a plugin may import").

A plugin imports ``core.plugins`` (hooks, the returned types, ``PluginInfo``) and this module, nothing else of core;
an import-linter contract (``.importlinter``) holds the in-tree plugins to it. Everything here reads: a plugin
changes core state only by what its hooks return, and writes only its own prefixed tables (through ``db``).

Objects a hook receives (read them, never assign to them):

* ``Unit``: ``id``, ``slug``, ``code``, ``name``, ``kind`` ("province", "district", "commune", "office"),
  ``parent_id``, ``active``, ``settings`` (dict), ``plugin_settings(name)`` (this plugin's settings, dict).
* ``Dossier``: ``id``, ``code``, ``procedure_key``, ``procedure_version``, ``status``, ``channel``
  ("counter", "online", "postal"), ``data`` (dict; dates as ISO strings), ``fee``, ``applicant_name``,
  ``received_at``, ``due_at`` (aware datetimes, UTC), ``receiving_unit_id``/``receiving_unit``,
  ``competent_unit_id``/``competent_unit`` (``Unit``), ``events`` (its history, oldest first).
* ``DossierEvent``: ``action``, ``from_status``, ``to_status``, ``at`` (aware, UTC), ``actor_name``, ``actor``
  (``User`` or None), ``payload`` (dict; ``{"step": ...}`` for ``record_step``).
* ``User``: ``id``, ``username``, ``full_name``, ``is_authenticated``; ask what it may do with ``can``.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup
from sqlalchemy import func, select

from core.catalog.fields import UnitWithPlugin
from core.db_types import JSONType, UTCDateTime, utcnow
from core.documents import build_document, render_html, render_pdf
from core.dossiers.calendar import calendar_for
from core.dossiers.clock import WorkCalendar
from core.dossiers.services import allowed_actions
from core.dossiers.workflow import RUNNING_STATES
from core.extensions import db
from core.formatting import day_text as format_date
from core.formatting import money as format_money
from core.formatting import number as format_number
from core.formatting import percent as format_percent
from core.localtime import VN_TZ, add_months, full_years, local_day, today
from core.notifications.transports import log_transport, setting
from core.plugins.manager import mark_public, require_permission
from core.tenancy.services import designated_office, get_unit_or_none
from core.users.permissions import can
from core.validators import fold, id_number_validator, person_name, phone_validator

__all__ = [
    "JSONType", "Markup", "RUNNING_STATES", "UTCDateTime", "UnitWithPlugin", "VN_TZ", "WorkCalendar", "add_months",
    "allowed_actions",
    "build_document", "calendar_for", "can", "count_dossiers", "db", "designated_office", "dossier_by_code",
    "dossiers_of", "fold", "format_date", "format_money", "format_number", "format_percent", "full_years",
    "get_unit_or_none", "id_number_validator",
    "latest_step_day", "local_day", "log_transport", "mark_public", "person_name", "phone_validator", "render_html",
    "render_panel", "render_pdf", "require_permission", "setting", "today", "unit_by_id", "utcnow",
]


# --- units ---------------------------------------------------------------------------------------------------------


def unit_by_id(unit_id: int):
    """The ``Unit`` with this id, or None."""
    from core.tenancy.models import Unit

    return db.session.get(Unit, unit_id) if unit_id is not None else None


# --- read-only dossier queries -------------------------------------------------------------------------------------


def _dossier_query(unit, procedure_keys, statuses):
    from core.dossiers.models import Dossier

    query = select(Dossier).where(Dossier.competent_unit_id == unit.id)
    if procedure_keys:
        query = query.where(Dossier.procedure_key.in_(tuple(procedure_keys)))
    if statuses:
        query = query.where(Dossier.status.in_(tuple(statuses)))
    return query


def dossiers_of(unit, procedure_keys=(), statuses=()) -> list:
    """The dossiers ``unit`` decides (it is their competent unit), optionally of some procedures and statuses."""
    return list(db.session.scalars(_dossier_query(unit, procedure_keys, statuses)))


def count_dossiers(unit, procedure_keys=(), statuses=()) -> int:
    """How many dossiers ``dossiers_of`` would return, counted by the database (for dashboard widgets)."""
    query = _dossier_query(unit, procedure_keys, statuses)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def dossier_by_code(code: str):
    """The dossier with this code (e.g. in a plugin's own tests), or None. Read it; change it only through hooks."""
    from core.dossiers.models import Dossier

    return db.session.scalar(select(Dossier).where(Dossier.code == code))


def latest_step_day(dossier, step: str) -> date | None:
    """The day (in Vietnam) the step ``step`` was last recorded (``record_step``) on the dossier, or None."""
    found = None
    for event in dossier.events:
        if event.action == "record_step" and (event.payload or {}).get("step") == step:
            found = local_day(event.at)
    return found


# --- pages ---------------------------------------------------------------------------------------------------------


def render_panel(template: str, **context) -> Markup:
    """A plugin template rendered for a ``Panel``: values are escaped by Jinja, and the result is marked safe so the
    dossier page inserts it as HTML (a plain ``str`` panel is shown escaped, as text)."""
    from flask import render_template

    return Markup(render_template(template, **context))
