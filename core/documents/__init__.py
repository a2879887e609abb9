"""Official one-stop-shop documents: the forms of Circulars 01/2018/TT-VPCP and 03/2025/TT-VPCP, rendered from a
dossier and its history as printable HTML (A4 print CSS) and PDF, plus plugin result documents.

Layout: ``model.py`` (the small document model), ``forms.py`` (one builder per official form, the 2018 and 2025
sets), ``book.py`` (the tracking book), ``render.py`` (which documents apply, result drafts, HTML rendering),
``fees.py`` (the fee text of a dossier), ``pdf.py`` (fpdf2 renderer with the vendored Liberation Serif fonts),
``views.py`` (routes; ``templates/documents/_draft_preview.html`` is the dossier page's draft block).

For the dossier page::

    from core.documents import available_documents, document_url
    for key, title in available_documents(dossier):
        ...  document_url(dossier, key, unit_slug), document_url(dossier, key, unit_slug, pdf=True)
"""

from core.documents.render import available_documents, build_book, build_document, render_html


def render_pdf(doc) -> bytes:
    """``doc`` as PDF bytes (see ``pdf.render_pdf``). fpdf2 and its fonts, ~30 MB, are imported on the first PDF:
    most workers never print (issue 16)."""
    from core.documents.pdf import render_pdf as render

    return render(doc)


def document_url(dossier, key: str, unit_slug: str | None = None, pdf: bool = False) -> str:
    """The URL of a dossier's document (see ``views.document_url``)."""
    from core.documents.views import document_url as url

    return url(dossier, key, unit_slug, pdf)


__all__ = ["available_documents", "build_book", "build_document", "document_url", "render_html", "render_pdf"]
