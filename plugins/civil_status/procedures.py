"""Procedure declarations of the civil-status field."""

from __future__ import annotations

from datetime import date, time

from core.plugins import ProcedureVersion, ProcessingTime, Procedure, RequiredDocument
from plugins.civil_status import forms

FIELD = "Hộ tịch"
SAME_DAY = ProcessingTime(0, "same_day", time(15, 0))


def _versions(legal_basis: str, pt: ProcessingTime, fee: str) -> tuple[ProcedureVersion, ...]:
    return (
        ProcedureVersion("2018", date(2019, 1, 6), legal_basis + "; Nghị định 61/2018/NĐ-CP", pt, fee, "2018"),
        ProcedureVersion("2025", date(2025, 7, 1), legal_basis + "; Nghị định 118/2025/NĐ-CP", pt, fee, "2025"),
    )


def _birth_fee(data: dict, context) -> int:
    from plugins.civil_status.rules import birth_registration_fee

    return birth_registration_fee(data["child_birth_date"], context.on, bool(data.get("exemption")),
                                  context.unit_settings.get("late_fee", 8000))


PROCEDURES = [
    Procedure(
        key="civil_status.birth_registration", national_code="1.001193", name="Đăng ký khai sinh", field=FIELD,
        versions=_versions("Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", SAME_DAY,
                           "Miễn phí nếu đăng ký đúng hạn; quá hạn: theo Nghị quyết HĐND tỉnh"),
        form_class=forms.BirthRegistrationForm,
        required_documents=(RequiredDocument("Tờ khai đăng ký khai sinh (TP/HT-2020-KS)"),
                            RequiredDocument("Giấy chứng sinh hoặc giấy tờ thay thế"),
                            RequiredDocument("CCCD/VNeID của người đi đăng ký", "present")),
        fee=_birth_fee, output_documents=("civil_status.birth_extract",), order=10,
    ),
]
