"""Hook implementations: thin functions that hand the plugin's data to Một Cửa."""

from __future__ import annotations

from core.plugins import DocumentTemplate, hookimpl

from motcua_plugin_certification import book, rules
from motcua_plugin_certification.procedures import PROCEDURES


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def register_unit_settings():
    return {"signature_fee": rules.SIGNATURE_FEE}


@hookimpl
def register_document_templates():
    return [
        DocumentTemplate(key="certification.copy_statement", title="Lời chứng chứng thực bản sao từ bản chính",
                         template="certification/copy_statement.html",
                         procedures=("certification.copy_from_original",)),
        DocumentTemplate(key="certification.signature_statement", title="Lời chứng chứng thực chữ ký",
                         template="certification/signature_statement.html", procedures=("certification.signature",)),
    ]


@hookimpl
def on_dossier_event(dossier, event):
    """On approval, enter the dossier in its certification book; the number is printed on the statement."""
    if event.action != "approve" or dossier.procedure_key not in book.BOOKS:
        return None
    entry = book.enter(dossier, event.at)
    return {"certification_number": entry.number, "certification_book": f"{entry.book}/{entry.year}"}
