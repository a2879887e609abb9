"""What the hot paths cost the database, counted (issue 16): statements and round trips per request, so a change
that saves or loses one shows here whatever the machine's load. Transaction control (BEGIN) is not counted as a
statement (core.sqlcount.Counts.queries)."""

from __future__ import annotations

import json
import re

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, act, create
from sqlalchemy import event

from core.extensions import db
from core.sqlcount import counting

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _engine(app):
    with app.app_context():
        return db.engine


def _returned_and_rated(world) -> str:
    code = create(world).get_json()["code"]
    for username, action, arguments in (("tn.a", "assign", {"assignee": "cv.a"}), ("cv.a", "submit_for_approval", {}),
                                        ("ld.a", "approve", {}), ("tn.a", "return_result", {"received_by": "An"})):
        assert act(world, code, username, action, **arguments).status_code == 200
    rated = world.client.post(f"/api/v1/track/{code}/rating", json={"phone": APPLICANT["phone"], "level": "hai_long"})
    assert rated.status_code == 201
    return code


def test_tracking_api_reads_one_indexed_query_of_rows(world):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "assign", assignee="cv.a", note="Ghi chú nội bộ")
    act(world, code, "cv.a", "request_supplement", missing_documents=["Bản vẽ"], reason="Thiếu bản vẽ")
    with counting(_engine(world.app)) as counts:
        response = world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]})
    assert response.status_code == 200
    body = response.get_json()
    assert [s["action"] for s in body["steps"]] == ["receive", "assign", "request_supplement"]
    assert body["supplement"]["contact"]["officer"] == "Cv A" and body["receiving_unit"]
    queries = counts.queries
    # Before issue 16: dossier (+ units), rating, history (a lazy load) and a unit per transfer; now one, the dossier
    # with its units, rating and fee joined to its public history, and a second only while a supplement is awaited:
    # the papers the applicant may upload (issue 11).
    assert len(queries) == 2, queries
    assert "FROM dossiers" in queries[0] and "ratings" in queries[0] and "WHERE dossiers.code IN" in queries[0]
    assert "JOIN dossier_events ON dossier_events.dossier_id" in queries[0]
    assert "FROM dossier_documents" in queries[1] and "documents" in body["supplement"]
    assert counts.checkouts == 1 and counts.round_trips <= 2  # the limiter's memory storage adds none
    assert "Set-Cookie" not in response.headers


def test_a_tracking_lookup_ends_its_read_with_commit(world):
    # psycopg forgets its prepared statements at every ROLLBACK: a lookup that ended with one had PostgreSQL plan the
    # tracking statement again at every request (core.dossiers.public._lookup_connection). On PostgreSQL the lookup
    # reads in autocommit: no BEGIN before its statement and no COMMIT after it, one round trip instead of three.
    code = create(world).get_json()["code"]
    engine, ended, in_transaction = _engine(world.app), [], []
    on_commit, on_rollback = (lambda conn: ended.append("COMMIT")), (lambda conn: ended.append("ROLLBACK"))

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        if "FROM dossiers" in statement and conn.dialect.name == "postgresql":
            in_transaction.append(conn.connection.dbapi_connection.info.transaction_status.name)

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    event.listen(engine, "after_cursor_execute", on_statement)
    try:
        found = world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]})
        refused = world.client.get(f"/api/v1/track/{code}", query_string={"phone": "0999999999"})
        page = world.client.post("/tra-cuu", data={"code": code, "phone": APPLICANT["phone"]})
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)
        event.remove(engine, "after_cursor_execute", on_statement)
    assert (found.status_code, refused.status_code, page.status_code) == (200, 404, 200)
    assert ended == ["COMMIT"] * 3
    if engine.dialect.name == "postgresql":
        assert in_transaction == ["IDLE"] * 3, in_transaction  # after the statement, no transaction is open


def test_tracking_a_transferred_dossier_names_the_unit_without_another_query(world):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "transfer", to_unit="vp-dat", reason="Thuộc thẩm quyền văn phòng đất đai")
    with counting(_engine(world.app)) as counts:
        body = world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]}).get_json()
    assert len(counts.queries) == 1
    assert any(s["action"] == "transfer" and "Văn phòng đăng ký đất đai" in s["label"] for s in body["steps"]), body


