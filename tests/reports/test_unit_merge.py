"""Merging units, declared as data (issue 13, item 1): ``merged_into`` / ``merged_on`` in ``communes/<old>.toml``,
carried out by ``flask units apply``, one transaction per old unit.

xa-a (with open, paused, never-received and finished dossiers) is merged into xa-b of the same district."""

from __future__ import annotations

import pytest
from reports_helpers import PLUGINS, flat, vn
from sqlalchemy import select

from core.extensions import db

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

MERGED_FILE = """slug = "xa-a"
code = "00001"
name = "Xã A"
kind = "commune"
parent = "huyen"
agency_code = "TEST.XAA"
merged_into = "{into}"
merged_on = "{on}"

[plugins.reportprobe]
"""


def write_merge(tmp_path, into: str = "xa-b", on: str = "2026-04-01"):
    folder = tmp_path / "communes"
    folder.mkdir(exist_ok=True)
    (folder / "xa-a.toml").write_text(MERGED_FILE.format(into=into, on=on), encoding="utf-8")
    return folder


def units(client) -> dict:
    return {u["slug"]: u for u in client.get("/api/v1/units").get_json()["units"]}


def history(world, code: str, username: str = "kt.tinh") -> list[dict]:
    response = world.client.get(f"/api/v1/dossiers/{code}", headers=world.h(username))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["history"]


def roles(app, username: str) -> set[tuple[str, str]]:
    from core.users.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return {(m.role, m.unit.slug) for m in user.memberships}


@pytest.fixture
def story(world):
    """xa-a's dossiers in March 2026: open, paused, never received (online), finished (returned), refused."""
    codes = {"open": world.receive(vn(2026, 3, 2, 9))}
    world.act(codes["open"], "cv.a", "assign", vn(2026, 3, 2, 10), assignee="cv.a")
    codes["paused"] = world.receive(vn(2026, 3, 3, 9))
    world.act(codes["paused"], "cv.a", "assign", vn(2026, 3, 3, 10), assignee="cv.a")
    world.act(codes["paused"], "cv.a", "request_supplement", vn(2026, 3, 4, 9), reason="Thiếu bản vẽ",
              missing_documents=["Bản vẽ"])
    codes["online"] = world.create(vn(2026, 3, 5, 9), channel="online")
    codes["finished"] = world.receive(vn(2026, 3, 2, 9))
    world.resolve(codes["finished"], vn(2026, 3, 4, 9))
    world.act(codes["finished"], "tn.a", "return_result", vn(2026, 3, 5, 9), received_by="Trần Thị Bình")
    codes["refused"] = world.receive(vn(2026, 3, 2, 9))
    world.act(codes["refused"], "tn.a", "refuse", vn(2026, 3, 2, 10), reason="Không đủ điều kiện")
    codes["before"] = {code: world.load(code) for code in codes.values()}
    return codes


