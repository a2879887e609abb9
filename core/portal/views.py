"""Citizen pages (no login): choose a commune, read its catalogue, submit online, track and rate a dossier.

The catalogue shows what the law requires to be public (documents, fees, time limits, legal basis). Online submission
uses the same service and the same form as the counter, so the rules and messages are the same.
"""

from __future__ import annotations

from functools import partial
from itertools import groupby

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.catalog.services import procedure_fee_text
from core.citizens.policy import anonymous_online_allowed
from core.citizens.prefill import prefill_applicant
from core.citizens.session import current_citizen
from core.collation import place_sort_key, sort_key
from core.db_types import utcnow
from core.dossiers import papers, public, services
from core.dossiers.models import Dossier
from core.dossiers.papers import Applicant
from core.extensions import configured_limit, csrf, db, limiter, tracking_limit
from core.formatting import processing_time_text
from core.notifications.models import Outbox
from core.officehours import OfficeHours
from core.officer.common import (
    DOCUMENT_KINDS,
    RATING_LABELS,
    applicant_dict,
    applicant_form,
    filter_procedures,
    form_payload,
    install_template_helpers,
    load_unit,
    plugin_form,
    procedure_haystack,
    put_errors,
)
from core.plugins.manager import get_procedure, host, procedures_for
from core.plugins.types import translate
from core.portal import papers as submission_papers
from core.tenancy.models import Unit

bp = Blueprint("portal", __name__)

def register(app: Flask) -> None:
    install_template_helpers(app)
    app.register_blueprint(bp)


def _communes() -> list[Unit]:
    units = db.session.scalars(select(Unit).where(Unit.kind == "commune", Unit.active.is_(True))).all()
    return sorted(units, key=lambda u: (place_sort_key(u.parent.name if u.parent else ""), place_sort_key(u.name)))


def _commune(unit_slug: str) -> Unit:
    unit = load_unit(unit_slug)
    if unit.kind != "commune":
        abort(404)
    return unit


def _offered(unit: Unit, procedure_key: str):
    procedure = get_procedure(procedure_key)
    if procedure is None or procedure not in procedures_for(unit):
        abort(404)
    return procedure


@bp.get("/")
def index():
    communes = _communes()
    groups = [(parent, list(items)) for parent, items in
              groupby(communes, key=lambda u: u.parent.name if u.parent else "")]
    return render_template("portal/index.html", groups=groups, communes=communes)


@bp.get("/favicon.ico")
def favicon():
    """No icon: answer at once instead of letting /favicon.ico fall through to the officer area."""
    return "", 204


@bp.get("/thu-tuc")
def choose_commune():
    slug = request.args.get("unit", "")
    if not slug:
        return redirect(url_for("portal.index"))
    q = (request.args.get("q") or "").strip()[:100]
    return redirect(url_for("portal.catalogue", unit_slug=_commune(slug).slug, **({"q": q} if q else {})))


@bp.get("/thu-tuc/<unit_slug>")
def catalogue(unit_slug: str):
    unit = _commune(unit_slug)
    q = (request.args.get("q") or "").strip()[:100]
    offered = procedures_for(unit)
    shown = filter_procedures(offered, q)
    fields = _by_field(shown)
    return render_template("portal/catalogue.html", unit=unit, q=q, fields=fields, shown=len(shown),
                           total=len(offered), haystack=procedure_haystack, time_limit_text=processing_time_text,
                           fee_text=procedure_fee_text)


def _by_field(procedures) -> list[tuple[str, list]]:
    """Procedures grouped by field, fields in the deployment's plugin order (MOTCUA_PLUGINS: the most used first),
    names in Vietnamese alphabetical order of the reader's language."""
    order = {name: index for index, name in enumerate(host().plugins)}
    ranked = sorted(procedures, key=lambda p: (order.get(p.plugin, len(order)), p.field, sort_key(p.display_name)))
    return [(field, list(items)) for field, items in groupby(ranked, key=lambda p: p.field)]


def _office_contact(unit: Unit) -> dict:
    """Where and when the citizen can hand in papers or ask: the unit's address, phone and office hours."""
    try:
        hours = OfficeHours.parse(unit.office_hours) if unit.office_hours else OfficeHours()
    except ValueError:
        hours = OfficeHours()
    periods = ", ".join(f"{start.strftime('%H:%M')}–{end.strftime('%H:%M')}" for start, end in hours.periods)
    return {"name": unit.name, "address": unit.address, "phone": unit.phone, "hours": periods}


def _estimate(unit: Unit, procedure):
    return services.preview_due_at(unit, procedure, utcnow())


