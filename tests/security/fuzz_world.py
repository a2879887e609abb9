"""A demo-like district for the generated-request runs (tests/core/test_openapi.py, tests/security/test_fuzz.py):
huyen-test with communes xa-a and xa-b (every plugin on), their staff, one officer ``fuzz.canbo`` who holds every
desk role on xa-a and administers the district, and dossiers in several states, so that generated requests reach
the code behind authentication and behind a real dossier code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.web.helpers import APPLICANT, act, birth_data, build_desk, make_dossier

OFFICER = "fuzz.canbo"
ROLES = ("reception", "specialist", "leader", "unit_admin")


@dataclass
class FuzzWorld:
    app: object
    unit: str
    district: str
    codes: list[str]
    phone: str
    calendar_day: int = 0
    token: str = ""
    tokens_issued: int = field(default=0)

    def fresh_token(self) -> str:
        """A new bearer token of the officer, minted directly (no password check: the run may revoke many)."""
        from sqlalchemy import select

        from core.extensions import db
        from core.users.models import User
        from core.users.security import issue_token

        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.username == OFFICER))
            token, _ = issue_token(user, 12)
            db.session.commit()
        self.tokens_issued += 1
        return token

    def repair(self) -> None:
        """Undo what a generated request may do to the run's own footing: the officer deactivated or stripped of a
        role, a unit deactivated, every token revoked (logout, password change). Then a fresh token."""
        from sqlalchemy import select

        from core.extensions import db
        from core.tenancy.models import Unit
        from core.tenancy.services import get_unit_or_none
        from core.users.models import Membership, User

        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.username == OFFICER))
            user.active = True
            held = {(m.role, m.unit_id) for m in user.memberships}
            unit, district = get_unit_or_none(self.unit), get_unit_or_none(self.district)
            wanted = [(role, unit.id) for role in ROLES] + [("district_admin", district.id)]
            for role, unit_id in wanted:
                if (role, unit_id) not in held:
                    user.memberships.append(Membership(unit_id=unit_id, role=role))
            for row in db.session.scalars(select(Unit).where(Unit.active.is_(False))):
                row.active = True
            db.session.commit()
        self.token = self.fresh_token()


def fuzz_world(app, client, factory) -> FuzzWorld:
    build_desk(app, factory)
    factory.user(OFFICER, *[(role, "xa-a") for role in ROLES], ("district_admin", "huyen-test"),
                 full_name="Cán Bộ Kiểm Thử")
    received = make_dossier(app)
    in_progress = make_dossier(app)
    act(app, in_progress, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    returned = make_dossier(app)
    act(app, returned, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(app, returned, "a.chuyenvien", "submit_for_approval")
    act(app, returned, "a.lanhdao", "approve")
    act(app, returned, "a.tiepnhan", "return_result", received_by="Nguyễn Văn Bình")
    online = make_dossier(app, username=None, channel="online")
    # A late birth registration has a fee: its pages carry the payment forms (tracking page, officer's dossier page).
    factory.set_plugin("xa-a", "vietqr", True, settings={"bank_bin": "970999", "account_number": "0123456789",
                                                         "account_name": "UBND XA AN BINH"})
    fee = make_dossier(app, data=birth_data(child_birth_date=(date.today() - timedelta(days=120)).isoformat()))
    # Its tracking page offers the applicant's upload of papers (only while a supplement is asked for).
    supplement = make_dossier(app)
    act(app, supplement, "a.tiepnhan", "request_supplement", reason="Thiếu giấy tờ",
        missing_documents=["Giấy chứng sinh"])
    world = FuzzWorld(app, "xa-a", "huyen-test", [received, in_progress, returned, online, supplement, fee],
                      APPLICANT["phone"])
    with app.app_context():
        from core.dossiers.models import CalendarDay
        from core.extensions import db
        from core.tenancy.services import get_unit_or_none

        day = CalendarDay(unit_id=get_unit_or_none("huyen-test").id, day=date(2030, 1, 2), kind="off", note="Thử")
        db.session.add(day)
        # A citizen signed in with VNeID in the crawling browser: the portal then shows the citizen's forms too.
        from core.citizens.models import Citizen

        citizen = Citizen(issuer="http://127.0.0.1:9", subject="fuzz", id_number=APPLICANT["id_number"],
                          full_name=APPLICANT["full_name"], phone=APPLICANT["phone"], address=APPLICANT["address"])
        db.session.add(citizen)
        db.session.commit()
        world.calendar_day = day.id
        with client.session_transaction() as session:
            session["citizen"] = citizen.session_id()
    world.token = world.fresh_token()
    return world
