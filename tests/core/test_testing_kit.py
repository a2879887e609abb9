"""The plugin author's kit: core.testing's helpers and hermeticity, `flask plugins new-migration` and the check that
a plugin's revisions match its models (KIT-02, KIT-03, KIT-18, KIT-19)."""

from __future__ import annotations

import sys
import textwrap

import pytest

from core.config import DEFAULT_PLUGINS
from core.plugins import PluginInfo, hookimpl
from core.testing import add_plugin_folder, registered_plugin, scratch_database_url, throwaway_plugin


class _SettingsHooks:
    @hookimpl
    def register_unit_settings(self):
        return {"kit_fee": 5000}


MEMORY = PluginInfo(name="kitmemory", title="Trong bộ nhớ")


@pytest.mark.plugin(_SettingsHooks(), MEMORY)
def test_an_in_memory_plugin_joins_the_test_app(app, factory):
    host = app.extensions["motcua"]
    assert host.plugins["kitmemory"].info is MEMORY
    assert host.unit_settings["kitmemory"] == {"kit_fee": 5000}
    assert set(DEFAULT_PLUGINS) <= set(host.plugins)  # added to the usual ones
    factory.commune("xa-nho", plugins=("kitmemory",))


def test_an_in_memory_plugin_is_forgotten_after_its_block(app):
    with registered_plugin(_SettingsHooks(), PluginInfo(name="kitblock", title="Khối")):
        assert "plugins.kitblock" in sys.modules
        with pytest.raises(ValueError):
            with registered_plugin(_SettingsHooks(), PluginInfo(name="kitblock", title="Lần hai")):
                pass
    assert "plugins.kitblock" not in sys.modules and "plugins.kitmemory" not in sys.modules
    assert "kitmemory" not in app.extensions["motcua"].plugins  # the marker's plugin stayed in its own test


def test_register_plugin_builds_an_app_with_the_plugin(app, register_plugin, client):
    assert "kitlater" not in app.extensions["motcua"].plugins
    later = register_plugin(_SettingsHooks(), PluginInfo(name="kitlater", title="Sau"), DEADLINE_END="same_hour")
    assert later.extensions["motcua"].unit_settings["kitlater"] == {"kit_fee": 5000}
    assert later.config["DEADLINE_END"] == "same_hour"
    assert later.test_client().get("/api/v1/units").status_code == 200


def test_add_plugin_folder_can_be_undone(tmp_path):
    import plugins

    undo = add_plugin_folder(tmp_path)
    assert str(tmp_path) in plugins.__path__
    undo()
    assert str(tmp_path) not in plugins.__path__


def _fake_distribution(site, name):
    package = site / f"motcua_{name}"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f"from core.plugins import PluginInfo\nINFO = PluginInfo(name={name!r}, "
                                         "title='Ngoài')\n")
    (package / "hooks.py").write_text("")
    dist = site / f"motcua_{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: motcua-{name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[motcua.plugins]\n{name} = motcua_{name}\n")


def test_test_apps_load_only_the_installed_plugins_they_name(database_url, tmp_path, monkeypatch):
    """KIT-18: a package that happens to be installed does not join every test app."""
    from core import create_app

    _fake_distribution(tmp_path / "site", "kitstray")
    _fake_distribution(tmp_path / "site", "kitwanted")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    try:
        def loaded(selection):
            config = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "TESTING": True,
                      "LOAD_ENTRYPOINT_PLUGINS": selection}
            return set(create_app(config, instance_path=str(tmp_path / "i")).extensions["motcua"].plugins)

        assert not {"kitstray", "kitwanted"} & loaded(())
        assert {"kitstray", "kitwanted"} & loaded(("kitwanted",)) == {"kitwanted"}
        assert {"kitstray", "kitwanted"} <= loaded(True)  # a deployment loads every installed plugin
    finally:
        for module in [m for m in sys.modules if m.startswith(("motcua_kitstray", "motcua_kitwanted"))]:
            del sys.modules[module]


def test_nothing_is_written_into_the_working_directory(app, database_url, tmp_path, monkeypatch):
    """KIT-18: the test app's instance is temporary, and an app built by a test itself (no instance given, no
    SECRET_KEY) keeps its generated key out of the folder pytest runs from."""
    from core import create_app

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert str(tmp_path) in app.instance_path
    create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert list(work.iterdir()) == []
    given = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "given"},
                       instance_path=str(tmp_path / "own"))
    assert given.config["SECRET_KEY"] == "given" and not (tmp_path / "own" / "secret_key").exists()


