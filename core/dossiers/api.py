"""Dossier endpoints of the JSON API (thin: every change goes through services)."""

from __future__ import annotations

from datetime import date, datetime

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from core.accesslog.record import note_unit
from core.api import bp, json_body, require_user
from core.api.errors import ApiError, error_response
from core.api.idempotency import claims_with, idempotent
from core.dossiers import public, queries, services
from core.dossiers.clock import VN_TZ
from core.dossiers.detail import load_for_json
from core.dossiers.models import NATIONAL_STATUS, DossierEvent
from core.dossiers.serializers import dossier_json, iso, summary_json
from core.extensions import configured_limit, db, limiter, tracking_limit
from core.plugins.manager import get_procedure, is_enabled
from core.tenancy.services import get_unit_or_none
from core.users.permissions import can
from core.validators import parse_day


def _service_error(exc: services.ServiceError):
    """A service's refusal answers with the API's error body: the same status, code, message, fields and extras."""
    return error_response(exc.status, exc.code, exc.message, exc.fields, **exc.extra)


bp.register_error_handler(services.ServiceError, _service_error)
# A retried write with the same Idempotency-Key is recognised by the history event it wrote.
claims_with(DossierEvent, lambda event: event.dossier.code if event.dossier is not None else "")


def _unit(slug: str, receiving: bool = False, merged_readable: bool = False):
    """The unit of the URL. A unit merged into another receives nothing (409 ``unit_merged``) but its own dossiers
    stay listed (``merged_readable``)."""
    unit = _members_unit(slug) or get_unit_or_none(slug)
    if unit is not None and unit.successor_id is not None:
        if merged_readable:
            return unit
        if receiving:
            raise services.merged_unit_error(unit)
    if unit is None or not unit.active:
        raise ApiError(404, "not_found", _("Không tìm thấy đơn vị."))
    return unit


def _members_unit(slug: str):
    """The unit of the URL when it is one the signed-in officer belongs to: the caller's memberships were read with
    their units (core.users.security), so the officer's own unit costs no second query."""
    if not current_user.is_authenticated:
        return None
    return next((m.unit for m in current_user.memberships if m.unit is not None and m.unit.slug == slug), None)


def _user_or_none():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _officer_request() -> bool:
    return current_user.is_authenticated


@bp.post("/units/<slug>/dossiers")
@limiter.limit(configured_limit("SUBMIT_RATE_LIMIT"), exempt_when=_officer_request)  # citizens' submissions only
@idempotent
def create_dossier(slug: str):
    unit = _unit(slug, receiving=True)
    payload = json_body()
    outcome = services.create_dossier(unit, payload.get("procedure"), payload.get("channel"),
                                      payload.get("applicant"), payload.get("data", {}), _user_or_none(),
                                      documents=payload.get("documents"),
                                      result_delivery=payload.get("result_delivery"),
                                      residence_unit=payload.get("residence_unit"))
    body = dossier_json(outcome.dossier, _user_or_none())
    body["warnings"] = [{"field": w.field, "message": str(w.message), "code": w.code} for w in outcome.warnings]
    if outcome.dossier.channel == "online" and not services.may_view(_user_or_none(), outcome.dossier):
        # The citizen learns the code and what happens next, not the officers' view of the dossier.
        body = {k: body[k] for k in ("code", "status", "status_label", "national_status", "procedure", "channel",
                                     "receiving_unit", "fee", "submitted_at", "version")}
    return jsonify(body), 201


