"""Procedure declarations of the social-welfare field (domain.md 4c) and their rule adapters.

Codes and time limits: monthly allowance 1.001776 (Decree 147/2025 art. 5: from 1/7/2025 the commune chairman
decides within 10 working days of the request; the 20 days of Decree 20/2021 art. 7–8 were the sum of the old commune
and district steps), social pension 1.014027 (Decree 176/2025, 10 working days, the commune chairman decides),
funeral support 1.001731 (Decree 20/2021 art. 11: 2 + 3 working days, now both at the commune). Sources in
``rules.py`` and docs/decisions.md (LAW-18, LAW-20). No fee for any of them.
"""

from __future__ import annotations

from datetime import date

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
from plugins.social_welfare import forms, rules

FIELD = gettext_noop("Bảo trợ xã hội")
MONTHLY = "social_welfare.monthly_allowance"
PENSION = "social_welfare.social_pension"
FUNERAL = "social_welfare.funeral_support"
NO_FEE = gettext_noop("Không thu phí, lệ phí")

POSTING = Step("posting_started",
               gettext_noop("Niêm yết công khai kết quả xét duyệt tại trụ sở UBND xã (02 ngày làm việc)"),
               duration=rules.POSTING_WORKING_DAYS, duration_unit="working_days")


def _versions(legal_basis: str, days: int, since: date = date(2025, 7, 1)) -> tuple[ProcedureVersion, ...]:
    return (ProcedureVersion("2025", since, legal_basis, ProcessingTime(days, "working_days"), NO_FEE, "2025"),)


def monthly_allowance_rules(data: dict, context: RuleContext) -> list[Issue]:
    children = data.get("children")
    return rules.check_monthly_allowance(list(data.get("categories") or []), data["birth_date"], context.on,
                                         children if children is not None else 0)


def social_pension_rules(data: dict, context: RuleContext) -> list[Issue]:
    return rules.check_social_pension(data["birth_date"], context.on, bool(data.get("has_pension")),
                                      bool(data.get("poor_household")))


def funeral_support_rules(data: dict, context: RuleContext) -> list[Issue]:
    return rules.check_funeral_support(bool(data.get("deceased_received_monthly_allowance")), data["death_date"],
                                       context.on, other_eligibility=bool(data.get("other_eligibility")),
                                       deceased_received_social_pension=bool(
                                           data.get("deceased_received_social_pension")))


PROCEDURES = [
    Procedure(
        key=MONTHLY, national_code="1.001776",
        name=gettext_noop("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng"), field=FIELD,
        versions=_versions("Nghị định 20/2021/NĐ-CP; Nghị định 76/2024/NĐ-CP; Nghị định 147/2025/NĐ-CP (Điều 5 "
                           "khoản 1: Chủ tịch UBND cấp xã quyết định)", 10),
        form_class=forms.MonthlyAllowanceForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai đề nghị trợ giúp xã hội (Mẫu số 1a, 1b, 1c, 1d hoặc 1đ)")),
            RequiredDocument(gettext_noop("Giấy xác nhận khuyết tật, giấy khai sinh của con, giấy xác nhận nhiễm HIV "
                                          "(tùy diện)"), "copy"),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân (CCCD/VNeID)"), "present"),
        ),
        rules=monthly_allowance_rules, steps=(POSTING,),
        output_documents=("social_welfare.posting_list", "social_welfare.decision"), order=10,
        description=gettext_noop("Mức trợ cấp = mức chuẩn trợ giúp xã hội × hệ số (chỉ hưởng một hệ số cao nhất). "
                                 "Kết quả xét duyệt được niêm yết công khai 02 ngày làm việc trước khi trình Chủ tịch "
                                 "UBND xã quyết định (Nghị định 147/2025/NĐ-CP, Điều 5 khoản 1); trường hợp không đủ "
                                 "điều kiện, Chủ tịch UBND xã trả lời bằng văn bản, nêu rõ lý do."),
    ),
    Procedure(
        key=PENSION, national_code="1.014027",
        name=gettext_noop("Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội"), field=FIELD,
        versions=_versions("Luật Bảo hiểm xã hội 2024; Nghị định 176/2025/NĐ-CP", 10),
        form_class=forms.SocialPensionForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai đề nghị hưởng trợ cấp hưu trí xã hội")),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân (CCCD/VNeID)"), "present"),
        ),
        rules=social_pension_rules, output_documents=("social_welfare.decision",), order=20,
        description=gettext_noop("Người từ đủ 75 tuổi, hoặc từ đủ 70 tuổi đến dưới 75 tuổi thuộc hộ nghèo, hộ cận "
                                 "nghèo, không hưởng lương hưu, trợ cấp bảo hiểm xã hội hằng tháng (từ 01/7/2025). "
                                 "Mức trợ cấp 500.000 đồng/tháng. Chủ tịch UBND xã quyết định trong 10 ngày làm việc; "
                                 "trường hợp không đủ điều kiện thì trả lời bằng văn bản, nêu rõ lý do."),
    ),
    Procedure(
        key=FUNERAL, national_code="1.001731",
        name=gettext_noop("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"),
        field=FIELD, versions=_versions("Nghị định 20/2021/NĐ-CP (Điều 11); Nghị định 76/2024/NĐ-CP; Nghị định "
                                        "176/2025/NĐ-CP (người đang hưởng trợ cấp hưu trí xã hội)", 5),
        form_class=forms.FuneralSupportForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 04)")),
            RequiredDocument(gettext_noop("Trích lục khai tử hoặc giấy báo tử"), "copy"),
        ),
        rules=funeral_support_rules, output_documents=("social_welfare.decision",), order=30,
        description=gettext_noop("Mức hỗ trợ ít nhất bằng 20 lần mức chuẩn trợ giúp xã hội; người đang hưởng trợ cấp "
                                 "hưu trí xã hội: 10.000.000 đồng."),
    ),
]
