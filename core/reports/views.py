"""Report pages and downloads; the JSON routes are in ``core.reports.api`` (on the shared /api/v1 blueprint).

Pages (login required, and a role over the unit, else 403):
- ``/<unit_slug>/dashboard``: a district or province sees every unit below it side by side; a commune its own figures;
  both with the on-time rate per month (an inline SVG drawn from the table under it) and today's overdue dossiers.
- ``/<unit_slug>/reports``: the standard report with its filters (month, quarter, 6 and 9 months, year, any range;
  by unit, field or procedure), satisfaction, and the downloads.
- ``/<unit_slug>/reports/staff``: figures per officer. ``/<unit_slug>/reports/evaluation``: the 9-criteria evaluation.
Downloads: ``/<unit_slug>/reports/export.xlsx|.csv|.pdf?from=&to=&by=``, ``/<unit_slug>/tracking-book.xlsx|.csv`` and
``/<unit_slug>/reports/service-index.xlsx`` (the Decision 766 index with the ranking of the communes).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core import formatting
from core.db_types import utcnow
from core.formatting import short_moment
from core.plugins import display
from core.reports import evaluation, service_index, services
from core.reports.periods import (
    MONTH_PRESETS,
    PRESETS,
    Period,
    PeriodError,
    month_start,
    parse_period,
    preset,
    today_local,
)
from core.tenancy.models import Unit
from core.tenancy.services import get_unit_or_none
from core.users.permissions import can

bp = Blueprint("reports", __name__, template_folder="templates", static_folder="static",
               static_url_path="/reports-static")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register(app: Flask) -> None:
    from core.reports import api  # noqa: F401  (routes on the shared API blueprint)

    app.register_blueprint(bp)
    app.add_template_filter(percent, "percent")
    app.add_template_filter(number, "number")
    app.add_template_filter(formatting.number, "decimal")
    app.add_template_filter(short_moment, "vn_moment")


@bp.context_processor
def _navigation():
    return {"report_nav": report_nav}


def report_nav(unit: Unit, active: str) -> list[dict]:
    """The menu of the report pages: the officer's queues, the reports, the tracking book and, for its admins, the
    unit's administration."""
    links = [("queues", url_for("officer.queues", unit_slug=unit.slug), _("Hàng đợi hồ sơ")),
             ("dashboard", url_for("reports.dashboard", unit_slug=unit.slug), _("Bảng điều khiển")),
             ("reports", url_for("reports.report", unit_slug=unit.slug), _("Báo cáo")),
             ("staff", url_for("reports.staff", unit_slug=unit.slug), _("Cán bộ")),
             ("evaluation", url_for("reports.evaluation_page", unit_slug=unit.slug), _("Đánh giá")),
             ("book", url_for("documents.tracking_book", unit_slug=unit.slug), _("Sổ theo dõi"))]
    if can(current_user, "unit.admin", unit):
        links.append(("admin", url_for("admin.index", unit_slug=unit.slug), _("Quản trị")))
    return [{"key": k, "url": u, "label": label, "current": k == active} for k, u, label in links]


# --- formatting ------------------------------------------------------------------------------------------------------


def percent(value) -> str:
    """0.9851 → "98,51%"; None → "—"."""
    return "—" if value is None else formatting.percent(value)


def number(value) -> str:
    """1234 → "1.234"."""
    return "—" if value is None else formatting.number(int(value))


# --- access and periods ----------------------------------------------------------------------------------------------


def _unit(unit_slug: str) -> Unit:
    unit = get_unit_or_none(unit_slug)
    if unit is None:
        abort(404)
    if not can(current_user, "report.view", unit):
        abort(403)
    return unit


def page_period(default_kind: str = "month", clamp: bool = True) -> tuple[Period, dict, str | None]:
    """The period chosen in the query string (preset or range), the form state, and an error message.

    With ``clamp`` a period that has not ended yet stops at the end of today (figures so far).
    """
    today = today_local()
    kind = request.args.get("period") or ("range" if request.args.get("from") else default_kind)
    state = {"period": kind, "year": today.year,
             "n": today.month if kind in MONTH_PRESETS else (today.month - 1) // 3 + 1,
             "from": request.args.get("from", ""), "to": request.args.get("to", "")}
    error = None
    try:
        if kind not in PRESETS:
            raise PeriodError("period", _("Loại kỳ báo cáo không hợp lệ."))
        if kind == "range":
            period = parse_period(request.args.get("from"), request.args.get("to"))
        else:
            state["year"] = int(request.args.get("year") or today.year)
            state["n"] = int(request.args.get("n") or state["n"])
            if not 2000 <= state["year"] <= 2100:
                raise PeriodError("year", _("Năm không hợp lệ."))
            period = preset(kind, state["year"], state["n"])
    except (PeriodError, ValueError) as exc:
        error = getattr(exc, "message", None) or _("Kỳ báo cáo không hợp lệ.")
        state["period"] = default_kind
        period = preset("month", today.year, today.month) if default_kind == "month" else preset(
            default_kind, today.year)
    if clamp and period.start <= today < period.end:
        # The current month, quarter or year: figures up to the end of today (the rest has not happened yet).
        period = Period(period.start, today)
    state["from"], state["to"] = period.start.isoformat(), period.end.isoformat()
    return period, state, error


