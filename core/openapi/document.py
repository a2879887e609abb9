"""The OpenAPI 3.1 description of the JSON API, written once here and kept true by tests.

docs/api.md is the prose guide; this is the machine-readable contract integrators generate clients from, and the
schema the schemathesis run (tests/core/test_openapi.py) fuzzes the application against. tests/core/test_api_docs.py
checks that its paths are exactly the routed ones and exactly the ones docs/api.md documents.

Enumerations (states, actions, rating levels, report breakdowns) are read from the code that defines them, so a new
state or action cannot be missing here. What a procedure's ``data`` holds depends on the procedure: it is described
by ``GET /api/v1/units/{slug}/procedures``, so here it is an open object.
"""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache

from core.dossiers.models import NATIONAL_STATUS
from core.dossiers.public import RATING_LEVELS
from core.dossiers.queries import MAX_PAGE
from core.dossiers.workflow import ACTIONS
from core.payments.models import PAYMENT_STATES
from core.payments.state import STATUSES as PAYMENT_STATUSES
from core.reports.service_index import GROUPS as INDEX_GROUPS
from core.reports.service_index import INDICATORS as INDEX_INDICATORS
from core.reports.services import BREAKDOWNS

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1"
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    """``schema`` or null (OpenAPI 3.1 is JSON Schema: a list of types, or anyOf for a reference)."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    result = dict(schema)
    result["type"] = [schema["type"], "null"]
    if "enum" in result:
        result["enum"] = [*result["enum"], None]
    return result


def _object(properties: dict, required: list[str] | tuple[str, ...] | None = None, **extra) -> dict:
    """An object whose keys are all present (docs/api.md: "every documented key is always present")."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else list(required), **extra}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
MOMENT = {"type": "string", "format": "date-time", "description": "ISO 8601 moment with the Vietnam offset (+07:00)"}
DAY = {"type": "string", "format": "date", "description": "YYYY-MM-DD (a Vietnam date)"}
RATE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
COUNT = {"type": "integer", "minimum": 0}
POINTS = {"type": "number", "minimum": 0, "maximum": 100}


