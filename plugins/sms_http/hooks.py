"""Send each SMS as one HTTP POST to a gateway.

Settings (app config, else the environment, as the SMTP settings):

- ``SMS_GATEWAY_URL``: the gateway's send endpoint (http or https). Unset: SMS are only written to the log.
- ``SMS_GATEWAY_TOKEN``: sent as ``Authorization: Bearer <token>`` when set.
- ``SMS_GATEWAY_SENDER``: the registered sender name (brandname), sent as ``from``.
- ``SMS_GATEWAY_TIMEOUT``: seconds, 10 by default.

The request body is JSON ``{"to": "0912345678", "from": <sender>, "text": <message>}`` in UTF-8; most Vietnamese
brandname gateways accept such a body or sit behind a small adapter that does. Any 2xx answer is a success; anything
else (or no answer) raises, so the outbox retries with backoff and finally keeps the row as dead.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from core.plugins import hookimpl
from core.plugins.api import log_transport, setting

USER_AGENT = "mot-cua-sms/1.0"


class GatewayError(RuntimeError):
    """The gateway did not accept the message."""


def send_sms(recipient: str, subject: str, body: str) -> None:
    url = setting("SMS_GATEWAY_URL")
    if not url:
        log_transport("sms")(recipient, subject, body)
        return
    if not url.startswith(("http://", "https://")):
        raise GatewayError("SMS_GATEWAY_URL must be an http(s) URL")
    payload = json.dumps({"to": recipient, "from": setting("SMS_GATEWAY_SENDER"), "text": body},
                         ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    token = setting("SMS_GATEWAY_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=payload, headers=headers, method="POST")
    timeout = float(setting("SMS_GATEWAY_TIMEOUT") or 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the scheme is checked above)
            status = response.status
            answer = response.read(500)
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"SMS gateway answered HTTP {exc.code}: {exc.read(500)!r}") from exc
    if not 200 <= status < 300:
        raise GatewayError(f"SMS gateway answered HTTP {status}: {answer!r}")


@hookimpl
def register_notification_transports():
    return {"sms": send_sms}
