"""The JSON Schema of the payload pushed to the national portal (docs/national_portal.md, field by field). The
simulator checks every payload against it; tests check that core's payloads satisfy it."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from core.national_portal.facts import PAYMENT_STATES

_MOMENT = {"type": ["string", "null"], "format": "date-time"}
_CODE = {"type": "string", "minLength": 1, "maxLength": 64}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Một Cửa → Cổng Dịch vụ công quốc gia: dossier status",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "message_id", "sequence", "sender_agency_code", "dossier_code",
                 "procedure_national_code", "receiving_agency_code", "deciding_agency_code", "channel",
                 "national_status", "status_at", "received_at", "due_at", "finished_at", "returned_at", "fee",
                 "payment_status", "result"],
    "properties": {
        "schema_version": {"const": 1},
        "message_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "sequence": {"type": "integer", "minimum": 1},
        "sender_agency_code": _CODE,
        "dossier_code": _CODE,
        "procedure_national_code": _CODE,
        "receiving_agency_code": _CODE,
        "deciding_agency_code": _CODE,
        "channel": {"enum": ["counter", "online", "postal"]},
        "national_status": {"type": "integer", "minimum": 1, "maximum": 10},
        "status_at": {"type": "string", "format": "date-time"},
        "received_at": _MOMENT,
        "due_at": _MOMENT,
        "finished_at": _MOMENT,
        "returned_at": _MOMENT,
        "fee": {"type": "integer", "minimum": 0},
        "payment_status": {"enum": list(PAYMENT_STATES)},
        "result": {
            "type": "object", "additionalProperties": False, "required": ["electronic", "signed"],
            "properties": {"electronic": {"type": "boolean"}, "signed": {"type": "boolean"}},
        },
    },
}

_VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(payload) -> list[str]:
    """Every way ``payload`` breaks the schema, as "path: message" lines; empty when it is valid."""
    found = sorted(_VALIDATOR.iter_errors(payload), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in found]
