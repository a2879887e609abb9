"""JSON errors for the API: always {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.extra = status, code, message, fields or {}, extra


def error_response(status: int, code: str, message: str, fields: dict | None = None, **extra):
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}, **extra}}
    return jsonify(body), status


_HTTP_CODES = {
    400: ("bad_request", _l("Yêu cầu không hợp lệ.")),
    401: ("unauthorized", _l("Cần đăng nhập.")),
    403: ("forbidden", _l("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", _l("Không tìm thấy.")),
    405: ("method_not_allowed", _l("Phương thức không được hỗ trợ.")),
    409: ("conflict", _l("Xung đột dữ liệu.")),
    413: ("too_large", _l("Dữ liệu gửi lên quá lớn.")),
    414: ("uri_too_long", _l("Địa chỉ yêu cầu quá dài.")),
    415: ("unsupported_media_type", _l("Cần gửi dữ liệu JSON.")),
    422: ("invalid", _l("Dữ liệu không hợp lệ.")),
    429: ("too_many_requests", _l("Quá nhiều yêu cầu, vui lòng thử lại sau.")),
    500: ("server_error", _l("Lỗi máy chủ.")),
}


def http_error_response(exc: HTTPException):
    code, message = _HTTP_CODES.get(exc.code or 500, ("error", exc.name))
    return error_response(exc.code or 500, code, str(message))


def register_error_handlers(blueprint) -> None:
    @blueprint.errorhandler(ApiError)
    def handle_api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, **exc.extra)

    @blueprint.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        return http_error_response(exc)
