"""Forms of the administration pages, with Vietnamese messages beside each field."""

from __future__ import annotations

import json
import re

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    Form,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.officehours import OfficeHours
from core.officer.actions import ROLE_LABELS
from core.plugins.types import translate
from core.tenancy.agency import agency_code_ok
from core.tenancy.slugs import reserved_slugs

REQUIRED = DataRequired(_l("Trường này là bắt buộc."))
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
KIND_LABELS = {"commune": _l("Xã, phường, thị trấn"), "office": _l("Cơ quan chuyên môn (nhận liên thông)"),
               "district": _l("Huyện"), "province": _l("Tỉnh")}


def _slug(form, field) -> None:
    field.data = (field.data or "").strip().lower()
    if not SLUG_RE.match(field.data) or len(field.data) > 64:
        raise ValidationError(_l("Chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ: xa-phu-lam."))
    if field.data in reserved_slugs():
        raise ValidationError(_l("Tên này dành cho trang của hệ thống, hãy chọn tên khác."))


def _office_hours(form, field) -> None:
    field.data = (field.data or "").strip()
    if not field.data:
        return
    try:
        OfficeHours.parse(field.data)
    except ValueError as exc:
        raise ValidationError(_l("Giờ làm việc không hợp lệ, ví dụ: 07:30-11:30,13:30-17:00.")) from exc


def _agency_code(form, field) -> None:
    field.data = (field.data or "").strip()
    if field.data and not agency_code_ok(field.data):
        raise ValidationError(_l("Chỉ dùng chữ cái không dấu, chữ số và dấu chấm, ví dụ: 000.00.12.H27."))


class UnitForm(Form):
    name = StringField(_l("Tên đơn vị"), [REQUIRED, Length(max=200)])
    code = StringField(_l("Mã đơn vị hành chính"), [REQUIRED, Length(max=16)])
    kind = SelectField(_l("Loại đơn vị"), [REQUIRED], choices=list(KIND_LABELS.items()))
    parent_id = SelectField(_l("Trực thuộc"), [REQUIRED], coerce=int, choices=[])
    agency_code = StringField(_l("Mã định danh cơ quan (dùng trong mã hồ sơ)"), [REQUIRED, _agency_code])
    office_hours = StringField(_l("Giờ làm việc (để trống: 07:30-11:30,13:30-17:00)"), [_office_hours,
                                                                                        Length(max=100)])
    address = StringField(_l("Địa chỉ"), [Length(max=300)])
    phone = StringField(_l("Số điện thoại"), [Length(max=30)])
    # How the official forms name the unit ([settings.documents] of communes/*.toml); empty: derived from the name.
    doc_agency = StringField(_l("Cơ quan chủ quản in trên giấy tờ (để trống: UBND + tên đơn vị)"), [Length(max=200)])
    doc_desk = StringField(_l("Bộ phận in trên giấy tờ (để trống: theo mẫu của thông tư)"), [Length(max=200)])
    doc_place = StringField(_l("Địa danh ghi trước ngày tháng (để trống: theo tên đơn vị)"), [Length(max=200)])


class NewUnitForm(UnitForm):
    slug = StringField(_l("Tên đường dẫn (không dấu, ví dụ: xa-phu-lam)"), [REQUIRED, _slug])


def _username(form, field) -> None:
    field.data = (field.data or "").strip().lower()
    if not USERNAME_RE.match(field.data):
        raise ValidationError(_l("Từ 3 đến 80 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang."))


def _password(form, field) -> None:
    if field.data and len(field.data) < 8:
        raise ValidationError(_l("Mật khẩu cần ít nhất 8 ký tự."))


class NewUserForm(Form):
    username = StringField(_l("Tên đăng nhập"), [REQUIRED, _username], render_kw={"autocomplete": "off"})
    full_name = StringField(_l("Họ và tên"), [REQUIRED, Length(max=200)])
    password = PasswordField(_l("Mật khẩu ban đầu (ít nhất 8 ký tự)"), [REQUIRED, _password],
                             render_kw={"autocomplete": "new-password"})
    unit_id = SelectField(_l("Đơn vị"), [REQUIRED], coerce=int, choices=[])
    role = SelectField(_l("Vai trò"), [REQUIRED], choices=[])


