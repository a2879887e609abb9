"""Numbers and dates as Vietnamese officers and citizens type them, whatever the browser's language.

A browser's ``<input type="number">`` and ``<input type="date">`` follow the browser's locale: "152,5" typed into an
en-US number input becomes 1525, and "05112026" typed into a date input shown as mm/dd/yyyy becomes 11 May. So the
procedure forms use plain text inputs and the server reads them: a decimal comma ("152,5") or point ("152.5") is a
decimal separator; a day-first date is typed "05/11/2026" or "05112026". The API's ISO dates ("2026-11-05") and JSON
numbers keep working. Input that could mean two numbers ("1.525": 1525 or 1,525?) is refused with a message rather
than guessed.

Plugins declare WTForms' own ``DateField``, ``DecimalField`` and ``FloatField``; ``localized_form`` swaps them for the
fields below, so every plugin's forms behave the same without changing them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, localcontext

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, FloatField, RadioField, SelectField, SelectMultipleField, ValidationError
from wtforms.fields.core import UnboundField
from wtforms.widgets import TextInput

from core import formatting

DATE_PLACEHOLDER = "dd/mm/yyyy"
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DIGITS_ONLY = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# A number with grouping or one decimal separator; spaces (also no-break) are dropped first.
_PLAIN = re.compile(r"^[+-]?\d+$")
_ONE_SEPARATOR = re.compile(r"^([+-]?)(\d+)([.,])(\d+)$")
_GROUPED = re.compile(r"^([+-]?)(\d{1,3}(?:([.,])\d{3})+)(?:([.,])(\d+))?$")


class NumberError(ValueError):
    """Text that is not a number, or could be read as two different numbers."""


def parse_number(text: str) -> Decimal:
    """'152,5' and '152.5' → 152.5; '1.525,5' and '1,525.5' → 1525.5; '1.525' or '1,525' → NumberError (ambiguous)."""
    value = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if not value:
        raise NumberError(_l("Nhập một số."))
    if _PLAIN.match(value):
        return Decimal(value)
    single = _ONE_SEPARATOR.match(value)
    if single:
        sign, whole, _sep, fraction = single.groups()
        if len(fraction) == 3 and not whole.startswith("0"):
            # "1.525" is 1525 to a Vietnamese reader and 1.525 to an English one: ask instead of guessing.
            raise NumberError(_l("“%(text)s” có thể hiểu là hai số khác nhau. Viết số không có dấu phân cách hàng "
                                 "nghìn (ví dụ 1525) và dùng dấu phẩy trước phần thập phân (ví dụ 152,5 hoặc 1,5250).",
                                 text=text.strip()))
        return Decimal(f"{sign}{whole}.{fraction}")
    grouped = _GROUPED.match(value)
    if grouped:
        sign, digits, group_sep, decimal_sep, fraction = grouped.groups()
        if decimal_sep is not None and decimal_sep == group_sep:
            raise NumberError(_l("“%(text)s” không phải là số hợp lệ. Ví dụ: 152,5", text=text.strip()))
        return Decimal(f"{sign}{digits.replace(group_sep, '')}.{fraction or '0'}")
    raise NumberError(_l("“%(text)s” không phải là số hợp lệ. Ví dụ: 152,5", text=text.strip()))


def number_text(value, locale: str | None = None) -> str:
    """A number as the reader writes it, without grouping (so it can be typed back): 152.5 → '152,5' (vi)."""
    if value is None or value == "":
        return ""
    # Ten decimal places of a 20-digit number exceed the default 28 significant digits of ``decimal``: room for both.
    with localcontext() as context:
        context.prec = max(context.prec, len(str(value)) + 12)
        return format_decimal(value, format="#0.##########", locale=locale or str(get_locale() or "vi"))


def vn_number(value) -> str:
    """A number on a printed Vietnamese document, grouped: 1525.5 → '1.525,5'."""
    return formatting.number(value, locale="vi")


def json_number_text(value) -> str:
    """A JSON number as text that ``parse_number`` reads back unambiguously (1.525 → '1.5250')."""
    text = format(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), "f")
    if _ONE_SEPARATOR.match(text) and len(text.split(".")[1]) == 3:
        text += "0"
    return text


def parse_day_first(text: str) -> date:
    """'05/11/2026', '5/11/2026', '05-11-2026', '05112026' → 5 November 2026; '2026-11-05' (ISO, the API) too."""
    value = (text or "").strip()
    found = _DAY_FIRST.match(value) or _DIGITS_ONLY.match(value)
    if found:
        day, month, year = (int(x) for x in found.groups())
    else:
        iso = _ISO.match(value)
        if not iso:
            raise ValueError(_l("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/11/2026."))
        year, month, day = (int(x) for x in iso.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_l("Không có ngày %(day)02d/%(month)02d/%(year)04d.", day=day, month=month,
                            year=year)) from None


class DayFirstDateField(DateField):
    """A date typed as dd/mm/yyyy in a text box (never the browser's date picker)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, format="%Y-%m-%d", **kwargs):
        render_kw = {"inputmode": "numeric", "placeholder": DATE_PLACEHOLDER, "autocomplete": "off",
                     "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{8}", "maxlength": "10",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, format=format, render_kw=render_kw, **kwargs)
        self.type = "DateField"  # what templates, the catalogue API and the display test for

    def _value(self):
        if self.raw_data and self.process_errors:
            return self.raw_data[0]  # what was typed, to correct it
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not (valuelist[0] or "").strip():
            self.data = None
            return
        try:
            self.data = parse_day_first(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(exc.args[0]) from None


class LocalDecimalField(DecimalField):
    """A decimal number typed with a decimal comma or point in a text box."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, places=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, places=places, render_kw=render_kw, **kwargs)
        self.type = "DecimalField"

    def _value(self):
        if self.raw_data and self.process_errors:
            return self.raw_data[0]
        return number_text(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_number(str(valuelist[0]))
        except NumberError as exc:
            self.data = None
            raise ValueError(exc.args[0]) from None


class LocalFloatField(LocalDecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.pop("places", None)
        super().__init__(*args, **kwargs)
        self.type = "FloatField"

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = float(self.data)


_SWAPS = {DateField: DayFirstDateField, DecimalField: LocalDecimalField, FloatField: LocalFloatField}
PLACEHOLDER = _l("— Chọn —")


def _with_placeholder(unbound: UnboundField) -> UnboundField | None:
    """A required select without an empty choice gets "— Chọn —" first and selected, so nothing is chosen for the
    officer by default; an empty choice without a label is labelled the same way."""
    choices = unbound.kwargs.get("choices")
    if not isinstance(choices, (list, tuple)):
        return None  # choices set at runtime: the plugin decides
    pairs = [c if isinstance(c, (list, tuple)) else (c, c) for c in choices]
    validators = unbound.kwargs.get("validators", unbound.args[1] if len(unbound.args) > 1 else ()) or ()
    required = any(getattr(v, "field_flags", {}).get("required") for v in validators)
    kwargs = dict(unbound.kwargs)
    if any(str(v) == "" for v, _label in pairs):
        kwargs["choices"] = [(v, label or PLACEHOLDER) if str(v) == "" else (v, label) for v, label in pairs]
    elif required:
        kwargs["choices"] = [("", PLACEHOLDER), *pairs]
        kwargs["default"] = ""
    else:
        return None
    return UnboundField(unbound.field_class, *unbound.args, name=unbound.name, **kwargs)
_LOCALIZED: dict[type, type] = {}


def localized_form(form_class: type) -> type:
    """``form_class`` with WTForms' date and number fields read the Vietnamese way (cached per class)."""
    if form_class in _LOCALIZED:
        return _LOCALIZED[form_class]
    swaps = {}
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, SelectField) \
                and not issubclass(unbound.field_class, (SelectMultipleField, RadioField)):
            replacement = _with_placeholder(unbound)
            if replacement is not None:
                replacement.creation_counter = unbound.creation_counter
                swaps[name] = replacement
        elif isinstance(unbound, UnboundField) and unbound.field_class in _SWAPS:
            kwargs = dict(unbound.kwargs)
            if unbound.field_class is DateField:
                kwargs.pop("format", None)  # always read day-first (and ISO), shown dd/mm/yyyy
            replacement = UnboundField(_SWAPS[unbound.field_class], *unbound.args, name=unbound.name, **kwargs)
            replacement.creation_counter = unbound.creation_counter  # keep the declared order
            swaps[name] = replacement
    result = type(form_class.__name__, (form_class,), swaps) if swaps else form_class
    _LOCALIZED[form_class] = result
    return result


class UnitWithPlugin:
    """WTForms validator of a unit slug: an active unit of this deployment, of one of ``kinds`` when given, with
    ``plugin`` enabled (where a form names the competent commune). The slug is stored trimmed; empty is left to
    the field's other validators."""

    def __init__(self, plugin: str, message, kinds: tuple[str, ...] | None = None):
        self.plugin, self.message, self.kinds = plugin, message, kinds

    def __call__(self, form, field) -> None:
        # Imported here: the plugin host imports this module's fields while it loads the plugins' forms.
        from core.plugins.manager import is_enabled
        from core.tenancy.services import get_unit_or_none

        slug = (field.data or "").strip()
        field.data = slug
        if not slug:
            return
        unit = get_unit_or_none(slug)
        if (unit is None or not unit.active or (self.kinds is not None and unit.kind not in self.kinds)
                or not is_enabled(unit, self.plugin)):
            raise ValidationError(self.message)
