"""Citizen ratings: only after the result is returned, only once, three levels, the same phone check as tracking."""

from __future__ import annotations

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, act, counts, create

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _returned(world) -> str:
    code = create(world).get_json()["code"]
    for username, action, arguments in (("tn.a", "assign", {"assignee": "cv.a"}), ("cv.a", "submit_for_approval", {}),
                                        ("ld.a", "approve", {}), ("tn.a", "return_result", {"received_by": "An"})):
        assert act(world, code, username, action, **arguments).status_code == 200
    return code


def _rate(world, code, **body):
    return world.client.post(f"/api/v1/track/{code}/rating", json=body)


@pytest.mark.parametrize("level", ["rat_hai_long", "hai_long", "khong_hai_long"])
def test_rating_a_returned_dossier_once(world, level):
    code = _returned(world)
    before = counts(world.app)
    response = _rate(world, code, phone=APPLICANT["phone"], level=level, comment="  Cán bộ nhiệt tình  ")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["level"] == level
    assert response.get_json()["created_at"].endswith("+07:00")
    assert counts(world.app)["ratings"] == before["ratings"] + 1
    tracked = world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]}).get_json()
    assert tracked["rating"] == level and tracked["can_rate"] is False
    again = _rate(world, code, phone=APPLICANT["phone"], level="hai_long")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_rated"
    assert counts(world.app)["ratings"] == before["ratings"] + 1


def test_rating_stores_the_trimmed_comment_against_the_competent_unit(world):
    from core.dossiers.models import Dossier, Rating
    from core.extensions import db

    code = _returned(world)
    _rate(world, code, phone="+84912345678", level="hai_long", comment="  Tốt  ")
    with world.app.app_context():
        rating = db.session.query(Rating).one()
        dossier = db.session.query(Dossier).filter_by(code=code).one()
        assert (rating.comment, rating.unit_id, rating.dossier_id) == ("Tốt", dossier.competent_unit_id, dossier.id)


@pytest.mark.parametrize("steps", [0, 1, 3])
def test_rating_before_the_result_is_returned_is_409(world, steps):
    code = create(world).get_json()["code"]
    plan = [("tn.a", "assign", {"assignee": "cv.a"}), ("cv.a", "submit_for_approval", {}), ("ld.a", "approve", {})]
    for username, action, arguments in plan[:steps]:
        act(world, code, username, action, **arguments)
    before = counts(world.app)
    response = _rate(world, code, phone=APPLICANT["phone"], level="hai_long")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_returned"
    assert counts(world.app) == before
    tracked = world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]}).get_json()
    assert tracked["can_rate"] is False


@pytest.mark.parametrize("body,status,field", [
    ({"phone": "0987654321", "level": "hai_long"}, 404, None),
    ({"level": "hai_long"}, 404, None),
    ({"phone": APPLICANT["phone"], "level": "rat_tot"}, 422, "level"),
    ({"phone": APPLICANT["phone"]}, 422, "level"),
    ({"phone": APPLICANT["phone"], "level": "hai_long", "comment": "x" * 2001}, 422, "comment"),
    ({"phone": APPLICANT["phone"], "level": "hai_long", "comment": 5}, 422, "comment"),
])
def test_bad_ratings_change_nothing(world, body, status, field):
    code = _returned(world)
    before = counts(world.app)
    response = _rate(world, code, **body)
    assert response.status_code == status, response.get_json()
    if field:
        assert field in response.get_json()["error"]["fields"]
    assert counts(world.app) == before


def test_wrong_phone_for_rating_is_the_same_404_as_an_unknown_code(world):
    code = _returned(world)
    wrong = _rate(world, code, phone="0987654321", level="hai_long")
    unknown = _rate(world, "KHONG-CO-MA", phone=APPLICANT["phone"], level="hai_long")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()


def test_rating_needs_json(world):
    code = _returned(world)
    response = world.client.post(f"/api/v1/track/{code}/rating", data={"phone": APPLICANT["phone"],
                                                                        "level": "hai_long"})
    assert response.status_code == 415
    assert counts(world.app)["ratings"] == 0


def test_ratings_sent_at_the_same_time_count_once(world):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    code = _returned(world)
    barrier = threading.Barrier(6)

    def work(i):
        barrier.wait()
        response = world.app.test_client().post(f"/api/v1/track/{code}/rating", json={
            "phone": APPLICANT["phone"], "level": "hai_long"}, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        return response.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(work, range(6)))
    assert statuses == [201] + [409] * 5
    assert counts(world.app)["ratings"] == 1
