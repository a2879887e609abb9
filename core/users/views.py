"""Login and logout pages (session login with Flask-Login)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from core.extensions import db
from core.users.security import authenticate, end_sessions
from core.users.throttle import login_throttled

bp = Blueprint("users", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Vui lòng nhập tên đăng nhập."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu."))])


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


def home_for(user) -> str:
    """Where an officer lands after login: the first unit they work on."""
    units = sorted((m.unit for m in user.memberships), key=lambda u: (u.kind != "commune", u.code))
    return url_for("officer.queues", unit_slug=units[0].slug) if units else "/"


@bp.route("/login", methods=["GET", "POST"])
@login_throttled
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        return render_template("users/login.html", form=form), 401
    return render_template("users/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # Every session and API token of the user ends, not only this browser's cookie (a copied cookie would live on).
    end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("users.login"))


@bp.get("/me")
def me():
    if not current_user.is_authenticated:
        return redirect(url_for("users.login"))
    return redirect(home_for(current_user))
