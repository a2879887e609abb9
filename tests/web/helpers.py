"""Test data shared by the page tests and the browser tests (everything goes through the services)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

BIRTH = "civil_status.birth_registration"
APPLICANT = {"full_name": "Nguyễn Văn Bình", "id_number": "027090001234", "phone": "0912345678",
             "address": "Thôn Đông, xã An Bình", "email": ""}


def birth_data(**overrides) -> dict:
    data = {"child_full_name": "Nguyễn Thị Hoa", "child_sex": "female",
            "child_birth_date": (date.today() - timedelta(days=3)).isoformat(), "birth_place": "Trạm y tế xã An Bình",
            "mother_full_name": "Trần Thị Mai", "father_full_name": "Nguyễn Văn Bình"}
    data.update(overrides)
    return data


def counter_form_data(applicant: dict | None = None, data: dict | None = None, documents=tuple(range(12)), do="receive",
                      reason: str = "") -> dict:
    """What the counter page posts (every required document ticked unless told otherwise)."""
    posted = {f"applicant-{k}": v for k, v in (applicant or APPLICANT).items()}
    posted.update(data if data is not None else birth_data())
    posted["counter-documents"] = [str(i) for i in documents]
    posted["counter-reason"] = reason
    posted["do"] = do
    return posted


def build_desk(app, factory) -> SimpleNamespace:
    """District huyen-test with communes xa-a and xa-b (every plugin on) and their staff."""
    factory.district("huyen-test", name="Huyện Thử Nghiệm")
    factory.commune("xa-a", parent="huyen-test", name="Xã An Bình")
    factory.commune("xa-b", parent="huyen-test", name="Xã Bình Minh")
    factory.user("a.tiepnhan", ("reception", "xa-a"), full_name="Lê Thị Tiếp")
    factory.user("a.chuyenvien", ("specialist", "xa-a"), full_name="Phạm Văn Chuyên")
    factory.user("a.lanhdao", ("leader", "xa-a"), full_name="Hoàng Văn Lãnh")
    factory.user("a.admin", ("unit_admin", "xa-a"), full_name="Quản Trị Xã A")
    factory.user("b.tiepnhan", ("reception", "xa-b"), full_name="Đỗ Thị Bình")
    factory.user("multi", ("reception", "xa-a"), ("reception", "xa-b"), full_name="Cán Bộ Hai Xã")
    factory.user("huyen.admin", ("district_admin", "huyen-test"), full_name="Quản Trị Huyện")
    return SimpleNamespace(app=app, factory=factory)


def make_dossier(app, unit_slug: str = "xa-a", username: str | None = "a.tiepnhan", channel: str = "counter",
                 procedure: str = BIRTH, applicant: dict | None = None, data: dict | None = None, now=None) -> str:
    """Create a dossier through services.create_dossier; returns its code."""
    from sqlalchemy import select

    from core.dossiers import services
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none
    from core.users.models import User

    if data is None and procedure == BIRTH:
        born = (now.date() if now else date.today()) - timedelta(days=3)
        data = birth_data(child_birth_date=born.isoformat())
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username)) if username else None
        outcome = services.create_dossier(get_unit_or_none(unit_slug), procedure, channel, applicant or APPLICANT,
                                          data, user, now=now)
        code = outcome.dossier.code
        db.session.remove()
    return code


def act(app, code: str, username: str, action: str, now=None, **arguments) -> str:
    """Perform a workflow action through services.perform_action; returns the new status."""
    from sqlalchemy import select

    from core.dossiers import services
    from core.extensions import db
    from core.users.models import User

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        dossier = services.get_for_user(user, code)
        status = services.perform_action(user, dossier, action, arguments, now=now).status
        db.session.remove()
    return status


def dossier_state(app, code: str) -> SimpleNamespace:
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        d = db.session.scalar(select(Dossier).where(Dossier.code == code))
        state = SimpleNamespace(status=d.status, step=d.step, channel=d.channel, version=d.version,
                                assignee=d.assignee.username if d.assignee else None, fee=d.fee,
                                events=[e.action for e in d.events], applicant_name=d.applicant_name)
        db.session.remove()
    return state
