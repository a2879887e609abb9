"""Helpers shared by the officer, portal and admin pages.

Unit loading, the diacritic-insensitive procedure filter, the applicant form of the pages, turning a posted form into
the ``applicant`` and ``data`` dicts the dossier services take, putting service errors back beside their fields, and
showing a dossier's form data with the labels of its form. Nothing here changes a dossier: services do.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask import Flask, abort, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Form, StringField, TelField
from wtforms.fields import SelectMultipleField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from core.catalog.forms import bind_form
from core.dossiers import workflow
from core.formatting import datetime_text, day_text, money, number
from core.plugins.types import Procedure
from core.tenancy.models import Unit
from core.tenancy.services import get_unit_or_none
from core.validators import fold, person_name

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

DOCUMENT_KINDS = {"original": _l("bản chính"), "copy": _l("bản sao"), "certified_copy": _l("bản sao có chứng thực"),
                  "present": _l("xuất trình bản chính")}
RATING_LABELS = {"rat_hai_long": _l("Rất hài lòng"), "hai_long": _l("Hài lòng"),
                 "khong_hai_long": _l("Không hài lòng")}


class Required:
    """Marks a field as required on the page (asterisk, aria-required); the dossier service does the checking."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (one per choice) instead of a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicantForm(Form):
    """The applicant block of the counter and the portal; names are the API's ``applicant`` keys."""

    full_name = StringField(_l("Họ và tên người nộp hồ sơ"), [Required(), Length(max=200), person_name],
                            render_kw={"autocomplete": "name"})
    id_number = StringField(_l("Số CCCD / số định danh cá nhân (12 chữ số)"), [Required()],
                            render_kw={"inputmode": "numeric", "maxlength": "12"})
    phone = TelField(_l("Số điện thoại di động"), [Required()], render_kw={"autocomplete": "tel"})
    address = StringField(_l("Địa chỉ"), [Required(), Length(max=300)], render_kw={"autocomplete": "street-address"})
    email = EmailField(_l("Thư điện tử (không bắt buộc)"), render_kw={"autocomplete": "email"})


def applicant_form(formdata=None) -> ApplicantForm:
    return ApplicantForm(formdata=formdata, prefix="applicant")


def applicant_dict(form: ApplicantForm) -> dict:
    return {name: (form[name].data or "").strip() for name in ("full_name", "id_number", "phone", "address", "email")}


# --- units -----------------------------------------------------------------------------------------------------------


def load_unit(slug: str, active_only: bool = True, merged_readable: bool = False) -> Unit:
    """The unit of the URL, or 404. A unit merged into another (the 2025 reform) points to its successor: a page
    is redirected there (a form sent to it answers 409), except the pages that read its own records
    (``merged_readable``: its dossiers, search, tracking book), which stay open to its staff."""
    unit = get_unit_or_none(slug)
    if unit is not None and unit.successor_id is not None and active_only:
        if merged_readable:
            return unit
        if request.method in ("GET", "HEAD"):
            path = request.full_path if request.query_string else request.path
            abort(redirect(path.replace(f"/{slug}", f"/{unit.successor.slug}", 1)))
        abort(409, description=_("%(unit)s đã được sáp nhập vào %(successor)s.", unit=unit.name,
                                 successor=unit.successor.name))
    if unit is None or (active_only and not unit.active):
        abort(404)
    return unit


# --- procedures ------------------------------------------------------------------------------------------------------


def procedure_haystack(procedure: Procedure) -> str:
    """The folded words a search matches against: the name and the field (in Vietnamese and in the reader's
    language) and the national code (and its parts)."""
    code = procedure.national_code or ""
    words = {procedure.name, procedure.field, procedure.display_name, procedure.display_field}
    return fold(" ".join([*sorted(words), code, code.replace(".", " ")]))


def filter_procedures(procedures: list[Procedure], q: str | None) -> list[Procedure]:
    """Procedures in which every word of ``q`` begins a word, ignoring case and diacritics ("khai sinh", "ho tich")."""
    words = fold(q or "").split()
    if not words:
        return list(procedures)
    found = []
    for procedure in procedures:
        haystack = procedure_haystack(procedure).split()
        if all(any(h.startswith(w) for h in haystack) for w in words):
            found.append(procedure)
    return found


