"""Procedure declarations of the civil-status field (domain.md 4a), with their rule and fee adapters.

The adapters turn a dossier's cleaned form data and the ``RuleContext`` into calls of the pure functions in
``rules.py``; the marriage and marital-status adapters also read this deployment's register books.
"""

from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l

from core.plugins import Issue, Procedure, ProcedureVersion, ProcessingTime, RequiredDocument, RuleContext, gettext_noop
from plugins.civil_status import forms, register, rules

FIELD = gettext_noop("Hộ tịch")
SAME_DAY = ProcessingTime(0, "same_day", time(15, 0))
THREE_WORKING_DAYS = ProcessingTime(3, "working_days")
FIVE_WORKING_DAYS = ProcessingTime(5, "working_days")
DEFAULT_MARITAL_STATUS_FEE = 0


def _versions(legal_basis: str, pt: ProcessingTime, fee: str) -> tuple[ProcedureVersion, ...]:
    return (
        ProcedureVersion("2018", date(2019, 1, 6), legal_basis + "; Nghị định 61/2018/NĐ-CP", pt, fee, "2018"),
        ProcedureVersion("2025", date(2025, 7, 1), legal_basis + "; Nghị định 118/2025/NĐ-CP", pt, fee, "2025"),
    )


def _setting(context: RuleContext, name: str, default: int) -> int:
    value = (context.unit_settings or {}).get(name, default)
    return default if isinstance(value, bool) or not isinstance(value, int) else value


# --- rules -----------------------------------------------------------------------------------------------------


def birth_rules(data: dict, context: RuleContext) -> list[Issue]:
    return rules.check_birth(data["child_birth_date"], context.on, fee_charged=birth_fee(data, context) > 0)


def death_rules(data: dict, context: RuleContext) -> list[Issue]:
    return rules.check_death(data.get("deceased_birth_date"), data["death_date"], context.on,
                             fee_charged=death_fee(data, context) > 0)


def marriage_rules(data: dict, context: RuleContext) -> list[Issue]:
    married = register.currently_married({data["female_id_number"], data["male_id_number"]})
    issues = rules.check_marriage(data["female_birth_date"], data["male_birth_date"], data["female_id_number"],
                                  data["male_id_number"], context.on, married)
    if data.get("needs_verification"):
        issues.append(Issue(None, _l("Cần xác minh điều kiện kết hôn: thời hạn giải quyết là 05 ngày làm việc, "
                                     "ngày hẹn trả kết quả đã tính theo thời hạn này."), "warning",
                            "marriage_verification_needed"))
    return issues


def marriage_time_limit(data: dict, context: RuleContext) -> ProcessingTime | None:
    """Luật Hộ tịch 2014, Điều 18 khoản 2: when the conditions must be verified, at most 5 working days."""
    return FIVE_WORKING_DAYS if data.get("needs_verification") else None


def marital_status_rules(data: dict, context: RuleContext) -> list[Issue]:
    issues: list[Issue] = []
    if data["person_birth_date"] > context.on:
        issues.append(Issue("person_birth_date", _l("Ngày sinh không được sau ngày nộp hồ sơ."), "error",
                            "birth_date_in_future"))
    id_number = data.get("person_id_number") or ""
    if id_number and data.get("marital_status", "single") != "married" and register.currently_married({id_number}):
        issues.append(Issue("marital_status", _l("Sổ hộ tịch ghi nhận người này đang có vợ/chồng."), "error",
                            "registered_as_married"))
    return issues


def extract_copy_rules(data: dict, context: RuleContext) -> list[Issue]:
    book, number, unit = (data.get("original_register_book"), data.get("original_register_number"),
                          data.get("original_unit"))
    # Looked up in the receiving unit's own books only: for another unit, found or not would tell a stranger whether
    # that commune registered someone (SEC-05).
    if book and number and unit == context.unit_slug and register.find_entry(unit, book, number) is None:
        return [Issue("original_register_number",
                      _l("Không tìm thấy số đăng ký này trong sổ hộ tịch của hệ thống; cán bộ tra cứu Cơ sở dữ liệu "
                         "hộ tịch điện tử."), "warning", "register_entry_not_found")]
    return []


# --- fees ------------------------------------------------------------------------------------------------------


def birth_fee(data: dict, context: RuleContext) -> int:
    return rules.birth_registration_fee(data["child_birth_date"], context.on, bool(data.get("exemption")),
                                        _setting(context, "late_fee", rules.DEFAULT_LATE_FEE))


def death_fee(data: dict, context: RuleContext) -> int:
    return rules.death_registration_fee(data["death_date"], context.on, bool(data.get("exemption")),
                                        _setting(context, "late_fee", rules.DEFAULT_LATE_FEE))


def marital_status_fee(data: dict, context: RuleContext) -> int:
    if data.get("exemption"):
        return 0
    return _setting(context, "marital_status_fee", DEFAULT_MARITAL_STATUS_FEE)


def extract_copy_fee(data: dict, context: RuleContext) -> int:
    return rules.extract_copy_fee(data["copies"], bool(data.get("exemption")),
                                  _setting(context, "copy_fee", rules.DEFAULT_COPY_FEE))


