"""The public face of the plugin system: what plugins import."""

from __future__ import annotations

import pluggy

from core.plugins.manager import (
    PluginInfo,
    enabled_plugins,
    get_procedure,
    hooks_for,
    host,
    is_enabled,
    procedures_for,
)
from core.plugins.types import (
    CallbackRefused,
    DeliveryRejected,
    DocumentTemplate,
    Issue,
    Panel,
    PaymentNotice,
    PaymentProvider,
    PaymentRequest,
    PaymentStart,
    Procedure,
    ProcedureVersion,
    ProcessingTime,
    RequiredDocument,
    RuleContext,
    SettingInfo,
    Step,
    Veto,
    Widget,
    gettext_noop,
    translate,
)

hookimpl = pluggy.HookimplMarker("motcua")

__all__ = [
    "CallbackRefused",
    "DeliveryRejected",
    "DocumentTemplate",
    "Issue",
    "Panel",
    "PaymentNotice",
    "PaymentProvider",
    "PaymentRequest",
    "PaymentStart",
    "PluginInfo",
    "Procedure",
    "ProcedureVersion",
    "ProcessingTime",
    "RequiredDocument",
    "RuleContext",
    "SettingInfo",
    "Step",
    "Veto",
    "Widget",
    "gettext_noop",
    "translate",
    "enabled_plugins",
    "get_procedure",
    "hookimpl",
    "hooks_for",
    "host",
    "is_enabled",
    "procedures_for",
]
