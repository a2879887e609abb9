"""Notifications to the applicant, written to the outbox in the dossier's own transaction."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert

from core.formatting import number, short_moment
from core.notifications.models import Outbox


def public_base_url(from_request: bool = False) -> str:
    """The site's address for links given to citizens: ``PUBLIC_BASE_URL`` (required in production). Without it (in
    development only) printed papers may use the address the officer is browsing, but notifications never do: anyone
    can submit online with a forged Host header and have the official sender text the victim its link (SEC-07)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/")
    if from_request and has_request_context():
        return request.host_url.rstrip("/")
    return f"http://localhost:{current_app.config.get('PORT', 8000)}"


def tracking_url(code: str, from_request: bool = False) -> str:
    return f"{public_base_url(from_request)}/tra-cuu?code={code}"


def printed_tracking_url(code: str) -> str:
    """The tracking link printed on a paper (QR code) the officer hands over."""
    return tracking_url(code, from_request=True)


def _supplement_text(code: str, event) -> str:
    """What to bring, why, and whom to ask, as on Mẫu 02 (DAY-21)."""
    payload = event.payload or {}
    text = _("Hồ sơ %(code)s cần bổ sung: %(missing)s. Lý do: %(reason)s.", code=code,
             missing="; ".join(payload.get("missing_documents", [])), reason=event.note.rstrip(". "))
    contact = payload.get("contact") or {}
    if contact.get("officer") or contact.get("unit"):
        who = ", ".join(v for v in (contact.get("officer"), contact.get("unit")) if v)
        if contact.get("phone"):
            text += " " + _("Liên hệ: %(who)s, điện thoại %(phone)s.", who=who, phone=contact["phone"])
        else:
            text += " " + _("Liên hệ: %(who)s.", who=who)
    return text


def _supplement_received_text(code: str, event) -> str:
    new_due = _parse((event.payload or {}).get("new_due_at"))
    if new_due is None:
        return _("Hồ sơ %(code)s đã nhận đủ giấy tờ bổ sung và tiếp tục được giải quyết.", code=code)
    return _("Hồ sơ %(code)s đã nhận đủ giấy tờ bổ sung và tiếp tục được giải quyết. Hẹn trả kết quả mới: %(due)s.",
             code=code, due=short_moment(new_due))


def _parse(value):
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# The text of each history action that concerns the citizen. Only the event's own text is built (formatting a date
# or an amount costs a Babel lookup), in Vietnamese (``message_for``).
_TEXTS = {
    "submit": lambda code, dossier, event: _("Hồ sơ %(code)s đã được nộp trực tuyến, đang chờ tiếp nhận.",
                                             code=code),
    "receive": lambda code, dossier, event: _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s.",
                                              code=code, due=short_moment(dossier.due_at)),
    "refuse": lambda code, dossier, event: (
        _("Hồ sơ %(code)s không đủ điều kiện giải quyết. Lý do: %(reason)s", code=code, reason=event.note)
        if event.from_status == "in_progress"
        else _("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s", code=code, reason=event.note)),
    "request_supplement": lambda code, dossier, event: _supplement_text(code, event),
    "supplement_received": lambda code, dossier, event: _supplement_received_text(code, event),
    "reschedule": lambda code, dossier, event: _(
        "Hồ sơ %(code)s: lịch làm việc thay đổi, hẹn trả kết quả mới: %(due)s.", code=code,
        due=short_moment(dossier.due_at)),
    "request_payment": lambda code, dossier, event: _(
        "Hồ sơ %(code)s: vui lòng thực hiện nghĩa vụ tài chính %(amount)s đồng.", code=code,
        amount=number(event.payload.get("amount", 0))),
    "transfer": lambda code, dossier, event: _(
        "Hồ sơ %(code)s đã được chuyển liên thông đến đơn vị có thẩm quyền.", code=code),
    "approve": lambda code, dossier, event: _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận kết quả.",
                                              code=code),
    "apologize": lambda code, dossier, event: _(
        "Xin lỗi ông/bà: hồ sơ %(code)s chậm trả kết quả. Lý do: %(reason)s. Hẹn lại: %(due)s.", code=code,
        reason=event.note, due=short_moment(dossier.extended_due_at)),
    "request_withdrawal": lambda code, dossier, event: _(
        "Đã nhận yêu cầu rút hồ sơ %(code)s. Bộ phận một cửa sẽ thông báo việc dừng giải quyết.", code=code),
    "withdraw": lambda code, dossier, event: _("Hồ sơ %(code)s đã dừng xử lý theo yêu cầu rút hồ sơ.", code=code),
    "return_result": lambda code, dossier, event: _(
        "Hồ sơ %(code)s đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng.", code=code),
}


def message_for(dossier, event) -> str | None:
    """The Vietnamese text for an event that concerns the citizen, or None."""
    text_of = _TEXTS.get(event.action)
    if text_of is None:
        return None
    with force_locale("vi"):
        code = dossier.code
        return f"{text_of(code, dossier, event)} {_('Tra cứu')}: {tracking_url(code)}"


@cache  # built on first use (the mappers are configured by then), compiled once
def _insert_outbox():
    return insert(Outbox.__table__)


def notify_applicant(dossier, event) -> int:
    """Queue an SMS (and an e-mail when the applicant gave one) in the current transaction; returns how many.

    The dossier and the event are already written (the service flushed them): the rows are inserted at once, in one
    statement, instead of waiting as objects for the next flush (no other code changes them before they are sent)."""
    from core.extensions import db

    body = message_for(dossier, event)
    if body is None:
        return 0
    with force_locale("vi"):
        subject = _("Một Cửa: hồ sơ %(code)s", code=dossier.code)
    targets = [("sms", dossier.applicant_phone)]
    if dossier.applicant_email:
        targets.append(("email", dossier.applicant_email))
    rows = [{"dossier_id": dossier.id, "unit_id": dossier.competent_unit_id, "created_at": event.at,
             "kind": event.action, "channel": channel, "recipient": recipient, "subject": subject, "body": body}
            for channel, recipient in targets]
    db.session.connection().execute(_insert_outbox(), rows)
    return len(rows)
