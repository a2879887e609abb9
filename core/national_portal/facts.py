"""The payment state and result flags a payload reports, read through one small function each so that the modules
that own them (online payments, signed electronic results) plug in here; without them, safe defaults are given."""

from __future__ import annotations

PAYMENT_STATES = ("not_required", "unpaid", "pending", "paid", "exempt")


def payment_status(dossier) -> str:
    """One of PAYMENT_STATES. Without an online-payment record: no fee is "not_required"; a fee whose financial
    obligation the desk recorded as done ("payment_received") is "paid"; otherwise "unpaid"."""
    if not dossier.fee:
        return "not_required"
    if any(event.action == "payment_received" for event in dossier.events):
        return "paid"
    return "unpaid"


def result_flags(dossier) -> dict:
    """``{"electronic": bool, "signed": bool}``: whether the result was issued as an electronic document and whether
    it carries a digital signature. False until a signed electronic result is recorded for the dossier."""
    return {"electronic": False, "signed": False}
