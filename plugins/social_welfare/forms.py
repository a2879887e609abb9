"""Forms of the social-welfare procedures; field names are the API's ``data`` keys.

The names follow the rules' issue fields (``birth_date``, ``categories``, ``children``, ``has_pension``,
``death_date``, ``deceased_received_monthly_allowance``, ``poor_household``,
``deceased_received_social_pension``), so a rule's message lands on the field it is about.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core.plugins.api import id_number_validator, person_name
from plugins.social_welfare.rules import CATEGORY_CHOICES

REQUIRED = DataRequired(_l("Trường này là bắt buộc."))
REQUIRED_INPUT = InputRequired(_l("Trường này là bắt buộc."))  # typed fields: keep "not a valid date" visible
NAME = Length(max=100, message=_l("Tối đa 100 ký tự."))
PLACE = Length(max=300, message=_l("Tối đa 300 ký tự."))

OTHER_FUNERAL_ELIGIBILITY = [
    ("", _l("Không")),
    ("child_of_poor_single_parent", _l("Con của người đơn thân nghèo đang hưởng trợ cấp (NĐ 20/2021 Đ11 k1 b)")),
    ("elderly_80_monthly_allowance", _l("Người từ đủ 80 tuổi hưởng trợ cấp tuất hoặc trợ cấp hằng tháng khác "
                                        "(NĐ 20/2021 Đ11 k1 c)")),
]


class _Beneficiary(Form):
    """The beneficiary's identity, shared by the monthly allowance and the social pension."""

    beneficiary_full_name = StringField(_l("Họ, chữ đệm, tên đối tượng"), [REQUIRED, NAME, person_name])
    birth_date = DateField(_l("Ngày, tháng, năm sinh"), [REQUIRED_INPUT])
    beneficiary_id_number = StringField(_l("Số định danh cá nhân"), [Optional(), id_number_validator])
    residence_address = StringField(_l("Nơi cư trú"), [Optional(), PLACE])


class MonthlyAllowanceForm(_Beneficiary):
    """Tờ khai đề nghị trợ giúp xã hội (Mẫu 1a–1đ, Nghị định 20/2021/NĐ-CP)."""

    categories = SelectMultipleField(_l("Diện đối tượng (Điều 5 Nghị định 20/2021/NĐ-CP)"), [REQUIRED],
                                     choices=CATEGORY_CHOICES)
    children = IntegerField(_l("Số con đang nuôi (người đơn thân nghèo)"),
                            [Optional(), NumberRange(min=0, max=20, message=_l("Từ 0 đến 20."))])
    disability_certificate_date = DateField(_l("Ngày cấp Giấy xác nhận khuyết tật"), [Optional()])


class SocialPensionForm(_Beneficiary):
    """Tờ khai đề nghị hưởng trợ cấp hưu trí xã hội (Nghị định 176/2025/NĐ-CP)."""

    has_pension = BooleanField(_l("Đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng"), default=False)
    # Decree 176/2025: from full 70 (instead of 75) for members of poor or near-poor households.
    poor_household = BooleanField(_l("Thuộc hộ nghèo, hộ cận nghèo"), default=False)


class FuneralSupportForm(Form):
    """Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu 04, Nghị định 20/2021/NĐ-CP), by who arranged the funeral."""

    deceased_full_name = StringField(_l("Họ, chữ đệm, tên người đã mất"), [REQUIRED, NAME, person_name])
    death_date = DateField(_l("Ngày mất"), [REQUIRED_INPUT])
    deceased_received_monthly_allowance = BooleanField(_l("Người mất đang hưởng trợ cấp xã hội hằng tháng"),
                                                       default=False)
    deceased_received_social_pension = BooleanField(_l("Người mất đang hưởng trợ cấp hưu trí xã hội (Nghị định "
                                                       "176/2025/NĐ-CP)"), default=False)
    other_eligibility = SelectField(_l("Trường hợp khác được hỗ trợ"), [Optional()],
                                    choices=OTHER_FUNERAL_ELIGIBILITY, default="")
    deceased_birth_date = DateField(_l("Ngày sinh của người đã mất"), [Optional()])
    deceased_id_number = StringField(_l("Số định danh cá nhân của người đã mất"), [Optional(), id_number_validator])
    death_extract_number = StringField(_l("Số trích lục khai tử"), [Optional(), Length(max=40)])
    organizer_relationship = StringField(_l("Quan hệ với người đã mất"), [Optional(), Length(max=60)])
