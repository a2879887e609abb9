"""Core's connector to the national portal: one HTTP POST of the JSON payload per status change.

Settings (application config, else the environment): ``NATIONAL_PORTAL_URL`` (the endpoint receiving the payloads;
unset: sync is disabled), ``NATIONAL_PORTAL_TOKEN`` (sent as ``Authorization: Bearer``) or
``NATIONAL_PORTAL_USERNAME`` and ``NATIONAL_PORTAL_PASSWORD`` (HTTP Basic), ``NATIONAL_PORTAL_TIMEOUT`` (seconds,
10). ``NATIONAL_PORTAL_AGENCY_CODE`` (the sending agency) is read by the payload builder.

The connector keeps nothing between calls, so any number of outbox workers on any nodes may use it.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

from core.notifications.transports import setting
from core.plugins.manager import host
from core.plugins.types import DeliveryRejected

CHANNEL = "national_portal"  # the outbox channel of the national portal's rows
# Answers that say the payload itself is wrong: sending it again cannot succeed, so the row fails at once.
REJECTING_STATUSES = (400, 409, 413, 415, 422)
BODY_CHARS = 500


class HttpConnector:
    """POST the payload as JSON to NATIONAL_PORTAL_URL; 2xx is delivered."""

    def enabled(self) -> bool:
        return bool(setting("NATIONAL_PORTAL_URL"))

    def _headers(self, payload: dict) -> dict:
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
                   "Idempotency-Key": str(payload.get("message_id", ""))}
        token = setting("NATIONAL_PORTAL_TOKEN")
        username = setting("NATIONAL_PORTAL_USERNAME")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif username:
            pair = f"{username}:{setting('NATIONAL_PORTAL_PASSWORD')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        return headers

    def send(self, payload: dict) -> None:
        url = setting("NATIONAL_PORTAL_URL")
        if not url.startswith(("http://", "https://")):
            raise RuntimeError("NATIONAL_PORTAL_URL is not an http(s) URL")
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers=self._headers(payload), method="POST")
        timeout = float(setting("NATIONAL_PORTAL_TIMEOUT") or 10)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
                response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")[:BODY_CHARS]
            if exc.code in REJECTING_STATUSES:
                raise DeliveryRejected(f"HTTP {exc.code}: {body}") from None
            raise RuntimeError(f"HTTP {exc.code}: {body}") from None


def connector():
    """The connector in use (a plugin's, else core's HttpConnector)."""
    return host().national_connector


def sync_enabled() -> bool:
    found = connector()
    return bool(found is not None and found.enabled())


def outbox_transport(recipient: str, subject: str, body: str) -> None:
    """The outbox transport of the national portal's channel: the row's body is the payload."""
    found = connector()
    if found is None:
        raise RuntimeError("No national portal connector is registered.")
    found.send(json.loads(body))
