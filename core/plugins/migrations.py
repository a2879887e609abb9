"""A plugin's tables under Alembic: its revisions live in ``<package>/migrations`` on a branch named after it, whose
first revision depends on core's schema (``flask plugins new-migration``, docs/writing_plugins.md "Tables and
migrations"), and a check that they match its models (``check_plugin_migrations``, used by ``core.testing``).

Revisions are compared against a scratch SQLite database upgraded to every head, never the developer's database:
the command works on a fresh checkout and cannot be confused by local data. A plugin owns the tables whose names
start with ``<plugin>_`` (migrations/env.py, ``MOTCUA_MIGRATION_SCOPE``).
"""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Flask


class MigrationError(RuntimeError):
    """The revision cannot be written; the message says why."""


def migrations_folder(app: Flask, plugin: str) -> Path:
    host = app.extensions["motcua"]
    if plugin not in host.plugins:
        raise MigrationError(f"No plugin '{plugin}' is loaded (see `flask plugins list`).")
    return Path(host.plugins[plugin].package.__file__).parent / "migrations"


@contextmanager
def _scope(plugin: str):
    previous = os.environ.get("MOTCUA_MIGRATION_SCOPE")
    os.environ["MOTCUA_MIGRATION_SCOPE"] = plugin
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("MOTCUA_MIGRATION_SCOPE", None)
        else:
            os.environ["MOTCUA_MIGRATION_SCOPE"] = previous


def scratch_app(app: Flask, database_url: str) -> Flask:
    """The same application (plugins, settings) on another database."""
    from core import create_app

    config = {key: app.config[key] for key in ("SECRET_KEY", "INSTALLED_PLUGINS", "LOAD_ENTRYPOINT_PLUGINS",
                                               "TESTING") if key in app.config}
    config["SQLALCHEMY_DATABASE_URI"] = database_url
    return create_app(config, instance_path=app.instance_path)


def _alembic_config(app: Flask):
    return app.extensions["migrate"].migrate.get_config()


def new_revision(app: Flask, plugin: str, message: str, autogenerate: bool = True) -> Path:
    """Write the plugin's next revision (``<plugin>_000N``) and return its path."""
    from alembic import command
    from alembic.script import ScriptDirectory

    folder = migrations_folder(app, plugin)
    created = not folder.exists()
    folder.mkdir(exist_ok=True)  # before the app reads its version locations (core._version_locations)
    with tempfile.TemporaryDirectory() as scratch_folder:
        scratch = scratch_app(app, f"sqlite:///{Path(scratch_folder) / 'scratch.sqlite'}")
        with scratch.app_context(), _scope(plugin):
            config = _alembic_config(scratch)
            script = ScriptDirectory.from_config(config)
            own = [r for r in script.walk_revisions() if Path(r.path).parent == folder]
            if own:
                arguments = {"head": f"{plugin}@head"}
            else:
                core_head = script.get_revisions("core@head")[0].revision
                arguments = {"head": "base", "branch_label": plugin, "depends_on": core_head}
            command.upgrade(config, "heads")
            written = command.revision(config, message=message, autogenerate=autogenerate,
                                       version_path=str(folder), rev_id=f"{plugin}_{len(own) + 1:04d}",
                                       **arguments)
            from core.extensions import db

            db.engine.dispose()
    if written is None or (autogenerate and _is_empty(Path(written.path))):
        if written is not None:
            Path(written.path).unlink()
        if created:
            shutil.rmtree(folder)  # a plugin without tables keeps no empty migrations folder
        raise MigrationError(f"Plugin '{plugin}' has no change to its tables ({plugin}_*) since its last revision. "
                             "Use --empty for a revision written by hand.")
    path = Path(written.path)
    tidy(path)
    return path


def _is_empty(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upgrade = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade")
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
               for s in upgrade.body)


def tidy(path: Path) -> None:
    """Make a generated revision pass the project's ruff rules wherever it lives (KIT-03): no trailing blanks,
    one sorted block of imports (in a plugin's repository ``core`` is a third-party package like alembic), and no
    unused-import warning for ``op``/``sa`` in a revision written by hand."""
    text = path.read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.splitlines()]
    tree = ast.parse(text)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    if imports:
        first, last = imports[0].lineno - 1, imports[-1].end_lineno
        body = "\n".join(lines[last:])
        block = {}
        for node in imports:
            line = lines[node.lineno - 1]
            statement, _, comment = line.partition("#")
            statement = statement.strip()
            bound = [a.asname or a.name.split(".")[0] for a in node.names]
            if not comment and not any(f"{name}." in body or f"{name}(" in body for name in bound):
                comment = " noqa: F401"
            block.setdefault(statement, f"{statement}  #{comment}" if comment else statement)

        def key(statement: str):
            straight = statement.startswith("import ")
            module = statement.split()[1]
            return (0 if straight else 1, module.lower())

        ordered = [block[s] for s in sorted(block, key=key)]
        rest = lines[last:]
        while rest and not rest[0]:
            rest.pop(0)
        lines = lines[:first] + ordered + [""] + rest
    lines = [wrapped for line in lines for wrapped in _wrap(line)]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


MAX_LINE = 120  # ruff.toml


def _wrap(line: str) -> list[str]:
    """Alembic writes a constraint on one line; its generated name goes to the next line when the line is long."""
    if len(line) <= MAX_LINE:
        return [line]
    head, found, tail = line.rpartition(", name=op.f(")
    if found and len(head) < MAX_LINE:
        indent = len(line) - len(line.lstrip()) + 4
        return [head + ",", " " * indent + "name=op.f(" + tail]
    return [line + "  # noqa: E501"]


def check_plugin_migrations(app: Flask, plugin: str, database_url: str) -> None:
    """On the empty database ``database_url``: upgrade every head, compare the plugin's tables with its models (as
    ``flask db check`` does), then downgrade the plugin's branch to nothing and check its tables are gone. Raises
    ``MigrationError`` saying what differs."""
    from alembic import command
    from alembic.util import AutogenerateDiffsDetected
    from sqlalchemy import inspect

    from core.extensions import db

    if not migrations_folder(app, plugin).is_dir():
        raise MigrationError(f"Plugin '{plugin}' has no migrations folder: run `flask plugins new-migration {plugin} "
                             "-m \"...\"`.")
    scratch = scratch_app(app, database_url)
    with scratch.app_context(), _scope(plugin):
        config = _alembic_config(scratch)
        try:
            command.upgrade(config, "heads")
            try:
                command.check(config)
            except AutogenerateDiffsDetected as exc:
                raise MigrationError(f"The revisions of '{plugin}' do not match its models: {exc}") from exc
            command.downgrade(config, f"{plugin}@base")
            left = [t for t in inspect(db.engine).get_table_names() if t.startswith(f"{plugin}_")]
            if left:
                raise MigrationError(f"Downgrading '{plugin}' to base leaves its tables: {', '.join(left)}")
        finally:
            db.engine.dispose()
