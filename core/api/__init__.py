"""The JSON API, /api/v1. Each area adds its routes to ``bp``; errors are always JSON."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user

from core.api.errors import ApiError, register_error_handlers

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_error_handlers(bp)


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
