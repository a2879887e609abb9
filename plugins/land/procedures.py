"""Procedure declarations of the land field (domain.md 4b) and their rule adapters.

National codes are those of the 2025 national list as published by provinces (first registration 1.012753, change
registration 1.012765); time limits are Decree 101/2024/NĐ-CP's (first registration 20 working days, change
registration 10 working days). The time spent on financial obligations is not counted (``awaiting_payment``).
Check the province's 2025 publication before going live.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from core.plugins import (
    Issue,
    Procedure,
    ProcedureVersion,
    ProcessingTime,
    RequiredDocument,
    RuleContext,
    Step,
    gettext_noop,
)
from plugins.land import forms, rules

FIELD = gettext_noop("Đất đai")
FIRST = "land.first_registration"
CHANGE = "land.change_registration"
FEES = gettext_noop("Lệ phí cấp Giấy chứng nhận theo Nghị quyết HĐND tỉnh; tiền sử dụng đất, lệ phí trước bạ, "
                    "thuế thu nhập cá nhân theo thông báo của cơ quan thuế")
LEGAL = "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP; Nghị định 151/2025/NĐ-CP; Nghị định 226/2025/NĐ-CP"

POSTING = Step("posting_started", gettext_noop("Niêm yết công khai tại trụ sở UBND xã và khu dân cư (15 ngày)"),
               duration=rules.PUBLIC_POSTING_DAYS, duration_unit="calendar_days")


def _version(days: int) -> tuple[ProcedureVersion, ...]:
    return (ProcedureVersion("2025", date(2025, 7, 1), LEGAL, ProcessingTime(days, "working_days"), FEES, "2025"),)


def _parcel(data: dict) -> list[Issue]:
    return rules.check_parcel(data.get("area"), data.get("parcel_number"), data.get("map_sheet"))


def first_registration_rules(data: dict, context: RuleContext) -> list[Issue]:
    issues = _parcel(data)
    since = data.get("use_since")
    if since is not None and since > context.on:
        issues.append(Issue("use_since", _l("Thời điểm bắt đầu sử dụng đất không được sau ngày nộp hồ sơ."),
                            "error", "use_since_in_future"))
    if data.get("in_dispute"):
        issues.append(Issue("in_dispute", _l("Đất đang có tranh chấp: chưa đủ điều kiện cấp Giấy chứng nhận cho đến "
                                             "khi tranh chấp được giải quyết."), "warning", "land_in_dispute"))
    return issues


def change_registration_rules(data: dict, context: RuleContext) -> list[Issue]:
    return _parcel(data) + rules.check_change(data["change_date"], context.on)


PROCEDURES = [
    Procedure(
        key=FIRST, national_code="1.012753",
        name=gettext_noop("Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu"), field=FIELD,
        versions=_version(20), form_class=forms.FirstRegistrationForm,
        required_documents=(
            RequiredDocument(gettext_noop("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 15)")),
            RequiredDocument(gettext_noop("Một trong các giấy tờ về quyền sử dụng đất (Điều 137 Luật Đất đai 2024), "
                                          "nếu có"), "copy"),
            RequiredDocument(gettext_noop("Sơ đồ nhà ở, công trình xây dựng (nếu có)")),
            RequiredDocument(gettext_noop("Giấy tờ về thừa kế, chứng từ nghĩa vụ tài chính (nếu có)"), "copy"),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân (CCCD/VNeID)"), "present"),
        ),
        rules=first_registration_rules, transfer_to_kind="office", steps=(POSTING,),
        output_documents=("land.posting_notice", "land.registration_result"), order=10,
        description=gettext_noop("UBND xã kiểm tra, xác nhận hiện trạng, niêm yết công khai 15 ngày, sau đó chuyển "
                                 "Văn phòng đăng ký đất đai; thời gian thực hiện nghĩa vụ tài chính không tính vào "
                                 "thời hạn."),
    ),
    Procedure(
        key=CHANGE, national_code="1.012765",
        name=gettext_noop("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"), field=FIELD,
        versions=_version(10), form_class=forms.ChangeRegistrationForm,
        required_documents=(
            RequiredDocument(gettext_noop("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 18)")),
            RequiredDocument(gettext_noop("Giấy chứng nhận đã cấp")),
            RequiredDocument(gettext_noop("Hợp đồng, văn bản chuyển nhượng, tặng cho, thừa kế, thế chấp đã công "
                                          "chứng, chứng thực")),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân (CCCD/VNeID)"), "present"),
        ),
        rules=change_registration_rules, transfer_to_kind="office", output_documents=("land.change_result",),
        order=20,
        description=gettext_noop("Bộ phận một cửa cấp xã tiếp nhận và chuyển liên thông ngay đến Văn phòng đăng ký "
                                 "đất đai; phải đăng ký trong 30 ngày kể từ ngày biến động."),
    ),
]
