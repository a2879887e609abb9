"""Online forms prefilled from the signed-in citizen's identity."""

from __future__ import annotations

# Vouched for by the identity provider: shown, not typed, and taken from the identity whatever a form posts.
VOUCHED = ("full_name", "id_number")


def prefill_applicant(form, citizen, fresh: bool) -> None:
    """Put the identity into the applicant block: the vouched fields always, phone and address on a fresh form (the
    citizen may give another phone or address for this dossier)."""
    form.full_name.data, form.id_number.data = citizen.full_name, citizen.id_number
    for name in VOUCHED:
        form[name].render_kw = {**(form[name].render_kw or {}), "readonly": True}
    if fresh:
        form.phone.data = form.phone.data or citizen.phone
        form.address.data = form.address.data or citizen.address
