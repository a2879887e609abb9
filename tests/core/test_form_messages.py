"""WTForms' built-in messages reach the reader in their language through WTForms' i18n hook (CODE-13)."""

from __future__ import annotations

from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from werkzeug.datastructures import MultiDict
from wtforms import Form, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from core import form_messages


def test_every_key_is_a_message_of_the_installed_wtforms():
    """A WTForms upgrade that rewords a message fails here, instead of leaving it in English on the pages."""
    with (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").open("rb") as f:
        catalog = read_po(f)
    known = set()
    for message in catalog:
        known.update(message.id if isinstance(message.id, tuple) else (message.id,))
    assert set(form_messages.MESSAGES) - known == set()


class _Sample(Form):
    class Meta:
        get_translations = staticmethod(form_messages.get_translations)

    name = StringField("name", [DataRequired(), Length(max=5)])
    count = IntegerField("count", [NumberRange(min=1, max=9)])


def _errors(data: dict) -> dict:
    form = _Sample(formdata=MultiDict(data))
    form.validate()
    return {name: errors[0] for name, errors in form.errors.items()}


@pytest.mark.parametrize("query,expected", [
    ("/", {"name": "Không được dài quá 5 ký tự.", "count": "Phải từ 1 đến 9."}),
    ("/?lang=en", {"name": "Must be at most 5 characters long.", "count": "Must be between 1 and 9."}),
])
def test_messages_follow_the_language_of_the_request(app, query, expected):
    with app.test_request_context(query):
        assert _errors({"name": "quá dài", "count": "12"}) == expected


def test_unparsable_and_missing_values(app):
    with app.test_request_context("/"):
        assert _errors({"count": "mười"}) == {"name": "Trường này là bắt buộc.",
                                              "count": "Giá trị không phải số nguyên hợp lệ."}
