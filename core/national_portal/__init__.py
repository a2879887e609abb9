"""Sync with the National Public Service Portal (Cổng Dịch vụ công quốc gia): every new dossier and every change of
its national status (codes 1–10, ``core.dossiers.models.NATIONAL_STATUS``) is queued in the outbox, in the dossier's
own transaction, and pushed by the outbox worker through the connector of the ``register_national_portal_connector``
hook. docs/national_portal.md describes the payload field by field.

For other modules: ``sync_state(dossier)`` (the dossier JSON's ``national_sync``), ``sync_state_counts(unit, from,
to)`` (the service-quality index), ``sync_enabled()``.
"""

from core.national_portal.state import sync_enabled, sync_state, sync_state_counts, sync_states

__all__ = ["sync_enabled", "sync_state", "sync_state_counts", "sync_states"]
