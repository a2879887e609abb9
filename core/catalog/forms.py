"""One source of rules: a procedure's WTForms form validates both the page form and the API payload."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import DataRequired, InputRequired

from core import form_messages
from core.catalog.fields import PLACEHOLDER, json_number_text, localized_form
from core.plugins.manager import hooks_for
from core.plugins.types import Procedure

_TYPE_NAMES = {
    "StringField": "string", "TextAreaField": "text", "DateField": "date", "IntegerField": "integer",
    "DecimalField": "number", "FloatField": "number", "SelectField": "choice", "RadioField": "choice",
    "SelectMultipleField": "multiple_choice", "BooleanField": "boolean", "EmailField": "email",
    "TelField": "phone", "FieldList": "list", "DateTimeLocalField": "datetime", "DateTimeField": "datetime",
}


def form_class_for(procedure: Procedure, unit) -> type[Form]:
    """The owner's form plus the optional fields other enabled plugins add (extend_dossier_form)."""
    extra = [pair for pairs in hooks_for(unit).extend_dossier_form(procedure=procedure) for pair in (pairs or [])]
    if not extra:
        return localized_form(procedure.form_class)
    return localized_form(type(procedure.form_class.__name__ + "Extended", (procedure.form_class,), dict(extra)))


def payload_to_formdata(data: dict) -> MultiDict:
    """JSON values as form strings: lists become repeated keys, booleans 'y' or absent, numbers text."""
    pairs = []
    for key, value in (data or {}).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None or item is False:
                continue
            if item is True:
                item = "y"
            elif isinstance(item, (float, Decimal)):
                item = json_number_text(item)  # a JSON number is never ambiguous: keep it so as text
            pairs.append((key, str(item)))
    return MultiDict(pairs)


def bind_form(procedure: Procedure, unit, formdata=None, obj_data: dict | None = None, csrf: bool = False) -> Form:
    cls = form_class_for(procedure, unit)
    if formdata is None and obj_data is not None:
        formdata = payload_to_formdata(obj_data)
    # WTForms' own messages ("This field is required.") in the reader's language (core.form_messages).
    return cls(formdata=formdata, meta={"csrf": csrf, "get_translations": form_messages.get_translations})


def json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def form_to_data(form: Form) -> dict:
    """Cleaned values of the procedure's fields, JSON-ready (no CSRF token, no submit buttons)."""
    skip = {"csrf_token", "submit"}
    return {name: json_value(field.data) for name, field in form._fields.items() if name not in skip}


def describe_fields(form: Form) -> list[dict]:
    """The public field list of the catalogue API: name, label, type, required, choices."""
    result = []
    for name, field in form._fields.items():
        if name in {"csrf_token", "submit"}:
            continue
        required = any(isinstance(v, (DataRequired, InputRequired)) for v in field.validators)
        choices = None
        if getattr(field, "choices", None) is not None:
            choices = [{"value": str(v), "label": str(label)} for v, label in _choices(field)
                       if not (str(v) == "" and str(label) == str(PLACEHOLDER))]  # "— Chọn —" is no answer
        result.append({
            "name": name, "label": str(field.label.text), "type": _TYPE_NAMES.get(field.type, "string"),
            "required": required, "choices": choices,
        })
    return result


def _choices(field):
    """(value, label) pairs whatever form the choices were given in (pairs, plain values, SelectChoice, groups)."""
    for choice in field.iter_choices():
        if hasattr(choice, "value"):
            yield choice.value, choice.label
        else:  # older WTForms yield tuples
            yield choice[0], choice[1]
