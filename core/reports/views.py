"""Report pages (/<unit_slug>/reports, /<unit_slug>/dashboard, exports) and the report API routes."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from core.reports import api  # noqa: F401  (routes on the shared API blueprint)