PROCEDURES = [
    Procedure(
        key="civil_status.birth_registration", national_code="1.001193",
        name=gettext_noop("Đăng ký khai sinh"), field=FIELD,
        versions=_versions("Luật Hộ tịch 2014 (Điều 15, 16); Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP",
                           SAME_DAY, gettext_noop("Miễn lệ phí nếu đăng ký trong 60 ngày kể từ ngày sinh; quá hạn: "
                                                  "theo Nghị quyết HĐND tỉnh (mặc định 8.000 đồng); miễn cho hộ "
                                                  "nghèo, người khuyết tật, gia đình người có công")),
        form_class=forms.BirthRegistrationForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS)")),
            RequiredDocument(gettext_noop("Giấy chứng sinh hoặc văn bản của người làm chứng/giấy cam đoan")),
            RequiredDocument(gettext_noop("Giấy chứng nhận kết hôn của cha mẹ (nếu có)"), "copy"),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân của người đi đăng ký (CCCD/VNeID)"), "present"),
        ),
        fee=birth_fee, rules=birth_rules, output_documents=("civil_status.birth_extract",), order=10,
        fully_online=True,
        description=gettext_noop("Trả kết quả trong ngày; hồ sơ nhận sau 15 giờ mà không giải quyết ngay được thì "
                                 "trả trong ngày làm việc tiếp theo."),
    ),
    Procedure(
        key="civil_status.death_registration", national_code="1.000656",
        name=gettext_noop("Đăng ký khai tử"), field=FIELD,
        versions=_versions("Luật Hộ tịch 2014 (Điều 32, 33, 34); Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP",
                           SAME_DAY, gettext_noop("Miễn lệ phí nếu đăng ký trong 15 ngày kể từ ngày chết; quá hạn: "
                                                  "theo Nghị quyết HĐND tỉnh (mặc định 8.000 đồng)")),
        form_class=forms.DeathRegistrationForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai đăng ký khai tử (mẫu TP/HT-2020-KT)")),
            RequiredDocument(gettext_noop("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử")),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân của người đi đăng ký (CCCD/VNeID)"), "present"),
        ),
        fee=death_fee, rules=death_rules, output_documents=("civil_status.death_extract",), order=20,
        fully_online=True,
        description=gettext_noop("Xã, phường có thẩm quyền là nơi cư trú cuối cùng của người chết; hồ sơ nộp nơi "
                                 "khác được chuyển đến đó."),
    ),
    Procedure(
        key="civil_status.marriage_registration", national_code="1.000894",
        name=gettext_noop("Đăng ký kết hôn"), field=FIELD,
        versions=_versions("Luật Hộ tịch 2014 (Điều 17, 18); Luật Hôn nhân và gia đình 2014 (Điều 5, 8); "
                           "Nghị định 123/2015/NĐ-CP", SAME_DAY, gettext_noop("Miễn lệ phí")),
        form_class=forms.MarriageRegistrationForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai đăng ký kết hôn (mẫu TP/HT-2020-KH)")),
            RequiredDocument(gettext_noop("Giấy xác nhận tình trạng hôn nhân (khi cư trú nơi khác hoặc cơ sở dữ "
                                          "liệu chưa xác nhận được)")),
            RequiredDocument(gettext_noop("Bản án, quyết định ly hôn đã có hiệu lực (nếu đã ly hôn)"), "copy"),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân của hai bên (CCCD/VNeID)"), "present", 2),
        ),
        fee=None, rules=marriage_rules, time_limit=marriage_time_limit,
        output_documents=("civil_status.marriage_certificate",), order=30,
        description=gettext_noop("Trả kết quả trong ngày (sau 15 giờ: ngày làm việc tiếp theo); trường hợp cần xác "
                                 "minh điều kiện kết hôn: không quá 05 ngày làm việc. Hai bên phải có mặt khi đăng "
                                 "ký."),
    ),
    Procedure(
        key="civil_status.marital_status_certificate", national_code="1.004873",
        name=gettext_noop("Cấp Giấy xác nhận tình trạng hôn nhân"), field=FIELD,
        versions=_versions("Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP (Điều 21, 22, 23)", THREE_WORKING_DAYS,
                           gettext_noop("Theo Nghị quyết HĐND tỉnh; miễn cho hộ nghèo, người khuyết tật, gia đình "
                                        "người có công")),
        form_class=forms.MaritalStatusCertificateForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (mẫu TP/HT-2020-XNTTHN)")),
            RequiredDocument(gettext_noop("Bản án/quyết định ly hôn hoặc giấy tờ chứng minh vợ/chồng đã chết "
                                          "(nếu có)"), "copy"),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân (CCCD/VNeID)"), "present"),
        ),
        fee=marital_status_fee, rules=marital_status_rules,
        output_documents=("civil_status.marital_status_certificate",), order=40, fully_online=True,
        description=gettext_noop("Giấy xác nhận có giá trị 06 tháng kể từ ngày cấp."),
    ),
    Procedure(
        key="civil_status.extract_copy", national_code="2.000635",
        name=gettext_noop("Cấp bản sao trích lục hộ tịch"), field=FIELD,
        versions=_versions("Luật Hộ tịch 2014 (Điều 63, 64); Nghị định 123/2015/NĐ-CP", SAME_DAY,
                           gettext_noop("8.000 đồng/bản sao; miễn cho hộ nghèo, người khuyết tật, gia đình người có "
                                        "công")),
        form_class=forms.ExtractCopyForm,
        required_documents=(
            RequiredDocument(gettext_noop("Tờ khai cấp bản sao trích lục hộ tịch (mẫu TP/HT-2020-TLHT)")),
            RequiredDocument(gettext_noop("Văn bản ủy quyền (nếu người yêu cầu được ủy quyền)")),
            RequiredDocument(gettext_noop("Giấy tờ tùy thân (CCCD/VNeID)"), "present"),
        ),
        fee=extract_copy_fee, rules=extract_copy_rules, output_documents=("civil_status.extract_copy",), order=50,
        fully_online=True,
    ),
]