def test_a_refused_lookup_costs_one_query(world):
    code = create(world).get_json()["code"]
    with counting(_engine(world.app)) as counts:
        response = world.client.get(f"/api/v1/track/{code}", query_string={"phone": "0999999999"})
    assert response.status_code == 404 and len(counts.queries) == 1


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, WTF_CSRF_ENABLED=True)
def test_tracking_page_sets_no_cookie_unless_it_shows_a_form_that_changes_data(world):
    client = world.client
    rated = _returned_and_rated(world)
    client.delete_cookie("session")
    for response in (client.get("/tra-cuu"), client.get("/tra-cuu", query_string={"code": rated}),
                     client.get("/tra-cuu", query_string={"code": rated, "phone": APPLICANT["phone"]}),
                     client.post("/tra-cuu", data={"code": rated, "phone": APPLICANT["phone"]}),
                     client.post("/tra-cuu", data={"code": rated, "phone": "0999999999"})):
        assert response.status_code in (200, 404)
        assert "Set-Cookie" not in response.headers, response.request.url
        assert 'name="csrf_token"' not in response.get_data(as_text=True)
    page = client.post("/tra-cuu", data={"code": rated, "phone": APPLICANT["phone"]}).get_data(as_text=True)
    assert "Hài lòng" in page and "Ngày trả kết quả" in page  # the lookup still works without a token

    # A dossier still being handled shows the withdrawal form: that form needs its CSRF token, hence the session.
    handled = create(world).get_json()["code"]
    client.delete_cookie("session")
    response = client.post("/tra-cuu", data={"code": handled, "phone": APPLICANT["phone"]})
    page = response.get_data(as_text=True)
    assert "Set-Cookie" in response.headers and 'action="/tra-cuu/rut-ho-so"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    lookup = {"code": handled, "phone": APPLICANT["phone"], "reason": "Không cần nữa"}
    assert client.post("/tra-cuu/rut-ho-so", data=lookup).status_code == 400  # still protected
    assert client.post("/tra-cuu/rut-ho-so", data={**lookup, "csrf_token": token}).status_code == 200


def test_tracking_page_reads_one_query(world):
    code = create(world).get_json()["code"]
    with counting(_engine(world.app)) as counts:
        response = world.client.post("/tra-cuu", data={"code": code, "phone": APPLICANT["phone"]})
    assert response.status_code == 200 and code in response.get_data(as_text=True)
    assert len(counts.queries) == 1 and counts.checkouts == 1


def test_an_api_call_knows_its_caller_in_one_statement(world):
    code = create(world).get_json()["code"]
    headers = world.h("tn.a")
    with counting(_engine(world.app)) as counts:
        response = world.client.get(f"/api/v1/dossiers/{code}", headers=headers)
    assert response.status_code == 200 and response.get_json()["code"] == code
    # Before issue 16: the token, then its user, then the user's memberships — three statements before any work.
    first = counts.queries[0]
    assert "FROM users JOIN api_tokens" in first and "memberships" in first, first
    assert "FROM dossiers" in counts.queries[1]  # the endpoint's own work comes next
    refused = world.client.get(f"/api/v1/dossiers/{code}", headers={"Authorization": "Bearer not-a-token"})
    assert refused.status_code == 401


def test_a_page_loads_its_officer_and_roles_in_one_statement(world):
    world.factory.login(world.client, "tn.a")
    with counting(_engine(world.app)) as counts:
        response = world.client.get("/me")
    assert response.status_code == 302 and "/xa-a" in response.headers["Location"]
    assert len(counts.queries) == 1 and "memberships" in counts.queries[0], counts.queries


