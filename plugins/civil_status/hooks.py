"""Hook implementations of the civil-status plugin (thin: the work is in procedures.py, register.py and rules.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from core.plugins import DocumentTemplate, Panel, SettingInfo, gettext_noop, hookimpl
from core.plugins.api import can, render_panel
from plugins.civil_status import register, rules
from plugins.civil_status.procedures import DEFAULT_MARITAL_STATUS_FEE, PROCEDURES

PREFIX = "civil_status."


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def register_unit_settings():
    return {"late_fee": rules.DEFAULT_LATE_FEE, "copy_fee": rules.DEFAULT_COPY_FEE,
            "marital_status_fee": DEFAULT_MARITAL_STATUS_FEE}


@hookimpl
def register_unit_setting_info():
    dong = gettext_noop("đồng")
    by_council = gettext_noop("Mức do Hội đồng nhân dân tỉnh quy định; 0 là miễn lệ phí.")
    return {
        "late_fee": SettingInfo(gettext_noop("Lệ phí đăng ký khai sinh, khai tử quá hạn"), by_council, dong),
        "copy_fee": SettingInfo(gettext_noop("Phí cấp bản sao trích lục hộ tịch (mỗi bản)"), by_council, dong),
        "marital_status_fee": SettingInfo(gettext_noop("Lệ phí cấp giấy xác nhận tình trạng hôn nhân"), by_council,
                                          dong),
    }


@hookimpl
def register_document_templates():
    def doc(name: str, title: str, procedure: str) -> DocumentTemplate:
        return DocumentTemplate(key=f"civil_status.{name}", title=title, template=f"civil_status/{name}.html",
                                procedures=(f"civil_status.{procedure}",))

    return [
        doc("birth_extract", "Trích lục khai sinh", "birth_registration"),
        doc("death_extract", "Trích lục khai tử", "death_registration"),
        doc("marriage_certificate", "Giấy chứng nhận kết hôn", "marriage_registration"),
        doc("marital_status_certificate", "Giấy xác nhận tình trạng hôn nhân", "marital_status_certificate"),
        doc("extract_copy", "Bản sao trích lục hộ tịch", "extract_copy"),
    ]


@hookimpl
def route_dossier(procedure, data, receiving_unit):
    """A death is registered where the deceased last resided (Law on Civil Status 2014 art. 32)."""
    if procedure.key != "civil_status.death_registration":
        return None
    slug = (data.get("residence_unit") or "").strip()
    return slug if slug and slug != receiving_unit.slug else None


@hookimpl
def on_dossier_event(dossier, event):
    """On approval, write the dossier into its register book and give the number to the result documents."""
    if event.action != "approve" or not dossier.procedure_key.startswith(PREFIX):
        return None
    entry = register.record(dossier, event.at)
    if entry is None:
        return None
    book = register.BOOKS[dossier.procedure_key]
    update = {"register_number": entry.number, "register_book": register.book_label(book, entry.year),
              "registered_on": entry.registered_on.isoformat()}
    data = dossier.data or {}
    if dossier.procedure_key == "civil_status.birth_registration" and entry.event_date:
        update["child_birth_date_in_words"] = rules.date_in_words(entry.event_date)
    if dossier.procedure_key == "civil_status.marital_status_certificate":
        update["valid_until"] = rules.marital_status_certificate_valid_until(entry.registered_on).isoformat()
    if dossier.procedure_key == "civil_status.extract_copy":
        source = register.find_entry(data.get("original_unit") or "", data.get("original_register_book") or "",
                                     data.get("original_register_number"))
        # Any requester may name any unit and number: an entry is reproduced only from a register the approving
        # officer may read anyway (the unit's own, or one inside the officer's scope), never another commune's
        # (SEC-05). Entries kept elsewhere are looked up in the electronic civil-status database.
        if source is not None and (source.unit_id == dossier.competent_unit_id
                                   or can(event.actor, "dossier.view", source.unit_id)):
            update["source_record"] = (source.details or {}).get("data", {})
    return update


@hookimpl
def dossier_panels(dossier, user):
    if not dossier.procedure_key.startswith(PREFIX):
        return []
    book = register.BOOKS.get(dossier.procedure_key)
    entry = register.entry_for_dossier(dossier.id) if dossier.id else None
    html = render_panel("civil_status/panel_register.html", dossier=dossier, book=book, entry=entry,
                           label=register.book_label(book, entry.year) if entry else "")
    return [Panel(title=_("Sổ hộ tịch"), html=html, order=50)]
