"""`flask units apply [--dry-run]` and `flask units diff`: the unit tree from communes/*.toml files."""

from __future__ import annotations

import sys
import textwrap

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.tenancy.models import Unit
from core.testing import throwaway_plugin

PROVINCE = """
    slug = "tinh-thu"
    code = "99"
    name = "Tỉnh Thử"
    kind = "province"
    agency_code = "T.99"
"""
DISTRICT = """
    slug = "huyen-thu"
    code = "999"
    name = "Huyện Thử"
    kind = "district"
    parent = "tinh-thu"
    agency_code = "T.999"
"""
COMMUNE = """
    slug = "xa-mot"
    code = "99901"
    name = "Xã Một"
    kind = "commune"
    parent = "huyen-thu"
    agency_code = "T.99901"
    office_hours = "07:00-11:00,13:00-16:30"
    address = "Thôn Đông, xã Một"

    [settings]
    public_note = "Nghỉ trưa từ 11 giờ."

    [plugins.civil_status]
    late_fee = 10000

    [plugins.land]

    [plugins.social_welfare]
    enabled = false
"""
OFFICE = """
    slug = "vp-dat-thu"
    code = "VP-999"
    name = "Chi nhánh Văn phòng đăng ký đất đai huyện Thử"
    kind = "office"
    parent = "huyen-thu"

    [plugins.land]
"""
# Two-tier local government (since 1 July 2025): a commune directly under the province, no code change needed.
TWO_TIER_COMMUNE = """
    slug = "xa-moi"
    code = "99950"
    name = "Xã Mới"
    kind = "commune"
    parent = "tinh-thu"

    [plugins.civil_status]
"""


def write(folder, name: str, text: str):
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def units_dir(tmp_path):
    folder = tmp_path / "communes"
    folder.mkdir()
    for name, text in (("tinh-thu", PROVINCE), ("huyen-thu", DISTRICT), ("xa-mot", COMMUNE), ("vp-dat-thu", OFFICE),
                       ("xa-moi", TWO_TIER_COMMUNE)):
        write(folder, name, text)
    return folder


def apply(runner, folder, *extra):
    return runner.invoke(args=["units", "apply", "--dir", str(folder), *extra])


def diff(runner, folder):
    return runner.invoke(args=["units", "diff", "--dir", str(folder)])


def units_json(client) -> dict:
    response = client.get("/api/v1/units")
    assert response.status_code == 200
    return {u["slug"]: u for u in response.get_json()["units"]}


def unit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Unit.id)))


# --- apply -------------------------------------------------------------------------------------------------------


def test_apply_creates_the_tree_with_plugins_and_settings(app, runner, client, units_dir):
    result = apply(runner, units_dir)
    assert result.exit_code == 0, result.output
    assert "5 unit files valid; 5 difference(s) changed." in result.output
    assert "+ xa-mot: in xa-mot.toml, not in the database" in result.output

    units = units_json(client)
    assert set(units) == {"tinh-thu", "huyen-thu", "xa-mot", "vp-dat-thu", "xa-moi"}
    assert units["tinh-thu"]["parent"] is None
    assert units["huyen-thu"] == {"slug": "huyen-thu", "code": "999", "name": "Huyện Thử", "kind": "district",
                                  "parent": "tinh-thu", "fields": [], "active": True, "successor": None}
    assert units["xa-mot"]["parent"] == "huyen-thu"
    assert units["xa-mot"]["fields"] == ["civil_status", "land"]  # social_welfare listed but disabled
    assert units["vp-dat-thu"]["kind"] == "office"
    assert units["vp-dat-thu"]["fields"] == ["land"]
    assert units["xa-moi"]["parent"] == "tinh-thu"  # province > commune, no district

    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.slug == "xa-mot"))
        assert unit.agency_code == "T.99901"
        assert unit.office_hours == "07:00-11:00,13:00-16:30"
        assert unit.address == "Thôn Đông, xã Một"
        assert unit.settings == {"public_note": "Nghỉ trưa từ 11 giờ."}
        assert unit.plugin_settings("civil_status") == {"late_fee": 10000}
        assert {p.plugin: p.enabled for p in unit.plugins} == {"civil_status": True, "land": True,
                                                               "social_welfare": False}


