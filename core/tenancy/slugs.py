"""Unit slugs are the first segment of the officer pages' URLs (/<slug>/...): they must not shadow a fixed route."""

from __future__ import annotations

from flask import current_app

# First path segments that belong to fixed pages, so no unit may take them as its slug.
RESERVED_SLUGS = frozenset({
    "api", "static", "login", "logout", "me", "healthz", "livez", "thu-tuc", "nop-ho-so", "tra-cuu", "chon-don-vi",
    "admin", "tiep-nhan", "dossiers",
})


def reserved_slugs() -> frozenset[str]:
    """RESERVED_SLUGS plus the first segment of every route that starts with fixed text (static folders included:
    a unit "reports-static" would be unreachable) (SEC-18)."""
    found = set(RESERVED_SLUGS)
    for rule in current_app.url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            found.add(first)
    return frozenset(found)
