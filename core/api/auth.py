"""POST /api/v1/auth/token: exchange a username and password for a bearer token."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _

from core.api import bp, json_body
from core.api.errors import ApiError
from core.dossiers.serializers import iso
from core.extensions import db
from core.users.security import authenticate, issue_token
from core.users.throttle import login_throttled


@bp.post("/auth/token")
@login_throttled
def issue_api_token():
    payload = json_body()
    username, password = payload.get("username"), payload.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(400, "invalid", _("Cần có tên đăng nhập và mật khẩu."),
                       {k: _("Bắt buộc.") for k in ("username", "password") if not isinstance(payload.get(k), str)})
    user = authenticate(username, password)
    if user is None:
        raise ApiError(401, "invalid_credentials", _("Tên đăng nhập hoặc mật khẩu không đúng."))
    token, expires_at = issue_token(user, current_app.config["API_TOKEN_HOURS"])
    db.session.commit()
    return jsonify({"token": token, "expires_at": iso(expires_at)})