def test_dry_run_validates_and_writes_nothing(app, runner, units_dir):
    result = apply(runner, units_dir, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+ tinh-thu: in tinh-thu.toml, not in the database" in result.output
    assert "5 unit files valid; 5 difference(s) would change." in result.output
    assert unit_count(app) == 0
    assert diff(runner, units_dir).exit_code == 1  # still drifting: nothing was written


def test_second_apply_changes_nothing(app, runner, units_dir):
    assert apply(runner, units_dir).exit_code == 0
    with app.app_context():
        before = {u.slug: (u.id, u.parent_id) for u in db.session.scalars(select(Unit))}
    result = apply(runner, units_dir)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "5 unit files valid; 0 difference(s) changed."
    with app.app_context():
        assert {u.slug: (u.id, u.parent_id) for u in db.session.scalars(select(Unit))} == before
    dry = apply(runner, units_dir, "--dry-run")
    assert dry.output.strip() == "5 unit files valid; 0 difference(s) would change."


def test_apply_updates_changed_files(app, runner, client, units_dir):
    assert apply(runner, units_dir).exit_code == 0
    write(units_dir, "xa-mot", COMMUNE.replace('name = "Xã Một"', 'name = "Xã Một Mới"')
          .replace("late_fee = 10000", "late_fee = 5000").replace("\n    [plugins.land]\n", "\n"))
    assert units_json(client)["xa-mot"]["fields"] == ["civil_status", "land"]

    result = apply(runner, units_dir)
    assert result.exit_code == 0, result.output
    assert "~ xa-mot.name: database 'Xã Một', file 'Xã Một Mới'" in result.output
    assert "~ xa-mot.plugins.land" in result.output
    assert "~ xa-mot.plugins.civil_status" in result.output
    # The running application reads the database: no restart is needed for the new enablement.
    assert units_json(client)["xa-mot"]["name"] == "Xã Một Mới"
    assert units_json(client)["xa-mot"]["fields"] == ["civil_status"]
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.slug == "xa-mot"))
        assert unit.plugin_settings("civil_status") == {"late_fee": 5000}
        assert "land" not in {p.plugin for p in unit.plugins}


def test_apply_moves_a_commune_to_the_province(app, runner, client, units_dir):
    """The 2025 reform: a commune's parent changes from the district to the province by editing one line."""
    assert apply(runner, units_dir).exit_code == 0
    write(units_dir, "xa-mot", COMMUNE.replace('parent = "huyen-thu"', 'parent = "tinh-thu"'))
    result = apply(runner, units_dir)
    assert result.exit_code == 0, result.output
    assert "~ xa-mot.parent_id" in result.output
    assert units_json(client)["xa-mot"]["parent"] == "tinh-thu"


def test_apply_with_a_parent_already_in_the_database(app, runner, client, factory, tmp_path):
    factory.district("huyen-co")
    folder = tmp_path / "only-commune"
    folder.mkdir()
    write(folder, "xa-le", COMMUNE.replace('slug = "xa-mot"', 'slug = "xa-le"')
          .replace('parent = "huyen-thu"', 'parent = "huyen-co"'))
    result = apply(runner, folder)
    assert result.exit_code == 0, result.output
    assert units_json(client)["xa-le"]["parent"] == "huyen-co"


def test_apply_reads_communes_dir_by_default(app, runner, units_dir):
    app.config["COMMUNES_DIR"] = str(units_dir)
    result = runner.invoke(args=["units", "apply"])
    assert result.exit_code == 0, result.output
    assert unit_count(app) == 5


