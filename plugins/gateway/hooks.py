"""The ``gateway`` payment provider.

Start: the citizen is sent to ``PAYMENT_GATEWAY_URL`` with the query ``merchant``, ``reference``, ``amount`` (đồng),
``description``, ``return_url``, ``callback_url`` and ``signature``: hex HMAC-SHA256 with ``PAYMENT_GATEWAY_SECRET``
of those fields as ``key=value`` pairs sorted by key and joined by ``&`` (``signed_query``), so the gateway can tell
the amount was not changed on the way.

Callback: the gateway POSTs JSON ``{"reference", "transaction_id", "amount", "status": "paid"|"failed"}`` to
``callback_url`` with the header ``X-Signature``: hex HMAC-SHA256 of the raw body with the same secret. A missing or
wrong signature is refused (``CallbackRefused``); core then checks the reference and the amount against its own
payment and changes it at most once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlencode

from core.plugins import CallbackRefused, PaymentNotice, PaymentProvider, PaymentStart, gettext_noop, hookimpl
from core.plugins.api import setting

SIGNATURE_HEADER = "X-Signature"


def sign(secret: str, data: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).hexdigest()


def signed_query(fields: dict, secret: str) -> str:
    canonical = "&".join(f"{key}={fields[key]}" for key in sorted(fields))
    return urlencode({**fields, "signature": sign(secret, canonical.encode("utf-8"))})


def _configured() -> bool:
    return bool(setting("PAYMENT_GATEWAY_URL") and setting("PAYMENT_GATEWAY_SECRET"))


def start(request) -> PaymentStart:
    if not _configured():
        raise ValueError("PAYMENT_GATEWAY_URL and PAYMENT_GATEWAY_SECRET are not set")
    fields = {"merchant": setting("PAYMENT_GATEWAY_MERCHANT"), "reference": request.reference,
              "amount": str(request.amount), "description": request.description,
              "return_url": request.return_url, "callback_url": request.callback_url}
    base = setting("PAYMENT_GATEWAY_URL")
    separator = "&" if "?" in base else "?"
    return PaymentStart(redirect_url=f"{base}{separator}{signed_query(fields, setting('PAYMENT_GATEWAY_SECRET'))}")


def verify_callback(headers, body: bytes) -> PaymentNotice:
    secret = setting("PAYMENT_GATEWAY_SECRET")
    given = headers.get(SIGNATURE_HEADER) or ""
    if not secret or not hmac.compare_digest(given.strip().lower(), sign(secret, body)):
        raise CallbackRefused("bad signature")
    try:
        data = json.loads(body.decode("utf-8"))
        reference, transaction, amount, status = (data["reference"], data["transaction_id"], data["amount"],
                                                   data["status"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise CallbackRefused("malformed callback") from exc
    if (not isinstance(reference, str) or not isinstance(transaction, str) or isinstance(amount, bool)
            or not isinstance(amount, int) or status not in ("paid", "failed")):
        raise CallbackRefused("malformed callback")
    return PaymentNotice(reference=reference, transaction_id=transaction, amount=amount, paid=status == "paid")


@hookimpl
def register_payment_providers():
    return [PaymentProvider(name="gateway", title=gettext_noop("Cổng thanh toán trực tuyến"), start=start,
                            available=lambda settings: _configured(), verify_callback=verify_callback, order=20)]
