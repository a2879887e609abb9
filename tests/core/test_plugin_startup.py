"""What start-up refuses or records about a plugin, with a clear message: a name that is a core URL segment
(KIT-10), a core version it does not support (KIT-12), a malformed permission (KIT-13); start-up hooks go through
pluggy, so ``MOTCUA_TRACE_PLUGINS`` sees them (KIT-11)."""

from __future__ import annotations

import logging
import sys
import textwrap

import pytest

import plugins as plugins_package
from core import create_app
from core.config import ConfigError
from core.version import __version__ as CORE_VERSION


@pytest.fixture
def write_plugin(monkeypatch, tmp_path):
    folder = tmp_path / "startup_plugins"
    folder.mkdir()
    monkeypatch.setattr(plugins_package, "__path__", [*plugins_package.__path__, str(folder)])
    written = []

    def write(name: str, hooks: str = "", **info) -> str:
        package = folder / name
        package.mkdir()
        fields = ", ".join(f"{k}={v!r}" for k, v in {"name": name, "title": "Thử", **info}.items())
        (package / "__init__.py").write_text(f"from core.plugins import PluginInfo\nINFO = PluginInfo({fields})\n")
        (package / "hooks.py").write_text("from core.plugins import hookimpl\n" + textwrap.dedent(hooks))
        written.append(name)
        return name

    yield write
    for name in written:
        for module in [m for m in sys.modules if m == f"plugins.{name}" or m.startswith(f"plugins.{name}.")]:
            del sys.modules[module]


def _app(database_url, *names, **extra):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "INSTALLED_PLUGINS": names,
                       "LOAD_ENTRYPOINT_PLUGINS": False, **extra})


# --- KIT-10 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "reports", "dossiers", "admin"])
def test_a_plugin_named_like_a_core_page_is_refused(database_url, write_plugin, name):
    write_plugin(name)
    with pytest.raises(ConfigError, match=rf"Plugin '{name}' cannot be installed: '{name}' is already a path"):
        _app(database_url, name)


def test_an_ordinary_name_is_accepted(database_url, write_plugin):
    app = _app(database_url, write_plugin("ho_kinh_doanh"))
    assert "ho_kinh_doanh" in app.extensions["motcua"].plugins


# --- KIT-12 ---------------------------------------------------------------------------------------------------------


def test_a_plugin_for_another_core_version_is_refused(database_url, write_plugin):
    write_plugin("tuonglai", core_versions=">=99")
    with pytest.raises(ConfigError) as refused:
        _app(database_url, "tuonglai")
    message = str(refused.value)
    assert "Plugin 'tuonglai' 0.1.0 supports Một Cửa core >=99" in message
    assert f"this is core {CORE_VERSION}" in message


def test_a_plugin_for_this_core_version_loads(database_url, write_plugin):
    major = CORE_VERSION.split(".")[0]
    app = _app(database_url, write_plugin("hientai", core_versions=f">={major},<{int(major) + 1}"))
    assert app.extensions["motcua"].plugins["hientai"].info.core_versions.startswith(">=")


def test_a_malformed_version_specifier_is_refused(database_url, write_plugin):
    write_plugin("saiphienban", core_versions="phiên bản 1")
    with pytest.raises(ConfigError, match="not a version specifier"):
        _app(database_url, "saiphienban")


def test_builtin_plugins_declare_the_core_versions_they_support(app):
    for name, loaded in app.extensions["motcua"].plugins.items():
        assert loaded.info.core_versions, f"{name} does not declare core_versions"


# --- KIT-13: declared permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("declared, message", [
    ({"books": {"leader"}}, "must start with 'quyenthu.'"),
    ({"quyenthu.books": {"chief"}}, "names unknown roles ['chief']"),
])
def test_malformed_permissions_are_refused(database_url, write_plugin, declared, message):
    write_plugin("quyenthu", f"@hookimpl\ndef register_permissions():\n    return {declared!r}\n")
    with pytest.raises(ConfigError) as refused:
        _app(database_url, "quyenthu")
    assert message in str(refused.value)


def test_a_blueprint_asking_an_undeclared_permission_is_refused(database_url, write_plugin):
    write_plugin("trangthu", '''
        from flask import Blueprint

        from core.plugins.api import require_permission

        pages = require_permission(Blueprint("trangthu_pages", __name__), "trangthu.books")


        @hookimpl
        def register_blueprints():
            return [pages]
    ''')
    with pytest.raises(ConfigError, match="asks the unknown permission 'trangthu.books'"):
        _app(database_url, "trangthu")


# --- KIT-11 ---------------------------------------------------------------------------------------------------------


def test_start_up_hooks_go_through_pluggy_and_are_traced(database_url, write_plugin, caplog):
    write_plugin("vetthu", '''
        @hookimpl
        def register_unit_settings():
            return {"late_fee": 8000}
    ''')
    with caplog.at_level(logging.INFO, logger="motcua.plugins"):
        app = _app(database_url, "vetthu", TRACE_PLUGINS=True)
    assert app.extensions["motcua"].unit_settings["vetthu"] == {"late_fee": 8000}
    traced = [r.getMessage() for r in caplog.records if r.name == "motcua.plugins"]
    assert "hook register_unit_settings() -> vetthu" in traced
    assert "hook register_unit_settings returned [{'late_fee': 8000}]" in traced


def test_without_the_switch_nothing_is_traced(database_url, write_plugin, caplog):
    write_plugin("khongvet")
    with caplog.at_level(logging.INFO, logger="motcua.plugins"):
        _app(database_url, "khongvet")
    assert not [r for r in caplog.records if r.name == "motcua.plugins"]


def test_the_trace_switch_is_read_from_the_environment(monkeypatch, tmp_path):
    from core.config import load_config

    monkeypatch.setenv("MOTCUA_TRACE_PLUGINS", "1")
    assert load_config(str(tmp_path))["TRACE_PLUGINS"] is True
    monkeypatch.setenv("MOTCUA_TRACE_PLUGINS", "0")
    assert load_config(str(tmp_path))["TRACE_PLUGINS"] is False