@bp.get("/thu-tuc/<unit_slug>/<procedure_key>")
def procedure_page(unit_slug: str, procedure_key: str):
    unit = _commune(unit_slug)
    procedure = _offered(unit, procedure_key)
    version = procedure.current_version
    return render_template("portal/procedure.html", unit=unit, procedure=procedure, version=version,
                           time_limit=processing_time_text(version.processing_time), fee=procedure_fee_text(procedure),
                           estimate=_estimate(unit, procedure), kinds=DOCUMENT_KINDS, contact=_office_contact(unit))


@bp.route("/nop-ho-so/<unit_slug>/<procedure_key>", methods=["GET", "POST"])
@limiter.limit(configured_limit("SUBMIT_RATE_LIMIT"), methods=["POST"])
def submit(unit_slug: str, procedure_key: str):
    unit = _commune(unit_slug)
    procedure = _offered(unit, procedure_key)
    citizen = current_citizen()
    if citizen is None and not anonymous_online_allowed(unit):
        return _sign_in_first(unit)
    posted = request.form if request.method == "POST" else None
    applicant = applicant_form(posted)
    if citizen is not None:
        prefill_applicant(applicant, citizen, posted is None)
    data_form = plugin_form(procedure, unit, posted)
    general: list[str] = []
    paper_errors: dict[int, str] = {}
    if request.method == "POST":
        scans, paper_errors = submission_papers.check(procedure)
        try:
            if paper_errors:
                raise services.ServiceError(422, "invalid", _("Giấy tờ tải lên chưa hợp lệ."))
            uploader = (Applicant(proof="vneid", id_number=citizen.id_number, name=citizen.full_name)
                        if citizen is not None else Applicant(proof="online"))
            outcome = submission_papers.submit_with(scans, uploader, partial(
                services.create_dossier, unit, procedure.key, "online", applicant_dict(applicant),
                form_payload(data_form, request.form), None,
                result_delivery=request.form.get("result_delivery") or None))
        except services.ServiceError as exc:
            paper_errors.update({int(k.split("-", 1)[1]): v for k, v in exc.fields.items()
                                 if k.startswith("paper-")})
            fields = {k: v for k, v in exc.fields.items() if not k.startswith("paper-")}
            # Each field's message is in the linked summary and beside the field; the rest are listed on their own.
            general = put_errors(fields, applicant, data_form) or ([] if exc.fields or paper_errors else
                                                                   [exc.message])
            general += submission_papers.error_lines(procedure, paper_errors)
        else:
            session["submitted_code"] = outcome.dossier.code
            return redirect(url_for("portal.submitted"))
    return render_template("portal/submit.html", unit=unit, procedure=procedure, applicant=applicant,
                           papers=submission_papers.uploadable(procedure), paper_errors=paper_errors,
                           paper_field=submission_papers.field_name, max_mb=submission_papers.max_mb(),
                           files_lost=request.method == "POST" and submission_papers.files_in_request(),
                           data_form=data_form, general_errors=general, estimate=_estimate(unit, procedure),
                           fee=procedure_fee_text(procedure),
                           time_limit=processing_time_text(procedure.current_version.processing_time),
                           kinds=DOCUMENT_KINDS, delivery=request.form.get("result_delivery", "desk")), \
        (422 if request.method == "POST" else 200)


def _sign_in_first(unit: Unit):
    """The unit takes online dossiers from signed-in citizens only: the sign-in page says so (a form posted anyway
    is refused, changing nothing)."""
    reason = _("%(unit)s chỉ nhận hồ sơ trực tuyến của công dân đã đăng nhập bằng tài khoản định danh điện tử "
               "VNeID.", unit=unit.name)
    status = 403 if request.method == "POST" else 200
    return render_template("citizens/signin.html", reason=reason, error=None, next=request.path), status


@bp.get("/nop-ho-so/da-nop")
def submitted():
    code = session.get("submitted_code")
    if not code:
        return redirect(url_for("portal.index"))
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    if dossier is None:
        abort(404)
    procedure = get_procedure(dossier.procedure_key)
    channels = set(db.session.scalars(select(Outbox.channel).where(Outbox.dossier_id == dossier.id)))
    return render_template("portal/submitted.html", dossier=dossier, unit=dossier.receiving_unit, channels=channels,
                           procedure_name=procedure.display_name if procedure else dossier.procedure_key,
                           estimate=_estimate(dossier.receiving_unit, procedure) if procedure else None)


def _no_lookup() -> bool:
    return not (request.values.get("code") and request.values.get("phone"))


def _track_page(code: str, phone: str, dossier=None, errors: dict | None = None, status: int = 200, result=None,
                **form_state):
    """The tracking page: the lookup form, and the dossier's public view once code and phone matched (``result``,
    or read from ``dossier``)."""
    if result is None and dossier is not None:
        result = public.tracking_json(dossier)
    return render_template("portal/track.html", code=code, phone=phone, errors=errors or {}, result=result,
                           levels=RATING_LABELS, **form_state), status