def _by(unit: Unit, default: str | None = None) -> str | None:
    by = request.args.get("by") or default
    if by not in services.BREAKDOWNS:
        by = "unit" if unit.children else "field"
    return by


def _export_period() -> Period:
    period, _state, error = page_period()
    if error:
        abort(422)
    return period


def _download(data: bytes, content_type: str, filename: str) -> Response:
    # content_type, not mimetype: werkzeug would append a second charset to "text/csv; charset=utf-8".
    return Response(data, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# --- chart -----------------------------------------------------------------------------------------------------------


def last_months(end: date, count: int = 12) -> list[date]:
    """First days of the ``count`` months ending with the month of ``end``."""
    months = [month_start(end)]
    while len(months) < count:
        previous = months[0] - timedelta(days=1)
        months.insert(0, month_start(previous))
    return months


def bar_chart(points: list[dict], width: int = 720, height: int = 240) -> dict:
    """Geometry of the on-time-rate bars (0-100 %) drawn from ``monthly_resolution`` points."""
    left, bottom, top = 44, 28, 12
    plot_h = height - bottom - top
    step = (width - left - 8) / max(1, len(points))
    bars = []
    for i, point in enumerate(points):
        rate = point["on_time_rate"]
        h = 0 if rate is None else round(rate * plot_h, 1)
        bars.append({"x": round(left + i * step + step * 0.15, 1), "w": round(step * 0.7, 1),
                     "y": round(top + plot_h - h, 1), "h": h, "label": point["month"][5:] + "/" + point["month"][2:4],
                     "text": percent(rate), "point": point, "empty": rate is None})
    ticks = [{"y": round(top + plot_h - plot_h * t / 100, 1), "label": f"{t}%"} for t in (0, 25, 50, 75, 100)]
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "left": left,
            "baseline": top + plot_h}


# --- pages -----------------------------------------------------------------------------------------------------------


@bp.get("/<unit_slug>/dashboard")
@login_required
def dashboard(unit_slug: str):
    unit = _unit(unit_slug)
    today = today_local()
    default = "year" if unit.children else "month"
    period, state, error = page_period(default)
    by = "unit" if unit.children else "field"
    body = services.summary(unit, period, by)
    months = services.monthly_resolution(unit, last_months(min(period.end, today)))
    overdue, overdue_count = services.overdue_dossiers(unit, utcnow(), limit=50)
    units = {u.id: u for u in (overdue and _units_of(overdue))}
    same = {"period": "range", "from": period.start.isoformat(), "to": period.end.isoformat()}

    def row_link(row: dict) -> str | None:
        return url_for("reports.dashboard", unit_slug=row["key"], **same) if by == "unit" else None

    widgets, widget_notices = display.dashboard_widgets(unit, current_user._get_current_object())
    index, ranking = service_index.with_ranking(unit, period)

    def ranking_link(row: dict) -> str:
        return url_for("reports.dashboard", unit_slug=row["unit"], **same)

    return render_template("reports/dashboard.html", unit=unit, period=period, state=state, error=error, body=body,
                           widgets=widgets, widget_notices=widget_notices, index=index, ranking=ranking,
                           ranking_link=ranking_link,
                           index_export=url_for("reports.service_index_xlsx", unit_slug=unit.slug, **same),
                           row_link=row_link if by == "unit" else None,
                           months=months, chart=bar_chart(months), overdue=overdue, overdue_count=overdue_count,
                           units=units, presets=PRESETS, today=today, active="dashboard",
                           satisfaction=services.satisfaction(unit, period))


def _units_of(dossiers) -> list[Unit]:
    from sqlalchemy import select

    from core.extensions import db

    ids = {d.competent_unit_id for d in dossiers}
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids))))


