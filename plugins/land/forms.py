"""Forms of the land procedures; field names are the API's ``data`` keys.

The fields of issue 4 (parcel_number, map_sheet, area, parcel_address, land_use_purpose, change_type, change_date,
owners, counterparties) are enough for a valid dossier; the others are optional. Owners and counterparties are plain
text (one person per line: full name, year of birth, ID number, address) to keep the API simple.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, Form, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.plugins.api import UnitWithPlugin
from plugins.land.rules import CHANGE_TYPES, LAND_USE_PURPOSES

REQUIRED = DataRequired(_l("Trường này là bắt buộc."))
REQUIRED_INPUT = InputRequired(_l("Trường này là bắt buộc."))  # typed fields: keep "not a valid number" visible
PEOPLE = Length(max=2000, message=_l("Tối đa 2000 ký tự."))


class LandForm(Form):
    """Base of the plugin's forms, with the parcel fields shared by both procedures."""

    parcel_number = IntegerField(_l("Thửa đất số"), [REQUIRED_INPUT])
    map_sheet = IntegerField(_l("Tờ bản đồ số"), [REQUIRED_INPUT])
    area = DecimalField(_l("Diện tích (m²)"), [REQUIRED_INPUT], places=None)
    parcel_address = StringField(_l("Địa chỉ thửa đất"), [REQUIRED, Length(max=300)])
    land_use_purpose = SelectField(_l("Mục đích sử dụng đất"), [REQUIRED], choices=LAND_USE_PURPOSES)
    owners = TextAreaField(_l("Người sử dụng đất (họ tên, năm sinh, số định danh, địa chỉ; mỗi người một dòng)"),
                           [REQUIRED, PEOPLE])


_land_commune = UnitWithPlugin("land", _l("Không có xã, phường giải quyết thủ tục đất đai với mã này."),
                               kinds=("commune",))


class FirstRegistrationForm(LandForm):
    """Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 15, Nghị định 151/2025/NĐ-CP)."""

    land_use_origin = StringField(_l("Nguồn gốc sử dụng đất"), [Optional(), Length(max=300)])
    use_since = DateField(_l("Thời điểm bắt đầu sử dụng đất"), [Optional()])
    has_house = BooleanField(_l("Có nhà ở, công trình xây dựng trên đất"), default=False)
    in_dispute = BooleanField(_l("Đất đang có tranh chấp"), default=False)
    parcel_unit = StringField(
        _l("Mã xã, phường nơi có đất (nếu khác nơi nộp)"), [Optional(), _land_commune],
        description=_l("Hồ sơ được chuyển đến Ủy ban nhân dân xã, phường nơi có đất."))


class ChangeRegistrationForm(LandForm):
    """Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu 18, Nghị định 151/2025/NĐ-CP)."""

    change_type = SelectField(_l("Loại biến động"), [REQUIRED], choices=CHANGE_TYPES)
    change_date = DateField(_l("Ngày biến động (ngày hợp đồng, văn bản có hiệu lực)"), [REQUIRED_INPUT])
    counterparties = TextAreaField(_l("Bên nhận chuyển nhượng, tặng cho, thừa kế, thế chấp (mỗi người một dòng)"),
                                   [REQUIRED, PEOPLE])
    certificate_number = StringField(_l("Số phát hành Giấy chứng nhận"), [Optional(), Length(max=30)])
    contract_reference = StringField(_l("Số, ngày hợp đồng hoặc văn bản"), [Optional(), Length(max=200)])