def test_apply_on_a_missing_folder(app, runner, tmp_path):
    result = apply(runner, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "is not a folder" in result.output


# --- diff --------------------------------------------------------------------------------------------------------


def test_diff_exit_codes(app, runner, factory, units_dir):
    result = diff(runner, units_dir)
    assert result.exit_code == 1
    assert "+ huyen-thu: in huyen-thu.toml, not in the database" in result.output

    assert apply(runner, units_dir).exit_code == 0
    result = diff(runner, units_dir)
    assert result.exit_code == 0, result.output
    assert "No drift" in result.output

    factory.set_plugin("xa-mot", "land", enabled=False)  # someone changed the database by hand
    result = diff(runner, units_dir)
    assert result.exit_code == 1
    assert "~ xa-mot.plugins.land: database {'enabled': False, 'settings': {}}, " \
           "file {'enabled': True, 'settings': {}}" in result.output


def test_diff_reports_a_file_change_and_a_unit_without_file(app, runner, factory, units_dir):
    assert apply(runner, units_dir).exit_code == 0
    factory.commune("xa-thua", parent="huyen-thu")
    write(units_dir, "xa-moi", TWO_TIER_COMMUNE.replace('code = "99950"', 'code = "99951"'))
    result = diff(runner, units_dir)
    assert result.exit_code == 1
    assert "~ xa-moi.code: database '99950', file '99951'" in result.output
    assert "- xa-thua: in the database, no file" in result.output


# --- bad files: each error names the file and the line ------------------------------------------------------------

BAD_FILES = [
    pytest.param('slug = "xa-hong"\ncode = "1"\nname = "Xã Hỏng\nkind = "commune"\n', 3, "invalid TOML", id="toml"),
    pytest.param(COMMUNE.replace("[plugins.land]", "[plugins.fishing]"), 16, "unknown plugin 'fishing'",
                 id="unknown-plugin"),
    pytest.param(COMMUNE.replace("late_fee = 10000", "late_fees = 10000"), 14,
                 "unknown setting 'late_fees' for plugin 'civil_status'", id="unknown-plugin-setting"),
    pytest.param(COMMUNE.replace('public_note = "Nghỉ trưa từ 11 giờ."', "holiday = true"), 11,
                 "unknown setting 'holiday' in [settings]", id="unknown-unit-setting"),
    pytest.param(COMMUNE.replace('public_note = "Nghỉ trưa từ 11 giờ."', '[settings.documents]\nseal = "x"'), 12,
                 "unknown setting 'seal' in [settings.documents] (known: agency, desk, place)",
                 id="unknown-doc-setting"),
    pytest.param(COMMUNE.replace('public_note = "Nghỉ trưa từ 11 giờ."', '[settings.documents]\nplace = 5'), 12,
                 "'place' in [settings.documents] must be a string", id="doc-setting-type"),
    pytest.param(COMMUNE.replace('public_note = "Nghỉ trưa từ 11 giờ."', 'documents = "Hoàn Sơn"'), 11,
                 "setting 'documents' in [settings] must be a table", id="documents-not-table"),
    pytest.param(COMMUNE.replace("late_fee = 10000", 'late_fee = "mười nghìn"'), 14,
                 "setting 'late_fee' of plugin 'civil_status' must be of type int", id="setting-type"),
    pytest.param(COMMUNE.replace('parent = "huyen-thu"', 'parent = "huyen-khong-co"'), 5,
                 "parent 'huyen-khong-co' is not a known unit", id="bad-parent"),
    pytest.param(COMMUNE.replace('kind = "commune"', 'kind = "village"'), 4, "unknown kind 'village'", id="bad-kind"),
    pytest.param(COMMUNE.replace('address = "Thôn Đông, xã Một"', 'adress = "Thôn Đông"'), 8, "unknown key 'adress'",
                 id="unknown-key"),
    pytest.param(COMMUNE.replace("07:00-11:00,13:00-16:30", "07:00-11:00,10:00-16:30"), 7, "bad office_hours",
                 id="overlapping-hours"),
    pytest.param(COMMUNE.replace('name = "Xã Một"', 'name = ""'), 3, "'name' is required", id="empty-name"),
    pytest.param(COMMUNE.replace("enabled = false", 'enabled = "no"'), 19,
                 "'enabled' of plugin 'social_welfare' must be true or false", id="enabled-not-bool"),
    pytest.param(COMMUNE.replace('parent = "huyen-thu"', "parent = 999"), 5, "'parent' must be a string",
                 id="parent-not-string"),
    pytest.param(COMMUNE.replace('parent = "huyen-thu"', 'parent = "xa-mot"'), 5, "cannot be its own parent",
                 id="own-parent"),
]


@pytest.mark.parametrize("text, line, message", BAD_FILES)
def test_bad_file_is_refused_with_file_and_line(app, runner, units_dir, text, line, message):
    path = write(units_dir, "xa-mot", text)
    for args in (["units", "apply", "--dir", str(units_dir)], ["units", "apply", "--dry-run", "--dir", str(units_dir)],
                 ["units", "diff", "--dir", str(units_dir)]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert f"Error: {path}:{line}: " in result.output, result.output
        assert message in result.output
    assert unit_count(app) == 0  # nothing applied: every file is checked before anything is written


def test_document_settings_are_applied_and_print_on_the_forms(app, runner, units_dir, factory, client):
    """LAW-10: [settings.documents] is accepted by `flask units apply` and sets the forms' header and place."""
    write(units_dir, "tinh-thu", PROVINCE)
    write(units_dir, "huyen-thu", DISTRICT)
    documents = ('[settings.documents]\nagency = "Văn phòng đăng ký đất đai tỉnh Thử"\n'
                 'desk = "Chi nhánh huyện Thử"\nplace = "Thử Hạ"\n\n[plugins.land]')
    write(units_dir, "vp-dat-thu", OFFICE.replace("[plugins.land]", documents))
    result = apply(runner, units_dir)
    assert result.exit_code == 0, result.output
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.slug == "vp-dat-thu"))
        assert unit.settings == {"documents": {"agency": "Văn phòng đăng ký đất đai tỉnh Thử",
                                               "desk": "Chi nhánh huyện Thử", "place": "Thử Hạ"}}
        from core.documents.forms import agency_lines, document_place

        assert agency_lines(unit, "2025") == ["VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI TỈNH THỬ", "CHI NHÁNH HUYỆN THỬ"]
        assert document_place(unit) == "Thử Hạ"
    assert diff(runner, units_dir).exit_code == 0  # applied as written: nothing left to change