def test_counter_reception_answers_what_it_wrote_in_one_checkout(world):
    create(world)  # the catalogue row and the day's counter exist, as on any working day after the first dossier
    with counting(_engine(world.app)) as counts:
        response = create(world)
    assert response.status_code == 201
    queries = counts.queries
    sqlite = _engine(world.app).dialect.name == "sqlite"
    # Before issue 16: 22 statements and a second checkout after COMMIT to read the dossier back for the 201 body.
    assert counts.checkouts == 1 + sqlite, counts.checkouts  # + BEGIN IMMEDIATE
    assert not any(q.lstrip().upper().startswith("SELECT") for q in queries[queries.index(_last_insert(queries)):])
    # The day's number is one upsert; the day's counter row is locked from it to COMMIT, so only the writes of the
    # reception come after it: the dossier, its history, the report counts (both buckets in one statement) and the
    # applicant's SMS and e-mail (one statement). No code-clash check: the unique code refuses a clash, and only
    # then is the reception written again (test_agency_codes).
    counter = next(i for i, q in enumerate(queries) if q.startswith("INSERT INTO dossier_counters"))
    assert "ON CONFLICT" in queries[counter] and "RETURNING" in queries[counter], queries[counter]
    assert [q.split()[2] for q in queries[counter + 1:]] == ["dossiers", "dossier_events", "report_counts", "outbox"]
    # Before the lock: the caller (token, user, memberships and their units), the unit's plugin rows (enablement and
    # the rules' settings), no unit tree (the officer's roles are all on the unit: core.users.permissions.roles_over),
    # and the calendar rows with the parent units' settings
    # (deadline_end) in one statement. SQLite reloads the unit and the officer after its BEGIN IMMEDIATE (the commit
    # before it expired them). A procedure with a paper checklist adds one INSERT of all its papers.
    assert len(queries) == (10 if sqlite else 8), queries
    calendar = next(q for q in queries if "calendar_days" in q)
    assert "WITH RECURSIVE" in calendar and "UNION ALL" in calendar, calendar
    # What the 201 says is what the database holds.
    body = response.get_json()
    stored = world.client.get(f"/api/v1/dossiers/{body['code']}", headers=world.h("tn.a")).get_json()
    assert {k: v for k, v in body.items() if k != "warnings"} == stored


def _last_insert(queries: list[str]) -> str:
    return [q for q in queries if q.startswith("INSERT")][-1]


# --- officer reads: the dossier JSON and a unit's list (issue 16) -----------------------------------------------------


def _transferred_with_a_scan(world) -> str:
    import io

    code = create(world).get_json()["code"]
    assert act(world, code, "tn.a", "assign", assignee="cv.a").status_code == 200
    scan = {"file": (io.BytesIO(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), "scan.pdf",
                     "application/pdf")}
    uploaded = world.client.post(f"/api/v1/dossiers/{code}/attachments", headers=world.h("tn.a"), data=scan,
                                 content_type="multipart/form-data")
    assert uploaded.status_code == 201
    assert act(world, code, "cv.a", "transfer", to_unit="vp-dat", reason="Thuộc thẩm quyền").status_code == 200
    return code


