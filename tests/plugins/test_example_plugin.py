"""The example external plugin installs from its folder with pip and works end to end.

``pip install --target`` puts it in a temporary folder (the virtualenv is never changed); the folder goes on
``sys.path`` for the tests that need it, so ``importlib.metadata`` finds the ``motcua.plugins`` entry point exactly
as it would after ``pip install ./examples/motcua-plugin-certification``. The example's own test suite runs outside
the tree in tests/plugins/test_plugin_outside_the_tree.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugins.conftest import APPLICANT

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "motcua-plugin-certification"
PACKAGE = "motcua_plugin_certification"

# Test apps load no entry-point plugin unless named (core.testing): these tests name the example's.
pytestmark = pytest.mark.app_config(LOAD_ENTRYPOINT_PLUGINS=("certification",))


@pytest.fixture(scope="session")
def example_source(tmp_path_factory) -> Path:
    """A copy of the example (pip builds in the source tree; the repository stays clean)."""
    source = tmp_path_factory.mktemp("example") / EXAMPLE.name
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    return source


@pytest.fixture(scope="session")
def example_site(tmp_path_factory, example_source) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--target", str(site), str(example_source)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / PACKAGE / "templates" / "certification" / "copy_statement.html").is_file()
    return site


@pytest.fixture
def installed(example_site, monkeypatch):
    """The example discoverable (its entry point) for this test only."""
    monkeypatch.syspath_prepend(str(example_site))
    # Its modules stay imported afterwards: its models' table belongs to the one metadata of the process and cannot
    # be declared twice (core.testing creates the table for the apps that come later).
    yield example_site


@pytest.fixture
def app(installed, app):  # noqa: F811 - the core.testing app, built after the plugin is on the path
    return app


def test_pip_install_leaves_the_virtualenv_alone(example_site):
    from importlib.metadata import entry_points

    assert not [ep for ep in entry_points(group="motcua.plugins") if ep.name == "certification"]
    dist = [p.name for p in example_site.iterdir() if p.name.endswith(".dist-info")]
    assert dist == ["motcua_plugin_certification-1.0.0.dist-info"]


def test_it_appears_in_flask_plugins_list(runner, factory):
    factory.commune("xa-chung-thuc", plugins=("certification",))
    result = runner.invoke(args=["plugins", "list"])
    assert result.exit_code == 0, result.output
    assert "certification 1.0.0 (entrypoint) — Chứng thực" in result.output
    assert "procedures: certification.copy_from_original, certification.signature" in result.output
    assert "enabled for: xa-chung-thuc" in result.output
    assert "civil_status 1.0.0 (builtin) — Hộ tịch" in result.output


def test_enabled_for_a_unit_it_is_in_the_catalogue_and_receives_dossiers(app, client, factory):
    factory.commune("xa-a", plugins=("civil_status",))
    factory.user("recv.a", ("reception", "xa-a"))
    factory.user("spec.a", ("specialist", "xa-a"))
    factory.user("lead.a", ("leader", "xa-a"))
    headers = {u: factory.token(client, u) for u in ("recv.a", "spec.a", "lead.a")}

    def catalogue():
        return [p["key"] for p in client.get("/api/v1/units/xa-a/procedures").get_json()["procedures"]]

    body = {"procedure": "certification.signature", "channel": "counter", "applicant": APPLICANT,
            "data": {"document_name": "Giấy ủy quyền", "signer_full_name": "Nguyễn Văn An"}}
    assert not [k for k in catalogue() if k.startswith("certification.")]
    assert client.post("/api/v1/units/xa-a/dossiers", json=body, headers=headers["recv.a"]).status_code == 404

    factory.set_plugin("xa-a", "certification", True, settings={"signature_fee": 20000})
    assert {"certification.copy_from_original", "certification.signature"} <= set(catalogue())
    created = client.post("/api/v1/units/xa-a/dossiers", json=body, headers=headers["recv.a"])
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["fee"] == 20000
    code = created.get_json()["code"]
    for user, action, arguments in (("recv.a", "assign", {"assignee": "spec.a"}),
                                    ("spec.a", "submit_for_approval", {}), ("lead.a", "approve", {})):
        response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": action, **arguments},
                               headers=headers[user])
        assert response.status_code == 200, response.get_json()
    factory.login(client, "lead.a")
    page = client.get(f"/xa-a/dossiers/{code}/documents/certification.signature_statement")
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.get_data(as_text=True) and "Giấy ủy quyền" in page.get_data(as_text=True)


def test_a_script_prints_the_result_with_a_bearer_token(app, client, factory):
    """docs/api.md, "Printing a result document": no login form, no CSRF token."""
    desk = factory.desk("xa-in", plugins=("certification",), client=client)
    code = desk.receive("certification.signature", {"document_name": "Giấy ủy quyền",
                                                    "signer_full_name": "Nguyễn Văn An"})["code"]
    url = f"/xa-in/dossiers/{code}/documents/certification.signature_statement.pdf"
    assert client.get(url, headers=desk.headers("leader")).status_code == 404  # no result yet
    desk.to_result(code)
    printed = client.get(url, headers=desk.headers("leader"))
    assert printed.status_code == 200 and printed.data.startswith(b"%PDF")
    assert client.get(url).status_code in (302, 401)  # nobody
    factory.desk("xa-khac", plugins=("certification",), client=client)
    assert client.get(url, headers=factory.token(client, "xa-khac.lanhdao")).status_code in (403, 404)
