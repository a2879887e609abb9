"""Routes of electronic results.

- ``GET /ket-qua/<code>/<key>.pdf``: the signed PDF, to whoever ``can_download_result`` lets in (officers of a unit
  on the dossier's path; the applicant signed in with VNeID); others 404; nobody signed in: the VNeID sign-in page.
- ``POST /api/v1/verify`` (body: the PDF, ``Content-Type: application/pdf``): the verdict as JSON.
- ``GET/POST /xac-thuc``: the same check by upload, for people; ``GET /xac-thuc/<sha256>``: the record behind a
  result's QR code (dossier code, document, unit, signer, time; nothing personal beyond what the receipt shows).
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from core.api import bp as api_bp
from core.api.errors import ApiError
from core.dossiers import services
from core.dossiers.results import (
    can_download_result,
    find_by_sha256,
    find_result,
    results_json,
    storage_key,
)
from core.extensions import configured_limit, db, limiter
from core.results.issue import on_action
from core.results.verify import PDF_MAGIC, verify_pdf
from core.storage import storage
from core.tenancy.models import Unit

log = logging.getLogger("motcua.results")

bp = Blueprint("results", __name__, template_folder="templates")


def register(app: Flask) -> None:
    services.on_action(on_action)
    app.register_blueprint(bp)
    app.add_template_global(results_json, "e_results")  # the officer's dossier page lists them


def current_downloader():
    """Who asks for a result: the signed-in officer, else the citizen signed in with VNeID, else None."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    from core.citizens.session import current_citizen

    return current_citizen()


def _max_bytes() -> int:
    return int(current_app.config.get("VERIFY_MAX_BYTES") or 10 * 1024 * 1024)


@bp.get("/ket-qua/<code>/<key>.pdf")
def download(code: str, key: str):
    who = current_downloader()
    if who is None:  # the link of the applicant's message: sign in with VNeID, then come back here
        return redirect(url_for("citizens.sign_in_page", next=request.full_path.rstrip("?")))
    result = find_result(code, key)
    if result is None or not can_download_result(who, result):
        abort(404)  # never say that a code exists elsewhere
    source = storage("results").download_source(storage_key(result.sha256))
    if source is None:
        log.error("result %s of %s: file %s is missing from the results storage", key, code, result.sha256)
        abort(404)
    response = send_file(source, mimetype="application/pdf", download_name=f"{key.replace('.', '-')}-{code}.pdf",
                         etag=result.sha256, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class _BadFile(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _check_bytes(data: bytes) -> bytes:
    if len(data) > _max_bytes():
        raise _BadFile(413, "too_large", _("Tệp quá lớn: tối đa %(size)s MB.", size=f"{_max_bytes() / 2**20:g}"))
    if not data:
        raise _BadFile(422, "empty", _("Tệp trống: gửi nội dung tệp PDF cần xác thực."))
    if not data.startswith(PDF_MAGIC):
        raise _BadFile(422, "not_pdf", _("Tệp không phải PDF."))
    return data


@api_bp.post("/verify")
@limiter.limit(configured_limit("VERIFY_RATE_LIMIT"))
def verify_api():
    if request.mimetype != "application/pdf":
        raise ApiError(415, "unsupported_media_type",
                       _("Gửi tệp PDF làm nội dung yêu cầu (Content-Type: application/pdf)."))
    if (request.content_length or 0) > _max_bytes():
        raise ApiError(413, "too_large", _("Tệp quá lớn: tối đa %(size)s MB.", size=f"{_max_bytes() / 2**20:g}"))
    try:
        data = _check_bytes(request.stream.read(_max_bytes() + 1))
    except _BadFile as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    return jsonify(verify_pdf(data))


@bp.route("/xac-thuc", methods=["GET", "POST"])
@limiter.limit(configured_limit("VERIFY_RATE_LIMIT"), methods=["POST"])
def verify_page():
    verdict, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error, status = _("Chọn tệp PDF kết quả điện tử cần xác thực."), 422
        else:
            try:
                verdict = verify_pdf(_check_bytes(upload.stream.read(_max_bytes() + 1)))
            except _BadFile as exc:
                error, status = exc.message, exc.status
    return render_template("results/verify.html", verdict=verdict, error=error, active="verify"), status


@bp.get("/xac-thuc/<sha256>")
def record(sha256: str):
    result = find_by_sha256(sha256)
    if result is None:
        abort(404)
    signing_unit = db.session.get(Unit, result.unit_id)
    return render_template("results/record.html", result=result, signing_unit=signing_unit, active="verify")
