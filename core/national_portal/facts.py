"""The payment state and result flags a payload reports, read through one small function each so that the modules
that own them (online payments, signed electronic results) plug in here; without them, safe defaults are given."""

from __future__ import annotations

PAYMENT_STATES = ("not_required", "unpaid", "pending", "paid", "exempt")


def payment_status(dossier) -> str:
    """One of PAYMENT_STATES: the dossier JSON's ``payment.status`` when online payments (core.payments) are part of
    the deployment. Without them: no fee is "not_required"; a fee whose financial obligation the desk recorded as
    done ("payment_received") is "paid"; otherwise "unpaid"."""
    try:
        from core.payments.state import payment_summary
    except ImportError:  # online payments absent: the defaults below
        payment_summary = None
    if payment_summary is not None:
        return payment_summary(dossier.id, dossier.fee, dossier.procedure_key)["status"]
    if not dossier.fee:
        return "not_required"
    if any(event.action == "payment_received" for event in dossier.events):
        return "paid"
    return "unpaid"


def result_flags(dossier) -> dict:
    """``{"electronic": bool, "signed": bool}``: whether the result was issued as electronic documents (the
    dossier's ``DossierResult`` rows, issued at approval by core.results) and whether every one of them carries a
    digital signature. Both False for a dossier without electronic results (signing off, or not approved yet)."""
    from sqlalchemy import select

    from core.dossiers.models import DossierResult
    from core.extensions import db

    # Read from the table (the session flushes first): results issued in this transaction are rows added beside the
    # dossier, not necessarily in its already loaded ``results`` collection.
    results = list(db.session.scalars(select(DossierResult).where(DossierResult.dossier_id == dossier.id)))
    return {"electronic": bool(results), "signed": bool(results) and all(r.signed_at is not None for r in results)}
