"""Notifications to the applicant, written to the outbox in the dossier's own transaction."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _

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


def message_for(dossier, event) -> str | None:
    """The Vietnamese text for an event that concerns the citizen, or None."""
    with force_locale("vi"):
        code = dossier.code
        texts = {
            "submit": _("Hồ sơ %(code)s đã được nộp trực tuyến, đang chờ tiếp nhận.", code=code),
            "receive": _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s.", code=code,
                         due=short_moment(dossier.due_at)),
            "refuse": (_("Hồ sơ %(code)s không đủ điều kiện giải quyết. Lý do: %(reason)s", code=code,
                         reason=event.note) if event.from_status == "in_progress"
                       else _("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s", code=code, reason=event.note)),
            "request_supplement": _supplement_text(code, event),
            "supplement_received": _supplement_received_text(code, event),
            "reschedule": _("Hồ sơ %(code)s: lịch làm việc thay đổi, hẹn trả kết quả mới: %(due)s.", code=code,
                            due=short_moment(dossier.due_at)),
            "request_payment": _("Hồ sơ %(code)s: vui lòng thực hiện nghĩa vụ tài chính %(amount)s đồng.", code=code,
                                 amount=number(event.payload.get("amount", 0))),
            "transfer": _("Hồ sơ %(code)s đã được chuyển liên thông đến đơn vị có thẩm quyền.", code=code),
            "approve": _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận kết quả.", code=code),
            "apologize": _("Xin lỗi ông/bà: hồ sơ %(code)s chậm trả kết quả. Lý do: %(reason)s. Hẹn lại: %(due)s.",
                           code=code, reason=event.note, due=short_moment(dossier.extended_due_at)),
            "request_withdrawal": _("Đã nhận yêu cầu rút hồ sơ %(code)s. Bộ phận một cửa sẽ thông báo việc dừng "
                                    "giải quyết.", code=code),
            "withdraw": _("Hồ sơ %(code)s đã dừng xử lý theo yêu cầu rút hồ sơ.", code=code),
            "return_result": _("Hồ sơ %(code)s đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng.", code=code),
        }
        text = texts.get(event.action)
        if text is None:
            return None
        return f"{text} {_('Tra cứu')}: {tracking_url(code)}"


def notify_applicant(dossier, event) -> list[Outbox]:
    """Queue an SMS (and an e-mail when the applicant gave one) in the current transaction."""
    from core.extensions import db

    body = message_for(dossier, event)
    if body is None:
        return []
    rows = []
    with force_locale("vi"):
        subject = _("Một Cửa: hồ sơ %(code)s", code=dossier.code)
    targets = [("sms", dossier.applicant_phone)]
    if dossier.applicant_email:
        targets.append(("email", dossier.applicant_email))
    for channel, recipient in targets:
        row = Outbox(dossier_id=dossier.id, unit_id=dossier.competent_unit_id, created_at=event.at,
                     kind=event.action, channel=channel, recipient=recipient, subject=subject, body=body)
        db.session.add(row)
        rows.append(row)
    return rows
