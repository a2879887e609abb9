"""``core.plugins.api``: the documented surface plugins import instead of core's internals (KIT-07).

Every name it exports is listed in docs/writing_plugins.md; the read-only dossier queries answer what the built-in
widgets need; the built-in plugins' widgets appear on a commune's dashboard (KIT-05).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.plugins import api
from tests.web.helpers import BIRTH, build_desk, make_dossier

DOC = Path(__file__).resolve().parents[2] / "docs" / "writing_plugins.md"
IMPORTLINTER = Path(__file__).resolve().parents[2] / ".importlinter"


def _surface_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text[text.index("What a plugin may import\n"):]


@pytest.mark.parametrize("name", sorted(set(api.__all__) - {"Markup"}))
def test_every_exported_name_is_documented(name):
    assert re.search(rf"`{name}\b", _surface_section()), f"{name} is exported by core.plugins.api but not documented"


def test_every_documented_helper_exists():
    documented = set(re.findall(r"`([a-z_]+)\(", _surface_section()))
    missing = {n for n in documented if not hasattr(api, n)} - {"core"}
    assert missing <= {"is_usable", "is_working_day", "plugin_settings"}, missing


def test_the_plugins_contract_names_the_surface():
    text = IMPORTLINTER.read_text(encoding="utf-8")
    assert "plugins.** -> core.plugins.api" in text
    assert "plugins.** -> core.plugins\n" in text


def test_time_in_vietnam():
    assert api.local_day(datetime(2026, 3, 1, 18, 30, tzinfo=UTC)) == date(2026, 3, 2)
    assert api.VN_TZ.key == "Asia/Ho_Chi_Minh"


@pytest.fixture
def desk(app, factory):
    return build_desk(app, factory)


def test_read_only_dossier_queries(app, desk):
    codes = [make_dossier(app) for _ in range(2)]
    make_dossier(app, unit_slug="xa-b", username="b.tiepnhan")
    with app.test_request_context():
        unit = api.get_unit_or_none("xa-a")
        assert api.count_dossiers(unit, (BIRTH,), ("received",)) == 2
        assert api.count_dossiers(unit, (BIRTH,), ("returned",)) == 0
        assert sorted(d.code for d in api.dossiers_of(unit, (BIRTH,))) == sorted(codes)
        assert api.dossier_by_code(codes[0]).competent_unit_id == unit.id
        assert api.unit_by_id(unit.id).slug == "xa-a"
        assert api.latest_step_day(api.dossier_by_code(codes[0]), "posting_started") is None
        assert api.format_money(50000) == "50.000 đồng"


def test_builtin_widgets_show_on_the_commune_dashboard(client, desk):
    desk.factory.login(client, "a.tiepnhan")
    html = client.get("/xa-a/dashboard").get_data(as_text=True)
    assert "Đất đai: đang niêm yết công khai" in html
    assert "Bảo trợ xã hội: đang niêm yết kết quả xét duyệt" in html
