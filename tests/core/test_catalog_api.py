"""GET /healthz, GET /api/v1/units and GET /api/v1/units/<slug>/procedures: shapes, scoping to enabled plugins,
and JSON errors. A throwaway plugin declares a procedure whose form has one field of each kind."""

from __future__ import annotations

import pytest

from core import create_app
from core.testing import throwaway_plugin

PLUGIN = "catatest"
HOOKS = '''
from datetime import date, time

from wtforms import (BooleanField, DateField, Form, IntegerField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Optional

from core.plugins import Procedure, ProcedureVersion, ProcessingTime, RequiredDocument, hookimpl


class CertificateForm(Form):
    full_name = StringField("Họ và tên", [DataRequired()])
    birth_date = DateField("Ngày sinh", [InputRequired()])
    purpose = SelectField("Mục đích", choices=[("work", "Xin việc"), ("study", "Đi học")])
    copies = IntegerField("Số bản", [Optional()])
    urgent = BooleanField("Cần gấp")
    note = TextAreaField("Ghi chú")
    sex = RadioField("Giới tính", [DataRequired()], choices=[("male", "Nam"), ("female", "Nữ")])
    documents = SelectMultipleField("Giấy tờ kèm theo", choices=[("id", "CCCD"), ("photo", "Ảnh")])


class SimpleForm(Form):
    subject = StringField("Nội dung", [DataRequired()])


def _certificate():
    return Procedure(
        key="catatest.certificate", national_code="2.000123", name="Cấp giấy xác nhận", field="Chứng thực",
        versions=(
            ProcedureVersion("2018", date(2018, 1, 1), "Nghị định 61/2018/NĐ-CP", ProcessingTime(3),
                             "10.000 đồng/bản"),
            ProcedureVersion("2025", date(2025, 7, 1), "Nghị định 118/2025/NĐ-CP", ProcessingTime(2),
                             "8.000 đồng/bản"),
            ProcedureVersion("2100", date(2100, 1, 1), "Văn bản tương lai", ProcessingTime(1), "0 đồng"),
        ),
        form_class=CertificateForm,
        required_documents=(RequiredDocument("Tờ khai"), RequiredDocument("Bản sao CCCD", "copy", 2)),
        fee=lambda data, context: 8000, transfer_to_kind="office", order=20,
    )


def _same_day():
    return Procedure(
        key="catatest.same_day", national_code="2.000124", name="Xác nhận trong ngày", field="Chứng thực",
        versions=(ProcedureVersion("1", date(2020, 1, 1), "Luật thử", ProcessingTime(0, "same_day", time(15, 0))),),
        form_class=SimpleForm, order=10,
    )


@hookimpl
def register_procedures():
    return [_certificate(), _same_day()]
'''


@pytest.fixture(scope="module")
def _catatest_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("catalogue_plugins"), PLUGIN, 'Thử danh mục', HOOKS):
        yield


@pytest.fixture
def app(_catatest_plugin, app):
    """The usual app, built once the throwaway plugin is importable."""
    return app


pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status", PLUGIN))


@pytest.fixture
def units(factory):
    factory.unit("tinh", kind="province", plugins=(), code="27")
    factory.district("huyen", parent="tinh", code="260")
    factory.commune("xa-co", parent="huyen", plugins=(PLUGIN, "civil_status"), code="09319")
    factory.commune("xa-ho-tich", parent="huyen", plugins=("civil_status",), code="09322")
    factory.commune("xa-trong", parent="huyen", plugins=(), code="09325")
    factory.unit("vp", kind="office", parent="huyen", plugins=(), code="VP-260")


def assert_json_error(response, status, code):
    assert response.status_code == status
    assert response.content_type == "application/json"
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["code"] == code
    assert error["message"]
    assert error["fields"] == {}
    return error


# --- /healthz ----------------------------------------------------------------------------------------------------


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "uploads": "ok"}, "failed": []}


@pytest.mark.parametrize("url", [
    "sqlite:////nonexistent-motcua-folder/deeper/motcua.sqlite",
    "postgresql+psycopg://motcua:motcua@127.0.0.1:1/motcua?connect_timeout=2",
])
def test_healthz_503_when_the_database_is_unreachable(monkeypatch, tmp_path, url):
    monkeypatch.setenv("MOTCUA_INSTANCE", str(tmp_path / "instance"))
    broken = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    client = broken.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["failed"] == ["database"]
    # Still answering, not crashed: a second probe gives the same answer.
    assert client.get("/healthz").status_code == 503


def test_healthz_only_answers_get(client):
    assert_json_error(client.post("/healthz"), 405, "method_not_allowed")


# --- /api/v1/units -----------------------------------------------------------------------------------------------


def test_units_shape(client, units):
    response = client.get("/api/v1/units")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"units"}
    for unit in body["units"]:
        assert set(unit) == {"slug", "code", "name", "kind", "parent", "fields", "active", "successor"}
    by_slug = {u["slug"]: u for u in body["units"]}
    assert by_slug["tinh"] == {"slug": "tinh", "code": "27", "name": "Xã Tinh", "kind": "province", "parent": None,
                               "fields": [], "active": True, "successor": None}
    assert by_slug["xa-co"]["parent"] == "huyen"
    assert by_slug["xa-co"]["fields"] == ["catatest", "civil_status"]
    assert by_slug["xa-ho-tich"]["fields"] == ["civil_status"]
    assert by_slug["xa-trong"]["fields"] == []
    assert by_slug["vp"]["kind"] == "office"
    assert [u["code"] for u in body["units"]] == sorted(u["code"] for u in body["units"])


