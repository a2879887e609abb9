"""The plugin system: contract tests over every installed plugin, per-unit enablement, `flask plugins list`.

A disabled plugin is silent for runtime hooks, absent from the unit's catalogue, and its pages answer 404; a tiny
throwaway plugin (procedure, blueprint, form extension, dashboard widget) shows it through HTTP.
"""

from __future__ import annotations

import re
from datetime import date
from importlib.metadata import entry_points

import pytest

from core.catalog.forms import describe_fields
from core.config import DEFAULT_PLUGINS
from core.plugins import PluginInfo, Procedure, ProcessingTime, Widget, hooks_for
from core.plugins.manager import ENTRY_POINT_GROUP
from core.tenancy.services import get_unit_or_none
from core.testing import throwaway_plugin

INSTALLED = sorted(set(DEFAULT_PLUGINS) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})
NATIONAL_CODE_RE = re.compile(r"^\d\.\d{6}$")
TIME_UNITS = {"working_days", "working_hours", "same_day"}
DOCUMENT_KINDS = {"original", "copy", "certified_copy", "present"}


# --- contract tests over every installed plugin -----------------------------------------------------------------


def _procedures_of(app, name: str) -> list[Procedure]:
    return [p for p in app.extensions["motcua"].procedures.values() if p.plugin == name]


@pytest.mark.parametrize("name", INSTALLED)
def test_plugin_declares_info(app, name):
    loaded = app.extensions["motcua"].plugins[name]
    info = loaded.info
    assert isinstance(info, PluginInfo)
    assert info.name == name
    assert info.title.strip()
    assert re.match(r"^\d+\.\d+(\.\d+)?", info.version), info.version
    assert loaded.hooks.__name__.endswith(".hooks")


@pytest.mark.parametrize("name", INSTALLED)
def test_procedures_are_keyed_and_versioned(app, name):
    for procedure in _procedures_of(app, name):
        assert procedure.key.startswith(f"{name}.")
        assert re.match(rf"^{name}\.[a-z][a-z0-9_]*$", procedure.key), procedure.key
        assert NATIONAL_CODE_RE.match(procedure.national_code), (procedure.key, procedure.national_code)
        assert procedure.name.strip() and procedure.field.strip()
        assert procedure.versions, procedure.key
        labels = [v.version for v in procedure.versions]
        assert len(labels) == len(set(labels)), f"{procedure.key}: duplicate version labels"
        effective = [v.effective_from for v in procedure.versions]
        assert len(effective) == len(set(effective)), f"{procedure.key}: two versions in force from the same day"
        for version in procedure.versions:
            assert isinstance(version.effective_from, date)
            assert version.legal_basis.strip()
            assert isinstance(version.processing_time, ProcessingTime)
            assert version.processing_time.unit in TIME_UNITS
            assert version.processing_time.value >= 0
        assert procedure.version_at(date(2100, 1, 1)) in procedure.versions


@pytest.mark.parametrize("name", INSTALLED)
def test_procedure_forms_instantiate_and_describe_themselves(app, name):
    with app.test_request_context():
        for procedure in _procedures_of(app, name):
            form = procedure.form_class(meta={"csrf": False})
            fields = describe_fields(form)
            assert fields, f"{procedure.key}: the form has no fields"
            for field in fields:
                assert field["label"].strip(), (procedure.key, field["name"])
                assert field["type"]


@pytest.mark.parametrize("name", INSTALLED)
def test_procedure_documents_and_fees_are_well_formed(app, name):
    for procedure in _procedures_of(app, name):
        for document in procedure.required_documents:
            assert document.name.strip()
            assert document.kind in DOCUMENT_KINDS, (procedure.key, document.kind)
            assert document.count >= 1
        assert procedure.fee is None or callable(procedure.fee)
        assert procedure.rules is None or callable(procedure.rules)
        assert procedure.transfer_to_kind in (None, "province", "district", "commune", "office")


@pytest.mark.parametrize("name", INSTALLED)
def test_unit_settings_have_typed_defaults(app, name):
    settings = app.extensions["motcua"].unit_settings.get(name, {})
    for key, default in settings.items():
        assert re.match(r"^[a-z][a-z0-9_]*$", key), key
        assert isinstance(default, (str, int, float, bool)), (key, default)


