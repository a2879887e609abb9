"""Unit slugs are the first segment of the officer pages' URLs (/<slug>/...): they must not shadow a fixed route."""

from __future__ import annotations

from flask import current_app

from core.officer.common import RESERVED_SLUGS


def reserved_slugs() -> frozenset[str]:
    """RESERVED_SLUGS plus the first segment of every route that starts with fixed text (static folders included:
    a unit "reports-static" would be unreachable) (SEC-18)."""
    found = set(RESERVED_SLUGS)
    for rule in current_app.url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            found.add(first)
    return frozenset(found)
