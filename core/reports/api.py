"""Report endpoints of the JSON API (/api/v1/reports/...): read-only, for users with a role over the unit."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from core.api import bp, require_user
from core.api.errors import ApiError
from core.reports import evaluation, service_index, services
from core.reports.periods import Period, PeriodError, parse_period
from core.tenancy.services import get_unit_or_none
from core.users.permissions import can


def _scope(need_period: bool = True):
    """(user, unit, period) of the request: 401 without login, 422 without a unit or with bad dates, 404 for an
    unknown unit, 403 without a role over it."""
    user = require_user()
    slug = request.args.get("unit", "").strip()
    if not slug:
        raise ApiError(422, "invalid", _("Thiếu đơn vị."), {"unit": _("Nhập mã (slug) của đơn vị.")})
    unit = get_unit_or_none(slug)
    if unit is None:
        raise ApiError(404, "not_found", _("Không tìm thấy đơn vị."))
    if not can(user, "report.view", unit):
        raise ApiError(403, "forbidden", _("Bạn không có quyền xem báo cáo của đơn vị này."))
    period = None
    if need_period:
        period = period_from_args()
    return user, unit, period


def period_from_args() -> Period:
    try:
        return parse_period(request.args.get("from"), request.args.get("to"))
    except PeriodError as exc:
        raise ApiError(422, "invalid", _("Kỳ báo cáo không hợp lệ."), {exc.field: exc.message}) from None


def breakdown_from_args() -> str | None:
    by = request.args.get("by") or None
    if by is not None and by not in services.BREAKDOWNS:
        raise ApiError(422, "invalid", _("Cách chia nhóm không hợp lệ."), {"by": "unit, field, procedure"})
    return by


@bp.get("/reports/summary")
def report_summary():
    """The standard report (domain.md 3.1) of a unit over a period, optionally broken down by unit, field or
    procedure."""
    _user, unit, period = _scope()
    return jsonify(services.summary(unit, period, breakdown_from_args()))


@bp.get("/reports/monthly")
def report_monthly():
    """Results per month of the period (early, on time, late, on-time rate): the numbers of the dashboard chart."""
    _user, unit, period = _scope()
    return jsonify({"unit": unit.slug, "months": services.monthly_resolution(unit, period.months())})


@bp.get("/reports/satisfaction")
def report_satisfaction():
    """Citizens' ratings (share of each level) and the unit evaluations over the 9 criteria in the period."""
    _user, unit, period = _scope()
    body = services.satisfaction(unit, period)
    body["evaluations"] = [evaluation.as_json(e) for e in evaluation.for_unit(unit, period)]
    return jsonify({"unit": unit.slug, "from": period.start.isoformat(), "to": period.end.isoformat(), **body})


@bp.get("/reports/staff")
def report_staff():
    """Per officer: received, handled, early / on time / late, average handling time in working days."""
    _user, unit, period = _scope()
    return jsonify({"unit": unit.slug, "from": period.start.isoformat(), "to": period.end.isoformat(),
                    "staff": services.staff_figures(unit, period)})


@bp.get("/reports/service-index")
def report_service_index():
    """The service-quality index of Decision 766/QĐ-TTg for the unit (and every unit below it) over the period:
    five groups, 100 points (core/reports/service_index.py documents every indicator)."""
    _user, unit, period = _scope()
    return jsonify(service_index.compute(unit, period))