def _parse_day(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise ApiError(422, "invalid", _("Ngày không hợp lệ."), {name: _("Định dạng YYYY-MM-DD.")}) from None


@bp.get("/units/<slug>/dossiers")
def list_dossiers(slug: str):
    user = require_user()
    unit = _unit(slug, merged_readable=True)
    if not can(user, "dossier.view", unit):
        raise ApiError(403, "forbidden", _("Bạn không có quyền xem hồ sơ của đơn vị này."))
    status = request.args.get("status") or None
    if status and status not in NATIONAL_STATUS:
        raise ApiError(422, "invalid", _("Trạng thái không hợp lệ."), {"status": ", ".join(NATIONAL_STATUS)})
    try:
        page = max(1, int(request.args.get("page", "1")))
        if page > queries.MAX_PAGE:
            raise ValueError(page)
    except ValueError:
        raise ApiError(422, "invalid", _("Số trang không hợp lệ."), {"page": _("Nhập số nguyên dương.")}) from None
    rows, total = queries.unit_page_rows(db.session, user, unit, page, status=status,
                                         procedure=request.args.get("procedure") or None, q=request.args.get("q"),
                                         date_from=_parse_day("from"), date_to=_parse_day("to"))
    note_unit(unit.id)
    labels: dict[str, str] = {}
    return jsonify({"dossiers": [summary_json(row, labels) for row in rows], "total": total, "page": page,
                    "page_size": queries.PAGE_SIZE})


@bp.get("/dossiers/<code>")
def get_dossier(code: str):
    user = require_user()
    dossier, facts = load_for_json(user, code)
    note_unit(dossier.competent_unit_id)
    return jsonify(dossier_json(dossier, user, facts))


@bp.post("/dossiers/<code>/actions")
@idempotent
def act_on_dossier(code: str):
    user = require_user()
    payload = json_body()
    version = payload.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ApiError(422, "invalid", _("Phiên bản hồ sơ không hợp lệ."), {"version": _("Nhập số nguyên.")})
    dossier = services.get_for_user(user, code)
    arguments = {k: v for k, v in payload.items() if k not in ("action", "version")}
    dossier = services.perform_action(user, dossier, payload.get("action"), arguments, version)
    return jsonify(dossier_json(dossier, user))


RECEIVED_YEARS = (1976, 2100)


@bp.get("/units/<slug>/due-date")
def due_date(slug: str):
    unit = _unit(slug)
    procedure = get_procedure(request.args.get("procedure", ""))
    if procedure is None or not is_enabled(unit, procedure.plugin):
        raise ApiError(404, "procedure_not_offered", _("Đơn vị không cung cấp thủ tục này."))
    raw = request.args.get("received_at")
    try:
        received_at = datetime.fromisoformat(raw) if raw else datetime.now(VN_TZ)
    except ValueError:
        raise ApiError(422, "invalid", _("Thời điểm tiếp nhận không hợp lệ."),
                       {"received_at": _("Định dạng ISO 8601, ví dụ 2026-11-30T09:00:00+07:00.")}) from None
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=VN_TZ)
    if not RECEIVED_YEARS[0] <= received_at.year <= RECEIVED_YEARS[1]:
        # Outside this range the calendar overflows (year 9999) or Vietnam's time zone was another (before 1976).
        raise ApiError(422, "invalid", _("Thời điểm tiếp nhận nằm ngoài khoảng cho phép."),
                       {"received_at": _("Chọn một năm từ %(first)s đến %(last)s.", first=RECEIVED_YEARS[0],
                                         last=RECEIVED_YEARS[1])})
    due = services.preview_due_at(unit, procedure, received_at)
    return jsonify({"due_at": due.isoformat(), "procedure": procedure.key, "received_at": received_at.isoformat()})


@bp.get("/track/<code>")
@tracking_limit()
def track(code: str):
    return jsonify(public.track(code, request.args.get("phone", "")))


@bp.post("/track/<code>/withdrawal")
@tracking_limit()
def request_withdrawal(code: str):
    payload = json_body()
    dossier = public.find_by_code_and_phone(code, str(payload.get("phone") or ""))
    dossier = public.request_withdrawal(dossier, payload.get("reason"))
    return jsonify(public.tracking_json(dossier))


@bp.post("/track/<code>/rating")
@tracking_limit()
def rate(code: str):
    payload = json_body()
    dossier = public.find_by_code_and_phone(code, str(payload.get("phone") or ""))
    rating = public.rate(dossier, payload.get("level"), payload.get("comment"))
    return jsonify({"code": dossier.code, "level": rating.level, "created_at": iso(rating.created_at)}), 201


from core.dossiers import attachments_api, papers_api, reuse_api  # noqa: E402,F401  (their routes join the API
# blueprint)
