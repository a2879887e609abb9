"""The ``flask`` command line: core groups plus those of optional areas and plugins."""

from __future__ import annotations

from flask import Flask

from core.modelsets import import_optional

OPTIONAL_CLI_MODULES = ("core.notifications.cli", "core.reports.cli", "core.dossiers.cli", "core.backup_cli",
                        "core.accesslog.cli")


def register_cli(app: Flask) -> None:
    from core.demo.cli import demo_cli
    from core.merging.cli import units_cli
    from core.plugins.cli import plugins_cli
    from core.users.cli import users_cli

    for group in (users_cli, units_cli, plugins_cli, demo_cli):
        app.cli.add_command(group)
    for name in OPTIONAL_CLI_MODULES:
        module = import_optional(name)
        if module is not None:
            module.register_cli(app)
