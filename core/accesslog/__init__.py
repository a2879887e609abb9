"""Who looked at whose personal data: officers' views, downloads, prints and exports of dossiers (SEC-10).

The personal-data rules (Decree 13/2023/NĐ-CP, in this role replaced from 1/1/2026 by Law 91/2025/QH15, LAW-28)
ask a controller to be able to show who processed which personal data and when. Every successful officer request
to an endpoint listed in ``core.accesslog.record.LOGGED`` writes one row: who, when, what, which dossier or unit,
from which address. Administrators read it at ``/<unit>/admin/truy-cap``; ``flask access-log prune`` deletes rows
older than ``ACCESS_LOG_RETENTION_DAYS``.
"""
