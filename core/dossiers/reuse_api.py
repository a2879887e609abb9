"""Reuse endpoints: look up the applicant's earlier e-results (logged, with a purpose) and attach one to a dossier."""

from __future__ import annotations

from flask import jsonify

from core.api import bp, json_body, require_user
from core.dossiers import reuse, services


@bp.post("/dossiers/<code>/earlier-results")
def lookup_earlier_results(code: str):
    user = require_user()
    dossier = services.get_for_user(user, code)
    results = reuse.earlier_results(user, dossier, json_body().get("purpose"))
    return jsonify({"results": [reuse.earlier_json(r) for r in results]})


@bp.post("/dossiers/<code>/reused-results")
def reuse_earlier_result(code: str):
    user = require_user()
    dossier = services.get_for_user(user, code)
    payload = json_body()
    reused = reuse.reuse_result(user, dossier, payload.get("result"), payload.get("document"), payload.get("purpose"))
    return jsonify(reuse.reused_json(reused)), 201