def _posted_dossier():
    """The code and phone a form of the tracking page sent back, and their dossier; or the 404 page to answer."""
    code = (request.form.get("code") or "").strip()[:64]
    phone = (request.form.get("phone") or "").strip()[:20]
    try:
        return code, phone, public.find_by_code_and_phone(code, phone), None
    except services.ServiceError as exc:
        return code, phone, None, _track_page(code, phone, errors={"form": exc.message}, status=404)


@bp.route("/tra-cuu", methods=["GET", "POST"])
@csrf.exempt  # a lookup changes nothing (the phone is posted only to keep it out of addresses and logs)
@tracking_limit(exempt_when=_no_lookup)
def track():
    # The page's forms post the phone so it stays out of addresses, logs and history; a GET link with both still
    # works (bookmarks, older receipts), and the receipt's QR code brings the code alone.
    sent = request.form if request.method == "POST" else request.args
    code = (sent.get("code") or "").strip()[:64]
    phone = (sent.get("phone") or "").strip()[:20]
    errors: dict[str, str] = {}
    if code and phone:
        try:
            return _track_page(code, phone, result=public.track(code, phone))
        except services.ServiceError as exc:
            return _track_page(code, phone, errors={"form": exc.message}, status=404)
    if "phone" in sent:  # the form was sent with a field left empty
        if not code:
            errors["code"] = _("Vui lòng nhập mã hồ sơ.")
        if not phone:
            errors["phone"] = _("Vui lòng nhập số điện thoại đã khai khi nộp hồ sơ.")
        return _track_page(code, phone, errors=errors, status=422)
    # Otherwise the empty form, or the code alone from the receipt's QR code: ask for the phone.
    return _track_page(code, phone)


@bp.post("/tra-cuu/danh-gia")
@tracking_limit()
def rate():
    code, phone, dossier, refused = _posted_dossier()
    if refused:
        return refused
    level = request.form.get("level") or ""
    comment = (request.form.get("comment") or "").strip()
    try:
        public.rate(dossier, level, comment)
    except services.ServiceError as exc:
        if "level" in exc.fields:
            errors = {"level": _("Vui lòng chọn một mức đánh giá.")}
        elif "comment" in exc.fields:
            errors = {"comment": exc.fields["comment"]}
        else:
            errors = {"rating": exc.message}
        return _track_page(code, phone, dossier, errors, exc.status, rating_level=level, rating_comment=comment)
    flash(_("Cảm ơn ông/bà đã đánh giá."), "success")
    return _track_page(code, phone, dossier)


@bp.post("/tra-cuu/rut-ho-so")
@tracking_limit()
def request_withdrawal():
    code, phone, dossier, refused = _posted_dossier()
    if refused:
        return refused
    reason = (request.form.get("reason") or "").strip()
    try:
        dossier = public.request_withdrawal(dossier, reason)
    except services.ServiceError as exc:
        errors = {"reason": exc.fields["reason"]} if "reason" in exc.fields else {"withdrawal": exc.message}
        return _track_page(code, phone, dossier, errors, exc.status, withdrawal_reason=reason)
    flash(_("Đã gửi yêu cầu rút hồ sơ. Bộ phận một cửa sẽ thông báo việc dừng giải quyết."), "success")
    return _track_page(code, phone, dossier)


@bp.post("/tra-cuu/bo-sung")
@tracking_limit()
def upload_paper():
    """The applicant uploads a paper asked for in a supplement request (code and phone prove who they are)."""
    code, phone, dossier, refused = _posted_dossier()
    if refused:
        return refused
    raw = (request.form.get("document") or "").strip()
    index = submission_papers.posted_index()
    if index is None:
        return _track_page(code, phone, dossier, {"upload": _("Chọn giấy tờ cần nộp bổ sung.")}, 422)
    try:
        outcome = papers.attach_paper(Applicant(proof="tracking"), dossier, index, request.files.getlist("file"))
    except services.ServiceError as exc:
        message = str((exc.fields or {}).get("file") or exc.message)
        return _track_page(code, phone, dossier, {"upload": message}, exc.status, upload_document=raw)
    flash(_("Đã nộp bổ sung: %(name)s.", name=translate(outcome.document.name)), "success")
    return _track_page(code, phone, dossier)


@bp.post("/tra-cuu/thanh-toan")
@tracking_limit()
def start_payment():
    """"Thanh toán trực tuyến" on the tracking page: the code and phone prove the applicant, as for the lookup. A
    gateway sends the citizen on to its page; a VietQR transfer shows its code on the tracking page."""
    from core.payments import services as payments

    code, phone, dossier, refused = _posted_dossier()
    if refused:
        return refused
    try:
        started = payments.start_payment(dossier, request.form.get("provider"))
    except services.ServiceError as exc:
        return _track_page(code, phone, dossier, {"payment": exc.message}, exc.status)
    if started.start.redirect_url:
        return redirect(started.start.redirect_url, 303)
    return _track_page(code, phone, dossier)
