"""Who is asking: Flask-Login sessions for pages, bearer tokens for the API."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from core.extensions import login_manager
from core.users.security import user_for_token, user_with_roles


def init_login(app: Flask) -> None:
    login_manager.login_view = "users.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(session_id: str):
        # "<id>:<credential version>": a session opened before the last logout or password change no longer matches.
        user_id, _sep, version = (session_id or "").partition(":")
        if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
            return None
        user = user_with_roles(int(user_id))
        if user is None or not user.active or user.get_id() != f"{int(user_id)}:{int(version)}":
            return None
        return user

    @login_manager.request_loader
    def load_from_bearer(req):
        header = req.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return user_for_token(header[7:].strip())
        return None


def bearer_given() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")
