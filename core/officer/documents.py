"""The official papers a dossier page offers to print: ``core.documents.render.available_documents`` with the links
of each (HTML, print-ready, and PDF)."""

from __future__ import annotations

from flask import url_for

from core.documents.render import available_documents
from core.dossiers.models import Dossier


def documents_for(dossier: Dossier, unit_slug: str) -> list[dict]:
    """[{key, title, url, pdf_url}] of the papers this dossier can print now."""
    result = []
    for key, title in available_documents(dossier):
        url = url_for("documents.dossier_document", unit_slug=unit_slug, code=dossier.code, form=key)
        pdf_url = url_for("documents.dossier_document", unit_slug=unit_slug, code=dossier.code, form=f"{key}.pdf")
        result.append({"key": key, "title": str(title), "url": url, "pdf_url": pdf_url})
    return result
