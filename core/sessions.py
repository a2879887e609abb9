"""The signed-cookie session, opened and saved without work when the request carries no session cookie.

Flask's cookie session builds its signing serializer (an HMAC key derivation) on every request, cookie or not, and
reads the cookie settings again when saving an untouched empty session. Most public requests (tracking, the health
checks, API calls with a bearer token) carry none, and that work is then done for nothing: a measurable share of an
empty request's cost (issue 16, bench/RESULTS.md).
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request):
        if app.secret_key and ("HTTP_COOKIE" not in request.environ
                               or not request.cookies.get(self.get_cookie_name(app))):
            return self.session_class()  # what Flask answers for a missing cookie, minus the serializer
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not (session or session.modified or session.accessed):
            return  # Flask would neither set nor delete a cookie, nor add "Vary: Cookie"
        super().save_session(app, session, response)


def install(app: Flask) -> None:
    app.session_interface = LazyCookieSessionInterface()
