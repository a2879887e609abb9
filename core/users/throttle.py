"""Throttling of login failures (page and API share the counters).

Two budgets, each counting only failed attempts (HTTP 401):
- per account, keyed on the username exactly as ``authenticate`` reads it (NFKC, trimmed, case-folded), so padding or
  re-casing the name gives no fresh budget (SEC-01); ``LOGIN_RATE_LIMIT``;
- per client address, looser, so one office behind NAT is not locked out by one colleague's typos (SEC-13) while a
  single address still cannot spray guesses over many accounts; ``LOGIN_ADDRESS_RATE_LIMIT``.
While either budget is spent, even the right password is refused (429), so guessing gains nothing.

The counters live in ``RATELIMIT_STORAGE_URI`` (memory per worker by default; Redis to count across workers/nodes).
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from core.extensions import limiter
from core.users.security import normalise_username


def _posted_username() -> str:
    if request.is_json:
        try:
            payload = request.get_json(silent=True)
        except RecursionError:  # absurdly deep JSON: the view answers 400; its key must not crash first
            payload = None
        value = payload.get("username") if isinstance(payload, dict) else None
    else:
        value = request.form.get("username")
    return normalise_username(value) if isinstance(value, str) else ""


def _account_key() -> str:
    return f"account:{_posted_username()}"


def _address_key() -> str:
    return f"address:{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code == 401


def login_throttled(view):
    """Apply both login budgets to a view that answers 401 for a failed login."""
    view = limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="login-account",
                                key_func=_account_key, methods=["POST"], deduct_when=_failed)(view)
    return limiter.shared_limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], scope="login-address",
                                key_func=_address_key, methods=["POST"], deduct_when=_failed)(view)
