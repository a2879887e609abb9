"""The plugin contract of Một Cửa.

Every function here is a hook specification. A plugin implements some of them with ``@hookimpl`` (from
``core.plugins``). Hooks return data (the small frozen dataclasses of ``core.plugins.types``); core validates and
applies it. No hook receives the Flask app to mutate.

Two kinds of hooks:

* **Start-up hooks** (``register_*``) are called once, on the full plugin manager, when the application starts. They
  feed immutable registries (procedures, blueprints, documents, CLI commands, transports, settings).
* **Runtime hooks** are only called through ``core.plugins.hooks_for(unit)``, so a plugin that a unit has not
  enabled is never called for that unit.

The order in which plugins answer is not part of the contract; results that need an order carry an ``order`` field.
``docs/plugin_hooks.md`` documents every hook; a test keeps it in step with this file.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("motcua")


# --- start-up hooks ------------------------------------------------------------------------------------------------


@hookspec
def register_procedures():
    """Declare the procedures this plugin owns.

    :returns: a list of ``core.plugins.types.Procedure``. Keys must be ``"<plugin>.<name>"`` and unique across all
        plugins; a duplicate key stops the application at start-up.

    Example::

        @hookimpl
        def register_procedures():
            return [Procedure(key="civil_status.birth_registration", national_code="1.001193", ...)]
    """


@hookspec
def register_blueprints():
    """Contribute Flask blueprints (pages of the plugin).

    Each blueprint is mounted under ``/<unit_slug>/<plugin name>/``; its views receive ``unit_slug``. Core answers
    404 for a unit that has not enabled the plugin, before the view runs.

    :returns: a list of ``flask.Blueprint``.

    Example::

        @hookimpl
        def register_blueprints():
            return [register_book_blueprint]
    """


@hookspec
def register_document_templates():
    """Declare output documents (result papers) this plugin prints for its procedures.

    :returns: a list of ``core.plugins.types.DocumentTemplate``; ``template`` is a Jinja path under the plugin's
        ``templates/`` folder. The template receives ``dossier``, ``unit``, ``data`` and ``procedure``.

    Example::

        @hookimpl
        def register_document_templates():
            return [DocumentTemplate(key="civil_status.birth_extract", title="Trích lục khai sinh",
                                     template="civil_status/birth_extract.html",
                                     procedures=("civil_status.birth_registration",))]
    """


@hookspec
def register_cli_commands():
    """Contribute ``click`` commands or groups to the ``flask`` command line.

    :returns: a list of ``click.Command``.

    Example::

        @hookimpl
        def register_cli_commands():
            return [renumber_books]
    """


@hookspec
def register_notification_transports():
    """Contribute notification transports (SMS gateway, e-mail, Zalo OA …).

    :returns: a dict mapping a channel name (``"sms"``, ``"email"``) to a callable
        ``send(recipient: str, subject: str, body: str) -> None`` that raises on failure.

    Example::

        @hookimpl
        def register_notification_transports():
            return {"sms": send_with_gateway}
    """


@hookspec
def register_unit_settings():
    """Declare the per-unit settings this plugin understands (used to validate ``communes/*.toml``).

    :returns: a dict mapping a setting name to its default value; the default's type is the setting's type.

    Example::

        @hookimpl
        def register_unit_settings():
            return {"late_fee": 8000}
    """


@hookspec
def register_unit_setting_info():
    """Describe the per-unit settings for the administration page: label, help text, unit and kind.

    :returns: a dict mapping a setting name (one of ``register_unit_settings``) to a ``SettingInfo``. Settings left
        out are shown with their name.

    Example::

        @hookimpl
        def register_unit_setting_info():
            return {"late_fee": SettingInfo(gettext_noop("Lệ phí đăng ký quá hạn"), unit=gettext_noop("đồng"))}
    """


# --- runtime hooks (called only for plugins the unit enabled) ------------------------------------------------------


@hookspec
def validate_dossier(procedure, data, context):
    """Check a dossier's form data beyond field-level validation.

    :param procedure: the ``Procedure`` being filed.
    :param data: the cleaned form data (dict, dates as ``datetime.date``).
    :param context: a ``RuleContext`` (date of filing, unit slug and settings).
    :returns: a list of ``Issue`` (``level="error"`` blocks reception, ``"warning"`` is shown to the officer).

    Example::

        @hookimpl
        def validate_dossier(procedure, data, context):
            if procedure.key == "civil_status.birth_registration":
                return rules.check_birth(data["child_birth_date"], context.on)
            return []
    """


@hookspec
def extend_dossier_form(procedure):
    """Add optional fields to another plugin's procedure form.

    :param procedure: the ``Procedure`` whose form is being built.
    :returns: a list of ``(name, wtforms.Field)`` pairs; names must be prefixed with the plugin name
        (``"<plugin>_<field>"``) so they cannot collide. Added fields must be optional.

    Example::

        @hookimpl
        def extend_dossier_form(procedure):
            return [("zalo_notify", BooleanField("Nhận thông báo qua Zalo"))]
    """


@hookspec(firstresult=True)
def route_dossier(procedure, data, receiving_unit):
    """Choose the competent unit of a new dossier (the first non-None answer wins).

    :param procedure: the ``Procedure``.
    :param data: the cleaned form data.
    :param receiving_unit: the ``Unit`` where the dossier was filed.
    :returns: the slug of the competent unit, or ``None`` to keep the receiving unit.

    Example::

        @hookimpl
        def route_dossier(procedure, data, receiving_unit):
            return data.get("residence_unit") or None
    """


@hookspec
def check_transition(dossier, action, actor, arguments, now):
    """Veto a workflow action.

    :param dossier: the ``Dossier`` (read only).
    :param action: the action name, e.g. ``"approve"``.
    :param actor: the ``User`` acting, or ``None`` for a citizen.
    :param arguments: the action's arguments (dict).
    :param now: the aware ``datetime`` of the action: judge timers against it, never against the wall clock (an
        implementation may leave it out of its signature).
    :returns: a ``Veto`` to refuse, or ``None`` to allow.

    Example::

        @hookimpl
        def check_transition(dossier, action, actor, arguments, now):
            if action == "transfer" and posting_not_finished(dossier, now):
                return Veto("Chưa hết thời gian niêm yết công khai 15 ngày.")
    """


@hookspec
def on_dossier_event(dossier, event):
    """React to a history event, inside the same transaction (e.g. assign a register number on approval).

    :param dossier: the ``Dossier`` after the change.
    :param event: the ``DossierEvent`` just appended.
    :returns: ``None``, or a dict of values to merge into ``dossier.data`` (core applies it).

    Example::

        @hookimpl
        def on_dossier_event(dossier, event):
            if event.action == "approve":
                return {"register_number": next_number(dossier)}
    """


@hookspec
def dashboard_widgets(unit, user):
    """Contribute tiles to a unit's dashboard.

    :param unit: the ``Unit`` shown.
    :param user: the ``User`` looking.
    :returns: a list of ``Widget``.

    Example::

        @hookimpl
        def dashboard_widgets(unit, user):
            return [Widget(title="Đang niêm yết", value="3")]
    """


@hookspec
def dossier_panels(dossier, user):
    """Contribute panels to the dossier page.

    :param dossier: the ``Dossier`` shown.
    :param user: the ``User`` looking.
    :returns: a list of ``Panel`` (HTML must be safe, e.g. rendered with ``render_template``).

    Example::

        @hookimpl
        def dossier_panels(dossier, user):
            return [Panel(title="Mức trợ cấp", html=render_template("social_welfare/amount.html", d=dossier))]
    """


@hookspec
def on_plugin_enabled(unit, plugin):
    """Called when a unit enables a plugin (for every enabled plugin, including the one just enabled).

    :param unit: the ``Unit``.
    :param plugin: the plugin name.
    :returns: ``None``.

    Example::

        @hookimpl
        def on_plugin_enabled(unit, plugin):
            if plugin == "civil_status":
                ensure_register_books(unit)
    """


@hookspec
def on_plugin_disabled(unit, plugin):
    """Called when a unit disables a plugin (for the plugins still enabled, and the one being disabled).

    :param unit: the ``Unit``.
    :param plugin: the plugin name.
    :returns: ``None``.

    Example::

        @hookimpl
        def on_plugin_disabled(unit, plugin):
            log.info("%s disabled %s", unit.slug, plugin)
    """
