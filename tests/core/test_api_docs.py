"""docs/api.md stays true to the JSON API.

* Every ``/api/...`` rule, ``/healthz`` and ``/livez`` of the application (all built-in plugins installed) has a heading
  ``### `METHOD /path``` in docs/api.md (Flask converters written as ``<name>``), and every heading names a real rule.
* Every ``METHOD /path`` code span anywhere in the page (headings, tables, prose) names a rule of the application.
* The OpenAPI document (``GET /api/v1/openapi.json``) has exactly the documented endpoints (paths with ``{name}``
  parameters), and every documented endpoint is in it.
* Every workflow action and every national status code is in its table.
* For the endpoints the test calls, the first ```json block under the endpoint's heading (the documented success
  response) has exactly the keys of a real response, recursively (objects compared key by key, lists by their first
  element), except inside ``data`` and ``payload`` whose keys depend on the procedure and the action.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.config import DEFAULT_PLUGINS
from core.dossiers.clock import VN_TZ
from core.dossiers.models import NATIONAL_STATUS
from core.dossiers.workflow import ACTIONS
from core.testing import World

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=DEFAULT_PLUGINS)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HEADING_RE = re.compile(rf"^#{{2,4}} `({'|'.join(METHODS)}) (/[^`\s]*)`\s*$", re.MULTILINE)
SPAN_RE = re.compile(rf"`({'|'.join(METHODS)}) (/[^`\s?]*)")
ANY_HEADING_RE = re.compile(r"^#{1,4} ", re.MULTILINE)
JSON_BLOCK_RE = re.compile(r"^```json\n(.*?)^```", re.MULTILINE | re.DOTALL)
CONVERTER_RE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
# Keys whose content depends on the procedure (``data``) or the action (``payload``): only their presence is checked.
OPAQUE = {"data", "payload"}

BIRTH = "civil_status.birth_registration"
APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001203004005", "phone": "0912345678",
             "address": "Thôn Đông, xã A", "email": "an@example.vn"}
PDF = b"%PDF-1.4\n% scanned page\n"


def normalise(rule: str) -> str:
    """``/a/<int:id>`` -> ``/a/<id>``: the form the page writes paths in."""
    return CONVERTER_RE.sub(r"<\1>", rule)


def routed(app, api_only: bool = True) -> set[tuple[str, str]]:
    """(method, path) of every rule (only /api/... and /healthz with ``api_only``), HEAD and OPTIONS left out."""
    found = set()
    for rule in app.url_map.iter_rules():
        if api_only and not (rule.rule.startswith("/api/") or rule.rule in ("/healthz", "/livez")):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method, normalise(rule.rule)))
    return found


@pytest.fixture(scope="module")
def content() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(content) -> dict[tuple[str, str], str]:
    """(method, path) of each endpoint heading -> its text, up to the next heading of any level."""
    starts = [m.start() for m in ANY_HEADING_RE.finditer(content)] + [len(content)]
    found: dict[tuple[str, str], str] = {}
    for match in HEADING_RE.finditer(content):
        end = next(s for s in starts if s > match.start())
        key = (match.group(1), match.group(2))
        assert key not in found, f"{key} has two headings"
        found[key] = content[match.end():end]
    return found


def documented_response(sections, method: str, path: str):
    """The first ```json block of an endpoint's section, parsed."""
    section = sections.get((method, path))
    assert section is not None, f"no heading for {method} {path}"
    block = JSON_BLOCK_RE.search(section)
    assert block is not None, f"{method} {path}: no ```json response example"
    try:
        return json.loads(block.group(1))
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{method} {path}: the json example does not parse: {exc}") from None


