"""The application factory and its configuration: secrets, database URL, plugin discovery failing fast."""

from __future__ import annotations

import stat
import sys
import textwrap
from pathlib import Path

import pluggy
import pytest

import plugins as plugins_package
from core import create_app
from core.config import DEFAULT_PLUGINS, ConfigError


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment: no settings inherited from the shell, instance/ in a temporary folder."""
    for name in ("SECRET_KEY", "DATABASE_URL", "MOTCUA_ENV", "MOTCUA_PLUGINS", "PORT", "UPLOAD_DIR",
                 "LOGIN_RATE_LIMIT", "API_TOKEN_HOURS", "COMMUNES_DIR"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("MOTCUA_INSTANCE", str(instance))
    monkeypatch.setenv("MOTCUA_ENTRYPOINT_PLUGINS", "0")
    return instance


@pytest.fixture
def temp_plugins(monkeypatch, tmp_path):
    """Write throwaway plugin packages under ``plugins.<name>`` (an extra folder on the package's path)."""
    folder = tmp_path / "extra_plugins"
    folder.mkdir()
    monkeypatch.setattr(plugins_package, "__path__", [*plugins_package.__path__, str(folder)])
    written: list[str] = []

    def write(name: str, hooks: str, info_name: str | None = None) -> str:
        package = folder / name
        package.mkdir()
        (package / "__init__.py").write_text(
            "from core.plugins import PluginInfo\n"
            f"INFO = PluginInfo(name={info_name or name!r}, title='Thử nghiệm', version='0.0.1')\n"
        )
        (package / "hooks.py").write_text(textwrap.dedent(hooks))
        written.append(name)
        return name

    yield write
    for name in written:
        for module in [m for m in sys.modules if m == f"plugins.{name}" or m.startswith(f"plugins.{name}.")]:
            del sys.modules[module]


PROCEDURE_HOOKS = """
    from datetime import date

    from wtforms import Form, StringField

    from core.plugins import Procedure, ProcedureVersion, ProcessingTime, hookimpl


    class DemoForm(Form):
        name = StringField("Họ tên")


    def _procedures():
        version = ProcedureVersion("1", date(2025, 7, 1), "Luật thử", ProcessingTime(3))
        return [Procedure(key={key!r}, national_code="1.000001", name="Thủ tục thử", field="Thử",
                          versions=(version,), form_class=DemoForm)]


    @hookimpl
    def register_procedures():
        return _procedures()
"""


def _config(database_url: str, **extra) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, **extra}


# --- SECRET_KEY --------------------------------------------------------------------------------------------------


def test_development_generates_secret_key_once_into_instance(env, database_url):
    app = create_app(_config(database_url))
    key_file = env / "secret_key"
    assert key_file.is_file()
    key = key_file.read_text().strip()
    assert app.config["SECRET_KEY"] == key
    assert len(key) >= 64  # 32 random bytes, hex
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by the service account only

    again = create_app(_config(database_url))
    assert again.config["SECRET_KEY"] == key  # reused: sessions survive a restart, every worker agrees
    assert key_file.read_text().strip() == key


def test_generated_key_is_not_shared_between_instances(env, database_url, monkeypatch, tmp_path):
    first = create_app(_config(database_url)).config["SECRET_KEY"]
    monkeypatch.setenv("MOTCUA_INSTANCE", str(tmp_path / "other-instance"))
    second = create_app(_config(database_url)).config["SECRET_KEY"]
    assert first != second