def plugin_form(procedure: Procedure, unit: Unit, formdata=None):
    """The procedure's own form (with plugin extensions), bound to ``formdata`` when given."""
    form = bind_form(procedure, unit, formdata=formdata)
    if formdata is None:
        form.process()
    return form


def form_payload(form: Form, formdata) -> dict:
    """The raw posted values of ``form``'s fields, as the dossier service's ``data`` (it validates them)."""
    data = {}
    for name, field in form._fields.items():
        if name in ("csrf_token", "submit"):
            continue
        values = formdata.getlist(field.name) if formdata is not None else []
        if isinstance(field, SelectMultipleField) or len(values) > 1:
            data[name] = [v for v in values if v != ""]
        elif field.type == "BooleanField":
            data[name] = bool(values and values[0] not in ("", "n", "false", "0"))
        else:
            data[name] = values[0] if values else ""
    return data


def put_errors(fields: dict, applicant: Form | None, data_form: Form | None) -> list[str]:
    """Place a service's per-field messages on the form fields; return the messages no field took."""
    left = []
    for key, message in (fields or {}).items():
        target = None
        if key.startswith("applicant.") and applicant is not None:
            target = applicant._fields.get(key.split(".", 1)[1])
        elif data_form is not None:
            target = data_form._fields.get(key)
        if target is not None:
            target.errors = list(target.errors or []) + [str(message)]
        else:
            left.append(str(message))
    return left


# --- display ---------------------------------------------------------------------------------------------------------


def _choice_label(field, value) -> str:
    for choice in field.choices or []:
        key, label = (choice[0], choice[1]) if isinstance(choice, (tuple, list)) else (choice, choice)
        if str(key) == str(value):
            return str(label)
    return str(value)


def _display_value(field, value) -> str:
    if value in (None, "", []):
        return "—"
    if field is not None and getattr(field, "choices", None) is not None:
        if isinstance(value, list):
            return ", ".join(_choice_label(field, v) for v in value)
        return _choice_label(field, value)
    if isinstance(value, bool) or (field is not None and field.type == "BooleanField"):
        return _("Có") if value else _("Không")
    if field is not None and field.type == "DateField":
        return day_text(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return number(value)  # 1525.5: "1.525,5" (vi), "1,525.5" (en)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def display_data(procedure: Procedure | None, unit: Unit, data: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of a dossier's form data: the form's fields first, in order, then any other keys."""
    data = dict(data or {})
    rows = []
    if procedure is not None:
        form = plugin_form(procedure, unit)
        for name, field in form._fields.items():
            if name in ("csrf_token", "submit"):
                continue
            rows.append((str(field.label.text), _display_value(field, data.pop(name, None))))
    # Keys a plugin adds later (a register number on approval) carry the labels its form declares; a key it did not
    # label is still shown, by name, rather than hidden.
    labels = getattr(procedure.form_class, "result_labels", {}) if procedure is not None else {}
    for key, value in data.items():
        if key in labels and labels[key] is None:
            continue
        label = str(labels[key]) if key in labels else key.replace("_", " ").capitalize()
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            rows.append((label, day_text(value)))
        else:
            rows.append((label, _display_value(None, value)))
    return rows


def error_items(*forms) -> list[tuple[str, str, str]]:
    """(field id, label, message) of every field error of ``forms``, in page order, for the linked error summary."""
    items = []
    for form in forms:
        if form is None:
            continue
        for field in form:
            for message in field.errors or []:
                items.append((field.id, str(field.label.text).rstrip(" *:"), str(message)))
    return items


def install_template_helpers(app: Flask) -> None:
    """Jinja filters and globals used by every page area (idempotent)."""
    if app.jinja_env.filters.get("vn_datetime") is datetime_text:
        return
    app.add_template_filter(datetime_text, "vn_datetime")
    app.add_template_filter(day_text, "vn_date")
    app.add_template_filter(money, "money")
    app.add_template_global(workflow.state_label, "state_label")
    app.add_template_global(error_items, "error_items")
