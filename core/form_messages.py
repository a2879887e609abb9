"""WTForms' built-in messages in the reader's language, through WTForms' own i18n hook (``Meta.get_translations``).

WTForms 3 ships no Vietnamese catalogue, so the project supplies one: each WTForms msgid (as in its
``wtforms/locale/wtforms.pot``) maps to a Vietnamese msgid of our catalogue, with the same placeholders; Flask-Babel
then gives it in the request's language (English from translations/en). A WTForms msgid that is not listed stays in
English; tests/core/test_form_messages.py checks every key against the installed WTForms catalogue, so a reworded
WTForms message fails the suite instead of silently falling through.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "This field is required.": _l("Trường này là bắt buộc."),
    "Invalid email address.": _l("Địa chỉ thư điện tử không hợp lệ."),
    "Field cannot be longer than %(max)d character.": _l("Không được dài quá %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Không được dài quá %(max)d ký tự."),
    "Field must be at least %(min)d character long.": _l("Phải có ít nhất %(min)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Phải có ít nhất %(min)d ký tự."),
    "Field must be exactly %(max)d character long.": _l("Phải có đúng %(max)d ký tự."),
    "Field must be exactly %(max)d characters long.": _l("Phải có đúng %(max)d ký tự."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Phải có từ %(min)d đến %(max)d ký tự."),
    "Number must be at least %(min)s.": _l("Phải lớn hơn hoặc bằng %(min)s."),
    "Number must be at most %(max)s.": _l("Phải nhỏ hơn hoặc bằng %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Phải từ %(min)s đến %(max)s."),
    "Not a valid integer value.": _l("Giá trị không phải số nguyên hợp lệ."),
    "Not a valid decimal value.": _l("Giá trị không phải số hợp lệ."),
    "Not a valid float value.": _l("Giá trị không phải số hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ."),
    "Not a valid datetime value.": _l("Thời điểm không hợp lệ."),
    "Not a valid time value.": _l("Giờ không hợp lệ."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "'%(value)s' is not a valid choice for this field.": _l("Lựa chọn không hợp lệ."),
    "'%(value)s' are not valid choices for this field.": _l("Lựa chọn không hợp lệ."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid value, must be one of: %(values)s.": _l("Giá trị không hợp lệ."),
    "Invalid value, can't be any of: %(values)s.": _l("Giá trị không hợp lệ."),
    "Invalid URL.": _l("Địa chỉ web không hợp lệ."),
}


class Translations:
    """The object WTForms asks for its messages (``gettext`` and ``ngettext``)."""

    def gettext(self, string: str) -> str:
        found = MESSAGES.get(string)
        return str(found) if found is not None else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = Translations()


def get_translations(form) -> Translations:
    """``Meta.get_translations`` of every form whose errors reach a reader (``meta={"get_translations": ...}``)."""
    return TRANSLATIONS
