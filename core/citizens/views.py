"""Citizen sign-in with VNeID (OpenID Connect) and the citizen's area "Hồ sơ của tôi"."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.citizens import oidc
from core.citizens.session import current_citizen, sign_in, sign_out
from core.dossiers import papers, public
from core.dossiers.models import Dossier
from core.dossiers.results import results_json
from core.dossiers.services import ServiceError
from core.extensions import db
from core.officer.common import install_template_helpers
from core.plugins.manager import get_procedure
from core.plugins.types import translate
from core.portal import papers as submission_papers

bp = Blueprint("citizens", __name__)
NEXT_KEY = "citizen_next"


def register(app: Flask) -> None:
    install_template_helpers(app)
    oidc.init_app(app)
    app.register_blueprint(bp)

    @app.context_processor
    def inject_citizen():
        # Only pages that ask (the portal's layout) touch the database for it: a lazy call, not a value.
        return {"current_citizen": current_citizen}


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    ok = not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
    return target if ok and "\\" not in target else None


def _callback_url() -> str:
    """Where the provider sends the citizen back: PUBLIC_BASE_URL when set (production requires it), never a forged
    Host header's address."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    return base + url_for("citizens.callback")


ERRORS = {
    "state": (400, _l("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại từ đầu.")),
    "token": (400, _l("Không xác thực được thông tin đăng nhập nhận từ VNeID. Vui lòng đăng nhập lại.")),
    "denied": (400, _l("Ông/bà đã không đồng ý chia sẻ thông tin định danh, nên chưa đăng nhập được.")),
    "identity": (400, _l("Tài khoản định danh điện tử không cung cấp đủ họ tên và số định danh cá nhân (12 chữ số).")),
    "provider": (502, _l("Không kết nối được với hệ thống định danh điện tử VNeID. Vui lòng thử lại sau ít phút.")),
}


def _error_page(kind: str):
    status, message = ERRORS[kind]
    return render_template("citizens/signin.html", error=str(message), next=session.get(NEXT_KEY)), status


@bp.get("/dang-nhap-vneid")
def sign_in_page():
    if current_citizen() is not None:
        return redirect(_safe_next(request.args.get("next")) or url_for("citizens.mine"))
    return render_template("citizens/signin.html", next=_safe_next(request.args.get("next")), error=None)


@bp.get("/dang-nhap-vneid/bat-dau")
def start():
    if not oidc.enabled():
        return redirect(url_for("citizens.sign_in_page"))
    session[NEXT_KEY] = _safe_next(request.args.get("next")) or url_for("citizens.mine")
    try:
        return oidc.start(_callback_url())
    except oidc.SignInError as exc:
        current_app.logger.warning("VNeID sign-in could not start: %s", exc)
        return _error_page(exc.kind)


@bp.get("/dang-nhap-vneid/ket-qua")
def callback():
    if not oidc.enabled():
        abort(404)
    try:
        identity = oidc.finish()
    except oidc.SignInError as exc:
        current_app.logger.warning("VNeID sign-in refused: %s", exc)
        return _error_page(exc.kind)
    sign_in(current_app.config["VNEID_ISSUER"].rstrip("/"), identity)
    flash(_("Đã đăng nhập bằng tài khoản định danh điện tử: %(name)s.", name=identity.full_name), "success")
    return redirect(_safe_next(session.pop(NEXT_KEY, None)) or url_for("citizens.mine"))


@bp.post("/dang-xuat-vneid")
def sign_out_view():
    sign_out()
    flash(_("Ông/bà đã đăng xuất khỏi tài khoản định danh điện tử."), "info")
    return redirect(url_for("portal.index"))


def _signed_in():
    citizen = current_citizen()
    if citizen is None:
        abort(redirect(url_for("citizens.sign_in_page", next=request.full_path.rstrip("?"))))
    return citizen


@bp.get("/ho-so-cua-toi")
def mine():
    citizen = _signed_in()
    # Every unit of the deployment: the citizen's own dossiers, wherever they were filed (matched by the personal
    # ID number the applicant gave), and nobody else's.
    dossiers = db.session.scalars(select(Dossier).where(Dossier.applicant_id_number == citizen.id_number)
                                  .order_by(Dossier.created_at.desc(), Dossier.id.desc()).limit(200)).all()
    rows = [{"dossier": d, "procedure": get_procedure(d.procedure_key), "results": results_json(d)} for d in dossiers]
    return render_template("citizens/mine.html", citizen=citizen, rows=rows)


def _my_dossier_or_404(citizen, code: str) -> Dossier:
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code[:64],
                                                      Dossier.applicant_id_number == citizen.id_number))
    if dossier is None:
        abort(404)
    return dossier


def _my_dossier_page(citizen, dossier: Dossier, errors: dict | None = None, status: int = 200, **form_state):
    return render_template("citizens/dossier.html", citizen=citizen, dossier=dossier,
                           result=public.tracking_json(dossier), errors=errors or {}, **form_state), status


@bp.get("/ho-so-cua-toi/<code>")
def my_dossier(code: str):
    citizen = _signed_in()
    return _my_dossier_page(citizen, _my_dossier_or_404(citizen, code))


@bp.post("/ho-so-cua-toi/<code>/bo-sung")
def upload_paper(code: str):
    """The signed-in applicant uploads a paper asked for in a supplement request (core.dossiers.papers)."""
    citizen = _signed_in()
    dossier = _my_dossier_or_404(citizen, code)
    raw = (request.form.get("document") or "").strip()[:10]
    index = submission_papers.posted_index()
    if index is None:
        return _my_dossier_page(citizen, dossier, {"upload": _("Chọn giấy tờ cần nộp bổ sung.")}, 422)
    uploader = papers.Applicant(proof="vneid", id_number=citizen.id_number, name=citizen.full_name)
    try:
        outcome = papers.attach_paper(uploader, dossier, index, request.files.getlist("file"))
    except ServiceError as exc:
        message = str((exc.fields or {}).get("file") or exc.message)
        return _my_dossier_page(citizen, dossier, {"upload": message}, exc.status, upload_document=raw)
    flash(_("Đã nộp bổ sung: %(name)s.", name=translate(outcome.document.name)), "success")
    return redirect(url_for("citizens.my_dossier", code=dossier.code))
