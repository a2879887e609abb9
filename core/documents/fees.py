"""What a dossier costs the citizen, as the dossier page and the receipt (Mẫu 01) state it.

A dossier carries the fee computed at reception (``Dossier.fee``, đồng). Many procedures cannot know the amount then:
land registration fees follow the province council's resolution and the land-use levy, registration fee and income
tax follow the tax authority's notice. So the text is, in order:

- the amount computed at reception when the procedure has a fee rule (``Procedure.fee``): "Miễn phí" when it gave 0
  (a birth registered in time);
- otherwise the procedure version's own fee text (``ProcedureVersion.fee_description``, e.g. "… theo thông báo của
  cơ quan thuế"), never "free" for a procedure whose fee is only known later;
- "Miễn phí" (free) for a procedure that declares neither a fee rule nor a fee text;

followed by each financial obligation recorded during processing (``request_payment``) with its amount and whether it
has been paid (``payment_received``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.documents import formats as fmt
from core.dossiers.models import Dossier
from core.plugins.manager import get_procedure
from core.plugins.types import translate


def _version_fee_text(dossier: Dossier) -> str:
    procedure = get_procedure(dossier.procedure_key)
    if procedure is None or procedure.fee is not None:  # a fee rule computed the amount: 0 means free
        return ""
    on = fmt.local(dossier.received_at or dossier.submitted_at or dossier.created_at)
    version = next((v for v in procedure.versions if v.version == dossier.procedure_version), None)
    version = version or procedure.version_at(on.date() if on else date.today())
    return translate(version.fee_description) if version.fee_description else ""


def obligations(dossier: Dossier) -> list[tuple[int, bool]]:
    """(amount, paid) of each financial obligation recorded on the dossier, oldest first."""
    found: list[list] = []
    for event in dossier.events:
        if event.action == "request_payment":
            found.append([int((event.payload or {}).get("amount") or 0), False])
        elif event.action == "payment_received" and found:
            found[-1][1] = True
    return [(amount, paid) for amount, paid in found]


def fee_text(dossier: Dossier) -> str:
    """"Phí, lệ phí" of the dossier in the current language (see the module docstring)."""
    if dossier.fee:
        base = fmt.money(dossier.fee)
    else:
        base = _version_fee_text(dossier) or _("Miễn phí")
    parts = [base]
    for amount, paid in obligations(dossier):
        if paid:
            parts.append(_("Nghĩa vụ tài chính: %(amount)s (đã thực hiện)", amount=fmt.money(amount)))
        else:
            parts.append(_("Nghĩa vụ tài chính: %(amount)s (chưa thực hiện)", amount=fmt.money(amount)))
    return "; ".join(parts)
