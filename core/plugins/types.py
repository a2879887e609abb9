"""Data types that plugins return from hooks. Core validates and applies them; plugins never mutate core state."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext


def gettext_noop(text: str) -> str:
    """Mark ``text`` for the message catalogue without translating it here (procedure names, fields): it is kept in
    Vietnamese and translated where it is shown, with ``translate``."""
    return text


def translate(text: str) -> str:
    """``text`` in the current request's language when the catalogue has it; unchanged otherwise."""
    return gettext(text) if text else text


@dataclass(frozen=True)
class SettingInfo:
    """How the administration page shows one per-unit setting. Texts are Vietnamese msgids (mark them with
    ``gettext_noop``): the page translates them into the reader's language."""

    label: str
    help: str = ""
    unit: str = ""  # e.g. "đồng", "đồng/tháng"
    kind: str = ""  # "office": the slug of an active office (cơ quan nhận liên thông), chosen from a list


@dataclass(frozen=True)
class Issue:
    """A finding of a validation rule. level "error" blocks; "warning" informs the officer."""

    field: str | None  # form field name the issue is about, or None for the whole dossier
    message: str  # Vietnamese, user-facing (wrap with flask_babel.lazy_gettext)
    level: str = "error"  # "error" | "warning"
    code: str = ""  # stable machine code, e.g. "birth_date_in_future"


