"""``reportprobe.permit`` (field "Xây dựng", 3 working days, transferable to an office) and ``reportprobe.notice``
(field "Văn hóa", 1 working day)."""

from __future__ import annotations

from datetime import date

from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

from core.plugins import Procedure, ProcedureVersion, ProcessingTime, hookimpl


class ProbeForm(Form):
    subject = StringField("Nội dung", [DataRequired(), Length(max=200)])


PROCEDURES = [
    Procedure(key="reportprobe.permit", national_code="9.100001", name="Cấp phép xây dựng thử", field="Xây dựng",
              versions=(ProcedureVersion("1", date(2018, 1, 1), "Thử nghiệm", ProcessingTime(3, "working_days")),),
              form_class=ProbeForm, transfer_to_kind="office"),
    Procedure(key="reportprobe.notice", national_code="9.100002", name="Thông báo văn hóa thử", field="Văn hóa",
              versions=(ProcedureVersion("1", date(2018, 1, 1), "Thử nghiệm", ProcessingTime(1, "working_days")),),
              form_class=ProbeForm),
]


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def route_dossier(procedure, data, receiving_unit):
    """A subject "@<slug> …" routes the dossier at reception to that unit (as land first registrations are routed to
    the parcel's commune)."""
    subject = str(data.get("subject") or "")
    return subject[1:].split()[0] if subject.startswith("@") else None
