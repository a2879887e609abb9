"""Statistics and reports by the official definitions (domain.md 3.1-3.4): figures, pages, API and exports.

Modules: ``periods`` (reporting periods in Vietnam dates), ``models`` (the maintained daily/monthly counts, the unit
evaluation, report indexes on the dossier tables), ``aggregate`` (keeps the counts in step with the dossier history),
``services`` (the figures), ``views`` (pages and API), ``exports`` (xlsx, CSV, PDF), ``cli`` (``flask reports``,
``flask bench``).
"""
