"""Built-in notification transports: the log (always available) and e-mail over SMTP (when SMTP_HOST is set).

A transport is a callable ``send(recipient, subject, body) -> None`` that raises on failure (see the
``register_notification_transports`` hook). Core registers ``email_transport`` for "email": it sends over SMTP when
SMTP_HOST is configured and writes to the log otherwise, so the outbox drains on a machine without a mail server.

SMTP settings come from the application config, else the environment: SMTP_HOST, SMTP_PORT (587), SMTP_USER,
SMTP_PASSWORD, SMTP_FROM, SMTP_SECURITY ("starttls" by default, "ssl" for port 465, "none" for a local relay),
SMTP_TIMEOUT (seconds, 20).
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_app_context

log = logging.getLogger("motcua.notifications")

Transport = Callable[[str, str, str], None]


def setting(name: str, default: str = "") -> str:
    """A setting from the app config (when an app is running and has it), else from the environment."""
    if has_app_context():
        value = current_app.config.get(name)
        if value not in (None, ""):
            return str(value)
    return os.environ.get(name, default)


def smtp_configured() -> bool:
    return bool(setting("SMTP_HOST"))


def log_transport(channel: str) -> Transport:
    """A transport that only writes the message to the log (development, or no gateway configured)."""

    def send(recipient: str, subject: str, body: str) -> None:
        log.info("[%s] to %s: %s %s", channel, recipient, subject, body)

    return send


def build_message(recipient: str, subject: str, body: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body, charset="utf-8")
    return message


def send_email_smtp(recipient: str, subject: str, body: str) -> None:
    """Send one e-mail through the configured SMTP server; raises (smtplib/OSError) on any failure."""
    host = setting("SMTP_HOST")
    if not host:
        raise RuntimeError("SMTP_HOST is not configured")
    security = setting("SMTP_SECURITY").lower() or None
    port = int(setting("SMTP_PORT") or (465 if security == "ssl" else 587))
    security = security or ("ssl" if port == 465 else "starttls")
    timeout = float(setting("SMTP_TIMEOUT") or 20)
    user, password = setting("SMTP_USER"), setting("SMTP_PASSWORD")
    sender = setting("SMTP_FROM") or user or f"mot-cua@{host}"
    message = build_message(recipient, subject, body, sender)
    if security == "ssl":
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    with server:
        if security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if user:
            server.login(user, password)
        server.send_message(message)


def email_transport(recipient: str, subject: str, body: str) -> None:
    """Core's e-mail transport: SMTP when SMTP_HOST is configured, the log otherwise."""
    if smtp_configured():
        send_email_smtp(recipient, subject, body)
    else:
        log_transport("email")(recipient, subject, body)