def test_desk_walks_a_dossier_and_renders_its_document(app, factory):
    from core.testing import dossier_by_code, render_document

    desk = factory.desk("xa-ban", plugins=("civil_status",))
    assert desk.officers == {"reception": "xa-ban.tiepnhan", "specialist": "xa-ban.chuyenvien",
                             "leader": "xa-ban.lanhdao"}
    refused = desk.receive("civil_status.birth_registration", {}, expect=422)
    assert "child_full_name" in refused["error"]["fields"]
    data = {"child_full_name": "Nguyễn Thị Hoa", "child_sex": "female", "child_birth_date": "2026-01-02",
            "birth_place": "Trạm y tế xã", "mother_full_name": "Trần Thị Mai", "father_full_name": "Nguyễn Văn Bình"}
    code = desk.receive("civil_status.birth_registration", data)["code"]
    desk.act(code, "leader", "approve", expect=409)  # not the leader's turn yet
    assert desk.to_result(code)["status"] == "result_ready"
    with app.app_context():
        assert dossier_by_code(code).status == "result_ready"
    documents = app.extensions["motcua"].documents
    key = next(k for k, d in documents.items() if "civil_status.birth_registration" in d.procedures)
    assert "Nguyễn Thị Hoa" in render_document(app, code, key)
    assert render_document(app, code, key, pdf=True).startswith(b"%PDF")


# --- a plugin with a table: new-migration and the check ------------------------------------------------------------

KIT = "kittable"
MODELS = '''
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class Thing(db.Model):
    __tablename__ = "kittable_things"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    label: Mapped[str] = mapped_column(String(40))
'''


@pytest.fixture(scope="module")
def _table_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("table_plugins"), KIT, "Bảng", "") as package:
        (package / "models.py").write_text(textwrap.dedent(MODELS))
        yield package
    # Its table must not outlive the module: other tests compare the metadata with core's revisions.
    from core.extensions import db

    if "kittable_things" in db.metadata.tables:
        db.metadata.remove(db.metadata.tables["kittable_things"])


@pytest.mark.app_config(INSTALLED_PLUGINS=(*DEFAULT_PLUGINS, KIT))
class TestPluginMigrations:
    @pytest.fixture
    def app(self, _table_plugin, app):
        return app

    def test_new_migration_writes_a_revision_on_the_plugin_branch_that_matches_its_models(
            self, app, runner, _table_plugin, database_url, tmp_path):
        from core.plugins.migrations import MigrationError, check_plugin_migrations

        with scratch_database_url(database_url, "kit_nofolder", tmp_path / "none.sqlite") as url:
            with pytest.raises(MigrationError, match="new-migration"):
                check_plugin_migrations(app, KIT, url)

        result = runner.invoke(args=["plugins", "new-migration", KIT, "-m", "things"])
        assert result.exit_code == 0, result.output
        written = sorted((_table_plugin / "migrations").glob("*.py"))
        assert [p.name for p in written] == ["kittable_0001_things.py"]
        text = written[0].read_text()
        assert "branch_labels = ('kittable',)" in text and "depends_on = 'core_" in text
        assert "kittable_things" in text and "units" in text and " \n" not in text
        assert "civil_status" not in text  # other branches' tables stay out

        with scratch_database_url(database_url, "kit_ok", tmp_path / "ok.sqlite") as url:
            check_plugin_migrations(app, KIT, url)

        again = runner.invoke(args=["plugins", "new-migration", KIT, "-m", "nothing"])
        assert again.exit_code != 0 and "no change" in again.output
        assert len(list((_table_plugin / "migrations").glob("*.py"))) == 1

        # A revision that forgets a column: the check says so.
        written[0].write_text(text.replace("sa.Column('label', sa.String(length=40), nullable=False),", ""))
        with scratch_database_url(database_url, "kit_bad", tmp_path / "bad.sqlite") as url:
            with pytest.raises(MigrationError, match="label"):
                check_plugin_migrations(app, KIT, url)

        empty = runner.invoke(args=["plugins", "new-migration", KIT, "-m", "by hand", "--empty"])
        assert empty.exit_code == 0, empty.output
        second = (_table_plugin / "migrations" / "kittable_0002_by_hand.py").read_text()
        assert "down_revision = 'kittable_0001'" in second and "branch_labels = None" in second
        assert "depends_on = None" in second

    def test_an_unknown_plugin_is_refused(self, runner):
        result = runner.invoke(args=["plugins", "new-migration", "khong_co", "-m", "x"])
        assert result.exit_code != 0 and "No plugin 'khong_co'" in result.output


@pytest.mark.plugin(_SettingsHooks(), PluginInfo(name="kitnotable", title="Không bảng"))
def test_a_plugin_without_tables_gets_no_revision_and_no_folder(app, runner):
    from pathlib import Path

    folder = Path(app.extensions["motcua"].plugins["kitnotable"].package.__file__).parent / "migrations"
    result = runner.invoke(args=["plugins", "new-migration", "kitnotable", "-m", "nothing"])
    assert result.exit_code != 0 and "no change" in result.output
    assert not folder.exists()