def key_differences(documented, real, where: str = "$") -> list[str]:
    """Where the documented example and the real body disagree on keys (objects recursively, lists by their first
    element; a null or empty side is not compared further)."""
    if isinstance(documented, dict) and isinstance(real, dict):
        problems = []
        missing, extra = set(real) - set(documented), set(documented) - set(real)
        if missing:
            problems.append(f"{where}: not documented: {sorted(missing)}")
        if extra:
            problems.append(f"{where}: documented but not returned: {sorted(extra)}")
        for key in set(real) & set(documented):
            if key not in OPAQUE:
                problems += key_differences(documented[key], real[key], f"{where}.{key}")
        return problems
    if isinstance(documented, list) and isinstance(real, list) and documented and real:
        return key_differences(documented[0], real[0], f"{where}[0]")
    return []


# --- the routes and the page agree -----------------------------------------------------------------------------------


def test_the_page_parses_into_endpoint_sections(sections):
    assert len(sections) >= 15
    assert ("GET", "/api/v1/dossiers/<code>") in sections


def test_every_api_route_is_documented(app, sections):
    missing = sorted(routed(app) - set(sections))
    assert not missing, f"routes without a heading in docs/api.md: {missing}"


def test_every_documented_endpoint_is_routed(app, sections):
    stale = sorted(set(sections) - routed(app))
    assert not stale, f"docs/api.md documents endpoints the app does not have: {stale}"


def test_every_method_and_path_mentioned_anywhere_exists(app, content):
    every_rule = routed(app, api_only=False)
    mentioned = {(m.group(1), m.group(2)) for m in SPAN_RE.finditer(content)}
    assert len(mentioned) > len(routed(app))  # the export table and prose name routes too
    unknown = sorted(mentioned - every_rule)
    assert not unknown, f"docs/api.md names routes that do not exist: {unknown}"


