"""Hooks of the test plugin: ``lifetest.permit`` (3 working days, fee 50 000 đ), a veto on approval of a dossier
whose subject is "veto", and a history-driven data update on approval."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.plugins import Procedure, ProcedureVersion, ProcessingTime, Step, Veto, hookimpl


class PermitForm(Form):
    subject = StringField(_l("Nội dung đề nghị"), [DataRequired(_l("Trường này là bắt buộc.")), Length(max=200)])
    area = IntegerField(_l("Diện tích"), [Optional(), NumberRange(min=1, message=_l("Phải lớn hơn 0."))])


PROCEDURES = [
    Procedure(
        key="lifetest.permit", national_code="9.000001", name="Cấp phép thử nghiệm", field="Thử nghiệm",
        versions=(ProcedureVersion("1", date(2018, 1, 1), "Văn bản thử nghiệm", ProcessingTime(3, "working_days")),),
        form_class=PermitForm, fee=lambda data, context: 50000, transfer_to_kind="office",
        steps=(Step("site_visit", "Khảo sát thực địa", 2, "working_days"),),
    ),
]


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def check_transition(dossier, action, actor, arguments):
    if action == "approve" and (dossier.data or {}).get("subject") == "veto":
        return Veto("Hồ sơ thử nghiệm bị plugin từ chối phê duyệt.", code="lifetest_veto")
    return None


@hookimpl
def on_dossier_event(dossier, event):
    if event.action == "approve":
        return {"approved_by_plugin": True}
    return None
