"""A plugin repository outside the tree, as its author works (issue 15, "Done when").

A copy of the example plugin in a temporary folder, without its revision and its compiled catalogue; a fresh
virtualenv with nothing on PYTHONPATH, where ``motcua`` is installed from this checkout (a wheel built by pip, not
the source tree) and the plugin in editable mode. There: ``flask plugins new-migration`` writes the plugin's
revision, ``pybabel compile`` its catalogue, and ``pytest`` run from the plugin's folder passes, with nothing written
into that folder but what the author asked for.

Offline and quick: the venv reaches the third-party libraries (Flask, SQLAlchemy, pytest...) of the interpreter
running this suite through a ``.pth`` line, and pip installs with ``--no-deps --no-build-isolation --no-index``.
That line adds that site-packages folder only, not the checkout: ``core`` is importable in the venv solely because
``motcua`` was installed there (checked below).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "motcua-plugin-certification"
PACKAGE = "motcua_plugin_certification"
# What pip needs to build motcua; the rest of the checkout (tests, docs, .git, .venv...) stays behind.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "requirements.txt", "core", "plugins", "motcua",
                "templates", "migrations", "translations", "communes")

pytestmark = pytest.mark.slow


def _run(args, cwd, env, timeout=600) -> str:
    result = subprocess.run(args, cwd=str(cwd), env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def _clean_env(instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "COV_", "FLASK_", "MOTCUA_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MOTCUA_INSTANCE"] = str(instance)
    # Its own PostgreSQL databases (when TEST_DATABASE_URL is set), never those of this run.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    env["TEST_DB_SUFFIX"] = f"{os.environ.get('TEST_DB_SUFFIX', '')}outside_{worker}_"
    return env


def test_an_external_plugin_generates_its_migration_ships_a_translation_and_passes_its_tests(tmp_path):
    source = tmp_path / "motcua-src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    plugin = tmp_path / "motcua-plugin-certification"
    shutil.copytree(EXAMPLE, plugin, ignore=ignore)
    package = plugin / "src" / PACKAGE
    shutil.rmtree(package / "migrations")  # generated below by the new command
    (package / "translations" / "en" / "LC_MESSAGES" / "messages.mo").unlink()  # compiled below

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, os.environ.copy())
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path,
                     os.environ.copy()).strip())
    (site / "_third_party_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = _clean_env(tmp_path / "instance")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-build-isolation",
           "--no-index", "--disable-pip-version-check", "--quiet"]
    _run([*pip, str(source)], tmp_path, env)
    _run([*pip, "--editable", str(plugin)], tmp_path, env)

    where = _run([str(python), "-c", "import core, motcua; print(core.__file__); print(motcua.__file__)"], plugin, env)
    assert all(line.startswith(str(site)) for line in where.split()), where  # installed, not the checkout

    flask = [str(python), "-m", "flask", "--app", "motcua"]
    written = _run([*flask, "plugins", "new-migration", "certification", "-m", "certification books"], plugin, env)
    revisions = list((package / "migrations").glob("certification_0001_*.py"))
    assert len(revisions) == 1, written
    revision = revisions[0].read_text(encoding="utf-8")
    assert "branch_labels = ('certification',)" in revision
    # The head is the revision no other names as its parent (ids are given out before landing, so not the highest).
    core_files = [path.read_text() for path in (ROOT / "migrations" / "versions").glob("core_*.py")]
    ids = {re.search(r"^revision = '(\w+)'", text, re.M).group(1) for text in core_files}
    parents = {m.group(1) for text in core_files if (m := re.search(r"^down_revision = '(\w+)'", text, re.M))}
    (core_head,) = ids - parents
    assert f"depends_on = '{core_head}'" in revision
    assert "create_table('certification_book_entries'" in revision
    # The generated file passes the project's lint rules (the plugin's pyproject.toml repeats them) (KIT-03).
    _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], plugin, env)

    _run([str(python), "-m", "babel.messages.frontend", "compile", "-d", str(package / "translations")], plugin, env)
    assert (package / "translations" / "en" / "LC_MESSAGES" / "messages.mo").is_file()

    before = {p.relative_to(plugin) for p in plugin.rglob("*") if "__pycache__" not in p.parts}
    output = _run([str(python), "-m", "pytest", "-v", "-p", "no:cacheprovider"], plugin, env)
    assert " passed" in output and "failed" not in output and "skipped" not in output, output
    assert "DeprecationWarning" not in output, output  # core's forms print no notices into a plugin's run
    for test in ("test_the_revisions_match_the_models", "test_the_plugin_speaks_english_from_its_own_catalogue",
                 "test_approvals_are_numbered_in_the_certification_book"):
        assert f"{test} PASSED" in output, output
    after = {p.relative_to(plugin) for p in plugin.rglob("*") if "__pycache__" not in p.parts}
    assert after == before, f"the tests wrote into the plugin's folder: {sorted(map(str, after - before))}"
