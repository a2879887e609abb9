# The docstrings are the Markdown of docs/plugin_hooks.md (python -m core.plugins.hookdoc), wrapped for the page.
# ruff: noqa: E501
"""A Một Cửa plugin is a Python package with an `INFO = PluginInfo(...)` in its `__init__.py` and a `hooks.py` module of
functions marked with `@hookimpl`. Core calls those functions (the *hooks*) and uses what they **return**: hooks
return data, usually the small frozen dataclasses of `core.plugins` (`Procedure`, `Issue`, `Widget`, `Panel`,
`Veto` …). A hook never receives the Flask application to change, and never writes core tables itself.

```python
# plugins/my_field/__init__.py
from core.plugins import PluginInfo

INFO = PluginInfo(name="my_field", title="Lĩnh vực của tôi", version="1.0.0")

# plugins/my_field/hooks.py
from core.plugins import hookimpl


@hookimpl
def register_procedures():
    return [...]
```

Built-in plugins live in `plugins/<name>/` and are listed in `MOTCUA_PLUGINS` (default:
`civil_status,land,social_welfare,vietqr,gateway`). External plugins are found through the entry-point group `motcua.plugins`
(`[project.entry-points."motcua.plugins"] my_field = "my_field_package"`). `flask plugins list` shows what is
installed, each plugin's hooks, and where it is enabled.

Besides `hooks.py`, core looks for four things in the plugin's package, by name: `models.py` (imported at start-up:
its tables, named `<plugin>_…`, join the schema), `migrations/` (its Alembic revisions on the branch `<plugin>`,
written by `flask plugins new-migration <plugin> -m "..."`), `templates/` (added to the template search path) and
`translations/` (its `<lang>/LC_MESSAGES/messages.mo` catalogues, added to the app's). See
[writing_plugins.md](writing_plugins.md), sections 8 and 9.

The specifications live in `core/plugins/hookspecs.py`, and their docstrings are the one description of each hook:
this page is generated from them (`python -m core.plugins.hookdoc > docs/plugin_hooks.md`), and
`tests/core/test_docs.py` fails while the two differ. A hook
implementation may accept fewer arguments than the specification (pluggy passes only those it names), but never an
argument the specification does not have: start-up stops with `PluginValidationError` on an unknown hook name or
argument, so a misspelt hook fails loudly instead of silently never being called.

There are two kinds of hooks:

- **Start-up hooks** (`register_*`) are called **once**, on every installed plugin, while the application starts.
  What they return fills registries that do not change afterwards (procedures, blueprints, document templates, CLI
  commands, notification transports, unit settings). A mistake here (a duplicate procedure key, a key without the
  plugin's prefix, a procedure without a version) stops start-up with a `ConfigError` that names the problem.
- **Runtime hooks** are called while the application serves requests, and **only for the plugins that the unit
  concerned has enabled** (core calls them through `core.plugins.hooks_for(unit)`). Enabling or disabling a plugin for
  a commune is a row in the `unit_plugins` table (`flask units apply` or the administration pages, through the same
  service, with the same change-log entries and hooks); it takes effect at the next request, in every worker, without
  a restart. Installing, upgrading or removing a plugin's code is different: core reads plugins when it starts, so
  the application must be restarted.

The order in which plugins answer is **not** part of the contract. When an order matters, the returned objects carry
an `order` field and core sorts them. Core ships its own defaults as `trylast` implementations (see
`core/plugins/defaults.py`), so a plugin's answer always comes before them.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("motcua")


# --- start-up hooks ------------------------------------------------------------------------------------------------


@hookspec
def register_procedures():
    """Declare the procedures (thủ tục hành chính) this plugin **owns**: their form, rules, fee, documents and steps.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a list of `core.plugins.Procedure`. Each key is `"<plugin>.<name>"` (the plugin's own name as prefix)
      and unique across all plugins: exactly one plugin owns a procedure, and a duplicate key or a foreign prefix stops
      start-up. Every procedure has at least one `ProcedureVersion` (legal basis, processing time, fee description,
      effective date); a dossier keeps the version in force on the day it was received. `national_code` is the national
      procedure code (mã TTHC, e.g. `1.001193`). `form_class` is a WTForms `Form` whose field names are the keys of the
      dossier's `data` in the API.

    Example:

    ```python
    from datetime import date, time

    from core.plugins import Procedure, ProcedureVersion, ProcessingTime, RequiredDocument, hookimpl
    from plugins.civil_status.forms import BirthRegistrationForm


    @hookimpl
    def register_procedures():
        same_day = ProcessingTime(0, "same_day", time(15, 0))
        return [
            Procedure(
                key="civil_status.birth_registration", national_code="1.001193", name="Đăng ký khai sinh",
                field="Hộ tịch", form_class=BirthRegistrationForm,
                versions=(ProcedureVersion("2025", date(2025, 7, 1), "Luật Hộ tịch 2014; Nghị định 118/2025/NĐ-CP",
                                           same_day),),
                required_documents=(RequiredDocument("Giấy chứng sinh"),),
            )
        ]
    ```
    """


@hookspec
def register_blueprints():
    """Contribute the plugin's own pages as Flask blueprints.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a list of `flask.Blueprint`. Each is mounted under `/<unit_slug>/<plugin name>/`, so every view
      receives a `unit_slug` argument. Before any view of the blueprint runs, core answers **404** when the unit does not
      exist or has not enabled the plugin: a disabled plugin's pages do not exist for that commune. Then, unless the
      blueprint is declared public, core asks for a **login** (an anonymous visitor is sent to the login page) and a
      **role over the unit** or one of its ancestors (permission `dossier.view`; **403** otherwise).
      `core.plugins.api.mark_public(bp)` opens a blueprint to anyone (a public notice board);
      `core.plugins.api.require_permission(bp, "<plugin>.<name>")` asks a narrower permission, core's or one the plugin
      declares with `register_permissions`. Inside a view, ask finer questions with `core.plugins.api.can(current_user,
      permission, unit)`. Templates go in the plugin's `templates/<plugin>/` folder, which core adds to the template
      search path. A plugin whose name is already a path segment of core's pages (`dashboard`, `reports`, `dossiers`,
      `admin` …) is refused at start-up.

    Example:

    ```python
    from flask import Blueprint, render_template

    from core.plugins import hookimpl
    from core.plugins.api import mark_public, require_permission

    books = require_permission(Blueprint("civil_status_books", __name__), "civil_status.books")
    notices = mark_public(Blueprint("civil_status_notices", __name__))


    @books.get("/books")
    def list_books(unit_slug):
        return render_template("civil_status/books.html", unit_slug=unit_slug)


    @hookimpl
    def register_blueprints():
        return [books, notices]  # served at /<unit_slug>/civil_status/books (specialists, leaders) and below
    ```
    """


@hookspec
def register_document_templates():
    """Declare the output documents (result papers such as a birth certificate extract) this plugin can print.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a list of `core.plugins.DocumentTemplate`. `key` is `"<plugin>.<name>"` and unique (a duplicate stops
      start-up); `template` is a Jinja path under the plugin's `templates/` folder and receives `dossier`, `unit`, `data`,
      `procedure`, `signer_name` (the leader who approved the result, "" before) and `draft` (true in a preview);
      `procedures` lists the procedure keys it applies to; `available_in` the dossier states in which it can be printed.
      Write a unit's name inside a sentence with the `in_text` filter (`{{ unit.name|in_text }}` gives "xã Hoàn Sơn").
    - **Drafts and disabling:** while a dossier is being processed (`in_progress`), a document available in
      `result_ready` can be previewed as a draft marked "DỰ THẢO" at `/<unit>/dossiers/<code>/drafts/<key>` (the dossier
      page shows it beside the approval). A result already issued (`result_ready`, `returned`) stays printable after the
      plugin is disabled for the unit, as long as the plugin is installed; nothing new is issued or drafted through a
      disabled plugin.

    Example:

    ```python
    from core.plugins import DocumentTemplate, hookimpl


    @hookimpl
    def register_document_templates():
        return [DocumentTemplate(key="civil_status.birth_extract", title="Trích lục khai sinh",
                                 template="civil_status/birth_extract.html",
                                 procedures=("civil_status.birth_registration",))]
    ```
    """


@hookspec
def register_cli_commands():
    """Add commands or command groups to the `flask` command line.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a list of `click.Command` (a `click.Group` is a command too). Use a name that starts with the plugin's
      name so that commands of different plugins cannot collide.

    Example:

    ```python
    import click
    from flask.cli import with_appcontext

    from core.plugins import hookimpl


    @click.command("civil-status-renumber")
    @with_appcontext
    def renumber_books():
        click.echo("Đã đánh lại số sổ hộ tịch.")


    @hookimpl
    def register_cli_commands():
        return [renumber_books]
    ```
    """


@hookspec
def register_notification_transports():
    """Provide ways to send notifications to citizens (SMS gateway, e-mail, Zalo OA …).

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a dict mapping a channel name (`"sms"`, `"email"` …) to a callable
      `send(recipient: str, subject: str, body: str) -> None` that raises an exception when sending fails (the outbox
      then retries later). Core's defaults (`trylast`) write `sms` and `email` messages to the log; a plugin's transport
      for the same channel replaces the default.

    Example:

    ```python
    import requests

    from core.plugins import hookimpl


    def send_with_gateway(recipient: str, subject: str, body: str) -> None:
        response = requests.post("https://sms.example.vn/send", json={"to": recipient, "text": body}, timeout=10)
        response.raise_for_status()


    @hookimpl
    def register_notification_transports():
        return {"sms": send_with_gateway}
    ```
    """


@hookspec
def register_national_portal_connector():
    """Provide the connector that pushes each dossier's national status to the National Public Service Portal (Cổng
    Dịch vụ công quốc gia), so a province that goes through its own integration bus (LGSP) replaces core's.

    - **Kind:** start-up, called once. A plugin's connector replaces core's default, which posts each payload as JSON
      to `NATIONAL_PORTAL_URL` (docs/national_portal.md); two plugins that both return one stop start-up with a
      `ConfigError`.
    - **Arguments:** none.
    - **Returns:** an object with two methods: `enabled() -> bool` (False: sync is `disabled`, nothing is queued) and
      `send(payload: dict) -> None`. `send` is called by the outbox worker, outside any transaction, once per status
      change, in order per dossier; `payload` has the fields of docs/national_portal.md (its `message_id` is the same
      on every retry, for the receiver to ignore a repeat). `send` raises `DeliveryRejected` (from `core.plugins`) when
      the portal refused the payload for good (the row is marked failed at once, for the administrator to resend), and
      any other exception for a failure worth retrying (the outbox retries with backoff). It keeps no state between
      calls: several workers on several nodes call it.

    Example:

    ```python
    import requests

    from core.plugins import DeliveryRejected, hookimpl


    class ProvinceBus:
        def enabled(self) -> bool:
            return True

        def send(self, payload: dict) -> None:
            response = requests.post("https://lgsp.example.gov.vn/dvcqg/hoso", json=payload, timeout=10)
            if response.status_code in (400, 422):
                raise DeliveryRejected(response.text)
            response.raise_for_status()


    @hookimpl
    def register_national_portal_connector():
        return ProvinceBus()
    ```
    """


@hookspec
def register_payment_providers():
    """Provide ways for citizens to pay a dossier's fee online (a bank-transfer QR code, a payment gateway …).

    - **Kind:** start-up, called once. A unit offers a provider only when it enables the provider's plugin
      (`[plugins.<name>]`, with that plugin's unit settings, e.g. the unit's bank account) and the provider's
      `available(unit_settings)` says yes.
    - **Arguments:** none.
    - **Returns:** a list of `core.plugins.PaymentProvider(name, title, start, available, verify_callback)`. `name` is
      the `provider` of `POST /api/v1/dossiers/<code>/payments` and unique across plugins (a duplicate stops start-up).
      `start(request: PaymentRequest) -> PaymentStart` gets the reference, the amount (the dossier's fee in đồng,
      computed by core: never what a client sent), the dossier code, the receiving unit and its settings for the
      plugin, the return and callback URLs, and answers a QR payload (`qr_payload`) or a page to send the citizen to
      (`redirect_url`). `verify_callback(headers, body) -> PaymentNotice`, for providers that call back, checks the
      callback's signature and raises `CallbackRefused` otherwise; core then matches the reference and the amount with
      its own row, and marks the payment paid at most once (a replayed callback changes nothing). Core keeps the
      payments, the e-receipts (numbered per unit and year) and the dossier's history; a provider keeps no state.
      Two ship with Một Cửa: `vietqr` (plugins/vietqr, a NAPAS VietQR transfer confirmed by an officer or a bank
      statement) and `gateway` (plugins/gateway, a redirect and an HMAC-SHA256 signed callback).

    Example:

    ```python
    from core.plugins import PaymentProvider, PaymentStart, hookimpl


    def start(request):
        return PaymentStart(redirect_url=f"https://pay.example.vn/?ref={request.reference}&amount={request.amount}")


    @hookimpl
    def register_payment_providers():
        return [PaymentProvider(name="example", title="Ví điện tử Ví dụ", start=start)]
    ```
    """


@hookspec
def register_unit_settings():
    """Declare the per-unit settings this plugin understands; `flask units apply` uses them to validate the
    `[plugins.<name>]` tables of `communes/*.toml`.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a dict mapping a setting name to its default value. The default's type is the setting's type: a file
      that sets an unknown name or a value of another type is refused with its file name and line. A unit's values are
      available to rules as `RuleContext.unit_settings`.

    Example:

    ```python
    from core.plugins import hookimpl


    @hookimpl
    def register_unit_settings():
        return {"late_fee": 8000}  # communes/lim.toml: [plugins.civil_status] late_fee = 10000
    ```
    """


@hookspec
def register_unit_setting_info():
    """Describe the per-unit settings of `register_unit_settings` for the administration page (Đơn vị và lĩnh vực →
    Lĩnh vực): a label, a help text and a unit shown beside the value, in the reader's language.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a dict mapping a setting name to a `SettingInfo(label, help="", unit="", kind="")`. Texts are
      Vietnamese msgids marked with `gettext_noop` and translated where they are shown. `kind="office"` makes the setting
      a list of the active offices (cơ quan nhận liên thông) that enable the plugin; any other value is refused on save.
      A setting left out is shown with its name.

    Example:

    ```python
    from core.plugins import SettingInfo, gettext_noop, hookimpl


    @hookimpl
    def register_unit_setting_info():
        return {"late_fee": SettingInfo(gettext_noop("Lệ phí đăng ký quá hạn"), unit=gettext_noop("đồng"))}
    ```
    """


@hookspec
def register_permissions():
    """Declare the permissions this plugin checks, beyond core's (`dossier.view`, `dossier.receive`, `dossier.act`,
    `report.view`, `unit.admin`, `district.admin`), and the roles that grant them.

    - **Kind:** start-up, called once.
    - **Arguments:** none.
    - **Returns:** a dict mapping a permission name, `"<plugin>.<name>"`, to the roles that grant it (`reception`,
      `specialist`, `leader`, `unit_admin`, `district_admin`, `auditor`). A role held on a unit grants it over that unit
      and every unit below, as for core's permissions. A name without the plugin's prefix or an unknown role stops
      start-up. Check a permission with `core.plugins.api.can(user, "<plugin>.<name>", unit)`, the same single check
      core uses, or ask it for a whole blueprint with `require_permission`.

    Example:

    ```python
    from core.plugins import hookimpl


    @hookimpl
    def register_permissions():
        return {"civil_status.books": {"specialist", "leader"}}
    ```
    """


# --- runtime hooks (called only for plugins the unit enabled) ------------------------------------------------------


@hookspec
def validate_dossier(procedure, data, context):
    """Check a dossier's form data beyond what the form's field validators can see (dates against each other, against the
    day of filing, against the unit's settings). Called for every procedure, including those of other plugins: return
    `[]` for procedures you have nothing to say about.

    - **Kind:** runtime, for the plugins enabled by the receiving unit.
    - **Arguments:**
      - `procedure`: the `Procedure` being filed.
      - `data`: the cleaned form data (a dict; dates are `datetime.date`).
      - `context`: a `RuleContext` with `on` (the date of filing), `unit_id` and `unit_slug` of the receiving unit,
        `unit_settings` (the owner plugin's settings for that unit) and `channel` ("counter", "postal", "online").
    - **Returns:** a list of `core.plugins.Issue`. An issue with `level="error"` blocks reception (the API answers 422
      with the issue's message under its `field`); `level="warning"` is shown to the officer and recorded with the
      dossier.

    Example:

    ```python
    from core.plugins import Issue, hookimpl


    @hookimpl
    def validate_dossier(procedure, data, context):
        if procedure.key != "civil_status.birth_registration":
            return []
        if data["child_birth_date"] > context.on:
            return [Issue("child_birth_date", "Ngày sinh không được sau ngày đăng ký.", code="birth_date_in_future")]
        return []
    ```
    """


@hookspec
def extend_dossier_form(procedure):
    """Add optional fields to a procedure's form, including procedures owned by other plugins (ownership is not
    extension).

    - **Kind:** runtime, for the plugins enabled by the unit whose form is built (the catalogue API lists the added
      fields too).
    - **Arguments:**
      - `procedure`: the `Procedure` whose form is being built.
    - **Returns:** a list of `(name, wtforms.Field)` pairs. Names start with the plugin's name (`"<plugin>_<field>"`) so
      they cannot collide with the owner's fields or another plugin's. Added fields must be optional: the owner's
      procedure must still be fileable without them.

    Example:

    ```python
    from wtforms import BooleanField

    from core.plugins import hookimpl


    @hookimpl
    def extend_dossier_form(procedure):
        return [("zalo_notify", BooleanField("Nhận thông báo qua Zalo"))]
    ```
    """


@hookspec(firstresult=True)
def route_dossier(procedure, data, receiving_unit):
    """Choose the competent unit of a new dossier, when it is not the unit that received it (citizens may file at any
    commune desk; some dossiers belong to the commune of residence).

    - **Kind:** runtime, for the plugins enabled by the receiving unit; **firstresult**: the first answer that is not
      `None` wins, and core's own default (`trylast`) answers `None`.
    - **Arguments:**
      - `procedure`: the `Procedure`.
      - `data`: the cleaned form data.
      - `receiving_unit`: the `Unit` where the dossier was filed.
    - **Returns:** the slug of the competent unit, or `None` to keep the receiving unit. A slug of a unit that does not
      exist, is inactive or has not enabled the procedure's plugin makes reception fail with 422 `no_competent_unit`.

    Example:

    ```python
    from core.plugins import hookimpl


    @hookimpl
    def route_dossier(procedure, data, receiving_unit):
        if procedure.key == "social_welfare.monthly_allowance":
            return data.get("residence_unit") or None
        return None
    ```
    """


@hookspec
def check_transition(dossier, action, actor, arguments, now):
    """Refuse a workflow action that the plugin's rules do not allow yet (core has already checked the state and the
    actor's role).

    - **Kind:** runtime, for the plugins enabled by the dossier's competent unit.
    - **Arguments:**
      - `dossier`: the `Dossier` (read only).
      - `action`: the action name, e.g. `"approve"`, `"transfer"`.
      - `actor`: the `User` acting, or `None` for a citizen.
      - `arguments`: the action's arguments (a dict).
      - `now`: the aware `datetime` of the action. Judge timers (a posting period, a waiting time) against it rather
        than the wall clock, so that an action recorded with its real moment is judged at that moment. Like any hook
        argument, an implementation that does not need it may leave it out.
    - **Returns:** a `core.plugins.Veto` to refuse (the API answers 409 with the veto's `code` and `message`), or
      `None` to allow.

    Example:

    ```python
    from core.plugins import Veto, hookimpl


    @hookimpl
    def check_transition(dossier, action, actor, arguments, now):
        if action == "transfer" and dossier.procedure_key.startswith("land.") and not dossier.data.get("posting_done"):
            return Veto("Chưa hết thời gian niêm yết công khai 15 ngày.", code="posting_not_finished")
        return None
    ```
    """


@hookspec
def on_dossier_event(dossier, event):
    """React to an entry appended to a dossier's history, inside the same database transaction (for example, give the
    result a register number when it is approved).

    - **Kind:** runtime, for the plugins enabled by the dossier's competent unit.
    - **Arguments:**
      - `dossier`: the `Dossier` after the change.
      - `event`: the `DossierEvent` just appended (`action`, `from_status`, `to_status`, `actor_name`, `payload` …).
    - **Returns:** `None`, or a dict of values that core merges into `dossier.data`. A plugin that needs more (its own
      table, such as a register book) writes rows of its own prefixed tables; it never changes core columns.

    Example:

    ```python
    from core.plugins import hookimpl
    from plugins.civil_status.register import next_number


    @hookimpl
    def on_dossier_event(dossier, event):
        if event.action == "approve" and dossier.procedure_key == "civil_status.birth_registration":
            return {"register_number": next_number(dossier)}
        return None
    ```
    """


@hookspec
def dashboard_widgets(unit, user):
    """Contribute tiles to a unit's dashboard.

    - **Kind:** runtime, for the plugins enabled by the unit shown.
    - **Arguments:**
      - `unit`: the `Unit` whose dashboard is shown.
      - `user`: the `User` looking at it.
    - **Returns:** a list of `core.plugins.Widget` (`title`, `value`, optional `url`, `order`). The tiles are shown,
      in their `order`, on the unit's dashboard (`/<unit>/dashboard`; the queue page stays for the dossiers). Each
      plugin is called on its own: one that raises is logged and shown as a notice, and the other tiles still appear. Count with
      the read-only queries of `core.plugins.api` (`count_dossiers`, `dossiers_of`).

    Example:

    ```python
    from core.plugins import Widget, hookimpl
    from core.plugins.api import RUNNING_STATES, count_dossiers


    @hookimpl
    def dashboard_widgets(unit, user):
        waiting = count_dossiers(unit, ("land.change_registration",), RUNNING_STATES)
        return [Widget(title="Biến động chờ chuyển liên thông", value=str(waiting), order=20)]
    ```
    """


@hookspec
def dossier_panels(dossier, user):
    """Contribute blocks of information to a dossier's page.

    - **Kind:** runtime, for the plugins enabled by the dossier's competent unit.
    - **Arguments:**
      - `dossier`: the `Dossier` shown.
      - `user`: the `User` looking at it.
    - **Returns:** a list of `core.plugins.Panel` (`title`, `html`, `order`). `html` is inserted as HTML only when it
      is a `markupsafe.Markup`, as `core.plugins.api.render_panel(template, **values)` returns (Jinja escapes the
      values); a plain `str` is escaped and shows as text. Each plugin is called on its own: one that raises is logged
      and its place shows a notice, so the dossier page still opens.

    Example:

    ```python
    from core.plugins import Panel, hookimpl
    from core.plugins.api import render_panel


    @hookimpl
    def dossier_panels(dossier, user):
        if not dossier.procedure_key.startswith("social_welfare."):
            return []
        return [Panel(title="Mức trợ cấp", html=render_panel("social_welfare/amount.html", dossier=dossier))]
    ```
    """


@hookspec
def on_plugin_enabled(unit, plugin):
    """Learn that a unit has enabled a plugin, for example to prepare the plugin's own records for that unit.

    - **Kind:** runtime; called for every plugin the unit has enabled, including the one just enabled.
    - **Arguments:**
      - `unit`: the `Unit`.
      - `plugin`: the name of the plugin just enabled (compare it with your own name).
    - **Returns:** `None`.

    Example:

    ```python
    from core.plugins import hookimpl
    from plugins.civil_status.register import ensure_register_books


    @hookimpl
    def on_plugin_enabled(unit, plugin):
        if plugin == "civil_status":
            ensure_register_books(unit)
    ```
    """


@hookspec
def on_plugin_disabled(unit, plugin):
    """Learn that a unit has disabled a plugin. The plugin's existing dossiers stay readable; only new work stops.

    - **Kind:** runtime; called for the plugins the unit still has enabled and for the one being disabled.
    - **Arguments:**
      - `unit`: the `Unit`.
      - `plugin`: the name of the plugin being disabled.
    - **Returns:** `None`.

    Example:

    ```python
    import logging

    from core.plugins import hookimpl

    log = logging.getLogger(__name__)


    @hookimpl
    def on_plugin_disabled(unit, plugin):
        log.info("%s disabled %s", unit.slug, plugin)
    ```
    """