@bp.get("/<unit_slug>/reports")
@login_required
def report(unit_slug: str):
    unit = _unit(unit_slug)
    period, state, error = page_period("month")
    by = _by(unit)
    body = services.summary(unit, period, by)
    query = {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": by}
    return render_template("reports/report.html", unit=unit, period=period, state=state, error=error, body=body,
                           by=by, presets=PRESETS, query=query, active="reports",
                           index=service_index.compute(unit, period),
                           satisfaction=services.satisfaction(unit, period),
                           evaluations=evaluation.for_unit(unit, period), rank=evaluation.rank)


@bp.get("/<unit_slug>/reports/staff")
@login_required
def staff(unit_slug: str):
    unit = _unit(unit_slug)
    period, state, error = page_period("month")
    return render_template("reports/staff.html", unit=unit, period=period, state=state, error=error,
                           presets=PRESETS, rows=services.staff_figures(unit, period), active="staff")


@bp.route("/<unit_slug>/reports/evaluation", methods=["GET", "POST"])
@login_required
def evaluation_page(unit_slug: str):
    unit = _unit(unit_slug)
    period, state, error = page_period("year", clamp=False)  # evaluations cover whole official periods
    errors: dict = {}
    status = 200
    if request.method == "POST":
        kind = request.form.get("kind", "")
        scores = [request.form.get(f"c{i}") for i in range(1, len(evaluation.CRITERIA) + 1)]
        try:
            if kind not in ("self", "appraisal"):
                raise evaluation.EvaluationError(422, _("Yêu cầu không hợp lệ."))
            evaluation.save(current_user, unit, period, scores, request.form.get("note", "").strip()[:2000], kind)
        except evaluation.EvaluationError as exc:
            if exc.status == 403:
                abort(403)
            errors = exc.fields or {"form": exc.message}
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Đã lưu điểm tự chấm.") if kind == "self" else _("Đã lưu điểm thẩm định."), "success")
            return redirect(url_for("reports.evaluation_page", unit_slug=unit.slug, period="range",
                                    **{"from": period.start.isoformat(), "to": period.end.isoformat()}))
    row = evaluation.get(unit, period)
    return render_template("reports/evaluation.html", unit=unit, period=period, state=state, error=error,
                           presets=PRESETS, row=row, criteria=evaluation.CRITERIA, rank=evaluation.rank,
                           labels=evaluation.SCORE_LABELS, errors=errors, form=request.form,
                           may_self=evaluation.may_self_score(current_user, unit),
                           may_appraise=evaluation.may_appraise(current_user, unit),
                           max_score=evaluation.MAX_SCORE, active="evaluation"), status


# --- downloads -------------------------------------------------------------------------------------------------------
# The export modules are imported by the downloads: openpyxl is ~12 MB of every worker's memory otherwise (issue 16).


def _report_body(unit_slug: str) -> tuple[dict, dict]:
    """The report's figures and its heading (issuing body, number line, place and date of today)."""
    from core.reports import exports

    unit = _unit(unit_slug)
    period = _export_period()
    return services.summary(unit, period, _by(unit)), exports.issuer_of(unit, today_local())


def _report_name(body: dict, ext: str) -> str:
    return f"bao-cao-{body['unit']['slug']}-{body['from']}-{body['to']}.{ext}"


@bp.get("/<unit_slug>/reports/export.xlsx")
@login_required
def export_xlsx(unit_slug: str):
    from core.reports import exports

    body, issuer = _report_body(unit_slug)
    return _download(exports.report_xlsx(body, issuer), XLSX, _report_name(body, "xlsx"))


@bp.get("/<unit_slug>/reports/export.csv")
@login_required
def export_csv(unit_slug: str):
    from core.reports import exports

    body, _issuer = _report_body(unit_slug)
    return _download(exports.report_csv(body), "text/csv; charset=utf-8", _report_name(body, "csv"))


@bp.get("/<unit_slug>/reports/export.pdf")
@login_required
def export_pdf(unit_slug: str):
    from core.reports import exports

    body, issuer = _report_body(unit_slug)
    return _download(exports.report_pdf(body, issuer), "application/pdf", _report_name(body, "pdf"))


@bp.get("/<unit_slug>/reports/service-index.xlsx")
@login_required
def service_index_xlsx(unit_slug: str):
    """The service-quality index of the unit and, for a district or province, the ranking of its communes."""
    from core.reports import exports, index_export

    unit = _unit(unit_slug)
    period = _export_period()
    index, ranking = service_index.with_ranking(unit, period)
    return _download(index_export.service_index_xlsx(index, ranking, exports.issuer_of(unit, today_local())), XLSX,
                     f"chi-so-phuc-vu-{unit.slug}-{period.start}-{period.end}.xlsx")


def _tracking(unit_slug: str):
    unit = _unit(unit_slug)
    period = _export_period()
    return unit, period, services.tracking_book(unit, period)


@bp.get("/<unit_slug>/tracking-book.xlsx")
@login_required
def tracking_xlsx(unit_slug: str):
    from core.reports import exports

    unit, period, rows = _tracking(unit_slug)
    return _download(exports.tracking_xlsx(unit.name, period, rows), XLSX,
                     f"so-theo-doi-{unit.slug}-{period.start}-{period.end}.xlsx")


@bp.get("/<unit_slug>/tracking-book.csv")
@login_required
def tracking_csv(unit_slug: str):
    from core.reports import exports

    unit, period, rows = _tracking(unit_slug)
    return _download(exports.tracking_csv(rows), "text/csv; charset=utf-8",
                     f"so-theo-doi-{unit.slug}-{period.start}-{period.end}.csv")