def test_active_must_be_a_boolean(units_dir, app, runner):
    path = write(units_dir, "xa-mot", "active = 1\n" + textwrap.dedent(COMMUNE))
    result = apply(runner, units_dir)
    assert result.exit_code == 1
    assert f"{path}:1: 'active' must be true or false" in result.output


def test_missing_required_key_names_the_file(app, runner, units_dir):
    path = write(units_dir, "xa-mot", COMMUNE.replace('kind = "commune"\n', ""))
    result = apply(runner, units_dir)
    assert result.exit_code == 1
    assert f"Error: {path}: 'kind' is required" in result.output


def test_duplicated_slug_names_both_files(app, runner, units_dir):
    copy = write(units_dir, "xa-mot-copy", COMMUNE)
    result = apply(runner, units_dir)
    assert result.exit_code == 1
    original = units_dir / "xa-mot.toml"
    # Files are read in name order ("xa-mot-copy" sorts before "xa-mot."): the later one is refused.
    assert f"Error: {original}:1: slug 'xa-mot' is also used by {copy}" in result.output
    assert unit_count(app) == 0


def test_cycle_in_parents_is_refused(app, runner, units_dir):
    write(units_dir, "tinh-thu", PROVINCE + '    parent = "huyen-thu"\n')
    result = apply(runner, units_dir)
    assert result.exit_code == 1
    assert "cycle in parents" in result.output
    # Files are read in name order: the walk starts at huyen-thu and comes back to it through tinh-thu.
    assert f"{units_dir / 'huyen-thu.toml'}:5: cycle in parents: huyen-thu > tinh-thu > huyen-thu" in result.output