def test_units_empty(client):
    assert client.get("/api/v1/units").get_json() == {"units": []}


def test_inactive_unit_is_hidden(app, client, units):
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none

    with app.app_context():
        get_unit_or_none("xa-trong").active = False
        db.session.commit()
    assert "xa-trong" not in {u["slug"] for u in client.get("/api/v1/units").get_json()["units"]}
    assert_json_error(client.get("/api/v1/units/xa-trong/procedures"), 404, "not_found")


def test_plugin_of_a_unit_that_is_no_longer_installed_is_not_listed(client, factory, units):
    factory.set_plugin("xa-ho-tich", "retired_field", enabled=True)  # a row left by an uninstalled plugin
    by_slug = {u["slug"]: u for u in client.get("/api/v1/units").get_json()["units"]}
    assert by_slug["xa-ho-tich"]["fields"] == ["civil_status"]


# --- /api/v1/units/<slug>/procedures -----------------------------------------------------------------------------


def procedures(client, slug) -> list[dict]:
    response = client.get(f"/api/v1/units/{slug}/procedures")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"procedures"}
    return body["procedures"]


def test_procedure_shape(client, units):
    found = {p["key"]: p for p in procedures(client, "xa-co")}
    certificate = found["catatest.certificate"]
    assert {"key", "national_code", "name", "field", "processing_time", "fee", "required_documents",
            "fields"} <= set(certificate)
    assert certificate["national_code"] == "2.000123"
    assert certificate["name"] == "Cấp giấy xác nhận"
    assert certificate["field"] == "Chứng thực"
    # The version in force today: 2025 (the 2100 one is not yet, the 2018 one no longer).
    assert certificate["version"] == "2025"
    assert certificate["legal_basis"] == "Nghị định 118/2025/NĐ-CP"
    assert certificate["processing_time"] == {"value": 2, "unit": "working_days", "cutoff": None}
    assert certificate["fee"] == "8.000 đồng/bản"
    assert certificate["required_documents"] == [{"name": "Tờ khai", "kind": "original", "count": 1, "required": True},
                                                 {"name": "Bản sao CCCD", "kind": "copy", "count": 2,
                                                  "required": True}]
    assert certificate["transfer_to_kind"] == "office"
    assert certificate["fields"] == [
        {"name": "full_name", "label": "Họ và tên", "type": "string", "required": True, "choices": None},
        {"name": "birth_date", "label": "Ngày sinh", "type": "date", "required": True, "choices": None},
        {"name": "purpose", "label": "Mục đích", "type": "choice", "required": False,
         "choices": [{"value": "work", "label": "Xin việc"}, {"value": "study", "label": "Đi học"}]},
        {"name": "copies", "label": "Số bản", "type": "integer", "required": False, "choices": None},
        {"name": "urgent", "label": "Cần gấp", "type": "boolean", "required": False, "choices": None},
        {"name": "note", "label": "Ghi chú", "type": "text", "required": False, "choices": None},
        {"name": "sex", "label": "Giới tính", "type": "choice", "required": True,
         "choices": [{"value": "male", "label": "Nam"}, {"value": "female", "label": "Nữ"}]},
        {"name": "documents", "label": "Giấy tờ kèm theo", "type": "multiple_choice", "required": False,
         "choices": [{"value": "id", "label": "CCCD"}, {"value": "photo", "label": "Ảnh"}]},
    ]


def test_same_day_procedure_and_free_fee(client, units):
    found = {p["key"]: p for p in procedures(client, "xa-co")}
    same_day = found["catatest.same_day"]
    assert same_day["processing_time"] == {"value": 0, "unit": "same_day", "cutoff": "15:00"}
    assert same_day["fee"] == "Miễn phí"
    assert same_day["required_documents"] == []


def test_only_procedures_of_enabled_plugins(client, units):
    keys = [p["key"] for p in procedures(client, "xa-co")]
    assert "catatest.certificate" in keys and "catatest.same_day" in keys
    assert "civil_status.birth_registration" in keys
    only_civil = [p["key"] for p in procedures(client, "xa-ho-tich")]
    assert only_civil and all(k.startswith("civil_status.") for k in only_civil)
    assert procedures(client, "xa-trong") == []
    assert procedures(client, "huyen") == []


def test_catalogue_order_is_field_then_order(client, units):
    keys = [p["key"] for p in procedures(client, "xa-co") if p["plugin"] == PLUGIN]
    assert keys == ["catatest.same_day", "catatest.certificate"]  # same field: order 10 before 20


def test_disabling_a_plugin_removes_its_procedures_at_once(client, factory, units):
    factory.set_plugin("xa-co", PLUGIN, enabled=False)
    assert all(not p["key"].startswith("catatest.") for p in procedures(client, "xa-co"))


def test_unknown_unit_is_a_json_404(client, units):
    error = assert_json_error(client.get("/api/v1/units/khong-co/procedures"), 404, "not_found")
    assert error["message"] == "Không tìm thấy."


def test_unknown_api_path_and_method_are_json(client):
    assert_json_error(client.get("/api/v1/khong-co"), 404, "not_found")
    assert_json_error(client.post("/api/v1/units"), 405, "method_not_allowed")
    assert_json_error(client.delete("/api/v1/units/xa/procedures"), 405, "method_not_allowed")


def test_pages_outside_the_api_get_html_errors(client):
    response = client.get("/khong-co-trang-nay/that-su-khong")
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
