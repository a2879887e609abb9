"""LAW-19 / issue 10 item 5: a dossier found not eligible during processing is refused by the specialist or leader
of the competent unit with a written reason, ends as ``rejected``, prints the written refusal and counts as refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from lifecycle_helpers import PERMIT, PLUGINS, act, counts, create, get

from core.dossiers.clock import VN_TZ
from core.testing import TEST_PASSWORD

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

REASON = "Người đề nghị không thuộc diện được hưởng theo Nghị định 176/2025/NĐ-CP."


def _assigned(world, unit: str = "xa-a") -> tuple[str, int]:
    body = create(world, unit=unit, username=f"tn.{unit[-1]}").get_json()
    body = act(world, body["code"], f"tn.{unit[-1]}", "assign", assignee=f"cv.{unit[-1]}").get_json()
    assert (body["status"], body["step"]) == ("in_progress", "assigned")
    return body["code"], body["version"]


def test_specialist_refuses_while_processing(world):
    code, version = _assigned(world)
    assert "refuse" in get(world, code, "cv.a").get_json()["allowed_actions"]
    assert "refuse" not in get(world, code, "tn.a").get_json()["allowed_actions"]
    before = counts(world.app)

    missing = act(world, code, "cv.a", "refuse", reason="   ", version=version)
    assert missing.status_code == 422 and missing.get_json()["error"]["fields"] == {"reason": "Trường này là bắt buộc."}
    by_reception = act(world, code, "tn.a", "refuse", reason=REASON, version=version)
    assert by_reception.status_code == 403  # the counter refuses at reception only
    by_other_unit = act(world, code, "cv.b", "refuse", reason=REASON, version=version)
    assert by_other_unit.status_code in (403, 404)
    assert counts(world.app) == before  # bad input changes nothing

    response = act(world, code, "cv.a", "refuse", reason=REASON, version=version)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["step"], body["national_status"]) == ("rejected", None, 8)
    assert body["finished_at"] is not None and body["allowed_actions"] == []
    last = body["history"][-1]
    assert (last["action"], last["from"], last["to"]) == ("refuse", "in_progress", "rejected")
    after = counts(world.app)
    assert after["dossier_events"] == before["dossier_events"] + 1
    assert after["outbox"] == before["outbox"] + 2  # SMS and e-mail to the applicant

    again = act(world, code, "cv.a", "refuse", reason=REASON)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"


def test_leader_refuses_instead_of_approving(world):
    code, _ = _assigned(world)
    act(world, code, "cv.a", "submit_for_approval")
    body = act(world, code, "ld.a", "refuse", reason=REASON).get_json()
    assert body["status"] == "rejected"


def test_refusal_notice_tracking_and_message(world):
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db
    from core.notifications.models import Outbox

    code, _ = _assigned(world)
    act(world, code, "cv.a", "refuse", reason=REASON)

    world.factory.login(world.client, "cv.a", TEST_PASSWORD)
    page = world.client.get(f"/xa-a/dossiers/{code}/documents/refusal_notice")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "VĂN BẢN TRẢ LỜI HỒ SƠ KHÔNG ĐỦ ĐIỀU KIỆN GIẢI QUYẾT" in html
    assert REASON in html and "không đủ điều kiện giải quyết" in html and "Mẫu số" not in html
    pdf = world.client.get(f"/xa-a/dossiers/{code}/documents/refusal_notice.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # The counter's Mẫu 03 is not offered for a refusal after examination.
    assert world.client.get(f"/xa-a/dossiers/{code}/documents/refusal").status_code == 404
    detail = world.client.get(f"/xa-a/dossiers/{code}").get_data(as_text=True)
    assert "Từ chối giải quyết" in detail

    with world.app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        texts = [row.body for row in db.session.scalars(select(Outbox).where(Outbox.dossier_id == dossier.id))]
        phone = dossier.applicant_phone
    assert any("không đủ điều kiện giải quyết" in t and REASON in t for t in texts)
    tracked = world.client.get(f"/api/v1/track/{code}?phone={phone}").get_json()
    assert tracked["status"] == "rejected" and tracked["status_label"] == "Từ chối giải quyết"
    assert tracked["steps"][-1]["label"] == "Từ chối giải quyết, trả lời bằng văn bản"


def test_counted_as_refused_at_the_deciding_unit(world):
    code, _ = _assigned(world)
    transferred = act(world, code, "cv.a", "transfer", to_unit="xa-b").get_json()
    assert transferred["competent_unit"] == "xa-b"
    act(world, code, "tn.b", "assign", assignee="cv.b")
    assert act(world, code, "cv.b", "refuse", reason=REASON).get_json()["status"] == "rejected"
    world.factory.user("kt.huyen", ("auditor", "huyen"))
    today = datetime.now(VN_TZ).date().isoformat()
    summary = world.client.get(f"/api/v1/reports/summary?unit=huyen&from={today}&to={today}&by=unit",
                               headers=world.h("kt.huyen")).get_json()
    assert summary["refused"] == 1 and summary["in_progress"]["total"] == 0
    rows = {row["key"]: row for row in summary["rows"]}
    assert rows["xa-b"]["refused"] == 1 and rows["xa-a"]["refused"] == 0
    assert summary["received"]["total"] == (summary["resolved"]["total"] + summary["in_progress"]["total"]
                                            + summary["refused"] + summary["stopped"])


def test_counter_refusal_is_unchanged(world):
    body = create(world).get_json()
    refused = act(world, body["code"], "tn.a", "refuse", reason="Hồ sơ không đúng thẩm quyền.").get_json()
    assert (refused["status"], refused["national_status"]) == ("refused", 3)
    assert act(world, body["code"], "cv.a", "refuse", reason="x").status_code == 409


def test_refuse_needs_the_assigned_or_approval_step(world):
    body = create(world).get_json()
    moved = act(world, body["code"], "tn.a", "transfer", to_unit="xa-b").get_json()
    assert (moved["status"], moved["step"]) == ("in_progress", "transferred")
    refused = act(world, body["code"], "cv.b", "refuse", reason=REASON)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "invalid_transition"
    assert create(world, procedure=PERMIT).status_code == 201