def _schemas() -> dict:
    states = list(NATIONAL_STATUS)
    received = _object({k: COUNT for k in ("carried_over", "online", "counter", "postal", "total")})
    resolved = _object({k: COUNT for k in ("early", "on_time", "late", "total")})
    in_progress = _object({k: COUNT for k in ("within_time", "overdue", "total")})
    figures = {"received": received, "resolved": resolved, "in_progress": in_progress, "refused": COUNT,
               "stopped": COUNT, "awaiting_supplement": COUNT, "transferred_in": COUNT, "transferred_out": COUNT,
               "on_time_rate": RATE, "online_rate": RATE}
    score = _object({"scores": {"type": "array", "items": INTEGER}, "total": _nullable(INTEGER), "rank": STRING,
                     "note": STRING})
    return {
        "Error": _object({"error": _object(
            {"code": {"type": "string", "description": "stable machine-readable code: branch on this"},
             "message": {"type": "string", "description": "a sentence for people, in the request's language"},
             "fields": {"type": "object", "description": "per-field messages keyed by body or query name"},
             "allowed_actions": {"type": "array", "items": STRING},
             "current_version": INTEGER,
             "dossier": {"type": "string", "description": "the dossier's code (idempotency_in_progress)"}},
            required=["code", "message", "fields"])}),
        "Token": _object({"token": STRING, "expires_at": MOMENT}),
        "Unit": _object({"slug": STRING, "code": STRING, "name": STRING,
                         "kind": {"type": "string", "enum": ["province", "district", "commune", "office"]},
                         "parent": _nullable(STRING), "fields": {"type": "array", "items": STRING}}),
        "FormField": _object({
            "name": STRING, "label": STRING,
            "type": {"type": "string", "enum": ["string", "text", "date", "datetime", "integer", "number", "choice",
                                                "multiple_choice", "boolean", "email", "phone", "list"]},
            "required": BOOLEAN,
            "choices": {"type": ["array", "null"], "items": _object({"value": STRING, "label": STRING})}}),
        "Procedure": _object({
            "key": STRING, "national_code": STRING, "name": STRING, "field": STRING, "plugin": STRING,
            "legal_basis": STRING, "version": STRING,
            "processing_time": _object({"value": {"type": "number"},
                                        "unit": {"type": "string", "enum": ["working_days", "working_hours",
                                                                            "same_day"]},
                                        "cutoff": _nullable(STRING)}),
            "fee": STRING,
            "required_documents": {"type": "array", "items": _object({
                "name": STRING, "kind": {"type": "string", "enum": ["original", "copy", "certified_copy", "present"]},
                "count": INTEGER, "required": BOOLEAN})},
            "transfer_to_kind": _nullable(STRING),
            "fully_online": {"type": "boolean", "description": "the whole procedure can be done online (toàn "
                                                               "trình), its papers uploaded"},
            "fields": {"type": "array", "items": _ref("FormField")}}),
        "DueDate": _object({"due_at": MOMENT, "procedure": STRING, "received_at": MOMENT}),
        "Applicant": _object({"full_name": STRING, "id_number": STRING, "phone": STRING, "address": STRING,
                              "email": _nullable(STRING)}),
        "Attachment": _object({"id": INTEGER, "filename": STRING,
                               "content_type": {"type": "string",
                                                "enum": ["application/pdf", "image/jpeg", "image/png"]},
                               "size": COUNT, "sha256": STRING, "uploaded_at": MOMENT, "url": STRING}),
        "HistoryEvent": _object({"at": MOMENT, "action": STRING, "from": _nullable(STRING),
                                 "to": _nullable(STRING), "actor": STRING, "note": STRING,
                                 "payload": {"type": "object"}}),
        "Dossier": _object({
            "code": STRING, "status": {"type": "string", "enum": states}, "status_label": STRING,
            "step": _nullable({"type": "string", "enum": ["assigned", "pending_approval", "transferred"]}),
            "national_status": {"type": "integer", "minimum": 1, "maximum": 10},
            "receiving_unit": STRING, "competent_unit": STRING, "procedure": STRING, "procedure_version": STRING,
            "channel": {"type": "string", "enum": ["counter", "postal", "online"]},
            "result_delivery": {"type": "string", "enum": ["desk", "postal"]},
            "applicant": _ref("Applicant"), "data": {"type": "object"}, "fee": INTEGER,
            "payment": _ref("DossierPayment"),
            "assignee": _nullable(STRING), "submitted_at": MOMENT, "received_at": _nullable(MOMENT),
            "due_at": _nullable(MOMENT), "original_due_at": _nullable(MOMENT), "extended_due_at": _nullable(MOMENT),
            "paused": BOOLEAN, "finished_at": _nullable(MOMENT), "returned_at": _nullable(MOMENT),
            "completion": _nullable({"type": "string", "enum": ["early", "on_time", "late"]}),
            "version": INTEGER, "allowed_actions": {"type": "array", "items": STRING},
            "history": {"type": "array", "items": _ref("HistoryEvent")},
            "attachments": {"type": "array", "items": _ref("Attachment")},
            "documents": {"type": "array", "items": _object({"name": STRING, "required": BOOLEAN,
                                                             "provided": BOOLEAN, "digitized": BOOLEAN,
                                                             "attachment_id": _nullable(INTEGER)})},
            "digitized": {"type": "boolean", "description": "every paper handed in is digitised (papers only "
                                                            "shown for identification aside)"},
            "national_sync": _ref("NationalSync"),
            "results": {"type": "array", "items": _ref("Result")},
            "reused_results": {"type": "array", "items": _ref("ReusedResult")}}),
        "ReusedResult": _object({"document": _nullable(STRING), "purpose": STRING, "at": MOMENT,
                                 "from_dossier": STRING, "result": _ref("Result")}),
        "EarlierResult": {"allOf": [_ref("Result"), _object({"dossier": STRING, "unit": STRING})]},
        "NationalSync": _object({
            "state": {"type": "string", "enum": ["disabled", "pending", "synced", "failed"]},
            "synced_at": _nullable(MOMENT), "attempts": COUNT, "last_error": _nullable(STRING)}),
        "Result": _object({"key": STRING, "title": STRING,
                           "url": {"type": "string", "description": "the signed PDF (GET, officers with access)"},
                           "sha256": STRING, "signed_at": MOMENT, "signer": STRING}),
        "Verification": _object({"valid": BOOLEAN, "dossier": _nullable(STRING), "document": _nullable(STRING),
                                 "signer": _nullable(STRING), "signed_at": _nullable(MOMENT), "reason": STRING}),
        "DocumentState": _object({"index": COUNT, "name": STRING, "required": BOOLEAN, "provided": BOOLEAN,
                                  "digitized": BOOLEAN, "attachment_id": _nullable(INTEGER)}),
        "DossierPayment": _object({
            "status": {"type": "string", "enum": list(PAYMENT_STATUSES)}, "paid_at": _nullable(MOMENT),
            "receipt_number": _nullable(STRING)}),
        "PaymentStarted": _object({
            "reference": STRING, "amount": {"type": "integer", "minimum": 1, "description": "the dossier's fee, đồng"},
            "provider": STRING, "status": {"const": "pending"},
            "qr_payload": {"type": "string", "description": "VietQR (EMVCo) payload to show as a QR code"},
            "redirect_url": {"type": "string", "description": "the gateway page to send the citizen to"}},
            required=("reference", "amount", "provider", "status")),
        "Payment": _object({
            "reference": STRING, "amount": INTEGER, "provider": STRING,
            "status": {"type": "string", "enum": list(PAYMENT_STATES)}, "dossier": STRING, "created_at": MOMENT,
            "paid_at": _nullable(MOMENT), "receipt_number": _nullable(STRING), "qr_payload": STRING,
            "redirect_url": STRING},
            required=("reference", "amount", "provider", "status", "dossier", "created_at", "paid_at",
                      "receipt_number")),
        "PaymentState": _object({
            "reference": STRING, "amount": INTEGER, "provider": STRING,
            "status": {"type": "string", "enum": list(PAYMENT_STATES)}}),
        "Warning": _object({"field": STRING, "message": STRING, "code": STRING}),
        "CreatedDossier": {"description": "An officer (or anyone who may view the dossier) gets the dossier object "
                                          "plus warnings; an anonymous online submission gets the short receipt.",
                           "oneOf": [{"allOf": [_ref("Dossier"), _object({"warnings": {
                               "type": "array", "items": _ref("Warning")}})]}, _ref("SubmissionReceipt")]},
        "SubmissionReceipt": _object({"code": STRING, "status": {"const": "submitted"}, "status_label": STRING,
                                      "national_status": {"const": 1}, "procedure": STRING,
                                      "channel": {"const": "online"}, "receiving_unit": STRING, "fee": INTEGER,
                                      "submitted_at": MOMENT, "version": INTEGER},
                                     additionalProperties=False),
        "DossierSummary": _object({
            "code": STRING, "status": {"type": "string", "enum": states}, "status_label": STRING,
            "step": _nullable(STRING), "national_status": INTEGER, "procedure": STRING,
            "channel": STRING, "receiving_unit": STRING, "competent_unit": STRING,
            "applicant": _object({"full_name": STRING, "phone": STRING}), "received_at": _nullable(MOMENT),
            "due_at": _nullable(MOMENT), "extended_due_at": _nullable(MOMENT), "version": INTEGER}),
        "DossierPage": _object({"dossiers": {"type": "array", "items": _ref("DossierSummary")},
                                "total": COUNT, "page": {"type": "integer", "minimum": 1},
                                "page_size": {"type": "integer", "const": 50}}),
        "Tracking": _object({
            "code": STRING, "procedure": _object({"key": STRING, "name": STRING}), "receiving_unit": STRING,
            "status": {"type": "string", "enum": states}, "status_label": STRING,
            "received_at": _nullable(MOMENT), "due_at": _nullable(MOMENT), "original_due_at": _nullable(MOMENT),
            "extended_due_at": _nullable(MOMENT), "returned_at": _nullable(MOMENT),
            "steps": {"type": "array", "items": _object({"at": MOMENT, "action": STRING, "label": STRING})},
            "supplement": _nullable(_object({
                "requested_at": MOMENT, "missing_documents": {"type": "array", "items": STRING}, "reason": STRING,
                "contact": _object({"officer": STRING, "unit": STRING, "phone": STRING}),
                "documents": {"type": "array", "description": "the papers the applicant may upload (POST "
                                                              "/api/v1/track/{code}/documents/{index})",
                              "items": _object({"index": COUNT, "name": STRING, "digitized": BOOLEAN})}})),
            "can_withdraw": BOOLEAN, "can_rate": BOOLEAN,
            "rating": _nullable({"type": "string", "enum": list(RATING_LEVELS)}), "fee": INTEGER,
            "payment": _ref("DossierPayment")}),
        "Rating": _object({"code": STRING, "level": {"type": "string", "enum": list(RATING_LEVELS)},
                           "created_at": MOMENT}),
        "ReportFigures": _object(deepcopy(figures)),
        "SummaryReport": _object({
            "unit": _object({"slug": STRING, "name": STRING, "kind": STRING}), "from": DAY, "to": DAY,
            "by": _nullable({"type": "string", "enum": list(BREAKDOWNS)}), **deepcopy(figures),
            "rows": {"type": "array", "items": {"allOf": [_object({"key": STRING, "label": STRING}),
                                                          _ref("ReportFigures")]}}}),
        "MonthlyReport": _object({"unit": STRING, "months": {"type": "array", "items": _object({
            "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, "early": COUNT, "on_time": COUNT,
            "late": COUNT, "resolved": COUNT, "on_time_rate": RATE})}}),
        "SatisfactionReport": _object({
            "unit": STRING, "from": DAY, "to": DAY, "total": COUNT,
            "levels": _object({level: _object({"count": COUNT, "share": RATE}) for level in RATING_LEVELS}),
            "satisfied_rate": RATE,
            "evaluations": {"type": "array", "items": _object({
                "unit": STRING, "from": DAY, "to": DAY, "self": score, "appraised": _nullable(deepcopy(score)),
                "max": INTEGER})}}),
        "StaffReport": _object({"unit": STRING, "from": DAY, "to": DAY, "staff": {"type": "array", "items": _object({
            "username": STRING, "full_name": STRING, "received": COUNT, "handled": COUNT, "early": COUNT,
            "on_time": COUNT, "late": COUNT, "approved": COUNT, "on_time_rate": RATE,
            "average_working_days": {"type": ["number", "null"]}})}}),
        "ServiceIndex": _object({
            "unit": STRING, "name": STRING, "from": DAY, "to": DAY, "total": POINTS, "max": {"const": 100},
            "groups": {"type": "array", "items": _object({
                "key": {"type": "string", "enum": [key for key, _name, _most in INDEX_GROUPS]}, "name": STRING,
                "points": POINTS, "max_points": INTEGER,
                "indicators": {"type": "array", "items": _object({
                    "key": {"type": "string", "enum": [i.key for i in INDEX_INDICATORS]}, "name": STRING,
                    "value": RATE, "points": POINTS, "max_points": INTEGER, "formula": STRING,
                    "numerator": COUNT, "denominator": COUNT, "our_reading": BOOLEAN, "source": STRING})}})}}),
        "Health": _object({"status": {"type": "string", "enum": ["ok", "unavailable"]},
                           "checks": {"type": "object", "additionalProperties": {"type": "string",
                                                                                 "enum": ["ok", "unavailable"]}},
                           "failed": {"type": "array", "items": STRING}}),
    }


