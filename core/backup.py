"""Backup and restore: the database with its own tools, the stored files, and a manifest of sha256 sums (SEC-19).

A backup is one folder::

    manifest.json          what is inside, the row count of every table, the sha256 of every other file
    database.dump          PostgreSQL: pg_dump's custom format (restored with pg_restore)
    database.sqlite        SQLite: a copy made with SQLite's online backup API (consistent while the app writes)
    files/uploads/...      UPLOAD_DIR
    files/results/...      RESULTS_DIR, when set and present
    files/secret_key       instance/secret_key, when the key was generated there (development)

The database is dumped before the files are copied: an attachment's file is written before its row commits, so
this order never leaves a row without its file (a file without a row is harmless). Restore checks the whole
manifest before it touches anything, and refuses a backup whose files were changed, added or removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from core.extensions import db

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup that cannot be made or must not be restored; the message says why."""


@dataclass
class Restored:
    folder: Path
    tables: dict[str, int]
    files: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _folders() -> dict[str, str]:
    """Stored-file folders to save, by name. None with STORAGE_BACKEND=s3: the bucket keeps the files, protected by
    its own versioning and replication (README), and a backup then holds the database only."""
    from core.storage import backend_name

    if backend_name() != "filesystem":
        return {}
    folders = {"uploads": current_app.config["UPLOAD_DIR"]}
    if current_app.config.get("RESULTS_DIR"):
        folders["results"] = current_app.config["RESULTS_DIR"]
    return folders


def _secret_key_file() -> Path:
    return Path(current_app.instance_path) / "secret_key"


def _count(conn) -> dict[str, int]:
    names = sorted(inspect(conn).get_table_names())
    return {name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar() for name in names}


def _count_sqlite(connection: sqlite3.Connection) -> dict[str, int]:
    names = sorted(row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    return {name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def row_counts() -> dict[str, int]:
    """Rows of every table of the database (plugins' and Alembic's included), by name."""
    with db.engine.connect() as conn:
        return _count(conn)


# --- PostgreSQL ------------------------------------------------------------------------------------------------------


def _pg_target(url) -> tuple[list[str], dict]:
    """libpq arguments and environment for ``url``; the password goes through PGPASSWORD, never the command line."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--dbname", url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)]
    return args, env


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not found:
        raise BackupError(f"cannot read a version from {version_text!r}")
    return int(found.group(1))


def _check_pg_tool(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    tool_major = _major(subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout)
    with db.engine.connect() as conn:
        server_major = int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000
    if tool_major < server_major:
        raise BackupError(f"{tool} {tool_major} is older than the PostgreSQL server {server_major}: "
                          f"install the client tools of version {server_major} or newer")
    return path


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:2000]}")


# --- create ----------------------------------------------------------------------------------------------------------


def create_backup(parent: Path) -> Path:
    """Write a new backup folder inside ``parent``; returns its path."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = parent / f"motcua-backup-{stamp}"
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = parent / f"motcua-backup-{stamp}-{suffix}"
    folder.mkdir(parents=True)

    if url.get_backend_name() == "postgresql":
        pg_dump = _check_pg_tool("pg_dump")
        args, env = _pg_target(url)
        database_file = "database.dump"
        # The counts and the dump read one snapshot, so a restore can be checked against them on a live system.
        with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
                counts = _count(conn)
                _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                      "--file", str(folder / database_file), *args], env)
    elif url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("an in-memory SQLite database cannot be backed up")
        database_file = "database.sqlite"
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(folder / database_file)
        try:
            source.backup(target)  # SQLite's online backup API: a consistent copy while others write
            counts = _count_sqlite(target)  # the copy's own counts
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"no backup method for the database {url.get_backend_name()}")

    # After the database (see the module's docstring): files of rows committed meanwhile are simply extra.
    folders = {}
    for name, path in _folders().items():
        if os.path.isdir(path):
            shutil.copytree(path, folder / "files" / name)
            folders[name] = str(Path("files") / name)
    if _secret_key_file().is_file() and not os.environ.get("SECRET_KEY"):
        (folder / "files").mkdir(exist_ok=True)
        shutil.copy2(_secret_key_file(), folder / "files" / "secret_key")

    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"dialect": url.get_backend_name(), "file": database_file, "tables": counts},
        "folders": folders,
        "files": {rel: sha256_of(folder / rel) for rel in _listing(folder)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return folder


def _listing(folder: Path) -> list[str]:
    """Every file of the backup except the manifest, as POSIX paths relative to ``folder``."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST)


# --- restore ---------------------------------------------------------------------------------------------------------


def verify(folder: Path) -> dict:
    """The backup's manifest, once every file matches it; otherwise BackupError naming what differs."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} is missing")
    try:
        manifest = json.loads(manifest_path.read_text())
        files = manifest["files"]
        database = manifest["database"]
        assert manifest["format"] == FORMAT and isinstance(files, dict) and database["file"] in files
    except (ValueError, KeyError, TypeError, AssertionError):
        raise BackupError(f"{MANIFEST} is damaged or of another format") from None
    present = set(_listing(folder))
    problems = [f"missing: {rel}" for rel in sorted(set(files) - present)]
    problems += [f"not in the manifest: {rel}" for rel in sorted(present - set(files))]
    problems += [f"sha256 differs: {rel}" for rel in sorted(set(files) & present)
                 if sha256_of(folder / rel) != files[rel]]
    if problems:
        shown = "; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise BackupError(f"the backup does not match its manifest, nothing was restored: {shown}")
    return manifest


def restore_backup(folder: Path) -> Restored:
    """Restore ``folder`` into the configured (empty) database and (empty) file folders."""
    manifest = verify(folder)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = manifest["database"]["dialect"]
    if url.get_backend_name() != dialect:
        raise BackupError(f"the backup holds a {dialect} database; DATABASE_URL points to {url.get_backend_name()}")
    existing = inspect(db.engine).get_table_names()
    if existing:
        raise BackupError(f"the target database is not empty ({len(existing)} tables): restore into a new, empty "
                          "database (PostgreSQL: createdb; SQLite: a new file) and set DATABASE_URL to it")
    targets = _folders()
    for name in manifest["folders"]:
        if name not in targets:
            raise BackupError(f"the backup holds the folder {name!r} but no setting says where it goes "
                              f"({name.upper()}_DIR)")
        target = Path(targets[name])
        if target.exists() and any(target.iterdir()):
            raise BackupError(f"{target} is not empty: restore the files into an empty folder")

    database_file = folder / manifest["database"]["file"]
    db.session.remove()
    db.engine.dispose()
    if dialect == "postgresql":
        pg_restore = _check_pg_tool("pg_restore")
        args, env = _pg_target(url)
        _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args,
              str(database_file)], env)
    else:
        source = sqlite3.connect(database_file)
        target = sqlite3.connect(url.database)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    db.engine.dispose()

    copied = 0
    for name, relative in manifest["folders"].items():
        target = Path(targets[name])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder / relative, target, dirs_exist_ok=True)
        copied += sum(1 for p in (folder / relative).rglob("*") if p.is_file())
    secret = folder / "files" / "secret_key"
    if secret.is_file() and not _secret_key_file().exists():
        _secret_key_file().parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(secret, _secret_key_file())
        _secret_key_file().chmod(0o600)

    counts = row_counts()
    if counts != manifest["database"]["tables"]:
        differ = sorted(k for k in set(counts) | set(manifest["database"]["tables"])
                        if counts.get(k) != manifest["database"]["tables"].get(k))
        raise BackupError(f"restored, but row counts differ from the manifest in: {', '.join(differ)}")
    return Restored(folder, counts, copied)
