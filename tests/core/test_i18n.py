"""Vietnamese first, English on request: locale selection over HTTP and the completeness of the English catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from core.testing import TEST_PASSWORD

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
POT = TRANSLATIONS / "messages.pot"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def html(response) -> str:
    return response.get_data(as_text=True)


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _messages(catalog) -> list:
    return [m for m in catalog if m.id]


# --- locale selection through HTTP ---------------------------------------------------------------------------------


def test_login_page_is_vietnamese_by_default(client):
    page = html(client.get("/login"))
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Cán bộ đăng nhập" in page and "Mật khẩu" in page
    assert "Log in" not in page


def test_lang_query_switches_to_english_and_the_session_keeps_it(client):
    page = html(client.get("/login?lang=en"))
    assert '<html lang="en">' in page
    assert "Officer login" in page and "Log in" in page
    assert "Username" in page and "Password" in page
    assert "Cán bộ đăng nhập" not in page

    again = html(client.get("/login"))  # no ?lang: the session remembers the choice
    assert '<html lang="en">' in again and "Officer login" in again

    back = html(client.get("/login?lang=vi"))
    assert '<html lang="vi">' in back and "Cán bộ đăng nhập" in back
    assert "Cán bộ đăng nhập" in html(client.get("/login"))


def test_session_choice_wins_over_accept_language(client):
    client.get("/login?lang=vi")
    page = html(client.get("/login", headers={"Accept-Language": "en"}))
    assert '<html lang="vi">' in page and "Cán bộ đăng nhập" in page


@pytest.mark.parametrize("header", ["en", "en-US,en;q=0.9", "fr-FR,fr;q=0.9,en;q=0.5"])
@pytest.mark.parametrize("path", ["/login", "/", "/tra-cuu"])
def test_pages_are_vietnamese_whatever_the_browser_asks(client, header, path):
    """DAY-25: a Vietnamese-first product; the browser's English preference does not switch pages."""
    page = html(client.get(path, headers={"Accept-Language": header}))
    assert '<html lang="vi">' in page


def test_english_on_request_is_remembered_over_accept_language(client):
    assert '<html lang="en">' in html(client.get("/?lang=en", headers={"Accept-Language": "vi"}))
    assert '<html lang="en">' in html(client.get("/tra-cuu", headers={"Accept-Language": "vi"}))


@pytest.mark.parametrize("header", ["vi", "vi-VN,vi;q=0.9,en;q=0.5", "fr", "*"])
def test_accept_language_without_english_preference_stays_vietnamese(client, header):
    page = html(client.get("/login", headers={"Accept-Language": header}))
    assert '<html lang="vi">' in page and "Cán bộ đăng nhập" in page


@pytest.mark.parametrize("lang", ["fr", "EN", "", "en;drop"])
def test_unsupported_lang_parameter_is_ignored(client, lang):
    response = client.get("/login", query_string={"lang": lang})
    assert response.status_code == 200
    assert "Cán bộ đăng nhập" in html(response)
    assert "Cán bộ đăng nhập" in html(client.get("/login"))  # nothing was stored either


def test_form_validation_messages_follow_the_language(client):
    page = html(client.post("/login?lang=en", data={"username": "", "password": ""}))
    assert "Please enter your username." in page and "Please enter your password." in page
    assert "Vui lòng nhập" not in page