@pytest.mark.parametrize("name", INSTALLED)
def test_plugin_answers_no_runtime_hook_for_a_unit_that_has_not_enabled_it(app, factory, name):
    factory.commune("xa-khong", plugins=())
    with app.test_request_context():
        unit = get_unit_or_none("xa-khong")
        hooks = hooks_for(unit)
        for procedure in app.extensions["motcua"].procedures.values():
            assert hooks.extend_dossier_form(procedure=procedure) == []
        assert hooks.dashboard_widgets(unit=unit, user=None) == []


# --- a tiny plugin with everything -----------------------------------------------------------------------------

TINY = "tinyplug"
TINY_HOOKS = '''
from datetime import date

from flask import Blueprint
from wtforms import Form, SelectField, StringField
from wtforms.validators import DataRequired

from core.plugins import Procedure, ProcedureVersion, ProcessingTime, Widget, hookimpl
from core.plugins.api import mark_public

pages = mark_public(Blueprint("tinyplug_pages", __name__))  # a greeting anyone may read


@pages.get("/hello")
def hello(unit_slug):
    return f"Xin chào {unit_slug}"


class RequestForm(Form):
    subject = StringField("Nội dung", [DataRequired()])
    urgency = SelectField("Mức độ", choices=[("normal", "Thường"), ("urgent", "Khẩn")])


@hookimpl
def register_procedures():
    version = ProcedureVersion("1", date(2020, 1, 1), "Văn bản thử", ProcessingTime(2))
    return [Procedure(key="tinyplug.request", national_code="1.888888", name="Đề nghị nhỏ", field="Thử",
                      versions=(version,), form_class=RequestForm)]


@hookimpl
def register_blueprints():
    return [pages]


@hookimpl
def extend_dossier_form(procedure):
    return [("tinyplug_note", StringField("Ghi chú thêm"))]


@hookimpl
def dashboard_widgets(unit, user):
    return [Widget(title="Tiny", value=unit.slug)]
'''


@pytest.fixture(scope="module")
def _tiny_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("tiny_plugins"), TINY, 'Plugin nhỏ', TINY_HOOKS, version='0.3.0'):
        yield


APPLICANT = {"full_name": "Vũ Thị Hoa", "id_number": "001203004006", "phone": "0987654321", "address": "Xóm Trại"}