def test_flask_units_apply_merges_a_commune(world, story, runner, tmp_path, app):
    client, folder = world.client, write_merge(tmp_path)
    moved, stay = ("open", "paused", "online"), ("finished", "refused")

    # diff and --dry-run say what will move, and write nothing.
    diff = runner.invoke(args=["units", "diff", "--dir", str(folder)])
    assert diff.exit_code == 1, diff.output
    assert "» xa-a: merged into xa-b on 2026-04-01" in diff.output
    assert "open dossiers moved: 3" in diff.output and story["open"] in diff.output
    assert "finished dossiers staying: 2" in diff.output
    assert "staff roles copied: 3" in diff.output and "tn.a (reception)" in diff.output
    dry = runner.invoke(args=["units", "apply", "--dry-run", "--dir", str(folder)])
    assert dry.exit_code == 0, dry.output
    assert "1 merge(s) to carry out" in dry.output
    assert units(client)["xa-a"]["active"] is True
    assert world.load(story["open"]) == story["before"][story["open"]]

    result = runner.invoke(args=["units", "apply", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 merge(s) carried out" in result.output

    # The old unit: inactive, with its successor, in the public list of units.
    listed = units(client)
    assert (listed["xa-a"]["active"], listed["xa-a"]["successor"]) == (False, "xa-b")
    assert (listed["xa-b"]["active"], listed["xa-b"]["successor"]) == (True, None)

    # Open dossiers moved with a unit_merged history row; code, clock and due dates unchanged.
    with app.app_context():
        ids = {slug: world.unit(slug).id for slug in ("xa-a", "xa-b")}
    for key in moved:
        code = story[key]
        before, after = story["before"][code], world.load(code)
        assert after["competent_unit_id"] == ids["xa-b"], key
        for name in ("code", "status", "step", "due_at", "received_at", "paused_at", "extended_due_at"):
            assert after[name] == before[name], (key, name)
        last = history(world, code)[-1]
        assert (last["action"], last["from"], last["to"]) == ("unit_merged", before["status"], before["status"])
        assert last["payload"]["to_unit"] == "xa-b"
    # Received dossiers keep their reception desk; the never-received one now waits at the successor's desk.
    assert world.load(story["open"])["receiving_unit_id"] == ids["xa-a"]
    assert world.load(story["online"])["receiving_unit_id"] == ids["xa-b"]
    # Finished dossiers stay where they were decided.
    for key in stay:
        assert world.load(story[key]) == story["before"][story[key]], key
        assert all(e["action"] != "unit_merged" for e in history(world, story[key]))

    # Staff roles copied, and kept on the old unit.
    assert roles(app, "tn.a") == {("reception", "xa-a"), ("reception", "xa-b")}
    assert roles(app, "ld.a") == {("leader", "xa-a"), ("leader", "xa-b")}

    # Receptions at the old unit: 409 unit_merged naming the successor (the API, the portal and the counter).
    body = {"procedure": "reportprobe.permit", "channel": "counter", "data": {"subject": "Hồ sơ mới"},
            "applicant": {"full_name": "Lê Văn Cường", "id_number": "001203004006", "phone": "0912345679",
                          "address": "Thôn Nam"}}
    response = client.post("/api/v1/units/xa-a/dossiers", json=body, headers=world.h("tn.a"))
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "unit_merged"
    assert response.get_json()["error"]["successor"] == "xa-b"
    assert "Xã B" in response.get_json()["error"]["message"]
    online = client.post("/api/v1/units/xa-a/dossiers", json={**body, "channel": "online"})
    assert online.status_code == 409 and online.get_json()["error"]["code"] == "unit_merged"
    page = client.get("/thu-tuc/xa-a")
    assert page.status_code == 302 and page.headers["Location"].endswith("/thu-tuc/xa-b")
    world.factory.login(client, "tn.a")
    counter = client.get("/xa-a/tiep-nhan")
    assert counter.status_code == 302 and counter.headers["Location"].endswith("/xa-b/tiep-nhan")
    assert client.post("/api/v1/units/xa-b/dossiers", json=body, headers=world.h("tn.a")).status_code == 201

    # Old codes keep working: tracking, search (at the old and the new unit), the tracking book.
    for key in (*moved, *stay):
        tracked = client.get(f"/api/v1/track/{story[key]}?phone=0912345678")
        assert tracked.status_code == 200, key
    steps = client.get(f"/api/v1/track/{story['open']}?phone=0912345678").get_json()
    assert "Xã B" in str(steps)
    search_new = client.get(f"/xa-b/tim-kiem?q={story['open']}")
    assert search_new.status_code == 200 and story["open"] in search_new.get_data(as_text=True)
    search_old = client.get(f"/xa-a/tim-kiem?q={story['finished']}")
    assert search_old.status_code == 200 and story["finished"] in search_old.get_data(as_text=True)
    assert "đã được sáp nhập vào Xã B" in search_old.get_data(as_text=True)
    book = client.get("/xa-a/tracking-book?from=2026-03-01&to=2026-03-31")
    assert book.status_code == 200
    for key in ("open", "paused", "finished"):
        assert story[key] in book.get_data(as_text=True), key
    sheet = client.get(f"/xa-b/dossiers/{story['open']}/documents/control_sheet")
    assert sheet.status_code == 200  # the control sheet has a row handing the dossier from the old to the new unit
    assert "Chuyển sang đơn vị mới do sắp xếp đơn vị hành chính" in sheet.get_data(as_text=True)

    # Work goes on at the successor: the paused dossier's supplement, then the result.
    assert world.act(story["paused"], "cv.b", "supplement_received", vn(2026, 4, 2, 9))["status"] == "in_progress"
    assert world.resolve(story["open"], vn(2026, 4, 2, 10), unit="xa-b")["status"] == "result_ready"

    # Applying again changes nothing.
    again = runner.invoke(args=["units", "apply", "--dir", str(folder)])
    assert again.exit_code == 0, again.output
    assert "xa-a" not in again.output and "merge(s) carried out" not in again.output


def test_a_merge_is_refused_when_the_successor_lacks_a_plugin(world, story, runner, tmp_path, factory):
    factory.set_plugin("xa-b", "reportprobe", False)
    result = runner.invoke(args=["units", "apply", "--dir", str(write_merge(tmp_path))])
    assert result.exit_code != 0
    assert "reportprobe" in result.output and "Nothing was written" in result.output
    assert units(world.client)["xa-a"]["active"] is True
    assert world.load(story["open"]) == story["before"][story["open"]]


def test_a_merge_is_refused_when_two_active_units_would_share_an_agency_code(world, story, runner, tmp_path, factory):
    factory.commune("xa-d", parent="huyen", plugins=PLUGINS, agency_code="TEST.XA-B")  # written around the checks
    result = runner.invoke(args=["units", "apply", "--dir", str(write_merge(tmp_path))])
    assert result.exit_code != 0
    assert "TEST.XA-B" in result.output and "Nothing was written" in result.output
    assert units(world.client)["xa-a"]["active"] is True


def test_a_merge_waits_for_its_day(world, story, runner, tmp_path):
    result = runner.invoke(args=["units", "apply", "--dir", str(write_merge(tmp_path, on="2099-01-01"))])
    assert result.exit_code == 0, result.output
    assert "to be merged into xa-b on 2099-01-01" in result.output
    assert units(world.client)["xa-a"]["active"] is True


@pytest.mark.parametrize("text, message", [
    ('merged_into = "xa-zz"\nmerged_on = "2026-04-01"', "merged_into 'xa-zz' is not a known unit"),
    ('merged_into = "xa-b"', "'merged_on' must be a date"),
    ('merged_into = "xa-b"\nmerged_on = "01/04/2026"', "bad merged_on '01/04/2026'"),
    ('merged_into = "xa-a"\nmerged_on = "2026-04-01"', "cannot be merged into itself"),
])
def test_bad_merge_keys_are_refused_with_file_and_line(world, runner, tmp_path, text, message):
    folder = tmp_path / "communes"
    folder.mkdir()
    head = MERGED_FILE.split("merged_into")[0]
    (folder / "xa-a.toml").write_text(head + text + "\n\n[plugins.reportprobe]\n", encoding="utf-8")
    result = runner.invoke(args=["units", "apply", "--dir", str(folder)])
    assert result.exit_code != 0
    assert message in result.output and "xa-a.toml:" in result.output


def test_reports_before_after_and_across_the_merge(world, story, app):
    """Merged on 1 April 2026 at 07:00: March shows xa-a, May shows the moved dossiers carried over at xa-b, and
    March–May balances at each unit with the merge as a hand-over."""
    from core.merging.merge import carry_out

    with app.test_request_context():
        carry_out(world.unit("xa-a"), world.unit("xa-b"), vn(2026, 4, 1).date(), now=vn(2026, 4, 1, 7))
    world.resolve(story["open"], vn(2026, 4, 2, 10), unit="xa-b")
    # never received before the merge: received at xa-b's desk after it
    world.act(story["online"], "tn.b", "receive", vn(2026, 4, 3, 9))

    march = {r["key"]: flat(r) for r in world.figures("huyen", "2026-03-01", "2026-03-31", by="unit")["rows"]}
    assert march["xa-a"]["received.counter"] == 4 and march["xa-a"]["in_progress.total"] == 2
    assert march["xa-b"]["received.total"] == march["xa-b"]["in_progress.total"] == 0

    may = {r["key"]: flat(r) for r in world.figures("huyen", "2026-05-01", "2026-05-31", by="unit")["rows"]}
    assert may["xa-a"]["received.total"] == may["xa-a"]["in_progress.total"] == 0
    assert may["xa-b"]["received.carried_over"] == 2  # the paused dossier and the online one received in April
    assert may["xa-b"]["in_progress.total"] == 2

    span = world.figures("huyen", "2026-03-01", "2026-05-31", by="unit")
    rows = {r["key"]: flat(r) for r in span["rows"]}
    a, b = rows["xa-a"], rows["xa-b"]
    assert (a["received.counter"], a["transferred_out"], a["resolved.total"], a["refused"]) == (4, 2, 1, 1)
    assert (b["transferred_in"], b["received.online"], b["resolved.total"], b["in_progress.total"]) == (2, 1, 1, 2)
    for key, row in rows.items():
        came = row["received.total"] + row["transferred_in"]
        went = (row["resolved.total"] + row["in_progress.total"] + row["refused"] + row["stopped"]
                + row["transferred_out"])
        assert came == went, key
    district = flat(span)
    assert district["transferred_in"] == district["transferred_out"]
    for column in ("received.total", "resolved.total", "in_progress.total", "refused"):
        assert district[column] == sum(r[column] for r in rows.values()), column


def test_the_administration_pages_merge_a_unit(world, story, app, factory):
    """A district administrator over both units previews the merge, then confirms it (same service as the CLI)."""
    page = app.test_client()
    factory.login(page, "admin.huyen")
    url = "/huyen/admin/don-vi/xa-a/sap-nhap"
    assert page.get(url).status_code == 200
    assert "Sáp nhập" in page.get("/huyen/admin/don-vi").get_data(as_text=True)

    # Bad input: a unit outside the district, a day still to come, no successor: 422 and nothing written.
    assert page.post(url, data={"successor": "xa-c", "merged_on": "01/04/2026"}).status_code == 422
    future = page.post(url, data={"successor": "xa-b", "merged_on": "01/01/2099"})
    assert future.status_code == 422 and "từ ngày có hiệu lực" in future.get_data(as_text=True)
    assert page.post(url, data={"successor": "", "merged_on": "01/04/2026"}).status_code == 422
    factory.set_plugin("xa-b", "reportprobe", False)
    missing = page.post(url, data={"successor": "xa-b", "merged_on": "01/04/2026", "confirm": "1"})
    assert missing.status_code == 422 and "reportprobe" in missing.get_data(as_text=True)
    factory.set_plugin("xa-b", "reportprobe", True)
    assert units(world.client)["xa-a"]["active"] is True

    preview = page.post(url, data={"successor": "xa-b", "merged_on": "01/04/2026"})
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "Hồ sơ đang giải quyết: 3" in text and story["open"] in text and "Xác nhận sáp nhập" in text
    assert units(world.client)["xa-a"]["active"] is True  # a preview writes nothing

    done = page.post(url, data={"successor": "xa-b", "merged_on": "01/04/2026", "confirm": "1"})
    assert done.status_code == 302
    listed = units(world.client)
    assert (listed["xa-a"]["active"], listed["xa-a"]["successor"]) == (False, "xa-b")
    last = history(world, story["open"])[-1]
    assert last["action"] == "unit_merged" and last["actor"] == "Admin Huyen"
    assert roles(app, "tn.a") == {("reception", "xa-a"), ("reception", "xa-b")}
    assert "Đã sáp nhập vào Xã B" in page.get("/huyen/admin/don-vi").get_data(as_text=True)

    # A merged unit cannot be woken up again by posting the status form by hand.
    woken = page.post("/huyen/admin/don-vi/xa-a/trang-thai", data={"active": "1"}, follow_redirects=True)
    assert "đã sáp nhập vào Xã B, không thể hoạt động trở lại" in woken.get_data(as_text=True)
    assert units(world.client)["xa-a"]["active"] is False

    # A commune officer may not merge.
    officer = app.test_client()
    factory.login(officer, "tn.b")
    assert officer.get("/xa-b/admin/don-vi/xa-c/sap-nhap").status_code == 403