def test_wrong_password_on_the_english_login_page(client, factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    response = client.post("/login?lang=en", data={"username": "xa-a.tiepnhan", "password": "wrong-password"})
    assert response.status_code == 401
    assert "Incorrect username or password." in html(response)


# --- API messages ------------------------------------------------------------------------------------------------


def _token(client, payload, headers=None):
    return client.post("/api/v1/auth/token", json=payload, headers=headers or {})


def test_api_error_is_english_with_accept_language(client, factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    response = _token(client, {"username": "xa-a.tiepnhan", "password": "wrong-password"},
                      {"Accept-Language": "en"})
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"] == "Incorrect username or password."


def test_api_error_is_vietnamese_by_default(client):
    response = _token(client, {"username": "nobody", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_api_field_errors_are_english_too(client):
    response = _token(client, {"username": "someone"}, {"Accept-Language": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["message"] == "Username and password are required."
    assert error["fields"] == {"password": "Required."}


def test_api_login_still_works_in_english(client, factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    response = _token(client, {"username": "xa-a.tiepnhan", "password": TEST_PASSWORD}, {"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.get_json()["token"]


# --- the catalogue -----------------------------------------------------------------------------------------------


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalog = _catalog(EN_PO)
    messages = _messages(catalog)
    assert len(messages) > 100
    untranslated = [m.id for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_placeholders_html_and_line_breaks():
    problems = []
    for m in _messages(_catalog(EN_PO)):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = sorted(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != want:
                problems.append(("placeholders", ids[0], text))
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(ids[0])):
                problems.append(("html", ids[0], text))
            if text.count("\n") != ids[0].count("\n"):
                problems.append(("line breaks", ids[0], text))
    assert problems == []


def test_translations_are_english_not_copied_vietnamese():
    vietnamese_only = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
    # Proper names and the official dossier code examples may keep Vietnamese letters (e.g. "Một Cửa", "NĐ-CP").
    allowed = ("Một Cửa", "NĐ-CP", "Tết")
    copied = []
    for m in _messages(_catalog(EN_PO)):
        text = m.string
        for name in allowed:
            text = text.replace(name, "")
        if vietnamese_only.search(text):
            copied.append((m.id, m.string))
    assert copied == []


def test_english_catalogue_is_in_step_with_the_template():
    template_ids = {m.id for m in _messages(_catalog(POT))}
    catalogue_ids = {m.id for m in _messages(_catalog(EN_PO))}  # obsolete (#~) entries are not iterated
    assert template_ids - catalogue_ids == set(), "run pybabel update, then translate the new strings"


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what Flask-Babel loads: it must hold exactly the translations of the .po."""
    with EN_MO.open("rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    source = {m.id: m.string for m in _messages(_catalog(EN_PO))}
    assert compiled == source, "run pybabel compile -d translations"


def test_gettext_in_a_request_uses_the_compiled_catalogue(app):
    from flask_babel import gettext

    with app.test_request_context("/?lang=en"):
        assert gettext("Phiếu kiểm soát quá trình giải quyết hồ sơ") == "Dossier processing control sheet"
        assert gettext("Đã tạo tài khoản %(username)s.", username="an.nv") == "Account an.nv has been created."
    with app.test_request_context("/"):
        assert gettext("Tiếp nhận hồ sơ") == "Tiếp nhận hồ sơ"


def test_a_forced_or_changed_language_gets_its_own_catalogue_within_a_request(app):
    """The request keeps its catalogue once found (issue 16), in code and in templates alike: force_locale (the
    history and notices are written in Vietnamese whatever the request's language) and a language chosen during the
    request (refresh) must still get theirs, and the request's own must come back after force_locale."""
    from flask import render_template_string, session
    from flask_babel import force_locale, gettext, refresh

    page = "{{ _('Tiếp nhận hồ sơ') }}|{{ _('Đã tạo tài khoản %(username)s.', username='<b>') }}|{{ _('100%%') }}"
    with app.test_request_context("/?lang=en"):
        assert gettext("Tiếp nhận hồ sơ") == "Receive dossier"
        assert render_template_string(page) == "Receive dossier|Account &lt;b&gt; has been created.|100%"
        with force_locale("vi"):
            assert gettext("Tiếp nhận hồ sơ") == "Tiếp nhận hồ sơ"
            assert render_template_string(page).startswith("Tiếp nhận hồ sơ|Đã tạo tài khoản &lt;b&gt;.")
        assert gettext("Tiếp nhận hồ sơ") == "Receive dossier"
        assert render_template_string(page).startswith("Receive dossier|")
    with app.test_request_context("/"):
        assert gettext("Tiếp nhận hồ sơ") == "Tiếp nhận hồ sơ"
        session["lang"] = "en"
        refresh()
        assert gettext("Tiếp nhận hồ sơ") == "Receive dossier"
        assert render_template_string(page).startswith("Receive dossier|")