@pytest.mark.app_config(INSTALLED_PLUGINS=(*DEFAULT_PLUGINS, TINY))
class TestEnablement:
    @pytest.fixture
    def app(self, _tiny_plugin, app):
        """The usual app, built once the tiny plugin is importable."""
        return app

    @pytest.fixture
    def units(self, factory):
        factory.district("huyen")
        factory.commune("xa-bat", parent="huyen", plugins=("civil_status", TINY))
        factory.commune("xa-tat", parent="huyen", plugins=("civil_status", TINY))
        factory.set_plugin("xa-tat", TINY, enabled=False)  # listed, but disabled
        factory.commune("xa-khong", parent="huyen", plugins=("civil_status",))  # never listed

    def test_the_same_plugin_module_serves_several_apps(self, app, database_url):
        """Each test builds a new app with the same imported plugin module: its blueprint must register again."""
        from core import create_app

        other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                            "INSTALLED_PLUGINS": (*DEFAULT_PLUGINS, TINY)})
        rules = {r.rule for r in other.url_map.iter_rules()}
        assert "/<unit_slug>/tinyplug/hello" in rules

    def test_pages_answer_only_where_enabled(self, client, units):
        response = client.get("/xa-bat/tinyplug/hello")
        assert response.status_code == 200
        assert response.get_data(as_text=True) == "Xin chào xa-bat"
        for slug in ("xa-tat", "xa-khong", "xa-khong-ton-tai"):
            response = client.get(f"/{slug}/tinyplug/hello")
            assert response.status_code == 404, slug
            assert response.content_type.startswith("text/html")

    def test_enabling_takes_effect_without_restart(self, client, factory, units):
        assert client.get("/xa-tat/tinyplug/hello").status_code == 404
        factory.set_plugin("xa-tat", TINY, enabled=True)
        assert client.get("/xa-tat/tinyplug/hello").status_code == 200
        factory.set_plugin("xa-tat", TINY, enabled=False)
        assert client.get("/xa-tat/tinyplug/hello").status_code == 404

    def test_disabled_plugin_vanishes_from_the_catalogue(self, client, units):
        def procedures(slug):
            response = client.get(f"/api/v1/units/{slug}/procedures")
            assert response.status_code == 200
            return {p["key"]: p for p in response.get_json()["procedures"]}

        enabled = procedures("xa-bat")
        assert "tinyplug.request" in enabled
        assert [f["name"] for f in enabled["tinyplug.request"]["fields"]] == ["subject", "urgency", "tinyplug_note"]
        # The form extension reaches another plugin's procedure only where the extending plugin is enabled.
        assert "tinyplug_note" in [f["name"] for f in enabled["civil_status.birth_registration"]["fields"]]
        for slug in ("xa-tat", "xa-khong"):
            disabled = procedures(slug)
            assert "tinyplug.request" not in disabled
            assert "tinyplug_note" not in [f["name"] for f in disabled["civil_status.birth_registration"]["fields"]]

    def test_units_list_shows_enabled_fields(self, client, units):
        units_by_slug = {u["slug"]: u for u in client.get("/api/v1/units").get_json()["units"]}
        assert units_by_slug["xa-bat"]["fields"] == ["civil_status", TINY]
        assert units_by_slug["xa-tat"]["fields"] == ["civil_status"]
        assert units_by_slug["xa-khong"]["fields"] == ["civil_status"]

    def test_disabled_plugin_is_silent_for_runtime_hooks(self, app, units):
        with app.test_request_context():
            on = get_unit_or_none("xa-bat")
            off = get_unit_or_none("xa-tat")
            assert hooks_for(on).dashboard_widgets(unit=on, user=None) == [[Widget(title="Tiny", value="xa-bat")]]
            assert hooks_for(off).dashboard_widgets(unit=off, user=None) == []
            procedure = app.extensions["motcua"].procedures["civil_status.birth_registration"]
            assert len(hooks_for(on).extend_dossier_form(procedure=procedure)) == 1
            assert hooks_for(off).extend_dossier_form(procedure=procedure) == []
            # Core's own defaults answer everywhere.
            assert hooks_for(off).route_dossier(procedure=procedure, data={}, receiving_unit=off) is None

    def test_existing_dossiers_stay_readable_after_disabling(self, client, factory, units):
        factory.user("xa-tat.tiepnhan", ("reception", "xa-tat"))
        factory.set_plugin("xa-tat", TINY, enabled=True)
        headers = factory.token(client, "xa-tat.tiepnhan")
        payload = {"procedure": "tinyplug.request", "channel": "counter", "applicant": APPLICANT,
                   "data": {"subject": "Xin xác nhận", "urgency": "urgent"}}
        created = client.post("/api/v1/units/xa-tat/dossiers", headers=headers, json=payload)
        assert created.status_code == 201, created.get_json()
        code = created.get_json()["code"]

        factory.set_plugin("xa-tat", TINY, enabled=False)
        response = client.get(f"/api/v1/dossiers/{code}", headers=headers)
        assert response.status_code == 200
        assert response.get_json()["code"] == code
        refused = client.post("/api/v1/units/xa-tat/dossiers", headers=headers, json=payload)
        assert refused.status_code == 404
        assert refused.get_json()["error"]["code"] == "procedure_not_offered"

    def test_plugins_list(self, runner, units):
        result = runner.invoke(args=["plugins", "list"])
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        start = lines.index("tinyplug 0.3.0 (builtin) — Plugin nhỏ")
        assert lines[start + 1] == ("  hooks: dashboard_widgets, extend_dossier_form, register_blueprints, "
                                    "register_procedures")
        assert lines[start + 2] == "  procedures: tinyplug.request"
        assert lines[start + 3] == "  enabled for: xa-bat"
        civil = lines.index("civil_status 1.0.0 (builtin) — Hộ tịch")
        assert lines[civil + 3] == "  enabled for: xa-bat, xa-khong, xa-tat"
        for name in INSTALLED:
            assert any(line.startswith(f"{name} ") for line in lines), name

    def test_plugins_list_for_one_unit(self, runner, units):
        result = runner.invoke(args=["plugins", "list", "--unit", "xa-tat"])
        assert result.exit_code == 0, result.output
        assert "  xa-tat: disabled" in result.output.split("tinyplug 0.3.0")[1].splitlines()[3]
        assert "  xa-tat: enabled" in result.output.split("civil_status 1.0.0")[1].splitlines()[3]
        assert "enabled for:" not in result.output

    def test_plugins_list_unknown_unit(self, runner, units):
        result = runner.invoke(args=["plugins", "list", "--unit", "xa-khong-ton-tai"])
        assert result.exit_code == 1
        assert "No unit 'xa-khong-ton-tai'." in result.output