def test_session_cookie_survives_a_restart_with_the_generated_key(env, database_url, app, factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    before = create_app(_config(database_url, WTF_CSRF_ENABLED=False))
    client = before.test_client()
    factory.login(client, "xa-a.tiepnhan")
    cookie = client.get_cookie("session")
    assert cookie is not None

    after = create_app(_config(database_url, WTF_CSRF_ENABLED=False))  # "restart": a new app, same instance/
    restarted = after.test_client()
    restarted.set_cookie("session", cookie.value)
    assert restarted.get("/me").location != "/login"  # still logged in
    stranger = create_app(_config(database_url, SECRET_KEY="another-key")).test_client()
    stranger.set_cookie("session", cookie.value)
    assert stranger.get("/me").location.endswith("/login")  # a different key does not trust the cookie


def test_environment_secret_key_wins_and_writes_nothing(env, database_url, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app(_config(database_url))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (env / "secret_key").exists()


def test_production_without_secret_key_refuses_to_start(env, database_url, monkeypatch):
    monkeypatch.setenv("MOTCUA_ENV", "production")
    with pytest.raises(ConfigError) as caught:
        create_app(_config(database_url))
    message = str(caught.value)
    assert "SECRET_KEY" in message
    assert "export SECRET_KEY=" in message  # says how to fix it
    assert not (env / "secret_key").exists()  # never silently generated in production


def test_production_with_empty_secret_key_refuses_to_start(env, database_url, monkeypatch):
    monkeypatch.setenv("MOTCUA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(_config(database_url))


def test_production_with_secret_key_starts(env, database_url, monkeypatch):
    monkeypatch.setenv("MOTCUA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://motcua.example.gov.vn")
    app = create_app(_config(database_url))
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SECRET_KEY"] == "a-long-random-production-secret"


# --- other settings ----------------------------------------------------------------------------------------------


def test_defaults(env):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{env / 'motcua.sqlite'}"
    assert app.config["PORT"] == 8000
    assert app.config["UPLOAD_DIR"] == str(env / "uploads")
    assert app.config["INSTALLED_PLUGINS"] == DEFAULT_PLUGINS
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"
    assert Path(app.config["COMMUNES_DIR"]).is_dir()


def test_settings_from_the_environment(env, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@db.example:5432/motcua")
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "5 per minute")
    monkeypatch.setenv("MOTCUA_PLUGINS", " civil_status , land ,")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example:5432/motcua"
    assert app.config["PORT"] == 9123
    assert app.config["UPLOAD_DIR"] == str(tmp_path / "files")
    assert app.config["LOGIN_RATE_LIMIT"] == "5 per minute"
    assert app.config["INSTALLED_PLUGINS"] == ("civil_status", "land")
    assert sorted(app.extensions["motcua"].plugins) == ["civil_status", "land"]


def test_config_argument_overrides_the_environment(env, monkeypatch, database_url):
    monkeypatch.setenv("PORT", "9123")
    app = create_app(_config(database_url, PORT=8100))
    assert app.config["PORT"] == 8100
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url


def test_each_app_has_its_own_plugin_manager(env, database_url):
    first, second = create_app(_config(database_url)), create_app(_config(database_url))
    assert first.extensions["motcua"] is not second.extensions["motcua"]
    assert first.extensions["motcua"].pm is not second.extensions["motcua"].pm


# --- plugin start-up errors --------------------------------------------------------------------------------------


def test_unknown_plugin_in_motcua_plugins_fails_start_up(env, monkeypatch):
    monkeypatch.setenv("MOTCUA_PLUGINS", "civil_status,no_such_field")
    with pytest.raises(ConfigError) as caught:
        create_app()
    assert "no_such_field" in str(caught.value)
    assert "MOTCUA_PLUGINS" in str(caught.value)


def test_unknown_plugin_in_config_fails_start_up(env, database_url):
    with pytest.raises(ConfigError, match="no_such_field"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("no_such_field",)))


def test_plugin_without_info_fails_start_up(env, database_url, temp_plugins, tmp_path):
    temp_plugins("noinfo", "")
    (tmp_path / "extra_plugins" / "noinfo" / "__init__.py").write_text('"""No INFO here."""\n')
    with pytest.raises(ConfigError, match="INFO"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("noinfo",)))


def test_two_plugins_with_the_same_name_fail_start_up(env, database_url, temp_plugins):
    temp_plugins("twin_a", "", info_name="twin")
    temp_plugins("twin_b", "", info_name="twin")
    with pytest.raises(ConfigError, match="Two plugins are named 'twin'"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("twin_a", "twin_b")))


