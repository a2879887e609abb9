"""Forms of the civil-status procedures; field names are the API's ``data`` keys."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from plugins.civil_status.rules import EXEMPTION_CHOICES

REQUIRED = DataRequired(_l("Trường này là bắt buộc."))


class BirthRegistrationForm(Form):
    child_full_name = StringField(_l("Họ, chữ đệm, tên người được khai sinh"), [REQUIRED, Length(max=100)])
    child_sex = RadioField(_l("Giới tính"), [REQUIRED], choices=[("male", _l("Nam")), ("female", _l("Nữ"))])
    child_birth_date = DateField(_l("Ngày, tháng, năm sinh"), [REQUIRED])
    birth_place = StringField(_l("Nơi sinh"), [REQUIRED, Length(max=200)])
    mother_full_name = StringField(_l("Họ, chữ đệm, tên người mẹ"), [REQUIRED, Length(max=100)])
    father_full_name = StringField(_l("Họ, chữ đệm, tên người cha"), [Optional(), Length(max=100)])
    exemption = SelectField(_l("Đối tượng miễn lệ phí"), [Optional()],
                            choices=[("", _l("Không"))] + list(EXEMPTION_CHOICES), default="")
