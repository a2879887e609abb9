"""The merge of a unit into another from the administration pages (core.merging.merge, as `flask units apply`
does from the unit files): a district or province administrator over both units chooses the successor and the
day, reads what will move, then confirms. Registered on the admin blueprint by core.admin.views."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import Form, SelectField
from wtforms.validators import DataRequired

from core.admin.views import _render, _scope, _scoped_unit, bp
from core.catalog.fields import DayFirstDateField
from core.merging.merge import MergeError, carry_out, plan_merge
from core.tenancy.loader import merge_is_due


class MergeForm(Form):
    successor = SelectField(_l("Sáp nhập vào đơn vị"), [DataRequired(_l("Chọn đơn vị nhận sáp nhập."))], choices=[])
    merged_on = DayFirstDateField(_l("Ngày sáp nhập có hiệu lực"),
                                  [DataRequired(_l("Nhập ngày theo dạng ngày/tháng/năm."))])


@bp.route("/don-vi/<target>/sap-nhap", methods=["GET", "POST"])
@login_required
def merge_unit(unit_slug: str, target: str):
    scope = _scope(unit_slug)
    old = _scoped_unit(scope, target)
    if not scope.district or old.id == scope.unit.id or not old.active:
        abort(403)
    candidates = [u for u in scope.units() if u.active and u.id != old.id and u.kind == old.kind]
    form = MergeForm(request.form if request.method == "POST" else None)
    form.successor.choices = [("", "")] + [(u.slug, u.name) for u in candidates]
    plan = None
    if request.method == "POST" and form.validate():
        new = next(u for u in candidates if u.slug == form.successor.data)
        if not merge_is_due(form.merged_on.data):
            form.merged_on.errors = [_("Chỉ thực hiện sáp nhập từ ngày có hiệu lực trở đi.")]
        else:
            try:
                if request.form.get("confirm") == "1":
                    done = carry_out(old, new, form.merged_on.data, actor=current_user._get_current_object())
                    flash(_("Đã sáp nhập %(old)s vào %(new)s: %(n)s hồ sơ đang giải quyết đã chuyển sang.",
                            old=done.old.name, new=done.new.name, n=len(done.dossiers)), "success")
                    return redirect(url_for("admin.units", unit_slug=scope.unit.slug))
                plan = plan_merge(old, new, form.merged_on.data)
            except MergeError as exc:
                form.successor.errors = [str(exc)]
    status = 422 if request.method == "POST" and plan is None else 200
    return _render("admin/unit_merge.html", scope, status, form=form, target=old, plan=plan)
