"""The ``flask`` command line: the core groups (plugins add theirs through ``register_cli_commands``)."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from core import backup_cli
    from core.accesslog import cli as accesslog_cli
    from core.demo.cli import demo_cli
    from core.merging.cli import units_cli
    from core.national_portal import cli as national_portal_cli
    from core.notifications import cli as notifications_cli
    from core.payments import cli as payments_cli
    from core.plugins.cli import plugins_cli
    from core.reports import cli as reports_cli
    from core.signing import cli as signing_cli
    from core.users.cli import users_cli

    for group in (users_cli, units_cli, plugins_cli, demo_cli):
        app.cli.add_command(group)
    for module in (notifications_cli, reports_cli, backup_cli, accesslog_cli, national_portal_cli,
                   signing_cli, payments_cli):
        module.register_cli(app)
