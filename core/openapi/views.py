"""``GET /api/v1/openapi.json`` (the document) and ``GET /api/docs`` (the same, rendered on the server as a page).

The page needs no script and nothing from another site: it works offline and under the project's
Content-Security-Policy (core/security_headers.py), unlike a Swagger UI loaded from a CDN.
"""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, Flask, Response, render_template

from core.openapi.document import openapi_document

bp = Blueprint("openapi", __name__)
METHODS = ("get", "post", "put", "patch", "delete")


def register(app: Flask) -> None:
    app.register_blueprint(bp)


@lru_cache(maxsize=1)
def _document_json() -> str:
    """The document never changes while the application runs: serialised once (it is about 50 kB)."""
    return json.dumps(openapi_document(), ensure_ascii=False, separators=(",", ":"))


@bp.get("/api/v1/openapi.json")
def openapi_json():
    return Response(_document_json(), mimetype="application/json")


def _operations(document: dict) -> list[dict]:
    """Every operation in the document's order, with what the page shows of it."""
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = (operation.get("requestBody") or {}).get("content") or {}
            found.append({
                "method": method.upper(), "path": path, "anchor": operation["operationId"],
                "summary": operation.get("summary", ""), "description": operation.get("description", ""),
                "public": operation.get("security", document.get("security")) in ([], [{}, {"bearerAuth": []}]),
                "token_optional": operation.get("security") == [{}, {"bearerAuth": []}],
                "parameters": operation.get("parameters", []),
                "bodies": [(kind, _pretty(content.get("schema", {}))) for kind, content in body.items()],
                "responses": [(status, response.get("description", ""),
                               [(kind, _schema_name(content.get("schema", {})))
                                for kind, content in (response.get("content") or {}).items()])
                              for status, response in operation["responses"].items()],
            })
    return found


def _schema_name(schema: dict) -> str:
    reference = schema.get("$ref", "")
    return reference.rsplit("/", 1)[-1] if reference else schema.get("type", "") if isinstance(
        schema.get("type"), str) else ""


def _pretty(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2)


@bp.get("/api/docs")
def api_reference():
    document = openapi_document()
    schemas = [(name, _pretty(schema)) for name, schema in document["components"]["schemas"].items()]
    return render_template("api/docs.html", document=document, operations=_operations(document), schemas=schemas)
