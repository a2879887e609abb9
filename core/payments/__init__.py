"""Online payment of a dossier's fee with electronic receipts (issue 12, item 2).

Providers are plugins (``register_payment_providers``); this package keeps the payments, numbers the receipts and
writes every change of a payment into the dossier's history. ``payment_counts`` feeds the service-quality index.
"""

from __future__ import annotations

from core.payments.state import payment_counts, payment_json

__all__ = ["payment_counts", "payment_json"]
