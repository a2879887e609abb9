"""The two procedures of the plugin, each with its form, rule adapter and fee."""

from __future__ import annotations

from datetime import date, time

from core.plugins import Procedure, ProcedureVersion, ProcessingTime, RequiredDocument, gettext_noop

from motcua_plugin_certification import forms, rules

FIELD = gettext_noop("Chứng thực")
SAME_DAY = ProcessingTime(0, "same_day", time(15, 0))
LEGAL = "Nghị định 23/2015/NĐ-CP; Thông tư 01/2020/TT-BTP"


def _version(fee: str) -> tuple[ProcedureVersion, ...]:
    return (ProcedureVersion("2025", date(2025, 7, 1), LEGAL, SAME_DAY, fee),)


def copy_rules(data, context):
    return rules.check_copy(bool(data.get("issued_abroad")))


def copy_fee(data, context):
    return rules.copy_fee(data["pages"], data["copies"])


def signature_rules(data, context):
    return rules.check_signature(data.get("signer_birth_date"), context.on)


def signature_fee(data, context):
    fee = context.unit_settings.get("signature_fee", rules.SIGNATURE_FEE)
    return fee if isinstance(fee, int) else rules.SIGNATURE_FEE


PROCEDURES = [
    Procedure(
        key="certification.copy_from_original", national_code="2.000815",
        name=gettext_noop("Chứng thực bản sao từ bản chính"), field=FIELD,
        versions=_version("2.000 đồng/trang (2 trang đầu), 1.000 đồng/trang từ trang thứ ba, tối đa 200.000 đồng/bản"),
        form_class=forms.CopyForm,
        required_documents=(RequiredDocument(gettext_noop("Bản chính giấy tờ"), "present"),
                            RequiredDocument(gettext_noop("Bản sao cần chứng thực"), "copy")),
        rules=copy_rules, fee=copy_fee, output_documents=("certification.copy_statement",), order=10,
    ),
    Procedure(
        key="certification.signature", national_code="2.000884", name=gettext_noop("Chứng thực chữ ký"), field=FIELD,
        versions=_version("10.000 đồng/trường hợp"), form_class=forms.SignatureForm,
        required_documents=(RequiredDocument(gettext_noop("Giấy tờ, văn bản cần chứng thực chữ ký")),
                            RequiredDocument(gettext_noop("Giấy tờ tùy thân của người ký (CCCD/VNeID)"), "present")),
        rules=signature_rules, fee=signature_fee, output_documents=("certification.signature_statement",), order=20,
    ),
]
