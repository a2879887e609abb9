"""One enablement service for the admin pages and ``flask units apply`` (CODE-02): both keep what
``on_plugin_enabled`` writes, both write the same change-log entries, and a failing hook changes nothing."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import select, text

from core.extensions import db
from core.tenancy.models import ChangeLog
from core.testing import throwaway_plugin
from tests.core.test_units_cli import COMMUNE, apply, units_dir, write  # noqa: F401  (units_dir is a fixture)

BOOKS = "sobo"
BOOKS_HOOKS = '''
from sqlalchemy import text

from core.plugins import hookimpl
from core.plugins.api import db, utcnow

FAIL = []


@hookimpl
def on_plugin_enabled(unit, plugin):
    # What the hookspec's example does (ensure_register_books): prepare the plugin's own records for the unit.
    if plugin != "sobo":
        return
    if FAIL:
        raise RuntimeError("cannot prepare the books")
    db.session.execute(text("INSERT INTO change_log (at, actor_name, unit_id, action, target, details, seq) "
                            "VALUES (:at, 'sobo', :unit, 'sobo.books_ready', :slug, '{}', 0)"),
                       {"at": utcnow(), "unit": unit.id, "slug": unit.slug})
'''


@pytest.fixture(scope="module")
def _books_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("books_plugins"), BOOKS, "Sổ bộ", BOOKS_HOOKS):
        yield


pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status", "land", "social_welfare", BOOKS))


@pytest.fixture
def app(_books_plugin, app):
    sys.modules[f"plugins.{BOOKS}.hooks"].FAIL.clear()
    return app


def log(app) -> list[tuple]:
    with app.app_context():
        found = db.session.scalars(select(ChangeLog).order_by(ChangeLog.id))
        rows = [(r.action, r.target, r.actor_name) for r in found]
        db.session.remove()
    return rows


@pytest.fixture
def district(factory):
    factory.district("huyen-sb")
    factory.commune("xa-sb", parent="huyen-sb", plugins=("civil_status",))
    factory.user("qt.sb", ("district_admin", "huyen-sb"), full_name="Quản Trị Sổ Bộ")


def _enable_on_the_admin_page(client, factory):
    factory.login(client, "qt.sb")
    return client.post(f"/huyen-sb/admin/don-vi/xa-sb/linh-vuc/{BOOKS}", data={f"{BOOKS}-enabled": "y"})


def test_admin_page_keeps_what_on_plugin_enabled_writes(app, client, factory, district):
    response = _enable_on_the_admin_page(client, factory)
    assert response.status_code == 302
    assert log(app) == [("plugin.enable", BOOKS, "Quản Trị Sổ Bộ"), ("sobo.books_ready", "xa-sb", "sobo")]


def test_units_apply_logs_the_change_like_the_admin_page(app, runner, units_dir):  # noqa: F811
    write(units_dir, "xa-mot", COMMUNE + f"\n    [plugins.{BOOKS}]\n")
    assert apply(runner, units_dir).exit_code == 0
    entries = log(app)
    assert ("sobo.books_ready", "xa-mot", "sobo") in entries
    enabled = [(action, target) for action, target, who in entries if who == "flask units apply"]
    assert ("plugin.enable", "civil_status") in enabled and ("plugin.enable", BOOKS) in enabled
    assert ("plugin.enable", "social_welfare") not in enabled  # listed with enabled = false
    write(units_dir, "xa-mot", COMMUNE.replace("late_fee = 10000", "late_fee = 12000"))
    assert apply(runner, units_dir).exit_code == 0
    later = log(app)[len(entries):]
    assert later == [("plugin.disable", BOOKS, "flask units apply"), ("plugin.settings", "civil_status",
                                                                      "flask units apply")]


def test_a_failing_hook_on_the_admin_page_changes_nothing(app, client, factory, district):
    sys.modules[f"plugins.{BOOKS}.hooks"].FAIL.append(True)
    response = _enable_on_the_admin_page(client, factory)
    assert response.status_code == 422
    assert "Một lĩnh vực báo lỗi khi bật hoặc tắt; không có thay đổi nào được lưu." in response.get_data(as_text=True)
    assert log(app) == []
    with app.app_context():
        enabled = db.session.execute(text("SELECT plugin FROM unit_plugins WHERE enabled = :yes"),
                                     {"yes": True}).scalars().all()
    assert BOOKS not in enabled


def test_a_failing_hook_in_units_apply_changes_nothing(app, runner, units_dir):  # noqa: F811
    sys.modules[f"plugins.{BOOKS}.hooks"].FAIL.append(True)
    write(units_dir, "xa-mot", COMMUNE + f"\n    [plugins.{BOOKS}]\n")
    result = apply(runner, units_dir)
    assert result.exit_code != 0
    assert log(app) == []
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM units")).scalar() == 0
