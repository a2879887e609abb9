"""A payment gateway as the tests see it: reads our signed redirect, takes the money, signs its callback."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlsplit


class GatewaySimulator:
    def __init__(self, secret: str):
        self.secret = secret
        self.paid: list[str] = []

    def sign(self, data: bytes) -> str:
        return hmac.new(self.secret.encode(), data, hashlib.sha256).hexdigest()

    def open(self, redirect_url: str) -> dict:
        """The payment page: the query's signature must match what we sent, as a real gateway checks it."""
        fields = dict(parse_qsl(urlsplit(redirect_url).query))
        signature = fields.pop("signature")
        canonical = "&".join(f"{k}={fields[k]}" for k in sorted(fields))
        assert hmac.compare_digest(signature, self.sign(canonical.encode())), "the redirect's signature is wrong"
        return fields

    def callback(self, fields: dict, status: str = "paid", transaction_id: str = "GW-0001",
                 amount: int | None = None) -> tuple[bytes, dict]:
        body = json.dumps({"reference": fields["reference"], "transaction_id": transaction_id,
                           "amount": int(fields["amount"]) if amount is None else amount, "status": status}).encode()
        return body, {"X-Signature": self.sign(body), "Content-Type": "application/json"}

    def notify(self, client, fields: dict, **kwargs):
        body, headers = self.callback(fields, **kwargs)
        return client.post("/api/v1/payments/gateway/callback", data=body, headers=headers)
