"""Shared set-up of the field-plugin tests: a small deployment, its officers, and API helpers.

``deployment`` builds a district with two communes (``xa-a``, ``xa-b``: every built-in plugin), one commune without
land (``xa-c``) and the district's land registration office (``vpdk``: land only), with a reception clerk, a specialist
and a leader on each. ``Api`` wraps the JSON endpoints the tests use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

VN = ZoneInfo("Asia/Ho_Chi_Minh")

APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678",
             "address": "Thôn Đông, xã A", "email": "an@example.vn"}


def today() -> date:
    """Today in Vietnam (the date the services use for rules)."""
    return datetime.now(VN).date()


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


def years_ago(n: int, extra_days: int = 0) -> str:
    """The date ``n`` years before today (29 Feb → 28 Feb), shifted by ``extra_days``."""
    t = today()
    try:
        d = t.replace(year=t.year - n)
    except ValueError:
        d = t.replace(year=t.year - n, day=28)
    return (d + timedelta(days=extra_days)).isoformat()


@dataclass
class Api:
    """JSON API calls as one officer (``headers``) or as a citizen (no headers)."""

    client: object
    tokens: dict = field(default_factory=dict)
    factory: object = None

    def headers(self, username: str | None) -> dict:
        if username is None:
            return {}
        if username not in self.tokens:
            self.tokens[username] = self.factory.token(self.client, username)
        return self.tokens[username]

    def create(self, unit: str, procedure: str, data: dict, as_user: str | None = None, channel: str = "counter",
               applicant: dict | None = None):
        body = {"procedure": procedure, "channel": channel, "applicant": applicant or APPLICANT, "data": data}
        return self.client.post(f"/api/v1/units/{unit}/dossiers", json=body, headers=self.headers(as_user))

    def act(self, code: str, action: str, as_user: str, **arguments):
        return self.client.post(f"/api/v1/dossiers/{code}/actions", json={"action": action, **arguments},
                                headers=self.headers(as_user))

    def get(self, code: str, as_user: str):
        return self.client.get(f"/api/v1/dossiers/{code}", headers=self.headers(as_user))

    def ok(self, response, status: int = 200) -> dict:
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def receive(self, unit: str, procedure: str, data: dict, as_user: str | None = None) -> dict:
        """Receive at the counter; returns the dossier JSON (asserts 201)."""
        return self.ok(self.create(unit, procedure, data, as_user or f"recv.{unit}"), 201)

    def to_result(self, code: str, unit: str) -> dict:
        """assign → submit_for_approval → approve by the officers of ``unit``; returns the dossier JSON."""
        self.ok(self.act(code, "assign", f"recv.{unit}", assignee=f"spec.{unit}"))
        self.ok(self.act(code, "submit_for_approval", f"spec.{unit}"))
        return self.ok(self.act(code, "approve", f"lead.{unit}"))


UNITS = ("xa-a", "xa-b", "xa-c", "vpdk")


@pytest.fixture
def deployment(factory):
    factory.district("huyen-test")
    factory.commune("xa-a", parent="huyen-test", plugins=("civil_status", "land", "social_welfare"),
                    name="Xã An Bình")
    factory.commune("xa-b", parent="huyen-test", plugins=("civil_status", "land", "social_welfare"),
                    name="Xã Bình Minh")
    factory.commune("xa-c", parent="huyen-test", plugins=("civil_status", "social_welfare"), name="Xã Cảnh Hưng")
    factory.unit("vpdk", kind="office", parent="huyen-test", plugins=("land",),
                 name="Chi nhánh Văn phòng đăng ký đất đai huyện Test")
    for slug in UNITS:
        factory.user(f"recv.{slug}", ("reception", slug))
        factory.user(f"spec.{slug}", ("specialist", slug))
        factory.user(f"lead.{slug}", ("leader", slug))
    return UNITS


@pytest.fixture
def api(client, factory, deployment) -> Api:
    return Api(client=client, factory=factory)


def load(app, code: str):
    """The dossier row (detached-safe: call inside ``with app.app_context()``)."""
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db

    return db.session.scalar(select(Dossier).where(Dossier.code == code))


def render_document(app, code: str, key: str, pdf: bool = False) -> str:
    """The printable HTML of result document ``key`` of dossier ``code``, built by core/documents.

    With ``pdf=True`` the PDF is drawn too, and the fragment must go through fpdf2's HTML layout (core's plain-text
    fallback for markup fpdf2 cannot lay out is made to fail the test).
    """
    from core.documents import build_document, render_html, render_pdf

    with app.test_request_context():
        dossier = load(app, code)
        document = build_document(dossier, key)
        assert document is not None, f"{key} is not available for {code} ({dossier.status})"
        if pdf:
            import core.documents.pdf as pdf_module

            def no_fallback(markup):
                raise AssertionError(f"fpdf2 could not lay out the body of {key}")

            original, pdf_module._plain = pdf_module._plain, no_fallback
            try:
                assert render_pdf(document).startswith(b"%PDF")
            finally:
                pdf_module._plain = original
        return render_html(document, code=code)


def print_document(client, factory, unit: str, code: str, key: str, pdf: bool = False):
    """GET the document page as the unit's leader (session login), as an officer would print it."""
    factory.login(client, f"lead.{unit}")
    response = client.get(f"/{unit}/dossiers/{code}/documents/{key}{'.pdf' if pdf else ''}")
    client.post("/logout")
    return response
