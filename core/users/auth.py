"""Who is asking: Flask-Login sessions for pages, bearer tokens for the API."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from core.extensions import db, login_manager
from core.users.models import User
from core.users.security import user_for_token


def init_login(app: Flask) -> None:
    login_manager.login_view = "users.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None

    @login_manager.request_loader
    def load_from_bearer(req):
        header = req.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return user_for_token(header[7:].strip())
        return None


def bearer_given() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")