# A paper whose name ends in a condition, "(nếu có)", "(nếu đã ly hôn)", "(khi cư trú nơi khác …)", ", nếu có", is
# handed in only in some cases, so its absence never blocks reception.
_CONDITIONAL = re.compile(r"(\((nếu|khi|tùy|trường hợp)\b[^)]*\)|,\s*nếu có)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class RequiredDocument:
    """One component of a procedure's dossier (thành phần hồ sơ).

    ``required``: whether reception needs it. ``None`` (the default) reads the name: a paper marked as conditional
    ("(nếu có)", "(nếu …)", "(khi …)", "(tùy diện)") is optional, any other is required.
    """

    name: str
    kind: str = "original"  # "original" | "copy" | "certified_copy" | "present"
    count: int = 1
    required: bool | None = None

    @property
    def is_required(self) -> bool:
        if self.required is not None:
            return self.required
        return not _CONDITIONAL.search(self.name)


@dataclass(frozen=True)
class ProcessingTime:
    """The legal time limit: working days, working hours, or same day with a cut-off hour."""

    value: float
    unit: str = "working_days"  # "working_days" | "working_hours" | "same_day"
    cutoff: time | None = None


@dataclass(frozen=True)
class ProcedureVersion:
    """The rules of a procedure in force from ``effective_from`` (the law changes; dossiers keep their version)."""

    version: str
    effective_from: date
    legal_basis: str
    processing_time: ProcessingTime
    fee_description: str = ""
    form_set: str = "2025"  # which official form set (TT 01/2018 → "2018", TT 03/2025 → "2025") applies


@dataclass(frozen=True)
class Step:
    """An intermediate step of a procedure, recorded in the history (e.g. "posting_started" for a public posting).

    ``duration`` with ``duration_unit`` ("calendar_days" | "working_days") is how long the step lasts, for timers.
    """

    key: str
    label: str
    duration: float | None = None
    duration_unit: str = "calendar_days"


@dataclass(frozen=True)
class Procedure:
    """A procedure declared by exactly one plugin (its owner).

    ``form_class`` is a WTForms ``Form`` subclass whose field names are the API's ``data`` keys. ``fee`` is a
    callable ``fee(data: dict, context: RuleContext) -> int`` (đồng) and ``rules`` a callable
    ``rules(data: dict, context: RuleContext) -> list[Issue]``; both receive the cleaned form data (dates as
    ``datetime.date``). ``transfer_to_kind`` names the unit kind a dossier is transferred on to (liên thông), e.g.
    ``"office"`` for land registration. ``steps`` are the procedure's own intermediate steps (e.g. a public
    posting) that a specialist records with the ``record_step`` action. ``time_limit`` is a callable
    ``time_limit(data: dict, context: RuleContext) -> ProcessingTime | None`` for procedures whose legal time limit
    depends on the case (a marriage needing verification: 5 working days instead of the same day); ``None`` keeps
    the version's ``processing_time``.
    """

    key: str
    national_code: str
    name: str
    field: str
    versions: tuple[ProcedureVersion, ...]
    form_class: type
    required_documents: tuple[RequiredDocument, ...] = ()
    fee: Callable[..., int] | None = None
    rules: Callable[..., list[Issue]] | None = None
    time_limit: Callable[..., ProcessingTime | None] | None = None
    output_documents: tuple[str, ...] = ()
    transfer_to_kind: str | None = None
    steps: tuple[Step, ...] = ()
    description: str = ""
    order: int = 100
    # "Toàn trình": the whole procedure can be done online, the papers uploaded with the submission (each required
    # paper but the identity paper shown at the desk) and the result delivered electronically. Declared by the
    # plugin: only a procedure whose law asks for no presence in person may say so (docs/decisions.md).
    fully_online: bool = False

    @property
    def plugin(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def display_name(self) -> str:
        """The name in the reader's language, for pages. ``name`` itself stays the official Vietnamese name: it is
        what the API, the printed forms and the national portal use."""
        return translate(self.name)

    @property
    def display_field(self) -> str:
        return translate(self.field)

    def version_at(self, on: date) -> ProcedureVersion:
        """The version in force on ``on``: the latest whose effective date is not after it (else the oldest)."""
        ordered = sorted(self.versions, key=lambda v: v.effective_from)
        current = ordered[0]
        for version in ordered:
            if version.effective_from <= on:
                current = version
        return current

    @property
    def current_version(self) -> ProcedureVersion:
        return self.version_at(date.today())


@dataclass(frozen=True)
class RuleContext:
    """What a rule, fee or time limit may know beyond the form data: the filing date (in Vietnam), the unit that
    receives the dossier (``unit_id``, ``unit_slug``) and the owner plugin's settings there, and the ``channel``
    ("counter", "postal", "online"; "" when no filing is under way, e.g. a preview). Read anything else through the
    read-only helpers of ``core.plugins.api`` (``unit_by_id(context.unit_id)``, ``count_dossiers`` …)."""

    on: date
    unit_slug: str
    unit_settings: dict = field(default_factory=dict)
    unit_id: int | None = None
    channel: str = ""


@dataclass(frozen=True)
class DocumentTemplate:
    """An output document a plugin can print for a dossier (e.g. the birth certificate extract)."""

    key: str  # "<plugin>.<name>"
    title: str
    template: str  # Jinja template path
    procedures: tuple[str, ...] = ()
    available_in: tuple[str, ...] = ("result_ready", "returned")


@dataclass(frozen=True)
class Widget:
    """A dashboard tile contributed by a plugin."""

    title: str
    value: str
    url: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A block of HTML shown on the dossier page (already escaped/safe markup)."""

    title: str
    html: str
    order: int = 100


@dataclass(frozen=True)
class Veto:
    """A reason a plugin refuses a workflow transition."""

    message: str
    code: str = "plugin_veto"


class DeliveryRejected(Exception):
    """Raised by a notification transport or a national-portal connector when the receiver refused the message for
    good (a payload it will never accept): the outbox marks the row dead at once instead of retrying it."""


# --- online payment (register_payment_providers) ----------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRequest:
    """What core asks a payment provider to collect: the dossier's fee, never an amount a client sent.

    ``unit`` is the receiving unit (it collects the fee); ``unit_settings`` are the provider plugin's settings for that
    unit (``[plugins.<name>]``). ``return_url`` is where the citizen comes back to (the tracking page) and
    ``callback_url`` where a gateway posts its result (``POST /api/v1/payments/<provider>/callback``)."""

    reference: str
    amount: int  # đồng
    dossier_code: str
    description: str
    unit: object
    unit_settings: dict
    return_url: str
    callback_url: str


@dataclass(frozen=True)
class PaymentStart:
    """How the citizen pays: a QR payload to scan (``qr_payload``) or a page to go to (``redirect_url``)."""

    qr_payload: str = ""
    redirect_url: str = ""


@dataclass(frozen=True)
class PaymentNotice:
    """A provider's verified word that a payment succeeded (``paid``) or failed. Core matches ``reference`` and
    ``amount`` against its own row; ``transaction_id`` is the provider's id of the money movement."""

    reference: str
    transaction_id: str
    amount: int
    paid: bool


class CallbackRefused(Exception):
    """Raised by ``PaymentProvider.verify_callback`` for a callback that is not authentic (bad or missing signature)
    or not understood: core answers 403/400 and changes nothing."""


@dataclass(frozen=True)
class PaymentProvider:
    """A way to pay a dossier's fee online (see the ``register_payment_providers`` hook).

    - ``start(request: PaymentRequest) -> PaymentStart``; raise ``ValueError`` with a message when the unit cannot
      take this kind of payment (e.g. no bank account set).
    - ``available(unit_settings: dict) -> bool``: whether a unit with these settings can be offered the provider.
    - ``verify_callback(headers: dict, body: bytes) -> PaymentNotice``, for providers that call back; raises
      ``CallbackRefused``. None: the provider has no callback (an officer or a bank statement confirms).
    """

    name: str
    title: str
    start: Callable
    available: Callable = lambda unit_settings: True
    verify_callback: Callable | None = None
    order: int = 100
