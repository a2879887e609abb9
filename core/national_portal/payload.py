"""The payload of one status change, as docs/national_portal.md describes it (schema: core.national_portal.schema)."""

from __future__ import annotations

import uuid

from core.extensions import db
from core.localtime import iso
from core.national_portal.facts import payment_status, result_flags
from core.notifications.transports import setting
from core.plugins.manager import get_procedure
from core.tenancy.models import Unit

SCHEMA_VERSION = 1


def build_payload(dossier, sequence: int, status_at) -> dict:
    """The dossier as the portal must know it now; ``sequence`` orders one dossier's messages (its history event)."""
    from core.dossiers.models import NATIONAL_STATUS

    receiving = db.session.get(Unit, dossier.receiving_unit_id)
    deciding = db.session.get(Unit, dossier.competent_unit_id)
    procedure = get_procedure(dossier.procedure_key)
    national_code = (procedure.national_code if procedure is not None else "") or dossier.procedure_key
    return {
        "schema_version": SCHEMA_VERSION,
        "message_id": uuid.uuid4().hex,
        "sequence": sequence,
        # The sending agency (the province's system); without the setting, the desk that received the dossier.
        "sender_agency_code": setting("NATIONAL_PORTAL_AGENCY_CODE") or receiving.agency_code or receiving.code,
        "dossier_code": dossier.code,
        "procedure_national_code": national_code,
        "receiving_agency_code": receiving.agency_code or receiving.code,
        "deciding_agency_code": deciding.agency_code or deciding.code,
        "channel": dossier.channel,
        "national_status": NATIONAL_STATUS[dossier.status],
        "status_at": iso(status_at),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.extended_due_at or dossier.due_at),
        "finished_at": iso(dossier.finished_at),
        "returned_at": iso(dossier.returned_at),
        "fee": int(dossier.fee or 0),
        "payment_status": payment_status(dossier),
        "result": result_flags(dossier),
    }
