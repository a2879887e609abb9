"""The JSON shape of a dossier (GET /api/v1/dossiers/<code>), shared by every endpoint that returns one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.dossiers import workflow
from core.dossiers.models import NATIONAL_STATUS, Dossier
from core.localtime import iso
from core.national_portal import sync_state

if TYPE_CHECKING:
    from core.dossiers.detail import DetailFacts


def original_due_at(dossier: Dossier):
    """The appointment given at reception (Mẫu 01 item 5), as issued: later pauses and calendar changes move
    ``due_at``, not this (LAW-05). Dossiers received before it was recorded fall back to ``due_at``."""
    for event in dossier.events:
        if event.action == "receive":
            value = (event.payload or {}).get("due_at")
            if isinstance(value, str):
                try:
                    return datetime.fromisoformat(value)
                except ValueError:
                    break
            break
    return dossier.due_at


def result_delivery(dossier: Dossier) -> str:
    """Where the applicant asked to collect the result (Mẫu 01 item 6): "desk" or "postal", as recorded when the
    dossier was handed in; older dossiers follow their channel."""
    for event in dossier.events:
        if event.action in ("receive", "submit", "request_supplement", "refuse"):
            value = (event.payload or {}).get("result_delivery")
            if value in ("desk", "postal"):
                return value
            break
    return "postal" if dossier.channel == "postal" else "desk"


def history_json(dossier: Dossier) -> list[dict]:
    return [{
        "at": iso(e.at), "action": e.action, "from": e.from_status or None, "to": e.to_status or None,
        "actor": e.actor_name, "note": e.note, "payload": e.payload or {},
    } for e in dossier.events]


def summary_json(row, labels: dict[str, str]) -> dict:
    """A line of a unit's list (GET /api/v1/units/<slug>/dossiers) from a row of ``queries.SUMMARY_COLUMNS``;
    ``labels`` keeps each status's label for the page (the same few statuses, translated once each)."""
    label = labels.get(row.status)
    if label is None:
        label = labels[row.status] = workflow.state_label(row.status)
    return {
        "code": row.code, "status": row.status, "status_label": label,
        "step": row.step or None, "national_status": NATIONAL_STATUS[row.status],
        "procedure": row.procedure_key, "channel": row.channel,
        "receiving_unit": row.receiving_slug, "competent_unit": row.competent_slug,
        "applicant": {"full_name": row.applicant_name, "phone": row.applicant_phone},
        "received_at": iso(row.received_at), "due_at": iso(row.due_at),
        "extended_due_at": iso(row.extended_due_at), "version": row.version,
    }


def dossier_json(dossier: Dossier, user, facts: DetailFacts | None = None) -> dict:
    """The dossier's JSON. ``facts`` (``core.dossiers.detail.load_for_json``) carries what was read with the dossier:
    its payment, sync state and assignee, and which of its collections are empty, so nothing more is read."""
    from core.dossiers.attachments import attachment_json
    from core.dossiers.results import results_json
    from core.dossiers.reuse import reused_list_json
    from core.dossiers.services import allowed_actions
    from core.payments.state import payment_json

    if facts is None:
        payment, national_sync = payment_json(dossier), sync_state(dossier)
        assignee = dossier.assignee.username if dossier.assignee else None
        results, reused = results_json(dossier), reused_list_json(dossier)
    else:
        payment, national_sync, assignee = facts.payment, facts.national_sync, facts.assignee
        results = results_json(dossier) if facts.has_results else []
        reused = reused_list_json(dossier) if facts.has_reused else []
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": workflow.state_label(dossier.status),
        "step": dossier.step or None,
        "national_status": dossier.national_status,
        "receiving_unit": dossier.receiving_unit.slug,
        "competent_unit": dossier.competent_unit.slug,
        "procedure": dossier.procedure_key,
        "procedure_version": dossier.procedure_version,
        "channel": dossier.channel,
        "result_delivery": result_delivery(dossier),
        "applicant": {
            "full_name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone, "address": dossier.applicant_address,
            "email": dossier.applicant_email or None,
        },
        "data": dossier.data or {},
        "fee": dossier.fee,
        "payment": payment,
        "assignee": assignee,
        "submitted_at": iso(dossier.submitted_at),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "original_due_at": iso(original_due_at(dossier)),
        "extended_due_at": iso(dossier.extended_due_at),
        "paused": dossier.paused_at is not None,
        "finished_at": iso(dossier.finished_at),
        "returned_at": iso(dossier.returned_at),
        "completion": dossier.completion or None,
        "version": dossier.version,
        "allowed_actions": allowed_actions(user, dossier),
        "history": history_json(dossier),
        "attachments": [attachment_json(a, dossier.code) for a in dossier.attachments],
        "documents": documents_json(dossier),
        "results": results,
        "digitized": all_digitized(dossier),
        "reused_results": reused,
        "units_held": units_held_json(dossier),
        "national_sync": national_sync,
    }


def units_held_json(dossier: Dossier) -> list[dict]:
    from core.dossiers.holding import units_held

    return [{**row, "from": iso(row["from"]), "to": iso(row["to"])} for row in units_held(dossier)]


def documents_json(dossier: Dossier) -> list[dict]:
    """The papers of the checklist: catalogue name, whether the procedure requires it, whether it was handed in, and
    its scan (core.dossiers.papers), if digitised."""
    return [{"name": d.name, "required": d.required, "provided": d.provided, "digitized": d.digitized,
             "attachment_id": d.attachment_id} for d in dossier.documents]


# Shown for identification and handed back (the identity card): not part of the dossier's file, so neither asked for
# online nor counted in ``digitized`` (docs/decisions.md).
SHOWN_ONLY = "present"


def all_digitized(dossier: Dossier) -> bool:
    """Every paper handed in is digitised (those only shown for identification aside), and at least one was."""
    kept = [d for d in dossier.documents if d.provided and d.kind != SHOWN_ONLY]
    return bool(kept) and all(d.digitized for d in kept)
