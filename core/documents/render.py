"""Which documents a dossier has, building them, and rendering a ``Document`` to printable HTML.

Official forms come from ``forms.py`` (and the tracking book from ``book.py``); plugin result documents are the
``DocumentTemplate``s plugins declare through ``register_document_templates``: their Jinja template receives
``dossier``, ``unit``, ``data``, ``procedure``, ``signer_name`` (the leader who approved, "" before) and ``draft``
and is placed inside the same print layout. Documents are built under the ``vi`` locale whatever the reader's
language: they are legal papers.

A result that was issued (the dossier is ``result_ready`` or ``returned``) stays printable after its plugin is
disabled for the unit: disabling stops new work, it does not take back papers already given (KIT-15). While a dossier
is being processed, its result documents can be previewed as drafts marked "DỰ THẢO" (the leader reads what they
sign before approving).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask import render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from core.documents import formats as fmt
from core.documents.forms import (
    SPECS,
    agency_lines,
    applicable_forms,
    build_form,
    document_place,
    form_label,
    form_set_of,
)
from core.documents.model import Document, nfc
from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier
from core.notifications.outbox import printed_tracking_url
from core.plugins.manager import enabled_plugins, get_procedure, host
from core.plugins.types import DocumentTemplate

if TYPE_CHECKING:
    import segno


def qr_code(data: str) -> segno.QRCode:
    """The QR code printed on receipts (error correction M, enough for a smudged paper)."""
    import segno  # only for printed documents (issue 16: imports at start-up are every worker's memory)

    return segno.make(data, error="m", micro=False)


def qr_svg(data: str) -> Markup:
    """``data`` as an inline SVG QR code (safe markup; segno escapes the title)."""
    svg = qr_code(data).svg_inline(scale=4, border=2, title=data, svgclass="qr-code", omitsize=False)
    return Markup(svg)


# --- plugin result documents ----------------------------------------------------------------------------------------

ISSUED_STATES = ("result_ready", "returned")
DRAFT_STATES = ("in_progress",)


def plugin_documents_for(dossier: Dossier, draft: bool = False) -> list[DocumentTemplate]:
    """Plugin documents that apply: the procedure and status match, and the plugin is enabled at the competent unit
    unless the result was already issued (an installed plugin's issued papers stay printable).

    With ``draft``: the result documents a dossier being processed will get once approved.
    """
    registry: dict[str, DocumentTemplate] = host().documents
    enabled = enabled_plugins(dossier.competent_unit)
    found = []
    for template in registry.values():
        plugin = template.key.split(".", 1)[0]
        if draft:
            wanted = (dossier.status in DRAFT_STATES and dossier.status not in template.available_in
                      and any(state in template.available_in for state in ISSUED_STATES) and plugin in enabled)
        else:
            wanted = dossier.status in template.available_in and (plugin in enabled or dossier.status in ISSUED_STATES)
        if not wanted:
            continue
        if template.procedures:
            if dossier.procedure_key not in template.procedures:
                continue
        elif dossier.procedure_key.split(".", 1)[0] != plugin:
            continue
        found.append(template)
    return sorted(found, key=lambda t: t.key)


def signer_name(dossier: Dossier) -> str:
    """Who signed the result: the leader of the last approval ("" before any)."""
    approvals = [e for e in dossier.events if e.action == "approve"]
    return approvals[-1].actor_name if approvals else ""


def build_plugin_document(dossier: Dossier, template: DocumentTemplate, draft: bool = False) -> Document:
    """A plugin's result document inside the print layout: header of the competent unit, then the plugin's body."""
    unit = dossier.competent_unit
    procedure = get_procedure(dossier.procedure_key)
    body = render_template(template.template, dossier=dossier, unit=unit, data=dict(dossier.data or {}),
                           procedure=procedure, signer_name="" if draft else signer_name(dossier), draft=draft)
    issued = dossier.finished_at or dossier.returned_at or datetime.now(VN_TZ)
    form_set = form_set_of(dossier)
    suffix = "-du-thao" if draft else ""
    return Document(
        key=template.key, title=nfc(template.title).upper(), agency_lines=agency_lines(unit, form_set, False),
        reference_lines=[_("Mã hồ sơ: %(code)s", code=dossier.code)],
        place_date=fmt.place_date(document_place(unit), issued), body_html=Markup(nfc(body)),
        filename=f"{template.key.replace('.', '-')}-{dossier.code}{suffix}", draft=draft,
    )


# --- the public entry points -------------------------------------------------------------------------------------

def available_documents(dossier: Dossier) -> list[tuple[str, str]]:
    """(key, title) of every document printable for ``dossier`` now: official forms first, then plugin papers.

    The dossier page lists these; each key works in ``/<unit>/dossiers/<code>/documents/<key>`` (and ``.pdf``).
    """
    with force_locale("vi"):
        form_set = form_set_of(dossier)
        found = [(spec.key, form_label(spec, form_set)) for spec in applicable_forms(dossier)]
        found += [(t.key, nfc(t.title)) for t in plugin_documents_for(dossier)]
    return found


def draft_documents(dossier: Dossier) -> list[tuple[str, str]]:
    """(key, title) of the result documents ``dossier`` can preview as drafts now (none unless being processed)."""
    with force_locale("vi"):
        return [(t.key, nfc(t.title)) for t in plugin_documents_for(dossier, draft=True)]


def build_document(dossier: Dossier, key: str, draft: bool = False) -> Document | None:
    """The document ``key`` of ``dossier`` (official form or plugin paper), or None when it does not apply.

    ``draft``: the draft of a result document, marked "DỰ THẢO" (official forms have no drafts).
    """
    with force_locale("vi"):
        if key in SPECS and not draft:
            return build_form(key, dossier, printed_tracking_url)
        for template in plugin_documents_for(dossier, draft=draft):
            if template.key == key:
                return build_plugin_document(dossier, template, draft=draft)
    return None


def build_book(unit, date_from: date, date_to: date) -> Document:
    """The tracking book of ``unit`` for a period (see ``book.py``)."""
    from core.documents.book import build_tracking_book

    with force_locale("vi"):
        return build_tracking_book(unit, date_from, date_to)


def render_html(document: Document, *, code: str = "", toolbar: dict | None = None, embedded: bool = False) -> str:
    """``document`` as a standalone printable HTML page (A4 print CSS).

    ``toolbar`` (screen only) is ``{"label", "pdf_url", "back_url"}``; leave it out for a bare page. ``embedded``:
    the page is shown inside the dossier page's frame, which has its own print buttons, so the sheet comes bare
    (one toolbar, and no link that would load the application inside the frame).
    """
    # The toolbar is the reader's screen, in the reader's language; the sheet under it is Vietnamese.
    labels = {"nav": _("Thao tác với văn bản"), "back": _("Quay lại"), "print": _("In văn bản"), "pdf": _("Tải PDF"),
              "lang": str(get_locale() or "vi")}
    with force_locale("vi"):
        return render_template("documents/print.html", doc=document, code=code, toolbar=toolbar, qr_svg=qr_svg,
                               embedded=embedded, labels=labels)
