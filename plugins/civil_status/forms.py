"""Forms of the civil-status procedures; field names are the API's ``data`` keys.

The names listed in issue 4 are the API contract and are enough for a valid dossier. Every other field here follows
the official declaration forms (Circular 04/2020/TT-BTP) and is optional or has a sensible default.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from core.plugins.api import UnitWithPlugin, id_number_validator, person_name
from plugins.civil_status.rules import EXEMPTION_CHOICES

REQUIRED = DataRequired(_l("Trường này là bắt buộc."))
# Typed fields (dates, numbers) use InputRequired: DataRequired would hide "not a valid date" behind "required".
REQUIRED_INPUT = InputRequired(_l("Trường này là bắt buộc."))
NAME = Length(max=100, message=_l("Tối đa 100 ký tự."))
PLACE = Length(max=300, message=_l("Tối đa 300 ký tự."))
SHORT = Length(max=60, message=_l("Tối đa 60 ký tự."))

SEX_CHOICES = [("male", _l("Nam")), ("female", _l("Nữ"))]
PREVIOUS_STATUS_CHOICES = [
    ("never_married", _l("Chưa kết hôn lần nào")),
    ("divorced", _l("Đã ly hôn")),
    ("widowed", _l("Vợ/chồng đã chết")),
]
MARITAL_STATUS_CHOICES = [
    ("single", _l("Hiện tại chưa đăng ký kết hôn với ai")),
    ("divorced", _l("Đã ly hôn, hiện chưa kết hôn với ai")),
    ("widowed", _l("Vợ/chồng đã chết, hiện chưa kết hôn với ai")),
    ("married", _l("Đang có vợ/chồng")),
]
EXTRACT_TYPES = [
    ("birth", _l("Trích lục khai sinh")),
    ("death", _l("Trích lục khai tử")),
    ("marriage", _l("Trích lục kết hôn")),
]
RELATIONSHIP_CHOICES = [
    ("self", _l("Chính người đó")),
    ("parent", _l("Cha, mẹ")),
    ("child", _l("Con")),
    ("spouse", _l("Vợ, chồng")),
    ("sibling", _l("Anh, chị, em")),
    ("grandparent", _l("Ông, bà")),
    ("relative", _l("Người thân thích khác")),
    ("authorised", _l("Người được ủy quyền")),
    ("other", _l("Khác")),
]
MAX_COPIES = 50


def _exemption_field() -> SelectField:
    return SelectField(_l("Đối tượng miễn lệ phí"), [Optional()], choices=[("", _l("Không"))] + list(EXEMPTION_CHOICES),
                       default="")


_civil_status_unit = UnitWithPlugin("civil_status", _l("Không có xã, phường giải quyết hộ tịch với mã này."))


# A parent is at least this old, and at most that old, when the child is born: outside, the date is a typing error.
PARENT_AGE_AT_BIRTH = (10, 80)


def _check_parent_birth(field, child_field, who) -> None:
    """The parent's birth date against the child's, in the same pass as the other fields."""
    parent, child = field.data, child_field.data
    if parent is None or child is None or child_field.errors:
        return
    if parent >= child:
        raise ValidationError(_l("Ngày sinh của %(who)s phải trước ngày sinh của con (%(child)s).", who=who,
                                 child=child.strftime("%d/%m/%Y")))
    age = child.year - parent.year - ((child.month, child.day) < (parent.month, parent.day))
    low, high = PARENT_AGE_AT_BIRTH
    if not low <= age <= high:
        raise ValidationError(_l("Theo ngày sinh này, %(who)s %(age)s tuổi khi con ra đời: kiểm tra lại ngày sinh.",
                                 who=who, age=age))


class BirthRegistrationForm(Form):
    """Tờ khai đăng ký khai sinh (TP/HT-2020-KS)."""

    # The declaration's own grouping, so the counter and the portal show the child, the mother and the father apart.
    SECTIONS = (
        (_l("Người được khai sinh"), ("child_full_name", "child_sex", "child_birth_date", "birth_place",
                                      "child_ethnicity", "child_nationality", "child_native_place", "child_id_number",
                                      "birth_certificate_number")),
        (_l("Người mẹ"), ("mother_full_name", "mother_birth_date", "mother_ethnicity", "mother_nationality",
                          "mother_residence", "mother_id_number")),
        (_l("Người cha"), ("father_full_name", "father_birth_date", "father_ethnicity", "father_nationality",
                           "father_residence", "father_id_number")),
    )

    child_full_name = StringField(_l("Họ, chữ đệm, tên người được khai sinh"), [REQUIRED, NAME, person_name])
    child_sex = RadioField(_l("Giới tính"), [REQUIRED], choices=SEX_CHOICES)
    child_birth_date = DateField(_l("Ngày, tháng, năm sinh"), [REQUIRED_INPUT])
    birth_place = StringField(_l("Nơi sinh"), [REQUIRED, PLACE])
    mother_full_name = StringField(_l("Họ, chữ đệm, tên người mẹ"), [REQUIRED, NAME, person_name])
    father_full_name = StringField(_l("Họ, chữ đệm, tên người cha"), [Optional(), NAME, person_name])
    child_ethnicity = StringField(_l("Dân tộc"), [Optional(), SHORT], default="Kinh")
    child_nationality = StringField(_l("Quốc tịch"), [Optional(), SHORT], default="Việt Nam")
    child_native_place = StringField(_l("Quê quán"), [Optional(), PLACE])
    # The personal ID number the population database gives the child (LAW-14); printed on the birth extract.
    child_id_number = StringField(_l("Số định danh cá nhân của người được khai sinh"),
                                  [Optional(), id_number_validator])
    mother_birth_date = DateField(_l("Ngày sinh của người mẹ"), [Optional()])
    mother_ethnicity = StringField(_l("Dân tộc của người mẹ"), [Optional(), SHORT], default="Kinh")
    mother_nationality = StringField(_l("Quốc tịch của người mẹ"), [Optional(), SHORT], default="Việt Nam")
    mother_residence = StringField(_l("Nơi cư trú của người mẹ"), [Optional(), PLACE])
    mother_id_number = StringField(_l("Số định danh cá nhân của người mẹ"), [Optional(), id_number_validator])
    father_birth_date = DateField(_l("Ngày sinh của người cha"), [Optional()])
    father_ethnicity = StringField(_l("Dân tộc của người cha"), [Optional(), SHORT])
    father_nationality = StringField(_l("Quốc tịch của người cha"), [Optional(), SHORT])
    father_residence = StringField(_l("Nơi cư trú của người cha"), [Optional(), PLACE])
    father_id_number = StringField(_l("Số định danh cá nhân của người cha"), [Optional(), id_number_validator])
    birth_certificate_number = StringField(_l("Số Giấy chứng sinh"), [Optional(), SHORT])
    declarant_relationship = SelectField(_l("Quan hệ với người được khai sinh"), [Optional()],
                                         choices=RELATIONSHIP_CHOICES, default="parent")
    exemption = _exemption_field()

    def validate_mother_birth_date(self, field) -> None:
        _check_parent_birth(field, self.child_birth_date, _l("người mẹ"))

    def validate_father_birth_date(self, field) -> None:
        _check_parent_birth(field, self.child_birth_date, _l("người cha"))


class DeathRegistrationForm(Form):
    """Tờ khai đăng ký khai tử (TP/HT-2020-KT)."""

    deceased_full_name = StringField(_l("Họ, chữ đệm, tên người đã chết"), [REQUIRED, NAME, person_name])
    deceased_birth_date = DateField(_l("Ngày, tháng, năm sinh"), [REQUIRED_INPUT])
    death_date = DateField(_l("Ngày chết"), [REQUIRED_INPUT])
    death_place = StringField(_l("Nơi chết"), [REQUIRED, PLACE])
    cause = StringField(_l("Nguyên nhân chết"), [Optional(), PLACE])
    declarant_relationship = SelectField(_l("Quan hệ với người đã chết"), [REQUIRED],
                                         choices=[c for c in RELATIONSHIP_CHOICES if c[0] != "self"])
    deceased_sex = SelectField(_l("Giới tính"), [Optional()], choices=[("", "")] + SEX_CHOICES, default="")
    deceased_id_number = StringField(_l("Số định danh cá nhân của người đã chết"), [Optional(), id_number_validator])
    deceased_ethnicity = StringField(_l("Dân tộc"), [Optional(), SHORT], default="Kinh")
    deceased_nationality = StringField(_l("Quốc tịch"), [Optional(), SHORT], default="Việt Nam")
    deceased_residence = StringField(_l("Nơi cư trú cuối cùng"), [Optional(), PLACE])
    residence_unit = StringField(
        _l("Mã xã, phường nơi cư trú cuối cùng (nếu khác nơi nộp)"), [Optional(), _civil_status_unit],
        description=_l("Hồ sơ được chuyển đến xã, phường có thẩm quyền: nơi cư trú cuối cùng của người chết."))
    death_time = StringField(_l("Giờ chết"), [Optional(), Length(max=5)])
    death_notice_number = StringField(_l("Số Giấy báo tử hoặc giấy tờ thay thế"), [Optional(), SHORT])
    death_notice_issuer = StringField(_l("Cơ quan cấp Giấy báo tử"), [Optional(), PLACE])
    exemption = _exemption_field()


class MarriageRegistrationForm(Form):
    """Tờ khai đăng ký kết hôn (TP/HT-2020-KH): one joint declaration of both parties."""

    female_full_name = StringField(_l("Họ, chữ đệm, tên bên nữ"), [REQUIRED, NAME, person_name])
    female_birth_date = DateField(_l("Ngày sinh bên nữ"), [REQUIRED_INPUT])
    female_id_number = StringField(_l("Số định danh cá nhân bên nữ"), [REQUIRED, id_number_validator])
    male_full_name = StringField(_l("Họ, chữ đệm, tên bên nam"), [REQUIRED, NAME, person_name])
    male_birth_date = DateField(_l("Ngày sinh bên nam"), [REQUIRED_INPUT])
    male_id_number = StringField(_l("Số định danh cá nhân bên nam"), [REQUIRED, id_number_validator])
    female_residence = StringField(_l("Nơi cư trú bên nữ"), [Optional(), PLACE])
    male_residence = StringField(_l("Nơi cư trú bên nam"), [Optional(), PLACE])
    female_previous_status = SelectField(_l("Tình trạng hôn nhân trước đây của bên nữ"), [Optional()],
                                         choices=PREVIOUS_STATUS_CHOICES, default="never_married")
    male_previous_status = SelectField(_l("Tình trạng hôn nhân trước đây của bên nam"), [Optional()],
                                       choices=PREVIOUS_STATUS_CHOICES, default="never_married")
    female_ethnicity = StringField(_l("Dân tộc bên nữ"), [Optional(), SHORT], default="Kinh")
    male_ethnicity = StringField(_l("Dân tộc bên nam"), [Optional(), SHORT], default="Kinh")
    female_nationality = StringField(_l("Quốc tịch bên nữ"), [Optional(), SHORT], default="Việt Nam")
    male_nationality = StringField(_l("Quốc tịch bên nam"), [Optional(), SHORT], default="Việt Nam")
    needs_verification = BooleanField(
        _l("Cần xác minh điều kiện kết hôn"), default=False,
        description=_l("Khi phải xác minh, thời hạn giải quyết không quá 05 ngày làm việc."))


class MaritalStatusCertificateForm(Form):
    """Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (TP/HT-2020-XNTTHN)."""

    person_full_name = StringField(_l("Họ, chữ đệm, tên người được xác nhận"), [REQUIRED, NAME, person_name])
    person_birth_date = DateField(_l("Ngày, tháng, năm sinh"), [REQUIRED_INPUT])
    purpose = StringField(_l("Mục đích sử dụng"), [REQUIRED, PLACE],
                          description=_l("Ví dụ: để đăng ký kết hôn với ông/bà …; để bổ sung hồ sơ vay vốn."))
    person_id_number = StringField(_l("Số định danh cá nhân"), [Optional(), id_number_validator])
    person_sex = SelectField(_l("Giới tính"), [Optional()], choices=[("", "")] + SEX_CHOICES, default="")
    person_residence = StringField(_l("Nơi cư trú"), [Optional(), PLACE])
    person_ethnicity = StringField(_l("Dân tộc"), [Optional(), SHORT], default="Kinh")
    person_nationality = StringField(_l("Quốc tịch"), [Optional(), SHORT], default="Việt Nam")
    marital_status = SelectField(_l("Tình trạng hôn nhân"), [Optional()], choices=MARITAL_STATUS_CHOICES,
                                 default="single")
    exemption = _exemption_field()


class ExtractCopyForm(Form):
    """Tờ khai cấp bản sao trích lục hộ tịch (TP/HT-2020-TLHT)."""

    copies = IntegerField(_l("Số lượng bản sao"), [
        REQUIRED_INPUT,
        NumberRange(min=1, max=MAX_COPIES, message=_l("Số bản sao từ 1 đến %(max)s.", max=MAX_COPIES)),
    ])
    extract_type = SelectField(_l("Loại trích lục"), [Optional()], choices=EXTRACT_TYPES, default="birth")
    person_full_name = StringField(_l("Họ, chữ đệm, tên người được cấp bản sao trích lục"),
                                   [Optional(), NAME, person_name],
                                   description=_l("Để trống nếu là chính người yêu cầu."))
    person_birth_date = DateField(_l("Ngày sinh"), [Optional()])
    requester_relationship = SelectField(_l("Quan hệ với người được cấp bản sao"), [Optional()],
                                         choices=RELATIONSHIP_CHOICES, default="self")
    original_register_book = StringField(_l("Quyển số (sổ hộ tịch gốc)"), [Optional(), Length(max=20)])
    original_register_number = IntegerField(_l("Số đăng ký (sổ hộ tịch gốc)"), [Optional()])
    original_unit = StringField(_l("Mã đơn vị đã đăng ký"), [Optional(), Length(max=64)])
    original_registered_on = DateField(_l("Ngày đăng ký"), [Optional()])
    note = TextAreaField(_l("Ghi chú"), [Optional(), Length(max=500)])
    exemption = _exemption_field()


# What approval adds to a dossier's data (on_dossier_event), labelled for the dossier page; None: not shown there
# (the date in words is for the printed extract only, the birth date is shown already).
RESULT_LABELS = {
    "register_number": _l("Số đăng ký"), "register_book": _l("Quyển số"), "registered_on": _l("Ngày đăng ký"),
    "valid_until": _l("Có giá trị đến ngày"), "child_birth_date_in_words": None,
}
for _form in (BirthRegistrationForm, DeathRegistrationForm, MarriageRegistrationForm, MaritalStatusCertificateForm,
              ExtractCopyForm):
    _form.result_labels = RESULT_LABELS
