"""The field plugins' unit settings: declared with register_unit_settings, checked in communes/*.toml, and used."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def declared(app) -> dict:
    host = app.extensions["motcua"]
    return {name: host.unit_settings.get(name, {}) for name in host.plugins}


def test_the_plugins_declare_their_settings_with_defaults(app):
    settings = declared(app)
    assert settings["civil_status"] == {"late_fee": 8000, "copy_fee": 8000, "marital_status_fee": 0}
    assert settings["land"] == {"transfer_office": ""}
    assert settings["social_welfare"] == {"base_rate": 500_000}


def test_the_demo_unit_files_validate(app):
    from core.tenancy.loader import load_specs

    with app.app_context():
        specs = load_specs(ROOT / "communes", declared(app))
    assert "vpdkdd-tien-du" in {s.slug for s in specs}


def write(folder: Path, body: str) -> Path:
    (folder / "xa-moi.toml").write_text('slug = "xa-moi"\ncode = "99999"\nname = "Xã Mới"\nkind = "commune"\n' + body,
                                        encoding="utf-8")
    return folder


def test_settings_in_a_unit_file_are_typed(app, tmp_path):
    from core.tenancy.loader import UnitFileError, load_specs

    good = write(tmp_path, '[plugins.civil_status]\nlate_fee = 10000\ncopy_fee = 5000\n'
                           '[plugins.land]\ntransfer_office = "vpdkdd-tien-du"\n'
                           '[plugins.social_welfare]\nbase_rate = 600000\n')
    with app.app_context():
        spec = load_specs(good, declared(app))[0]
    assert spec.plugins["civil_status"]["settings"] == {"late_fee": 10000, "copy_fee": 5000}
    assert spec.plugins["social_welfare"]["settings"] == {"base_rate": 600000}
    for body, message in (('[plugins.civil_status]\nlate_fee = "8000"\n', "must be of type int"),
                          ('[plugins.land]\ntransfer_office = 12\n', "must be of type str"),
                          ('[plugins.social_welfare]\nbase_rate = 5e5\n', "must be of type int"),
                          ('[plugins.civil_status]\nlate_fees = 8000\n', "unknown setting 'late_fees'")):
        with app.app_context(), pytest.raises(UnitFileError, match=message):
            load_specs(write(tmp_path, body), declared(app))


def test_the_demo_deployment_transfers_land_changes_to_its_office(app, runner, client, factory):
    from core.tenancy.services import get_unit_or_none
    from plugins.land.hooks import office_for
    from tests.plugins.conftest import Api
    from tests.plugins.test_land_procedures import change

    result = runner.invoke(args=["units", "apply", "--dir", str(ROOT / "communes")])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        assert office_for(get_unit_or_none("lim")).slug == "vpdkdd-tien-du"
    factory.user("recv.lim", ("reception", "lim"))
    api = Api(client=client, factory=factory)
    body = api.receive("lim", "land.change_registration", change())
    moved = api.ok(api.act(body["code"], "transfer", "recv.lim", to_unit="vpdkdd-tien-du"))
    assert moved["competent_unit"] == "vpdkdd-tien-du"
