"""POST /api/v1/auth/token: exchange a username and password for a bearer token."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from core.api import bp, json_body
from core.api.errors import ApiError
from core.extensions import db
from core.localtime import iso
from core.users.security import authenticate, end_sessions, issue_token, revoke_token, user_for_token
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


@bp.post("/auth/revoke")
def revoke_api_token():
    """Revoke the bearer token of the request; with ``{"all": true}`` every token and session of the user."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    user = user_for_token(token) if token else None
    if user is None:
        raise ApiError(401, "unauthorized", _("Cần mã truy cập (Bearer token) hợp lệ."))
    payload = json_body() if request.content_length else {}
    everything = payload.get("all", False)
    if not isinstance(everything, bool):
        raise ApiError(422, "invalid", _("Dữ liệu không hợp lệ."), {"all": _("Cần true hoặc false.")})
    if everything:
        end_sessions(user)
    else:
        revoke_token(token)
    db.session.commit()
    return jsonify({"revoked": "all" if everything else "token"})
