"""District administration under /<unit_slug>/admin.

A district_admin (a role on the district or above) manages the district and every unit below it: units, the plugins
each unit enables with their settings, staff and roles, the holiday and make-up-day calendar, and sees every commune's
queue. A unit_admin manages its own unit only (no new units, no global calendar days, no district roles). Every change
goes through ``core.admin.services``, which records who did it and when in the change log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from core.admin import calendar_info, changelog, forms
from core.admin import services as admin
from core.db_types import utcnow
from core.dossiers import workflow
from core.dossiers.clock import VN_TZ
from core.dossiers.models import CalendarDay, Dossier
from core.extensions import db
from core.officer.actions import ROLE_LABELS
from core.officer.common import install_template_helpers, load_unit
from core.plugins.manager import host
from core.plugins.types import translate
from core.tenancy.models import ChangeLog, Unit, UnitPlugin
from core.tenancy.services import descendant_ids
from core.users.models import ROLES, Membership, User
from core.users.permissions import can
from core.validators import fold

bp = Blueprint("admin", __name__, url_prefix="/<unit_slug>/admin")

CHANGE_LABELS = {
    "unit.create": _l("Tạo đơn vị"), "unit.update": _l("Sửa thông tin đơn vị"),
    "unit.deactivate": _l("Ngừng hoạt động"),
    "unit.activate": _l("Hoạt động trở lại"), "unit.merge": _l("Sáp nhập đơn vị"),
    "plugin.enable": _l("Bật lĩnh vực"), "plugin.disable": _l("Tắt lĩnh vực"),
    "plugin.settings": _l("Đổi thiết lập lĩnh vực"), "user.create": _l("Tạo tài khoản"),
    "user.update": _l("Sửa tài khoản"), "role.grant": _l("Cấp vai trò"), "role.revoke": _l("Thu hồi vai trò"),
    "calendar.add": _l("Thêm ngày vào lịch"), "calendar.delete": _l("Xóa ngày khỏi lịch"),
    "evaluation.self": _l("Tự chấm điểm đánh giá"), "evaluation.appraisal": _l("Thẩm định điểm đánh giá"),
    "national_portal.resend": _l("Gửi lại hồ sơ lên Cổng Dịch vụ công quốc gia"),
}


def register(app: Flask) -> None:
    install_template_helpers(app)
    app.register_blueprint(bp)


@dataclass
class AdminScope:
    """What the current user may administer from the unit of the URL."""

    unit: Unit
    district: bool  # district_admin powers
    unit_ids: set[int]
    system: bool = False  # district_admin of a root unit (the province): may change what applies to every unit


    def units(self) -> list[Unit]:
        rows = db.session.scalars(select(Unit).where(Unit.id.in_(self.unit_ids))).all()
        return sorted(rows, key=lambda u: (u.id != self.unit.id, u.kind != "district", u.kind, u.name))

    def has(self, unit: Unit) -> bool:
        return unit.id in self.unit_ids

    def grantable_roles(self) -> list[str]:
        return [r for r in ROLES if self.district or r != "district_admin"]

    def may_edit_user(self, user: User) -> bool:
        return bool(user.memberships) and all(m.unit_id in self.unit_ids for m in user.memberships)


def _scope(unit_slug: str) -> AdminScope:
    unit = load_unit(unit_slug, active_only=False)
    user = current_user._get_current_object()
    if can(user, "district.admin", unit):
        # System-wide rows (calendar days of every unit, their change log) belong to the top of the tree only: a
        # district admin must not move the legal due dates of another district (SEC-04).
        system = any(m.role == "district_admin" and m.unit.parent_id is None
                     for m in current_user.memberships)
        return AdminScope(unit, True, descendant_ids({unit.id}), system)
    if can(user, "unit.admin", unit) and unit.active:
        return AdminScope(unit, False, {unit.id})
    abort(403)


def _actor():
    return admin.actor_of(current_user._get_current_object())


def _scoped_unit(scope: AdminScope, slug: str) -> Unit:
    unit = load_unit(slug, active_only=False)
    if not scope.has(unit):
        abort(404)
    return unit


@bp.context_processor
def _admin_globals():
    return {"role_labels": ROLE_LABELS, "kind_labels": forms.KIND_LABELS}


def report_links(unit) -> dict:
    """The dashboard, the report and its downloads of ``unit`` (DAY-26)."""
    return {"dashboard": url_for("reports.dashboard", unit_slug=unit.slug),
            "report": url_for("reports.report", unit_slug=unit.slug),
            "export": url_for("reports.report", unit_slug=unit.slug, _anchor="downloads")}


def _render(template: str, scope: AdminScope, status: int = 200, **context):
    works_here = can(current_user._get_current_object(), "queue.view", scope.unit)
    return render_template(template, scope=scope, unit=scope.unit, works_here=works_here,
                           report_links=report_links(scope.unit), **context), status


# --- overview --------------------------------------------------------------------------------------------------------


@bp.get("", endpoint="index")
@login_required
def index(unit_slug: str):
    scope = _scope(unit_slug)
    now = utcnow()
    local = now.astimezone(VN_TZ)
    today = datetime.combine(local.date(), datetime.min.time(), tzinfo=VN_TZ)
    ids = list(scope.unit_ids)

    def grouped(column, *conditions) -> dict[int, int]:
        rows = db.session.execute(select(column, func.count()).where(column.in_(ids), *conditions).group_by(column))
        return {key: value for key, value in rows.all()}

    received = grouped(Dossier.receiving_unit_id, Dossier.received_at >= today, Dossier.received_at < today
                       + timedelta(days=1))
    online = grouped(Dossier.receiving_unit_id, Dossier.status == "submitted")
    in_progress = grouped(Dossier.competent_unit_id, Dossier.status.in_(workflow.CLOCK_STATES))
    overdue = grouped(Dossier.competent_unit_id, Dossier.status.in_(workflow.RUNNING_STATES), Dossier.due_at < now)
    rows = [{"unit": u, "received": received.get(u.id, 0), "online": online.get(u.id, 0),
             "in_progress": in_progress.get(u.id, 0), "overdue": overdue.get(u.id, 0)}
            for u in scope.units() if u.kind in ("commune", "office")]
    totals = {k: sum(r[k] for r in rows) for k in ("received", "online", "in_progress", "overdue")}
    return _render("admin/index.html", scope, rows=rows, totals=totals, today=local.date())


# --- units -----------------------------------------------------------------------------------------------------------


def _parent_choices(scope: AdminScope) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in scope.units() if u.kind in ("province", "district")]


def _kind_choices(scope: AdminScope) -> list[tuple[str, str]]:
    kinds = ("commune", "office", "district") if scope.district else ()
    return [(k, str(forms.KIND_LABELS[k])) for k in kinds]


@bp.get("/don-vi")
@login_required
def units(unit_slug: str):
    scope = _scope(unit_slug)
    plugin_names = host().plugin_names()
    enabled = {}
    for row in db.session.scalars(select(UnitPlugin).where(UnitPlugin.unit_id.in_(scope.unit_ids))):
        if row.enabled:
            enabled.setdefault(row.unit_id, []).append(row.plugin)
    return _render("admin/units.html", scope, units=scope.units(), enabled=enabled, plugin_names=plugin_names,
                   titles={n: host().plugins[n].info.title for n in plugin_names})


@bp.route("/don-vi/moi", methods=["GET", "POST"])
@login_required
def new_unit(unit_slug: str):
    scope = _scope(unit_slug)
    if not scope.district:
        abort(403)
    form = forms.NewUnitForm(request.form if request.method == "POST" else None)
    form.parent_id.choices = _parent_choices(scope)
    form.kind.choices = _kind_choices(scope)
    if request.method == "GET":
        form.parent_id.data = scope.unit.id
        form.kind.data = "commune"
    if request.method == "POST" and form.validate():
        values = {name: form[name].data for name in admin.UNIT_FIELDS}
        values["documents"] = _document_values(form)
        try:
            created = admin.create_unit(_actor(), form.slug.data, values)
        except admin.AdminError as exc:
            form[exc.field].errors = [exc.message]
        else:
            flash(_("Đã tạo đơn vị %(name)s. Hãy bật các lĩnh vực cho đơn vị.", name=created.name), "success")
            return redirect(url_for("admin.unit_plugins", unit_slug=scope.unit.slug, target=created.slug))
    return _render("admin/unit_form.html", scope, 422 if request.method == "POST" else 200, form=form, target=None)


@bp.route("/don-vi/<target>", methods=["GET", "POST"])
@login_required
def edit_unit(unit_slug: str, target: str):
    scope = _scope(unit_slug)
    unit = _scoped_unit(scope, target)
    form = forms.UnitForm(request.form if request.method == "POST" else None, obj=unit)
    parents = _parent_choices(scope)
    if unit.parent_id is not None and unit.parent_id not in {p[0] for p in parents}:
        parents.insert(0, (unit.parent_id, unit.parent.name))
    form.parent_id.choices = [p for p in parents if p[0] != unit.id]
    if unit.id == scope.unit.id or not scope.district:
        # The admin's own unit, or a unit admin: kind and place in the tree stay as they are.
        del form.kind
        del form.parent_id
    else:
        form.kind.choices = _kind_choices(scope)
    if request.method == "GET":
        for key, value in admin.document_settings_of(unit).items():
            if f"doc_{key}" in form:
                form[f"doc_{key}"].data = value
    if request.method == "POST" and form.validate():
        values = {name: form[name].data for name in admin.UNIT_FIELDS if name in form}
        values["documents"] = _document_values(form)
        try:
            changed = admin.update_unit(_actor(), unit, values)
        except admin.AdminError as exc:
            form[exc.field].errors = [exc.message]
        else:
            flash(_("Đã lưu thông tin đơn vị.") if changed else _("Không có thay đổi nào."),
                  "success" if changed else "info")
            return redirect(url_for("admin.units", unit_slug=scope.unit.slug))
    return _render("admin/unit_form.html", scope, 422 if request.method == "POST" else 200, form=form, target=unit)


@bp.post("/don-vi/<target>/trang-thai")
@login_required
def unit_status(unit_slug: str, target: str):
    scope = _scope(unit_slug)
    unit = _scoped_unit(scope, target)
    if not scope.district or unit.id == scope.unit.id:
        abort(403)
    active = request.form.get("active") == "1"
    try:
        admin.set_unit_active(_actor(), unit, active)
    except admin.AdminError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.units", unit_slug=scope.unit.slug))
    flash(_("Đơn vị %(name)s đã hoạt động trở lại.", name=unit.name) if active
          else _("Đã ngừng hoạt động đơn vị %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin.units", unit_slug=scope.unit.slug))


# --- plugins per unit ------------------------------------------------------------------------------------------------


def _plugin_forms(unit: Unit, posted_plugin: str | None = None, formdata=None) -> list[tuple]:
    result = []
    rows = {p.plugin: p for p in unit.plugins}
    for name in host().plugin_names():
        row = rows.get(name)
        defaults = admin.plugin_defaults(name)
        form = forms.settings_form(name, defaults, dict(row.settings or {}) if row else {},
                                   bool(row and row.enabled), formdata if name == posted_plugin else None,
                                   info=host().unit_setting_info.get(name), offices=admin.office_choices(name))
        result.append((host().plugins[name].info, form, defaults))
    return result


@bp.get("/don-vi/<target>/linh-vuc")
@login_required
def unit_plugins(unit_slug: str, target: str):
    scope = _scope(unit_slug)
    unit = _scoped_unit(scope, target)
    return _render("admin/plugins.html", scope, target=unit, plugin_forms=_plugin_forms(unit))


@bp.post("/don-vi/<target>/linh-vuc/<plugin>")
@login_required
def set_plugin(unit_slug: str, target: str, plugin: str):
    scope = _scope(unit_slug)
    unit = _scoped_unit(scope, target)
    if plugin not in host().plugins:
        abort(404)
    plugin_forms = _plugin_forms(unit, plugin, request.form)
    _info, form, defaults = next(item for item in plugin_forms if item[0].name == plugin)
    if not form.validate():
        return _render("admin/plugins.html", scope, 422, target=unit, plugin_forms=plugin_forms)
    try:
        changed = admin.set_plugin(_actor(), unit, plugin, form.enabled.data, forms.settings_values(form, defaults))
    except admin.AdminError as exc:
        (form[exc.field] if exc.field in form else form.enabled).errors = [exc.message]
        return _render("admin/plugins.html", scope, 422, target=unit, plugin_forms=plugin_forms)
    title = translate(host().plugins[plugin].info.title)
    if "enabled" in changed:
        flash((_("Đã bật lĩnh vực %(title)s cho %(unit)s.", title=title, unit=unit.name) if form.enabled.data
               else _("Đã tắt lĩnh vực %(title)s cho %(unit)s.", title=title, unit=unit.name)), "success")
    elif changed:
        flash(_("Đã lưu thiết lập lĩnh vực %(title)s.", title=title), "success")
    else:
        flash(_("Không có thay đổi nào."), "info")
    return redirect(url_for("admin.unit_plugins", unit_slug=scope.unit.slug, target=unit.slug))


# --- staff -----------------------------------------------------------------------------------------------------------


def _staff(scope: AdminScope) -> list[User]:
    users = db.session.scalars(
        select(User).join(Membership).where(Membership.unit_id.in_(scope.unit_ids)).distinct()
    ).all()
    return sorted(users, key=lambda u: u.username)


def _document_values(form) -> dict:
    return {key: (form[f"doc_{key}"].data or "").strip() for key in admin.DOCUMENT_FIELDS}


def _unit_choices(scope: AdminScope) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in scope.units() if u.active]


@bp.get("/can-bo")
@login_required
def staff(unit_slug: str):
    scope = _scope(unit_slug)
    q = (request.args.get("q") or "").strip()[:100]
    everyone = _staff(scope)
    return _render("admin/staff.html", scope, users=_matching(everyone, q), q=q, total=len(everyone))


def _matching(users: list[User], q: str) -> list[User]:
    """Accounts whose user name, full name or unit contains every word of ``q`` (case and diacritics ignored)."""
    words = fold(q).split()
    if not words:
        return users

    def haystack(user: User) -> str:
        return fold(" ".join([user.username, user.full_name or "", *(m.unit.name for m in user.memberships)]))

    return [u for u in users if all(w in haystack(u) for w in words)]


@bp.route("/can-bo/moi", methods=["GET", "POST"])
@login_required
def new_user(unit_slug: str):
    scope = _scope(unit_slug)
    form = forms.NewUserForm(request.form if request.method == "POST" else None)
    form.unit_id.choices = _unit_choices(scope)
    form.role.choices = forms.role_choices(scope.grantable_roles())
    if request.method == "POST" and form.validate():
        unit = db.session.get(Unit, form.unit_id.data)
        try:
            admin.create_user(_actor(), form.username.data, form.full_name.data.strip(), form.password.data, unit,
                              form.role.data)
        except admin.AdminError as exc:
            form[exc.field].errors = [exc.message]
        else:
            flash(_("Đã tạo tài khoản %(username)s.", username=form.username.data), "success")
            return redirect(url_for("admin.staff", unit_slug=scope.unit.slug))
    return _render("admin/user_new.html", scope, 422 if request.method == "POST" else 200, form=form)


def _editable_user(scope: AdminScope, username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not scope.may_edit_user(user):
        abort(404)
    return user


def _user_page(scope: AdminScope, user: User, form=None, grant=None, status: int = 200):
    form = form or forms.EditUserForm(obj=user)
    if grant is None:
        grant = forms.GrantForm()
    grant.unit_id.choices = _unit_choices(scope)
    grant.role.choices = forms.role_choices(scope.grantable_roles())
    return _render("admin/user_edit.html", scope, status, user=user, form=form, grant=grant,
                   is_self=user.id == current_user.id)


@bp.route("/can-bo/<username>", methods=["GET", "POST"])
@login_required
def edit_user(unit_slug: str, username: str):
    scope = _scope(unit_slug)
    user = _editable_user(scope, username)
    if request.method == "GET":
        return _user_page(scope, user)
    form = forms.EditUserForm(request.form)
    if form.validate():
        if user.id == current_user.id and not form.active.data:
            form.active.errors = [_("Không thể tự khóa tài khoản của chính mình.")]
        else:
            changed = admin.update_user(_actor(), user, scope.unit.id, form.full_name.data.strip(), form.active.data,
                                        form.password.data or None)
            flash(_("Đã lưu tài khoản %(username)s.", username=user.username) if changed
                  else _("Không có thay đổi nào."), "success" if changed else "info")
            return redirect(url_for("admin.edit_user", unit_slug=scope.unit.slug, username=user.username))
    return _user_page(scope, user, form=form, status=422)


@bp.post("/can-bo/<username>/vai-tro")
@login_required
def grant_role(unit_slug: str, username: str):
    scope = _scope(unit_slug)
    user = _editable_user(scope, username)
    grant = forms.GrantForm(request.form)
    grant.unit_id.choices = _unit_choices(scope)
    grant.role.choices = forms.role_choices(scope.grantable_roles())
    if grant.validate():
        unit = db.session.get(Unit, grant.unit_id.data)
        try:
            admin.grant_role(_actor(), user, unit, grant.role.data)
        except admin.AdminError as exc:
            grant[exc.field].errors = [exc.message]
        else:
            flash(_("Đã cấp vai trò %(role)s tại %(unit)s.", role=ROLE_LABELS[grant.role.data], unit=unit.name),
                  "success")
            return redirect(url_for("admin.edit_user", unit_slug=scope.unit.slug, username=user.username))
    return _user_page(scope, user, grant=grant, status=422)


@bp.post("/can-bo/<username>/vai-tro/<int:membership_id>/xoa")
@login_required
def revoke_role(unit_slug: str, username: str, membership_id: int):
    scope = _scope(unit_slug)
    user = _editable_user(scope, username)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id or membership.unit_id not in scope.unit_ids:
        abort(404)
    if user.id == current_user.id and membership.role in ("district_admin", "unit_admin"):
        flash(_("Không thể tự thu hồi quyền quản trị của chính mình."), "error")
        return redirect(url_for("admin.edit_user", unit_slug=scope.unit.slug, username=user.username))
    if membership.role == "district_admin" and not scope.district:
        abort(403)
    admin.revoke_role(_actor(), membership)
    flash(_("Đã thu hồi vai trò."), "success")
    if not scope.may_edit_user(db.session.get(User, user.id)):
        return redirect(url_for("admin.staff", unit_slug=scope.unit.slug))
    return redirect(url_for("admin.edit_user", unit_slug=scope.unit.slug, username=user.username))


# --- calendar --------------------------------------------------------------------------------------------------------


def _calendar_rows(scope: AdminScope) -> list[CalendarDay]:
    condition = CalendarDay.unit_id.in_(scope.unit_ids)
    if scope.district:  # shown to every district admin (they apply there), changed only by the top admin
        condition = or_(condition, CalendarDay.unit_id.is_(None))
    return list(db.session.scalars(select(CalendarDay).where(condition).order_by(CalendarDay.day.desc())))


def _calendar_form(scope: AdminScope, formdata=None) -> forms.CalendarForm:
    form = forms.CalendarForm(formdata)
    choices = [(0, _("Mọi đơn vị (toàn hệ thống)"))] if scope.system else []
    form.unit_id.choices = choices + _unit_choices(scope)
    return form


@bp.route("/lich", methods=["GET", "POST"])
@login_required
def calendar(unit_slug: str):
    scope = _scope(unit_slug)
    form = _calendar_form(scope, request.form if request.method == "POST" else None)
    warning = None
    if request.method == "POST" and form.validate():
        unit = None
        if form.unit_id.data:
            unit = db.session.get(Unit, form.unit_id.data)
        # A likely mistake is saved only once the administrator confirms it (DAY-28).
        if not admin.calendar_clash(unit.id if unit else None, form.day.data):
            warning = calendar_info.add_warning(form.day.data, form.kind.data, unit.office_hours if unit else None)
        if warning is None or request.form.get("confirm") == "1":
            warning = None
            try:
                moved = admin.add_calendar_day(_actor(), unit, form.day.data, form.kind.data,
                                               (form.note.data or "").strip())
            except admin.AdminError as exc:
                form[exc.field].errors = [exc.message]
            else:
                flash(_("Đã thêm ngày %(day)s vào lịch.", day=form.day.data.strftime("%d/%m/%Y")), "success")
                _flash_moved(moved)
                return redirect(url_for("admin.calendar", unit_slug=scope.unit.slug))
    units = {u.id: u for u in scope.units()}
    today = utcnow().astimezone(VN_TZ).date()
    return _render("admin/calendar.html", scope, 422 if request.method == "POST" else 200, form=form,
                   rows=_calendar_rows(scope), units=units, warning=warning, weekday=calendar_info.weekday,
                   built_in=calendar_info.built_in_days([today.year, today.year + 1]))


def _flash_moved(moved: list[str]) -> None:
    if moved:
        flash(_("Đã tính lại hạn giải quyết của %(n)s hồ sơ đang mở: %(codes)s.", n=len(moved),
                codes=", ".join(moved[:10]) + (" …" if len(moved) > 10 else "")), "success")


def _own_row(scope: AdminScope, row_id: int) -> CalendarDay:
    row = db.session.get(CalendarDay, row_id)
    if row is None or not (row.unit_id in scope.unit_ids or (row.unit_id is None and scope.district)):
        abort(404)
    if row.unit_id is None and not scope.system:  # shown to district admins, changed by the top admin only
        abort(403)
    return row


@bp.get("/lich/<int:row_id>/xoa")
@login_required
def confirm_delete_day(unit_slug: str, row_id: int):
    """Deleting a day asks first: it may move the due dates of open dossiers."""
    scope = _scope(unit_slug)
    row = _own_row(scope, row_id)
    units = {u.id: u for u in scope.units()}
    return _render("admin/calendar_delete.html", scope, row=row, units=units, weekday=calendar_info.weekday)


@bp.post("/lich/<int:row_id>/xoa")
@login_required
def delete_day(unit_slug: str, row_id: int):
    scope = _scope(unit_slug)
    row = _own_row(scope, row_id)
    moved = admin.delete_calendar_day(_actor(), row)
    flash(_("Đã xóa ngày khỏi lịch."), "success")
    _flash_moved(moved)
    return redirect(url_for("admin.calendar", unit_slug=scope.unit.slug))


# --- change log ------------------------------------------------------------------------------------------------------


@bp.get("/nhat-ky")
@login_required
def change_log(unit_slug: str):
    scope = _scope(unit_slug)
    condition = ChangeLog.unit_id.in_(scope.unit_ids)
    if scope.system:
        condition = or_(condition, ChangeLog.unit_id.is_(None))
    rows = db.session.scalars(select(ChangeLog).where(condition).order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
                              .limit(200)).all()
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    return _render("admin/change_log.html", scope, rows=rows, units=units, labels=CHANGE_LABELS,
                   describe=changelog.Describer(units))


# --- access to personal data -----------------------------------------------------------------------------------------

ACCESS_LABELS = {
    "dossier.view": _l("Xem hồ sơ"), "dossier.search": _l("Tìm kiếm hồ sơ"),
    "attachment.list": _l("Xem danh sách tệp đính kèm"), "attachment.download": _l("Tải tệp đính kèm"),
    "document.print": _l("In giấy tờ"), "export.tracking_book": _l("Xuất sổ theo dõi hồ sơ"),
    "result.download": _l("Tải kết quả điện tử"), "result.lookup": _l("Tra cứu kết quả điện tử đã cấp"),
    "result.reuse": _l("Dùng lại kết quả điện tử đã cấp"),
}


@bp.get("/truy-cap")
@login_required
def access_log(unit_slug: str):
    """Who viewed, printed or exported personal data in the admin's units (core.accesslog), newest first."""
    from core.accesslog.models import AccessLog

    scope = _scope(unit_slug)
    query = select(AccessLog).where(AccessLog.unit_id.in_(scope.unit_ids))
    wanted = (request.args.get("q") or "").strip()[:100]
    if wanted:  # a dossier code or a username
        query = query.where(or_(AccessLog.target.startswith(wanted, autoescape=True),
                                AccessLog.username == wanted.lower()))
    rows = db.session.scalars(query.order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(500)).all()
    return _render("admin/access_log.html", scope, rows=rows, labels=ACCESS_LABELS, wanted=wanted)


from core.admin import merge_views  # noqa: E402,F401,I001  (registers the merge page on this blueprint)
from core.admin import national_portal_views  # noqa: E402,F401,I001  (the national portal's unsynced dossiers)