# --- operations ------------------------------------------------------------------------------------------------------

_ERROR_TEXT = {400: "bad request (bad_request, bad_json, invalid_text)", 401: "unauthorized: no valid token",
               403: "forbidden", 404: "not found", 405: "method not allowed", 409: "conflict with the current state",
               413: "too large", 415: "unsupported media type", 416: "range not satisfiable",
               422: "invalid input (fields names each problem)",
               429: "too many requests (Retry-After)", 503: "the database cannot be reached (Retry-After)"}
# Answers any endpoint may give (docs/api.md, "Errors").
_COMMON = (400, 405, 413, 503)
PUBLIC: list = []
BEARER: list = [{"bearerAuth": []}]
OPTIONAL_BEARER: list = [{}, {"bearerAuth": []}]


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _operation(operation_id: str, summary: str, ok: dict, errors=(), security=BEARER, parameters=(), body=None,
               description: str = "") -> dict:
    """One operation: ``ok`` maps success statuses to response objects; ``errors`` the documented error statuses."""
    responses = {str(status): response for status, response in ok.items()}
    for status in sorted({*errors, *_COMMON, *((401,) if security is BEARER else ())}):
        responses[str(status)] = {"description": _ERROR_TEXT[status], "content": _json(_ref("Error"))}
    operation = {"operationId": operation_id, "summary": summary, "security": security, "responses": responses}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = list(parameters)
    if body is not None:
        operation["requestBody"] = body
    return operation