def test_a_plugin_cannot_declare_another_plugins_procedure(env, database_url, temp_plugins):
    # Two plugins declaring the same key: the second is refused (its key has the other plugin's prefix).
    temp_plugins("dup_a", PROCEDURE_HOOKS.format(key="dup_a.same"))
    temp_plugins("dup_b", PROCEDURE_HOOKS.format(key="dup_a.same"), info_name="dup_a2")
    with pytest.raises(ConfigError) as caught:
        create_app(_config(database_url, INSTALLED_PLUGINS=("dup_a", "dup_b")))
    # The second declaration is refused: either for its foreign prefix or as a duplicate; both name the key.
    assert "dup_a.same" in str(caught.value)


def test_the_same_key_declared_twice_by_one_plugin_fails_start_up(env, database_url, temp_plugins):
    hooks = textwrap.dedent(PROCEDURE_HOOKS.format(key="twice.same")) + textwrap.dedent("""
        @hookimpl
        def register_procedures():  # replaces the one above
            return _procedures() + _procedures()
    """)
    temp_plugins("twice", hooks)
    with pytest.raises(ConfigError, match="'twice.same' is declared twice"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("twice",)))


def test_procedure_key_must_carry_the_plugin_prefix(env, database_url, temp_plugins):
    temp_plugins("prefixed", PROCEDURE_HOOKS.format(key="civil_status.stolen"))
    with pytest.raises(ConfigError, match="must start with 'prefixed.'"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("prefixed",)))


def test_procedure_without_version_fails_start_up(env, database_url, temp_plugins):
    hooks = PROCEDURE_HOOKS.format(key="noversion.x").replace("versions=(version,)", "versions=()")
    temp_plugins("noversion", hooks)
    with pytest.raises(ConfigError, match="declares no version"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("noversion",)))


def test_valid_temporary_plugin_loads(env, database_url, temp_plugins):
    temp_plugins("okplug", PROCEDURE_HOOKS.format(key="okplug.thing"))
    app = create_app(_config(database_url, INSTALLED_PLUGINS=("okplug",)))
    host = app.extensions["motcua"]
    assert host.plugin_names() == ["okplug"]
    assert list(host.procedures) == ["okplug.thing"]


def test_check_pending_catches_a_misspelt_hook(env, database_url, temp_plugins):
    temp_plugins("typo", """
        from core.plugins import hookimpl


        @hookimpl
        def register_procedure():  # misspelt: the hook is register_procedures
            return []
    """)
    with pytest.raises(pluggy.PluginValidationError, match="register_procedure"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("typo",)))


def test_check_pending_catches_a_wrong_argument_name(env, database_url, temp_plugins):
    temp_plugins("badargs", """
        from core.plugins import hookimpl


        @hookimpl
        def validate_dossier(procedure, payload):  # the spec says (procedure, data, context)
            return []
    """)
    with pytest.raises(pluggy.PluginValidationError, match="payload"):
        create_app(_config(database_url, INSTALLED_PLUGINS=("badargs",)))


def test_entry_point_plugins_are_discovered(env, database_url, monkeypatch, tmp_path):
    site = tmp_path / "site"
    package = site / "motcua_external_demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from core.plugins import PluginInfo\nINFO = PluginInfo(name='external_demo', title='Ngoài', version='2.0')\n")
    (package / "hooks.py").write_text(textwrap.dedent(PROCEDURE_HOOKS.format(key="external_demo.thing")))
    dist = site / "motcua_external_demo-2.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: motcua-external-demo\nVersion: 2.0\n")
    (dist / "entry_points.txt").write_text("[motcua.plugins]\nexternal_demo = motcua_external_demo\n")
    monkeypatch.syspath_prepend(str(site))
    try:
        monkeypatch.setenv("MOTCUA_ENTRYPOINT_PLUGINS", "1")
        app = create_app(_config(database_url, INSTALLED_PLUGINS=("civil_status",)))
        host = app.extensions["motcua"]
        assert host.plugins["external_demo"].source == "entrypoint"
        assert "external_demo.thing" in host.procedures

        monkeypatch.setenv("MOTCUA_ENTRYPOINT_PLUGINS", "0")
        app = create_app(_config(database_url, INSTALLED_PLUGINS=("civil_status",)))
        assert "external_demo" not in app.extensions["motcua"].plugins
    finally:
        for name in [m for m in sys.modules if m.startswith("motcua_external_demo")]:
            del sys.modules[name]