def openapi_endpoints(document: dict) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation of an OpenAPI document, ``{name}`` written ``<name>`` as on the page."""
    return {(method.upper(), re.sub(r"\{([^{}]+)\}", r"<\1>", path))
            for path, item in document["paths"].items() for method in item if method.upper() in METHODS}


def test_the_openapi_document_has_exactly_the_documented_endpoints(client, sections):
    document = client.get("/api/v1/openapi.json").get_json()
    described = openapi_endpoints(document)
    assert not sorted(set(sections) - described), "documented in docs/api.md, missing from the OpenAPI document"
    assert not sorted(described - set(sections)), "in the OpenAPI document, not documented in docs/api.md"
    # Path parameters are named as the page names them.
    assert "/api/v1/units/{slug}/dossiers" in document["paths"] and "/api/v1/dossiers/{code}" in document["paths"]


def test_the_openapi_comparison_can_fail():
    document = {"paths": {"/api/v1/a/{code}": {"get": {}, "parameters": []}, "/healthz": {"get": {}}}}
    assert openapi_endpoints(document) == {("GET", "/api/v1/a/<code>"), ("GET", "/healthz")}


def test_converters_are_normalised_consistently():
    assert normalise("/api/v1/dossiers/<code>/attachments/<int:attachment_id>") == \
        "/api/v1/dossiers/<code>/attachments/<attachment_id>"
    assert normalise("/api/v1/units/<slug>") == "/api/v1/units/<slug>"


def test_every_workflow_action_is_in_the_action_table(content):
    for name, action in ACTIONS.items():
        row = re.search(rf"^\| `{name}` \|.*$", content, re.MULTILINE)
        assert row is not None, f"action {name} has no row"
        for argument in action.arguments:
            assert f"`{argument}`" in row.group(0), f"action {name}: argument {argument} not in its row"


def test_every_national_status_is_in_the_status_table(content):
    for state, number in NATIONAL_STATUS.items():
        assert re.search(rf"^\| {number} \| `{state}` \|", content, re.MULTILINE), f"status {number} {state}"


def test_the_key_check_can_fail():
    documented = {"a": 1, "b": {"c": 1}, "rows": [{"x": 1}], "data": {"anything": 1}, "gone": None}
    real = {"a": 1, "b": {"c": 1, "d": 2}, "rows": [{"y": 1}], "data": {}, "e": 3}
    assert sorted(key_differences(documented, real)) == [
        "$.b: not documented: ['d']", "$.rows[0]: documented but not returned: ['x']",
        "$.rows[0]: not documented: ['y']", "$: documented but not returned: ['gone']",
        "$: not documented: ['e']",
    ]
    assert key_differences({"a": [], "b": None}, {"a": [{"z": 1}], "b": {"z": 1}}) == []


# --- the documented bodies are the real ones -------------------------------------------------------------------------


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def _exercise(app, client, factory) -> dict[tuple[str, str], dict]:
    """Call the API through a dossier's whole life and return the body of each endpoint's successful call."""
    factory.district("huyen", agency_code="TEST.HUYEN", name="Huyện Thử")
    factory.commune("xa-a", parent="huyen", name="Xã A")
    factory.commune("xa-b", parent="huyen", name="Xã B")
    for username, role in (("tn.a", "reception"), ("cv.a", "specialist"), ("ld.a", "leader")):
        factory.user(username, (role, "xa-a"))
    world = World(app, client, factory)
    bodies: dict[tuple[str, str], dict] = {}
    today = datetime.now(VN_TZ).date()

    bodies["POST", "/api/v1/auth/token"] = _ok(client.post(
        "/api/v1/auth/token", json={"username": "tn.a", "password": "motcua-test-pass"}))
    bodies["GET", "/api/v1/units"] = _ok(client.get("/api/v1/units"))
    bodies["GET", "/api/v1/units/<slug>/procedures"] = _ok(client.get("/api/v1/units/xa-a/procedures"))
    bodies["GET", "/api/v1/units/<slug>/due-date"] = _ok(client.get(
        f"/api/v1/units/xa-a/due-date?procedure={BIRTH}&received_at=2026-03-02T15:01:00%2B07:00"))

    data = {"child_full_name": "Nguyễn Bình An", "child_sex": "male",
            "child_birth_date": (today - timedelta(days=70)).isoformat(), "birth_place": "Trạm y tế xã A",
            "mother_full_name": "Trần Thị Bích"}
    created = _ok(client.post("/api/v1/units/xa-a/dossiers", headers=world.h("tn.a"), json={
        "procedure": BIRTH, "channel": "counter", "applicant": APPLICANT, "data": data}), 201)
    bodies["POST", "/api/v1/units/<slug>/dossiers"] = created
    code = created["code"]
    online = client.post("/api/v1/units/xa-a/dossiers", json={
        "procedure": BIRTH, "channel": "online", "applicant": APPLICANT, "data": data})
    assert set(_ok(online, 201)) == {"code", "status", "status_label", "national_status", "procedure", "channel",
                                     "receiving_unit", "fee", "submitted_at", "version"}

    def act(username: str, action: str, **arguments) -> dict:
        return _ok(client.post(f"/api/v1/dossiers/{code}/actions", headers=world.h(username),
                               json={"action": action, **arguments}))

    bodies["POST", "/api/v1/dossiers/<code>/actions"] = act("tn.a", "assign", assignee="cv.a", version=1)
    bodies["POST", "/api/v1/dossiers/<code>/attachments"] = _ok(client.post(
        f"/api/v1/dossiers/{code}/attachments", headers=world.h("cv.a"), content_type="multipart/form-data",
        data={"file": (io.BytesIO(PDF), "to-khai.pdf")}), 201)
    bodies["GET", "/api/v1/dossiers/<code>/attachments"] = _ok(client.get(
        f"/api/v1/dossiers/{code}/attachments", headers=world.h("cv.a")))
    bodies["POST", "/api/v1/dossiers/<code>/documents/<index>/scan"] = _ok(client.post(
        f"/api/v1/dossiers/{code}/documents/0/scan", headers=world.h("cv.a"), content_type="multipart/form-data",
        data={"file": (io.BytesIO(PDF), "to-khai.pdf")}), 201)
    act("cv.a", "submit_for_approval")
    act("ld.a", "approve")
    act("tn.a", "return_result", received_by="Nguyễn Văn An")

    bodies["GET", "/api/v1/dossiers/<code>"] = _ok(client.get(f"/api/v1/dossiers/{code}", headers=world.h("tn.a")))
    bodies["GET", "/api/v1/units/<slug>/dossiers"] = _ok(client.get(
        "/api/v1/units/xa-a/dossiers", headers=world.h("tn.a")))
    bodies["GET", "/api/v1/track/<code>"] = _ok(client.get(f"/api/v1/track/{code}?phone=0912345678"))
    bodies["POST", "/api/v1/track/<code>/rating"] = _ok(client.post(
        f"/api/v1/track/{code}/rating", json={"phone": "0912345678", "level": "rat_hai_long"}), 201)
    asked = _ok(client.post("/api/v1/units/xa-a/dossiers", headers=world.h("tn.a"), json={
        "procedure": BIRTH, "channel": "counter", "applicant": APPLICANT, "data": data}), 201)["code"]
    _ok(client.post(f"/api/v1/dossiers/{asked}/actions", headers=world.h("tn.a"), json={
        "action": "request_supplement", "reason": "Thiếu giấy tờ", "missing_documents": ["Giấy chứng sinh"]}))
    bodies["POST", "/api/v1/track/<code>/documents/<index>"] = _ok(client.post(
        f"/api/v1/track/{asked}/documents/1", content_type="multipart/form-data",
        data={"phone": "0912345678", "file": (io.BytesIO(PDF), "giay-chung-sinh.pdf")}), 201)
    bodies["POST", "/api/v1/track/<code>/withdrawal"] = _ok(client.post(
        f"/api/v1/track/{online.get_json()['code']}/withdrawal", json={"phone": "0912345678", "reason": "Nộp nhầm"}))

    period = f"unit=xa-a&from={today.replace(day=1) - timedelta(days=62)}&to={today + timedelta(days=1)}"
    reports = {"summary": f"{period}&by=procedure", "monthly": period, "satisfaction": period, "staff": period}
    for name, query in reports.items():
        bodies["GET", f"/api/v1/reports/{name}"] = _ok(client.get(f"/api/v1/reports/{name}?{query}",
                                                                   headers=world.h("ld.a")))
    bodies["GET", "/healthz"] = _ok(client.get("/healthz"))
    bodies["GET", "/livez"] = _ok(client.get("/livez"))
    # The example shows the document's top level; what lies below is checked against the routes above.
    bodies["GET", "/api/v1/openapi.json"] = dict.fromkeys(_ok(client.get("/api/v1/openapi.json")))
    return bodies


def test_documented_responses_have_the_real_keys(app, client, factory, sections):
    bodies = _exercise(app, client, factory)
    # The scenario reached every part the examples describe (else the comparison would skip them).
    dossier = bodies["GET", "/api/v1/dossiers/<code>"]
    assert dossier["history"] and dossier["attachments"] and dossier["status"] == "returned"
    assert bodies["GET", "/api/v1/units/<slug>/dossiers"]["dossiers"]
    assert bodies["GET", "/api/v1/reports/summary"]["rows"]
    assert bodies["GET", "/api/v1/reports/staff"]["staff"]
    problems = []
    for (method, path), body in sorted(bodies.items()):
        problems += [f"{method} {path} {p}" for p in key_differences(documented_response(sections, method, path),
                                                                        body)]
    assert not problems, "docs/api.md examples disagree with the API:\n" + "\n".join(problems)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/dossiers/<code>"), ("GET", "/api/v1/units/<slug>/dossiers"), ("GET", "/api/v1/reports/summary"),
])
def test_central_endpoints_have_a_complete_example(sections, method, path):
    """The three bodies integrators rely on most are documented with an example, not only described."""
    example = documented_response(sections, method, path)
    assert isinstance(example, dict) and len(example) >= 4


def test_an_error_body_is_the_documented_envelope(client, content):
    body = client.get("/api/v1/units/khong-co/procedures").get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert re.search(r'\{"error": \{"code": "[a-z_]+", "message": "[^"]*", "fields": \{', content)
