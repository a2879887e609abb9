"""SEC-19: `flask backup create` then `flask backup restore` into a fresh database and empty folders gives back every
table's rows and every stored file byte for byte; a tampered backup is refused before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from lifecycle_helpers import APPLICANT, PERMIT, PERMIT_DATA, PLUGINS
from sqlalchemy import inspect, text

from core import create_app
from core.extensions import db
from core.testing import TEST_PASSWORD, scratch_database_url

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

PDF = b"%PDF-1.4\n% scanned page\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def fresh_database_url(tmp_path, database_url):
    """An empty database next to the test database: a new SQLite file, or a new PostgreSQL database."""
    with scratch_database_url(database_url, "restore", tmp_path / "restored.sqlite") as url:
        yield url


def _counts(app) -> dict[str, int]:
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        counts = {n: db.session.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() for n in names}
        db.session.remove()
        db.engine.dispose()
    return counts


def _sums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def populated(app, client, world, tmp_path):
    results = tmp_path / "results" / "2026"
    results.mkdir(parents=True)
    (results / "signed.pdf").write_bytes(PDF + b"% signed\n")
    app.config["RESULTS_DIR"] = str(tmp_path / "results")
    codes = []
    for _ in range(3):
        response = client.post("/api/v1/units/xa-a/dossiers", headers=world.h("tn.a"), json={
            "procedure": PERMIT, "channel": "counter", "applicant": APPLICANT, "data": PERMIT_DATA})
        assert response.status_code == 201
        codes.append(response.get_json()["code"])
    files = [(PDF, "a.pdf"), (PNG, "b.png"), (PDF + b"% another page\n", "c.pdf")]  # stored by content: all differ
    for code, (content, name) in zip(codes, files, strict=True):
        upload = client.post(f"/api/v1/dossiers/{code}/attachments", headers=world.h("tn.a"),
                             data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
        assert upload.status_code == 201, upload.get_json()
    assert client.post(f"/api/v1/dossiers/{codes[0]}/actions", headers=world.h("tn.a"),
                       json={"action": "assign", "assignee": "cv.a"}).status_code == 200
    return app


def _restored_app(url: str, tmp_path: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key", "TESTING": True,
                       "INSTALLED_PLUGINS": PLUGINS, "UPLOAD_DIR": str(tmp_path / "restored-uploads"),
                       "RESULTS_DIR": str(tmp_path / "restored-results")})


def _create(app, output: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(output)])
    assert result.exit_code == 0, result.output
    folders = [p for p in output.iterdir() if p.is_dir()]
    assert len(folders) == 1
    assert str(folders[0]) in result.output
    return folders[0]


def test_backup_then_restore_into_a_fresh_database_gives_back_every_row_and_file(populated, tmp_path,
                                                                                  fresh_database_url):
    source_counts = _counts(populated)
    assert source_counts["dossiers"] == 3 and source_counts["attachments"] == 3
    source_files = _sums(Path(populated.config["UPLOAD_DIR"]))
    assert len(source_files) == 3

    backup = _create(populated, tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["tables"] == source_counts
    for relative, digest in manifest["files"].items():
        assert hashlib.sha256((backup / relative).read_bytes()).hexdigest() == digest

    restored = _restored_app(fresh_database_url, tmp_path)
    result = restored.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert "row counts match" in result.output

    assert _counts(restored) == source_counts
    assert _sums(Path(restored.config["UPLOAD_DIR"])) == source_files
    assert _sums(Path(restored.config["RESULTS_DIR"])) == _sums(Path(populated.config["RESULTS_DIR"]))
    assert len(_sums(Path(restored.config["RESULTS_DIR"]))) == 1
    # The restored deployment works: an officer logs in, sees the dossiers and downloads an attachment.
    client = restored.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "tn.a", "password": TEST_PASSWORD})
    assert token.status_code == 200
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    listing = client.get("/api/v1/units/xa-a/dossiers", headers=headers)
    assert listing.get_json()["total"] == 3
    attachment = client.get(f"/api/v1/dossiers/{listing.get_json()['dossiers'][0]['code']}/attachments",
                            headers=headers)
    assert attachment.status_code == 200
    with restored.app_context():
        db.engine.dispose()


def _tamper_cases():
    def change_a_file(backup: Path):
        victim = next(p for p in (backup / "files" / "uploads").rglob("*") if p.is_file())
        victim.write_bytes(victim.read_bytes() + b"x")

    def add_a_file(backup: Path):
        (backup / "files" / "uploads" / "extra.pdf").write_bytes(PDF)

    def remove_a_file(backup: Path):
        next(p for p in (backup / "files" / "uploads").rglob("*") if p.is_file()).unlink()

    def change_the_database(backup: Path):
        dump = next(backup.glob("database.*"))
        data = bytearray(dump.read_bytes())
        data[len(data) // 2] ^= 0xFF
        dump.write_bytes(bytes(data))

    def break_the_manifest(backup: Path):
        (backup / "manifest.json").write_text("{not json")

    return [change_a_file, add_a_file, remove_a_file, change_the_database, break_the_manifest]


@pytest.mark.parametrize("tamper", _tamper_cases(), ids=lambda f: f.__name__)
def test_a_tampered_backup_is_refused_and_nothing_is_restored(populated, tmp_path, fresh_database_url, tamper):
    backup = _create(populated, tmp_path / "backups")
    tamper(backup)
    restored = _restored_app(fresh_database_url, tmp_path)
    result = restored.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code != 0
    assert "manifest" in result.output and "Traceback" not in result.output
    assert _counts(restored) == {}
    assert not os.path.exists(restored.config["UPLOAD_DIR"])


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    backup = _create(populated, tmp_path / "backups")
    result = populated.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code != 0
    assert "not empty" in result.output