def test_same_setting_name_in_two_plugin_tables_points_at_the_right_one(app, runner, units_dir):
    text = COMMUNE.replace("[plugins.land]", "[plugins.land]\n    late_fee = 1")
    path = write(units_dir, "xa-mot", text)
    result = apply(runner, units_dir)
    assert result.exit_code == 1
    # civil_status declares late_fee (line 14); land does not: the error is about line 17, in [plugins.land].
    assert f"{path}:17: unknown setting 'late_fee' for plugin 'land'" in result.output


def test_plugin_table_that_is_not_a_table(app, runner, units_dir):
    path = write(units_dir, "xa-mot", COMMUNE.replace("[plugins.land]\n", "[plugins]\n    land = true\n"))
    result = apply(runner, units_dir)
    assert result.exit_code == 1
    assert f"{path}:17: [plugins.land] must be a table" in result.output


# --- plugins hear about enablement changes made by `units apply` ---------------------------------------------------

RECORDER_HOOKS = '''
from core.plugins import hookimpl

CALLS = []


@hookimpl
def on_plugin_enabled(unit, plugin):
    CALLS.append(("enabled", unit.slug, plugin))


@hookimpl
def on_plugin_disabled(unit, plugin):
    CALLS.append(("disabled", unit.slug, plugin))
'''


@pytest.fixture(scope="module")
def _recorder_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("recorder_plugins"), "recorder", 'Ghi nhận', RECORDER_HOOKS):
        yield


@pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status", "land", "social_welfare", "recorder"))
class TestEnablementHooks:
    @pytest.fixture
    def app(self, _recorder_plugin, app):
        """The usual app, built once the recorder plugin is importable."""
        return app

    @pytest.fixture
    def calls(self, app):
        recorded = sys.modules["plugins.recorder.hooks"].CALLS
        recorded.clear()
        return recorded

    def test_apply_tells_enabled_plugins(self, runner, units_dir, calls):
        write(units_dir, "xa-mot", COMMUNE + "\n    [plugins.recorder]\n")
        assert apply(runner, units_dir, "--dry-run").exit_code == 0
        assert calls == []  # a dry run tells nobody
        assert apply(runner, units_dir).exit_code == 0
        # Every enabled plugin of the unit hears of each plugin just enabled, itself included; other units are
        # not the recorder's business (it is not enabled there).
        assert calls == [("enabled", "xa-mot", "civil_status"), ("enabled", "xa-mot", "land"),
                         ("enabled", "xa-mot", "recorder")]
        calls.clear()
        assert apply(runner, units_dir).exit_code == 0
        assert calls == []  # nothing changed, nothing said

    def test_apply_tells_plugins_about_disabling(self, runner, units_dir, calls):
        write(units_dir, "xa-mot", COMMUNE + "\n    [plugins.recorder]\n")
        assert apply(runner, units_dir).exit_code == 0
        calls.clear()
        write(units_dir, "xa-mot", COMMUNE.replace("\n    [plugins.land]\n", "\n") + "\n    [plugins.recorder]\n")
        assert apply(runner, units_dir).exit_code == 0
        assert calls == [("disabled", "xa-mot", "land")]
        calls.clear()
        write(units_dir, "xa-mot", COMMUNE + "\n    [plugins.recorder]\n    enabled = false\n")
        assert apply(runner, units_dir).exit_code == 0
        # Re-enabling land is heard by... nobody listening: the recorder is being disabled in the same apply,
        # and hears its own disabling first, while it is still enabled.
        assert calls == [("disabled", "xa-mot", "recorder")]