def _ok(schema_name: str, description: str = "success") -> dict:
    return {"description": description, "content": _json(_ref(schema_name))}


def _path_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or STRING}


def _query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or STRING}


def _json_body(properties: dict, required=(), description: str = "", additional: bool = True) -> dict:
    schema = {"type": "object", "properties": properties, "required": list(required)}
    if not additional:
        schema["additionalProperties"] = False
    return {"required": True, "description": description, "content": _json(schema)}


SLUG = _path_param("slug", "unit slug (lower-case, hyphens), e.g. xa-lim")
REFERENCE = _path_param("reference", "payment reference, e.g. TTK7M2Q9XW4R8T3N5P6H")
CODE = _path_param("code", "dossier code (mã hồ sơ), e.g. 000.00.12.H01-261130-0007")
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "description": "1 to 255 printable ASCII characters, new for each distinct write: a retry with the "
                              "same key and body answers the first answer again (header Idempotent-Replayed: "
                              "true) and writes nothing; the same key with another body answers 422 "
                              "idempotency_key_reused; 409 idempotency_in_progress while the first is unfinished.",
               "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN}}
PERIOD = (_query("unit", "unit slug", required=True), _query("from", "first day, YYYY-MM-DD", DAY, required=True),
          _query("to", "last day, YYYY-MM-DD (at most 1,099 days after from)", DAY, required=True))
