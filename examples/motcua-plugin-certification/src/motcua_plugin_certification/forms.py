"""Forms of the certification procedures: the field names are the API's ``data`` keys."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

REQUIRED = DataRequired(_l("Trường này là bắt buộc."))
REQUIRED_NUMBER = InputRequired(_l("Trường này là bắt buộc."))


class CopyForm(Form):
    document_name = StringField(_l("Tên giấy tờ cần chứng thực"), [REQUIRED, Length(max=200)])
    pages = IntegerField(_l("Số trang của bản chính"), [REQUIRED_NUMBER, NumberRange(min=1, max=500)])
    copies = IntegerField(_l("Số bản sao"), [REQUIRED_NUMBER, NumberRange(min=1, max=100)])
    issued_abroad = BooleanField(_l("Bản chính do cơ quan nước ngoài cấp"), default=False)
    issuing_authority = StringField(_l("Cơ quan cấp bản chính"), [Optional(), Length(max=200)])


class SignatureForm(Form):
    document_name = StringField(_l("Tên giấy tờ, văn bản"), [REQUIRED, Length(max=200)])
    signer_full_name = StringField(_l("Họ, chữ đệm, tên người ký"), [REQUIRED, Length(max=100)])
    signer_birth_date = DateField(_l("Ngày sinh của người ký"), [Optional()])