def test_the_dossier_json_reads_its_parts_with_the_dossier(world):
    code = _transferred_with_a_scan(world)
    with counting(_engine(world.app)) as counts:
        response = world.client.get(f"/api/v1/dossiers/{code}", headers=world.h("tn.a"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["attachments"] and [u["unit"] for u in body["units_held"]] == ["xa-a", "vp-dat"]
    queries = counts.queries
    # Before issue 16: 15 statements (payment, results, reused results, sync state twice, assignee and its roles,
    # each unit above the holder, the access log's own look-up of the dossier...). Now: the caller, the dossier with
    # its payment, sync state, assignee and which collections hold anything, the unit tree, the history, the papers,
    # the scans, the units that held it and those above, a calendar per holder, and the access log's row (10). Now the
    # units that held it came with the dossier (its receiving and competent units) and each calendar reads the
    # settings of the units above its own: the unit tree is read once, for tn.a's actions at vp-dat, where only the
    # tree says whether a role held on xa-a counts.
    assert len(queries) == 9, "\n".join(q[:60] for q in queries)
    assert sum(q.startswith("SELECT units.id, units.parent_id") for q in queries) == 1
    assert not any(q.startswith("SELECT units.id, units.slug") for q in queries)
    dossier_reads = [q for q in queries if "FROM dossiers" in q]
    assert len(dossier_reads) == 1 and "outbox" in dossier_reads[0] and "payments" in dossier_reads[0], queries
    for table in ("outbox", "payments", "dossier_results", "reused_results", "users", "memberships"):
        assert not any(q.startswith(f"SELECT {table}.") for q in queries[1:]), (table, queries)
    # One connection on PostgreSQL: the access log's row rides in the request's read transaction (before: a second
    # checkout and transaction of its own, as SQLite, which does not watch what a transaction wrote, still takes).
    sqlite = _engine(world.app).dialect.name == "sqlite"
    assert counts.checkouts == 1 + sqlite, counts.checkouts


def test_a_dossier_without_scans_results_or_payments_reads_none_of_them(world):
    code = create(world).get_json()["code"]
    with counting(_engine(world.app)) as counts:
        response = world.client.get(f"/api/v1/dossiers/{code}", headers=world.h("tn.a"))
    assert response.status_code == 200 and response.get_json()["attachments"] == []
    assert not any(q.startswith(("SELECT attachments.", "SELECT dossier_results.", "SELECT reused_results."))
                   for q in counts.queries)
    # The caller, the dossier (with its units), the history, the papers, the calendar and the access log's row: no
    # unit tree and no units above (issue 16; before: 8).
    assert len(counts.queries) == 6, counts.queries


def test_the_json_read_in_few_statements_is_the_json_read_part_by_part(world):
    from core.dossiers.serializers import dossier_json
    from core.dossiers.services import get_for_user

    code = _transferred_with_a_scan(world)
    for username in ("tn.a", "cv.o"):
        fast = world.client.get(f"/api/v1/dossiers/{code}", headers=world.h(username)).get_json()
        with world.app.test_request_context():
            user = world.user(username)
            slow = dossier_json(get_for_user(user, code), user)  # every part read by itself, as before issue 16
        for span_fast, span_slow in zip(fast.pop("units_held"), slow.pop("units_held"), strict=True):
            # The still-open span counts working minutes up to now: the two reads may straddle a minute.
            assert abs(span_fast.pop("working_minutes") - span_slow.pop("working_minutes")) <= 1
            assert span_fast == span_slow
        assert fast == json.loads(json.dumps(slow, default=str)), username
    assert world.client.get(f"/api/v1/dossiers/{code}", headers=world.h("tn.b")).status_code == 404


def test_a_units_list_reads_its_page_and_total_in_one_statement(world):
    codes = [create(world).get_json()["code"] for _ in range(3)]
    headers = world.h("tn.a")
    with counting(_engine(world.app)) as counts:
        response = world.client.get("/api/v1/units/xa-a/dossiers", headers=headers)
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 3
    assert [d["code"] for d in body["dossiers"]] == codes[::-1]
    # The caller (with the units of its roles, the URL's among them), the unit tree, then the page with its total:
    # nothing per row.
    assert len(counts.queries) == 3, counts.queries
    assert "count(" in counts.queries[-1].lower() and "FROM dossiers" in counts.queries[-1]


def test_a_name_search_reads_its_matches_once_and_logs_the_unit_it_already_knows(world):
    codes = [create(world, unit=unit, username=f"tn.{unit[-1]}").get_json()["code"] for unit in ("xa-a", "xa-b")]
    world.factory.user("ld.huyen", ("leader", "huyen"))
    headers = world.h("ld.huyen")
    with counting(_engine(world.app)) as counts:
        response = world.client.get("/api/v1/units/huyen/dossiers", query_string={"q": "van an"}, headers=headers)
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 2
    assert [d["code"] for d in body["dossiers"]] == codes[::-1]
    searches = [q for q in counts.queries if "FROM dossiers" in q]
    # One read of the matches for every unit of the district (not one per unit, and not again to count them).
    assert len(searches) == 1 and searches[0].count("applicant_name_folded LIKE") == 1, searches
    assert [q.split()[0] for q in counts.queries[-1:]] == ["INSERT"] and len(counts.queries) == 4, counts.queries
    past_the_end = world.client.get("/api/v1/units/huyen/dossiers", query_string={"q": "van an", "page": 2},
                                    headers=headers).get_json()
    assert past_the_end["dossiers"] == [] and past_the_end["total"] == 2