class EditUserForm(Form):
    full_name = StringField(_l("Họ và tên"), [REQUIRED, Length(max=200)])
    active = BooleanField(_l("Đang hoạt động (bỏ chọn để khóa tài khoản)"))
    password = PasswordField(_l("Mật khẩu mới (để trống nếu không đổi)"), [Optional(), _password],
                             render_kw={"autocomplete": "new-password"})


class GrantForm(Form):
    unit_id = SelectField(_l("Đơn vị"), [REQUIRED], coerce=int, choices=[])
    role = SelectField(_l("Vai trò"), [REQUIRED], choices=[])


class CalendarForm(Form):
    day = DateField(_l("Ngày"), [DataRequired(_l("Nhập ngày theo dạng ngày/tháng/năm."))])
    kind = SelectField(_l("Loại ngày"), [REQUIRED], choices=[("off", _l("Ngày nghỉ thêm")),
                                                               ("work", _l("Ngày làm bù (làm việc)"))])
    unit_id = SelectField(_l("Áp dụng cho"), coerce=int, choices=[])
    note = StringField(_l("Ghi chú"), [Length(max=200)])


def role_choices(roles) -> list[tuple[str, str]]:
    return [(r, str(ROLE_LABELS[r])) for r in roles]


def _one_of_the_offices(form, field) -> None:
    field.data = (field.data or "").strip()
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Không có cơ quan nhận liên thông “%(value)s”; hãy chọn trong danh sách.",
                                 value=field.data))


def settings_form(plugin: str, defaults: dict, current: dict, enabled: bool, formdata=None, info=None,
                  offices=()) -> Form:
    """A form for a plugin's per-unit settings; each field's type follows its default value's type, its label, help
    and unit come from the plugin's ``register_unit_setting_info`` (in the reader's language), and a setting of kind
    "office" is a list of ``offices`` ((slug, name) pairs)."""
    fields: dict = {"enabled": BooleanField(_l("Bật lĩnh vực này cho đơn vị"))}
    for name, default in defaults.items():
        described = (info or {}).get(name)
        label = translate(described.label) if described else name.replace("_", " ").capitalize()
        if described and described.unit:
            label = f"{label} ({translate(described.unit)})"
        hint = {"description": translate(described.help)} if described and described.help else {}
        if described and described.kind == "office":
            choices = [("", _l("— Văn phòng được chỉ định mặc định —")), *offices]
            fields[name] = SelectField(label, [_one_of_the_offices], choices=choices, validate_choice=False, **hint)
        elif isinstance(default, bool):
            fields[name] = BooleanField(label, **hint)
        elif isinstance(default, int):
            fields[name] = IntegerField(label, [InputRequired(_l("Nhập một số nguyên."))],
                                        render_kw={"inputmode": "numeric"}, **hint)
        elif isinstance(default, float):
            fields[name] = FloatField(label, [InputRequired(_l("Nhập một số."))], **hint)
        elif isinstance(default, str):
            fields[name] = StringField(label, [Length(max=500)], **hint)
        else:
            fields[name] = TextAreaField(label, [_json_field], render_kw={"rows": 3}, **hint)
    cls = type(f"{plugin.title()}SettingsForm", (Form,), fields)
    values = {**defaults, **(current or {})}
    data = {k: (json.dumps(v, ensure_ascii=False) if not isinstance(v, (bool, int, float, str)) else v)
            for k, v in values.items()}
    data["enabled"] = enabled
    if formdata is not None:  # a setting the post left out keeps its value (checkboxes: absent means off)
        formdata = MultiDict(formdata)
        for name, value in data.items():
            key = f"{plugin}-{name}"
            if key not in formdata and not isinstance(values.get(name, False), bool) and name != "enabled":
                formdata[key] = str(value)
    return cls(formdata=formdata, prefix=plugin, data=data)


def _json_field(form, field) -> None:
    try:
        field.parsed = json.loads(field.data or "null")
    except (TypeError, ValueError) as exc:
        raise ValidationError(_l("Giá trị JSON không hợp lệ.")) from exc


def settings_values(form: Form, defaults: dict) -> dict:
    values = {}
    for name in defaults:
        field = form._fields[name]
        values[name] = getattr(field, "parsed", field.data) if isinstance(field, TextAreaField) else field.data
    return values
