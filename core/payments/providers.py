"""The payment providers plugins registered, and which of them a unit offers."""

from __future__ import annotations

from core.plugins.manager import host, is_enabled


def registered() -> dict[str, tuple[str, object]]:
    """provider name -> (plugin, PaymentProvider)."""
    return host().payment_providers


def get(name) -> tuple[str, object] | None:
    return registered().get(name) if isinstance(name, str) else None


def offered(unit) -> list[str]:
    """The providers the unit offers: its plugin is enabled there and the provider accepts the unit's settings."""
    found = []
    for name, (plugin, provider) in sorted(registered().items(), key=lambda item: (item[1][1].order, item[0])):
        if is_enabled(unit, plugin) and provider.available(unit.plugin_settings(plugin)):
            found.append(name)
    return found
