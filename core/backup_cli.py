"""flask backup create [--output DIR] | restore DIR (see core/backup.py and README "Backup and restore")."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from core.backup import BackupError, create_backup, restore_backup


@click.group("backup", help="Back up the database and stored files with a sha256 manifest, or restore a backup.")
def backup_cli():
    pass


@backup_cli.command("create")
@click.option("--output", "output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder that receives the new backup folder (default: instance/backups).")
@with_appcontext
def create_command(output: Path | None):
    """Dump the database with its own tools, then copy the stored files, and write manifest.json."""
    try:
        folder = create_backup(output or Path(current_app.instance_path) / "backups")
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {folder}")
    from core.storage import backend_name

    if backend_name() != "filesystem":
        click.echo("note: STORAGE_BACKEND=s3: the files stay in the bucket (keep its versioning and replication on); "
                   "this backup holds the database only")


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(folder: Path):
    """Check FOLDER against its manifest, then restore it into the empty database of DATABASE_URL and UPLOAD_DIR."""
    try:
        restored = restore_backup(folder)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = sum(restored.tables.values())
    click.echo(f"restored {len(restored.tables)} tables ({rows} rows) and {restored.files} files from {folder}; "
               "row counts match the manifest")


def register_cli(app: Flask) -> None:
    app.cli.add_command(backup_cli)
