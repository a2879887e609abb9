"""Fixtures of the documents tests: a commune desk with its staff, and dossiers built through the services."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.dossiers.clock import VN_TZ

PROCEDURE = "civil_status.birth_registration"
APPLICANT = {"full_name": "Nguyễn Thị Hoà", "id_number": "027190001234", "phone": "0912345678",
             "address": "Thôn Đông Sơn, xã Hoàn Sơn, tỉnh Bắc Ninh", "email": "hoa.nguyen@example.vn"}


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def birth_data(born: date) -> dict:
    return {"child_full_name": "Trần Minh Khôi", "child_sex": "male", "child_birth_date": born.isoformat(),
            "birth_place": "Trạm y tế xã Hoàn Sơn", "mother_full_name": "Nguyễn Thị Hoà",
            "father_full_name": "Trần Văn Đức"}


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace collapsed (lines break anywhere in a long title)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def html_text(body: str) -> str:
    """The visible text of an HTML page, whitespace collapsed and entities resolved."""
    import html

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@dataclass
class Desk:
    """The commune Hoàn Sơn with a reception officer, a specialist and a leader; a second commune Liên Bão."""

    app: object
    factory: object
    slug: str = "xa-hoan-son"

    def user(self, username: str):
        from core.extensions import db
        from core.users.models import User

        return db.session.scalar(select(User).where(User.username == username))

    def receive(self, when: datetime, channel: str = "counter", applicant: dict | None = None,
                born: date | None = None, unit: str | None = None, officer: str = "le.tiep.nhan") -> str:
        """Create a dossier through the services at ``when``; returns its code."""
        from core.dossiers import services
        from core.tenancy.services import get_unit_or_none

        with self.app.test_request_context():  # services translate texts (the locale needs a request)
            actor = None if channel == "online" else self.user(officer)
            outcome = services.create_dossier(get_unit_or_none(unit or self.slug), PROCEDURE, channel,
                                              dict(applicant or APPLICANT), birth_data(born or when.date()), actor,
                                              now=when)
            return outcome.dossier.code

    def act(self, code: str, username: str, action: str, when: datetime, **arguments) -> None:
        from core.dossiers import services
        from core.dossiers.models import Dossier
        from core.extensions import db

        with self.app.test_request_context():  # services translate texts (the locale needs a request)
            dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
            services.perform_action(self.user(username), dossier, action, arguments, now=when)

    def full_life(self, when: datetime) -> str:
        """Received, assigned, submitted, sent back, resubmitted, approved and returned, all on one day."""
        code = self.receive(when)
        day = when.date()
        self.act(code, "le.tiep.nhan", "assign", vn(day.year, day.month, day.day, 9, 30), assignee="tran.chuyen.vien")
        self.act(code, "tran.chuyen.vien", "submit_for_approval", vn(day.year, day.month, day.day, 10, 15))
        self.act(code, "pham.lanh.dao", "send_back", vn(day.year, day.month, day.day, 10, 40),
                 reason="Sai tên nơi sinh")
        self.act(code, "tran.chuyen.vien", "submit_for_approval", vn(day.year, day.month, day.day, 11, 0))
        self.act(code, "pham.lanh.dao", "approve", vn(day.year, day.month, day.day, 14, 5))
        self.act(code, "le.tiep.nhan", "return_result", vn(day.year, day.month, day.day, 16, 20),
                 received_by="Nguyễn Thị Hoà")
        return code

    def dossier(self, code: str):
        from core.dossiers.models import Dossier
        from core.extensions import db

        return db.session.scalar(select(Dossier).where(Dossier.code == code))


@pytest.fixture
def desk(app, factory) -> Desk:
    factory.commune("xa-hoan-son", name="Xã Hoàn Sơn", agency_code="000.00.27.H04")
    factory.commune("xa-lien-bao", name="Xã Liên Bão", agency_code="000.00.27.H05")
    factory.user("le.tiep.nhan", ("reception", "xa-hoan-son"), full_name="Lê Thị Tiếp")
    factory.user("tran.chuyen.vien", ("specialist", "xa-hoan-son"), full_name="Trần Văn Chuyên")
    factory.user("pham.lanh.dao", ("leader", "xa-hoan-son"), full_name="Phạm Quốc Đạo")
    factory.user("vu.lien.bao", ("reception", "xa-lien-bao"), ("specialist", "xa-lien-bao"),
                 full_name="Vũ Văn Bão")
    return Desk(app, factory)


def document_url(code: str, form: str, unit: str = "xa-hoan-son") -> str:
    return f"/{unit}/dossiers/{code}/documents/{form}"


@pytest.fixture
def officer(client, desk):
    """The test client logged in as the reception officer of Hoàn Sơn."""
    desk.factory.login(client, "le.tiep.nhan")
    return client
