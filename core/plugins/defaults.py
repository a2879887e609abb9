"""Core's own hook implementations: the defaults that plugins may override."""

from __future__ import annotations

import logging

import pluggy

hookimpl = pluggy.HookimplMarker("motcua")
log = logging.getLogger("motcua.notifications")


def _log_transport(channel: str):
    def send(recipient: str, subject: str, body: str) -> None:
        log.info("[%s] to %s: %s %s", channel, recipient, subject, body)

    return send


@hookimpl(trylast=True)
def register_notification_transports():
    # Without a gateway plugin, SMS are written to the log so the outbox still drains; e-mail goes over SMTP when
    # SMTP_HOST is configured (core.notifications.transports), else to the log as well.
    from core.national_portal.connector import CHANNEL, outbox_transport
    from core.notifications.transports import email_transport

    return {"sms": _log_transport("sms"), "email": email_transport, CHANNEL: outbox_transport}


@hookimpl(trylast=True)
def register_national_portal_connector():
    from core.national_portal.connector import HttpConnector

    return HttpConnector()


@hookimpl(trylast=True)
def route_dossier(procedure, data, receiving_unit):
    return None
