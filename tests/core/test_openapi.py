"""The OpenAPI document (GET /api/v1/openapi.json) and its page (GET /api/docs), and a schemathesis run of the whole
API against it through the WSGI application (no network), authenticated as an officer of a demo-like district.

That the document's endpoints are exactly docs/api.md's (and so the routed ones) is checked in test_api_docs.py.
"""

from __future__ import annotations

import re
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.config import DEFAULT_PLUGINS
from tests.security.fuzz_world import fuzz_world

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=DEFAULT_PLUGINS)
# POST /api/v1/verify takes a PDF as its body: sent as raw bytes, like application/octet-stream.
schemathesis.serializer.alias("application/pdf", "application/octet-stream")
CONVERTER_RE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_openapi_3_1_with_the_routed_paths(app, document):
    assert document["openapi"].startswith("3.1")
    routed = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.rule in ("/healthz", "/livez"):
            path = CONVERTER_RE.sub(r"{\1}", rule.rule)
            routed.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    assert {path: set(item) - {"parameters"} for path, item in document["paths"].items()} == routed
    for path, item in document["paths"].items():
        named = set(re.findall(r"\{([^{}]+)\}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == named, (method, path)


def test_security_bodies_errors_and_idempotency_are_described(document):
    paths = document["paths"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        **document["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert paths["/api/v1/dossiers/{code}"]["get"]["security"] == [{"bearerAuth": []}]
    assert paths["/api/v1/units"]["get"]["security"] == []
    assert {} in paths["/api/v1/units/{slug}/dossiers"]["post"]["security"]  # a citizen submits without a token
    for path in ("/api/v1/units/{slug}/dossiers", "/api/v1/dossiers/{code}/actions"):
        headers = [p for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
        assert [h["name"] for h in headers] == ["Idempotency-Key"]
        assert "requestBody" in paths[path]["post"]
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message", "fields"]
    for path, item in paths.items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and path.startswith("/api/v1/"):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, (method, path, status)
    actions = paths["/api/v1/dossiers/{code}/actions"]["post"]["requestBody"]["content"]["application/json"]
    assert "return_result" in actions["schema"]["properties"]["action"]["enum"]


def test_the_reference_page_renders_every_operation_without_script(client, document):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the page must work offline"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert 'href="/api/v1/openapi.json"' in html and 'id="schema-Dossier"' in html
    assert "Kết quả trả về" in html and "Responses" in client.get("/api/docs?lang=en").get_data(as_text=True)


def test_an_unknown_api_path_is_still_the_json_error(client):
    response = client.get("/api/v1/openapi.yaml")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


# --- schemathesis ------------------------------------------------------------------------------------------------

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = 300


@pytest.mark.app_config(RATELIMIT_ENABLED=False)  # throttles would answer 429 before the code under test runs
def test_schemathesis_finds_no_server_error_and_conforming_responses(app, client, factory):
    world = fuzz_world(app, client, factory)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    real = {"slug": world.unit, "code": world.codes[0]}
    operations = [result.ok() for result in schema.get_all_operations()]
    seen: dict[str, set[int]] = {}

    def check(case):
        # A revoked token would leave the rest of the run unauthenticated: revoke throwaway ones.
        token = world.fresh_token() if case.path == "/api/v1/auth/revoke" else world.token
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        response = case.call()
        seen.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    # Each operation gets its share of the cases, so none is left to chance (a draw over all of them skipped some).
    per_operation = max(4, EXAMPLES // len(operations))
    started = time.monotonic()
    for operation in operations:
        fixed = {name: value for name, value in real.items() if "{" + name + "}" in operation.path}
        strategy = st.one_of(*(operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
                               for mode in GenerationMode for path_parameters in ({}, fixed)))
        settings(max_examples=per_operation, deadline=None, derandomize=True, database=None,
                 phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))(
            given(case=strategy)(check))()
    print(f"schemathesis: {per_operation} cases for each of {len(operations)} operations in "
          f"{time.monotonic() - started:.1f}s")
    assert {f"{operation.method.upper()} {operation.path}" for operation in operations} <= set(seen)
    assert any(status < 300 for statuses in seen.values() for status in statuses)
