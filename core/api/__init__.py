"""The JSON API, /api/v1. Each area adds its routes to ``bp``; errors are always JSON."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user

from core.api.errors import ApiError, register_error_handlers

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_error_handlers(bp)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@bp.before_request
def _cookie_writes_need_csrf():
    """The API is exempt from CSRF for bearer tokens and for JSON (a cross-site page cannot send JSON without a CORS
    preflight). A form or multipart write authenticated only by the session cookie could come from any page, so it
    needs the page's CSRF token (form field ``csrf_token`` or header ``X-CSRFToken``) (SEC-16)."""
    if request.method not in UNSAFE_METHODS or request.is_json:
        return
    if request.headers.get("Authorization", "").lower().startswith("bearer ") or not current_user.is_authenticated:
        return
    from flask_wtf.csrf import ValidationError, validate_csrf

    try:
        validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
    except ValidationError:
        raise ApiError(403, "csrf_required", _("Gửi kèm mã xác thực biểu mẫu (CSRF) hoặc dùng mã truy cập (Bearer "
                                                "token).")) from None


def json_body() -> dict:
    """The request's JSON object, or a 400/415 ApiError that changes nothing."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", _("Cần gửi dữ liệu JSON (Content-Type: application/json)."))
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_json", _("Dữ liệu JSON không hợp lệ: cần một đối tượng."))
    return payload


def require_user():
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", _("Cần đăng nhập hoặc mã truy cập (Bearer token)."))
    return current_user._get_current_object()


def load_routes() -> None:
    from core.api import auth, units  # noqa: F401