REPORT_ERRORS = (403, 404, 422)


INDEX = _path_param("index", "the paper's position in the dossier's documents (0-based)",
                    {"type": "integer", "minimum": 0})
SCAN_FILES = {"file": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"},
                       "description": "one PDF or image, or several JPEG/PNG images (the pages, in order)"}}
SCAN_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": dict(SCAN_FILES), "required": ["file"]}}}}


def _paths() -> dict:
    actions = sorted(ACTIONS)
    return {
        "/api/v1/auth/token": {"post": _operation(
            "issueToken", "Exchange an officer's username and password for a bearer token",
            {200: _ok("Token")}, errors=(401, 415, 422, 429), security=PUBLIC,
            body=_json_body({"username": STRING, "password": STRING}, required=("username", "password")),
            description="Throttled by LOGIN_RATE_LIMIT (per account, trimmed and case-folded) and "
                        "LOGIN_ADDRESS_RATE_LIMIT (per client address). 400 invalid when a field is missing or not "
                        "a string.")},
        "/api/v1/auth/revoke": {"post": _operation(
            "revokeToken", "Revoke the bearer token of the request, or every token and session of its user",
            {200: {"description": "revoked", "content": _json(_object(
                {"revoked": {"type": "string", "enum": ["token", "all"]}}))}},
            errors=(415, 422),
            body={"required": False, "content": _json({"type": "object", "properties": {"all": BOOLEAN}})})},
        "/api/v1/units": {"get": _operation(
            "listUnits", "Every active unit", {200: {"description": "the units", "content": _json(_object(
                {"units": {"type": "array", "items": _ref("Unit")}}))}}, security=PUBLIC)},
        "/api/v1/units/{slug}/procedures": {"get": _operation(
            "listProcedures", "The procedures a unit offers, with the form each one needs",
            {200: {"description": "the catalogue", "content": _json(_object(
                {"procedures": {"type": "array", "items": _ref("Procedure")}}))}},
            errors=(404,), security=PUBLIC, parameters=(SLUG,))},
        "/api/v1/units/{slug}/due-date": {"get": _operation(
            "dueDate", "The due moment of a dossier received at a given moment", {200: _ok("DueDate")},
            errors=(404, 422), security=PUBLIC, parameters=(
                SLUG, _query("procedure", "procedure key", required=True),
                _query("received_at", "ISO 8601 moment (default now; without offset: Vietnam time; years "
                                      "1976-2100)", MOMENT)))},
        "/api/v1/units/{slug}/dossiers": {
            "post": _operation(
                "createDossier", "Receive a dossier (counter, postal: officer) or submit one online (anyone)",
                {201: _ok("CreatedDossier", "created")}, errors=(401, 403, 404, 409, 415, 422, 429),
                security=OPTIONAL_BEARER, parameters=(SLUG, IDEMPOTENCY),
                body=_json_body({
                    "procedure": {"type": "string", "description": "a procedure key offered by the unit"},
                    "channel": {"type": "string", "enum": ["counter", "postal", "online"]},
                    "applicant": _object({"full_name": {"type": "string", "maxLength": 200},
                                          "id_number": {"type": "string", "pattern": "^[0-9]{12}$"},
                                          "phone": STRING, "address": {"type": "string", "maxLength": 300},
                                          "email": STRING},
                                         required=("full_name", "id_number", "phone", "address")),
                    "data": {"type": "object", "description": "the procedure's form fields (see its catalogue)"},
                    "documents": {"type": "array", "items": STRING,
                                  "description": "the papers handed in, by catalogue name; omitted: every "
                                                 "required paper"},
                    "result_delivery": {"type": "string", "enum": ["desk", "postal"]}},
                    required=("procedure", "channel", "applicant", "data")),
                description="counter and postal need a token with the reception role over the unit; online "
                            "needs none (then throttled by SUBMIT_RATE_LIMIT)."),
            "get": _operation(
                "listDossiers", "The unit's dossiers, newest submission first, 50 per page",
                {200: _ok("DossierPage")}, errors=(403, 404, 422), parameters=(
                    SLUG, _query("page", "page number (1-based)", {"type": "integer", "minimum": 1,
                                                                   "maximum": MAX_PAGE}),
                    _query("status", "a state name", {"type": "string", "enum": list(NATIONAL_STATUS)}),
                    _query("procedure", "a procedure key"),
                    _query("q", "dossier code, applicant name, phone or ID number"),
                    _query("from", "first submission day", DAY), _query("to", "last submission day", DAY)))},
        "/api/v1/dossiers/{code}": {"get": _operation(
            "getDossier", "One dossier", {200: _ok("Dossier")}, errors=(404,), parameters=(CODE,))},
        "/api/v1/dossiers/{code}/actions": {"post": _operation(
            "actOnDossier", "Move a dossier through its workflow", {200: _ok("Dossier")},
            errors=(403, 404, 409, 415, 422), parameters=(CODE, IDEMPOTENCY),
            body=_json_body({
                "action": {"type": "string", "enum": actions},
                "version": {"type": "integer", "description": "the version you read (409 stale_version if it "
                                                              "changed)"},
                "note": STRING, "reason": STRING, "assignee": STRING,
                "missing_documents": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "amount": {"type": "integer", "minimum": 0, "maximum": 10**12}, "to_unit": STRING, "step": STRING,
                "new_due_at": MOMENT, "received_by": STRING}, required=("action",),
                description="the action and its arguments (docs/api.md, Workflow actions)"))},
        "/api/v1/dossiers/{code}/attachments": {
            "post": _operation(
                "uploadAttachment", "Attach a scanned document (PDF, JPEG or PNG)",
                {201: _ok("Attachment", "attached")}, errors=(403, 404, 415, 422), parameters=(CODE,),
                body={"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "properties": {"file": {"type": "string", "contentMediaType":
                                                              "application/octet-stream"}},
                    "required": ["file"]}}}}),
            "get": _operation(
                "listAttachments", "The dossier's attachments, oldest first",
                {200: {"description": "the attachments", "content": _json(_object(
                    {"attachments": {"type": "array", "items": _ref("Attachment")}}))}},
                errors=(404,), parameters=(CODE,))},
        "/api/v1/dossiers/{code}/attachments/{attachment_id}": {"get": _operation(
            "downloadAttachment", "The attached file itself",
            {200: {"description": "the file, with its stored Content-Type, ETag and Content-Disposition",
                   "content": {kind: {"schema": {"type": "string", "contentMediaType": kind}}
                               for kind in ("application/pdf", "image/jpeg", "image/png")}},
             304: {"description": "not modified (If-None-Match)"},
             206: {"description": "a range of the file"}},
            errors=(404, 416), parameters=(CODE, _path_param("attachment_id", "attachment id",
                                                          {"type": "integer", "minimum": 1})))},
        "/api/v1/dossiers/{code}/earlier-results": {"post": _operation(
            "lookupEarlierResults", "The applicant's electronic results of other dossiers (same personal ID number, "
            "any unit), newest first; the lookup is written to the access log with its purpose",
            {200: {"description": "the results found", "content": _json(_object(
                {"results": {"type": "array", "items": _ref("EarlierResult")}}))}},
            errors=(403, 404, 415, 422), parameters=(CODE,),
            body=_json_body({"purpose": {"type": "string", "minLength": 5, "maxLength": 300}}, required=("purpose",)),
            description="reception, specialist or leader of the dossier's units (Law 91/2025: each lookup is "
                        "logged)")},
        "/api/v1/dossiers/{code}/reused-results": {"post": _operation(
            "reuseEarlierResult", "Attach one of the applicant's earlier electronic results instead of a paper",
            {201: _ok("ReusedResult", "attached")}, errors=(403, 404, 409, 415, 422), parameters=(CODE,),
            body=_json_body({"result": {"type": "string", "description": "the result's sha256"},
                             "document": _nullable({"type": "string",
                                                    "description": "the paper of the checklist it replaces"}),
                             "purpose": {"type": "string", "minLength": 5, "maxLength": 300}},
                            required=("result", "purpose")))},
        "/api/v1/verify": {"post": _operation(
            "verifyResult", "Verify an electronic result (a signed PDF this deployment issued)",
            {200: _ok("Verification", "the verdict: valid only when the signature is intact, trusted and the file "
                                      "is on record")},
            errors=(413, 415, 422, 429), security=PUBLIC,
            body={"required": True, "content": {"application/pdf": {"schema": {
                "type": "string", "contentMediaType": "application/pdf"}}}})},
        "/api/v1/dossiers/{code}/documents/{index}/scan": {"post": _operation(
            "scanDocument", "Digitise one paper of the dossier's checklist: one PDF or image, or several images "
                            "combined into one PDF",
            {201: {"description": "digitised", "content": _json(_object({
                "document": _ref("DocumentState"), "attachment": _ref("Attachment"), "digitized": BOOLEAN}))}},
            errors=(403, 404, 409, 413, 415, 422), parameters=(CODE, INDEX), body=SCAN_BODY)},
        "/api/v1/track/{code}/documents/{index}": {"post": _operation(
            "uploadDocument", "The applicant uploads a paper while a supplement is asked for (code and phone)",
            {201: {"description": "uploaded", "content": _json(_object({
                "code": STRING, "document": _ref("DocumentState"), "attachment": _object({
                    "filename": STRING, "content_type": STRING, "size": COUNT, "sha256": STRING,
                    "uploaded_at": MOMENT})}))}},
            errors=(404, 409, 413, 415, 422, 429), security=PUBLIC, parameters=(CODE, INDEX),
            body={"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {"phone": STRING, **SCAN_FILES}, "required": ["phone", "file"]}}}})},
        "/api/v1/dossiers/{code}/payments": {"post": _operation(
            "startPayment", "Start paying the dossier's fee online (the applicant by phone, or an officer)",
            {201: _ok("PaymentStarted", "a pending payment: show qr_payload as a QR code or go to redirect_url")},
            errors=(404, 409, 415, 422, 429), security=OPTIONAL_BEARER, parameters=(CODE,),
            body=_json_body({"provider": STRING, "phone": STRING}, required=("provider",)),
            description="Without a token the applicant's phone is required (a wrong phone answers 404 like an "
                        "unknown code; throttled by TRACK_RATE_LIMIT). The amount is always the dossier's fee. "
                        "422 invalid names the providers the unit offers; 409 no_fee, already_paid, closed, "
                        "provider_unavailable.")},
        "/api/v1/payments/{reference}": {"get": _operation(
            "getPayment", "A payment by its reference", {200: _ok("Payment")}, errors=(404, 429), security=PUBLIC,
            parameters=(REFERENCE,))},
        "/api/v1/payments/{reference}/receipt": {"get": _operation(
            "getPaymentReceipt", "The e-receipt (biên lai điện tử) of a paid payment, as PDF",
            {200: {"description": "the receipt", "content": {"application/pdf": {"schema": {
                "type": "string", "contentMediaType": "application/pdf"}}}}},
            errors=(404, 429), security=PUBLIC, parameters=(REFERENCE,))},
        "/api/v1/payments/{provider}/callback": {"post": _operation(
            "paymentCallback", "A payment provider's signed notification (server to server)",
            {200: _ok("PaymentState", "accepted (a replay answers the same and changes nothing)")},
            errors=(403, 404, 422), security=PUBLIC,
            parameters=(_path_param("provider", "provider name, e.g. gateway"),
                        {"name": "X-Signature", "in": "header", "required": False,
                         "description": "gateway: hex HMAC-SHA256 of the raw body with PAYMENT_GATEWAY_SECRET",
                         "schema": STRING}),
            body=_json_body({"reference": STRING, "transaction_id": STRING, "amount": INTEGER,
                             "status": {"type": "string", "enum": ["paid", "failed"]}},
                            description="gateway's body; 403 invalid_signature when the signature does not match, "
                                        "422 amount_mismatch when the amount is not the payment's"))},
        "/api/v1/track/{code}": {"get": _operation(
            "track", "Public tracking of a dossier by its code and the applicant's phone", {200: _ok("Tracking")},
            errors=(404, 429), security=PUBLIC, parameters=(CODE, _query("phone", "the applicant's phone",
                                                                         required=True)))},
        "/api/v1/track/{code}/withdrawal": {"post": _operation(
            "requestWithdrawal", "The applicant asks to withdraw a dossier not yet decided",
            {200: _ok("Tracking")}, errors=(404, 409, 415, 422, 429), security=PUBLIC, parameters=(CODE,),
            body=_json_body({"phone": STRING, "reason": {"type": "string", "minLength": 1, "maxLength": 1000}},
                            required=("phone", "reason")))},
        "/api/v1/track/{code}/rating": {"post": _operation(
            "rate", "Rate the service once the result was returned", {201: _ok("Rating", "rated")},
            errors=(404, 409, 415, 422, 429), security=PUBLIC, parameters=(CODE,),
            body=_json_body({"phone": STRING, "level": {"type": "string", "enum": list(RATING_LEVELS)},
                             "comment": {"type": "string", "maxLength": 2000}}, required=("phone", "level")))},
        "/api/v1/reports/summary": {"get": _operation(
            "reportSummary", "The standard report of a unit and every unit below it", {200: _ok("SummaryReport")},
            errors=REPORT_ERRORS, parameters=(*PERIOD, _query("by", "breakdown",
                                                              {"type": "string", "enum": list(BREAKDOWNS)})))},
        "/api/v1/reports/monthly": {"get": _operation(
            "reportMonthly", "Results per calendar month of the period", {200: _ok("MonthlyReport")},
            errors=REPORT_ERRORS, parameters=PERIOD)},
        "/api/v1/reports/satisfaction": {"get": _operation(
            "reportSatisfaction", "Citizens' ratings and unit evaluations of the period",
            {200: _ok("SatisfactionReport")}, errors=REPORT_ERRORS, parameters=PERIOD)},
        "/api/v1/reports/staff": {"get": _operation(
            "reportStaff", "Per officer figures of the period", {200: _ok("StaffReport")},
            errors=REPORT_ERRORS, parameters=PERIOD)},
        "/api/v1/reports/service-index": {"get": _operation(
            "reportServiceIndex", "The service-quality index of Decision 766/QĐ-TTg (five groups, 100 points)",
            {200: _ok("ServiceIndex")}, errors=REPORT_ERRORS, parameters=PERIOD)},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document", "security": PUBLIC,
            "responses": {"200": {"description": "the OpenAPI document",
                                  "content": _json({"type": "object", "required": ["openapi", "paths"]})}}}},
        "/api/docs": {"get": {
            "operationId": "apiReference", "summary": "This document as a readable page", "security": PUBLIC,
            "responses": {"200": {"description": "an HTML page", "content": {"text/html": {"schema": STRING}}}}}},
        "/healthz": {"get": {
            "operationId": "health", "summary": "The application and its dependencies are up", "security": PUBLIC,
            "responses": {"200": _ok("Health", "every dependency is ok"),
                          "503": _ok("Health", "a dependency failed (failed names it)")}}},
        "/livez": {"get": {
            "operationId": "liveness", "summary": "The process serves requests (no dependency is asked)",
            "security": PUBLIC,
            "responses": {"200": {"description": "alive", "content": _json(_object(
                {"status": {"type": "string", "enum": ["ok"]}}))}}}},
    }


@lru_cache(maxsize=1)
def _document() -> dict:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Một Cửa JSON API", "version": API_VERSION,
            "description": "The JSON API of Một Cửa for integrators, the national portal and the provincial "
                           "information system. The prose guide with examples is docs/api.md; every error answers "
                           "the Error envelope; messages follow ?lang= or Accept-Language (Vietnamese by default)."},
        "servers": [{"url": "/"}],
        "security": BEARER,
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token from POST /api/v1/auth/token, sent as Authorization: Bearer <token>. A "
                               "logged-in officer's page session works too (form or multipart writes then need "
                               "the page's CSRF token)."}}},
    }


def openapi_document() -> dict:
    """A fresh copy of the document (callers may not change the cached one)."""
    return deepcopy(_document())
