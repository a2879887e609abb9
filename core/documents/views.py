"""Routes of the official documents: one dossier's forms (HTML and PDF) and a unit's tracking book.

- ``GET /<unit_slug>/dossiers/<code>/documents/<form>`` (``<form>.pdf`` for the PDF): ``form`` is an official form
  key (receipt, supplement_request, refusal, apology, control_sheet, stop_notice) or a plugin document key. Only
  officers who may view the dossier, through a unit on the dossier's path (its receiving or competent unit or one
  above them); anything else, and a form that does not apply to the dossier's state, answers 404.
  With ``?embed=1`` the HTML page comes without its toolbar (it is shown inside the dossier page's frame).
- ``GET /<unit_slug>/dossiers/<code>/drafts/<form>`` (and ``.pdf``): the draft of a result document of a dossier
  being processed, marked "DỰ THẢO", so the leader reads the paper before approving it; same access rules.
- ``GET /<unit_slug>/tracking-book?from=YYYY-MM-DD&to=YYYY-MM-DD`` and ``/<unit_slug>/tracking-book.pdf``: users with
  ``dossier.view`` on the unit (others 403); the period defaults to the current month up to today.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Flask, Response, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.documents import formats as fmt
from core.documents.book import MAX_PERIOD_DAYS
from core.documents.fees import fee_text
from core.documents.model import Document
from core.documents.render import available_documents, build_book, build_document, draft_documents, render_html
from core.dossiers import services
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.tenancy.services import ancestor_ids, get_unit_or_none
from core.users.permissions import can
from core.validators import parse_day

bp = Blueprint("documents", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_documents/static")

PDF_SUFFIX = ".pdf"

__all__ = ["available_documents", "bp", "document_url", "register"]  # available_documents: for the dossier page


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    # For page and plugin templates: a unit's name inside a sentence ("thị trấn Lim"), a dossier's fee text, and
    # the draft results the dossier page previews (documents/_draft_preview.html).
    app.add_template_filter(fmt.in_text, "in_text")
    app.add_template_filter(fee_text, "fee_text")
    app.add_template_global(result_drafts, "result_drafts")


def document_url(dossier: Dossier, key: str, unit_slug: str | None = None, pdf: bool = False,
                 draft: bool = False) -> str:
    """The URL of document ``key`` of ``dossier`` (HTML, or PDF with ``pdf=True``) under ``unit_slug``.

    ``unit_slug`` is the unit the officer works in (default: the receiving unit); ``draft`` for a result's draft.
    """
    slug = unit_slug or dossier.receiving_unit.slug
    return url_for("documents.dossier_draft" if draft else "documents.dossier_document", unit_slug=slug,
                   code=dossier.code, form=key + (PDF_SUFFIX if pdf else ""))


def result_drafts(dossier: Dossier, unit_slug: str) -> list[dict]:
    """[{key, title, url, pdf_url}] of the result drafts of ``dossier`` (for the dossier page)."""
    return [{"key": key, "title": title, "url": document_url(dossier, key, unit_slug, draft=True),
             "pdf_url": document_url(dossier, key, unit_slug, pdf=True, draft=True)}
            for key, title in draft_documents(dossier)]


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by shared caches
    return response


def _pdf_response(document: Document) -> Response:
    from core.documents.pdf import render_pdf  # fpdf2: ~30 MB a worker needs once it prints (issue 16)

    response = Response(render_pdf(document), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{document.filename}.pdf"'
    return _no_store(response)


def _back_url(unit_slug: str, code: str) -> str:
    """The dossier page."""
    return url_for("officer.dossier", unit_slug=unit_slug, code=code)


@bp.get("/<unit_slug>/dossiers/<code>/documents/<form>")
@login_required
def dossier_document(unit_slug: str, code: str, form: str):
    return _dossier_paper(unit_slug, code, form, draft=False)


@bp.get("/<unit_slug>/dossiers/<code>/drafts/<form>")
@login_required
def dossier_draft(unit_slug: str, code: str, form: str):
    return _dossier_paper(unit_slug, code, form, draft=True)


def _dossier_paper(unit_slug: str, code: str, form: str, draft: bool):
    unit = get_unit_or_none(unit_slug)
    if unit is None:
        abort(404)
    try:
        dossier = services.get_for_user(current_user._get_current_object(), code)
    except services.ServiceError as exc:
        abort(exc.status)
    if unit.id not in set(ancestor_ids(dossier.receiving_unit_id)) | set(ancestor_ids(dossier.competent_unit_id)):
        abort(404)
    as_pdf = form.endswith(PDF_SUFFIX)
    key = form[: -len(PDF_SUFFIX)] if as_pdf else form
    document = build_document(dossier, key, draft=draft)
    if document is None:
        abort(404)
    if as_pdf:
        return _pdf_response(document)
    toolbar = {"label": f"{document.title} · {dossier.code}", "back_url": _back_url(unit_slug, code),
               "pdf_url": document_url(dossier, key, unit_slug, pdf=True, draft=draft)}
    embedded = request.args.get("embed") == "1"
    return _no_store(Response(render_html(document, code=dossier.code, toolbar=toolbar, embedded=embedded),
                              mimetype="text/html"))


def _period() -> tuple[date, date]:
    """The ``from``/``to`` query arguments (local dates, both included); 400 when malformed or too long."""
    today = datetime.now(VN_TZ).date()
    try:
        date_from = parse_day(request.args["from"]) if request.args.get("from") else today.replace(day=1)
        date_to = parse_day(request.args["to"]) if request.args.get("to") else today
    except ValueError:
        abort(400, description=_("Ngày không hợp lệ (định dạng YYYY-MM-DD)."))
    if date_from > date_to or date_to - date_from > timedelta(days=MAX_PERIOD_DAYS - 1):
        abort(400, description=_("Kỳ theo dõi không hợp lệ: từ ngày phải trước đến ngày, tối đa một năm."))
    return date_from, date_to


def _book(unit_slug: str, as_pdf: bool):
    unit = get_unit_or_none(unit_slug)
    if unit is None:
        abort(404)
    if not can(current_user._get_current_object(), "dossier.view", unit):
        abort(403)
    date_from, date_to = _period()
    document = build_book(unit, date_from, date_to)
    if as_pdf:
        return _pdf_response(document)
    query = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    toolbar = {"label": f"{document.title} · {unit.name}", "back_url": None,
               "pdf_url": url_for("documents.tracking_book_pdf", unit_slug=unit_slug, **query)}
    return _no_store(Response(render_html(document, toolbar=toolbar), mimetype="text/html"))


@bp.get("/<unit_slug>/tracking-book")
@login_required
def tracking_book(unit_slug: str):
    return _book(unit_slug, as_pdf=False)


@bp.get("/<unit_slug>/tracking-book.pdf")
@login_required
def tracking_book_pdf(unit_slug: str):
    return _book(unit_slug, as_pdf=True)
