"""Issue 11, item 1: citizens sign in with VNeID (OpenID Connect, the real authorization-code flow against the demo
provider on a local port), see their own dossiers in "Hồ sơ của tôi", file online with the identity prefilled, and a
unit may require sign-in for online filing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.helpers import APPLICANT, BIRTH, birth_data, make_dossier
from tests.web.html_checks import assert_good_page
from tests.web.vneid import DEMO_AN, DEMO_BINH, authorize, idp, sign_in, use_provider  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def vneid(app, idp):  # noqa: F811
    use_provider(app, idp)
    return idp


def submission(applicant=None, data=None) -> dict:
    posted = {f"applicant-{k}": v for k, v in (applicant or APPLICANT).items()}
    posted.update(data or birth_data())
    return posted


def stored(app, code: str):
    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        return dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone


def test_sign_in_shows_the_citizens_own_dossiers_of_every_unit(desk, client, vneid):
    mine_a = make_dossier(desk.app, applicant=dict(APPLICANT, id_number=DEMO_AN["id_number"]))
    mine_b = make_dossier(desk.app, "xa-b", "b.tiepnhan", applicant=dict(APPLICANT, id_number=DEMO_AN["id_number"]))
    other = make_dossier(desk.app)  # APPLICANT's own number
    page = assert_good_page(client.get("/dang-nhap-vneid"))
    assert "Đăng nhập bằng VNeID" in page and "Bản trình diễn" not in page  # not the demo: VNEID_DEMO is off
    response = sign_in(client)
    assert response.status_code == 302 and response.location.endswith("/ho-so-cua-toi")
    page = assert_good_page(client.get("/ho-so-cua-toi"))
    assert "Đã đăng nhập bằng tài khoản định danh điện tử: Nguyễn Văn An." in page
    assert DEMO_AN["id_number"] in page and "15/03/1990" in page and "0900000001" in page
    assert mine_a in page and mine_b in page and other not in page
    assert "Xã An Bình" in page and "Xã Bình Minh" in page
    detail = assert_good_page(client.get(f"/ho-so-cua-toi/{mine_b}"))
    assert mine_b in detail and "Tiếp nhận hồ sơ" in detail
    assert client.get(f"/ho-so-cua-toi/{other}").status_code == 404  # somebody else's: as if it did not exist


def test_a_citizen_is_no_officer_and_an_officer_is_no_citizen(desk, client, vneid):
    sign_in(client)
    # The officer pages and the API see nobody: the citizen's session is not a Flask-Login session.
    response = client.get("/xa-a/")
    assert response.status_code == 302 and "/login" in response.location
    assert client.get("/api/v1/units/xa-a/dossiers").status_code == 401
    officer = desk.app.test_client()
    desk.factory.login(officer, "a.tiepnhan")
    response = officer.get("/ho-so-cua-toi")
    assert response.status_code == 302 and "/dang-nhap-vneid" in response.location
    from core.citizens.models import Citizen
    from core.extensions import db
    from core.users.models import User

    with desk.app.app_context():
        assert db.session.scalar(select(User).where(User.username == DEMO_AN["sub"])) is None
        assert db.session.scalars(select(Citizen.id_number)).all() == [DEMO_AN["id_number"]]


def test_two_citizens_each_see_only_their_own(desk, client, vneid):
    code = make_dossier(desk.app, applicant=dict(APPLICANT, id_number=DEMO_BINH["id_number"]))
    sign_in(client, DEMO_AN)
    assert code not in client.get("/ho-so-cua-toi").get_data(as_text=True)
    other = desk.app.test_client()
    sign_in(other, DEMO_BINH)
    assert code in other.get("/ho-so-cua-toi").get_data(as_text=True)


def test_online_form_is_prefilled_and_the_identity_is_the_providers(desk, client, vneid):
    sign_in(client, start_path=f"/dang-nhap-vneid/bat-dau?next=/nop-ho-so/xa-a/{BIRTH}")
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}"))
    assert 'value="Nguyễn Văn An"' in page and 'value="027090000001"' in page and 'value="0900000001"' in page
    assert "readonly" in page and 'id="vneid-prefilled"' in page
    # Whatever is posted, the name and number are the ones the provider vouched for; the phone is the citizen's choice.
    posted = submission(dict(APPLICANT, full_name="Người Khác", id_number="001190012345", phone="0987654321"))
    response = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=posted)
    assert response.status_code == 302
    code = assert_good_page(client.get("/nop-ho-so/da-nop")).split('<strong class="code">')[1].split("<")[0]
    assert stored(desk.app, code) == ("Nguyễn Văn An", "027090000001", "0987654321")
    assert code in client.get("/ho-so-cua-toi").get_data(as_text=True)


def test_sign_in_returns_to_the_page_asked_and_never_elsewhere(desk, client, vneid):
    response = sign_in(client, start_path="/dang-nhap-vneid/bat-dau?next=/thu-tuc/xa-a")
    assert response.location.endswith("/thu-tuc/xa-a")
    other = desk.app.test_client()
    response = sign_in(other, start_path="/dang-nhap-vneid/bat-dau?next=//evil.example/x")
    assert response.location.endswith("/ho-so-cua-toi")


def test_signing_out_ends_every_session_of_the_citizen(desk, client, vneid):
    sign_in(client)
    copy = desk.app.test_client()
    with client.session_transaction() as theirs, copy.session_transaction() as ours:
        ours.update(theirs)
    assert copy.get("/ho-so-cua-toi").status_code == 200
    page = assert_good_page(client.get("/ho-so-cua-toi"))
    assert 'action="/dang-xuat-vneid"' in page
    response = client.post("/dang-xuat-vneid")
    assert response.status_code == 302
    assert client.get("/ho-so-cua-toi").status_code == 302
    assert copy.get("/ho-so-cua-toi").status_code == 302  # the copied cookie ended too


def test_a_tampered_state_is_refused_in_vietnamese(desk, client, vneid):
    back = authorize(client)
    response = client.get(back.replace("state=", "state=x"))
    assert response.status_code == 400
    page = assert_good_page(response)
    assert "Phiên đăng nhập không hợp lệ hoặc đã hết hạn" in page
    assert client.get("/ho-so-cua-toi").status_code == 302  # not signed in
    # The callback replayed in another browser (no state of its own) is refused the same way.
    assert desk.app.test_client().get(back).status_code == 400


def test_an_id_token_with_another_nonce_is_refused(desk, client, vneid):
    back = authorize(client)
    with client.session_transaction() as session:
        key = next(k for k in session if k.startswith("_state_"))
        saved = session[key]
        saved["data"]["nonce"] = "not-the-one-sent"
        session[key] = saved
    response = client.get(back)
    assert response.status_code == 400
    assert "Không xác thực được thông tin đăng nhập nhận từ VNeID" in assert_good_page(response)
    assert client.get("/ho-so-cua-toi").status_code == 302


def test_refusing_consent_at_the_provider_is_explained(desk, client, vneid):
    response = client.get(authorize(client, action="deny"))
    assert response.status_code == 400
    assert "không đồng ý chia sẻ thông tin định danh" in assert_good_page(response)


def test_an_identity_without_a_personal_id_number_is_refused(desk, client, vneid):
    # The provider vouches for a subject that carries no personal ID number claim.
    response = client.get(authorize(client, sub="someone-without-a-number"))
    assert response.status_code == 400
    assert "số định danh cá nhân (12 chữ số)" in assert_good_page(response)


def test_provider_down_gives_a_clear_page_not_a_500(desk, client, app):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free once closed: nothing listens there
    use_provider(app, f"http://127.0.0.1:{port}")
    response = client.get("/dang-nhap-vneid/bat-dau")
    assert response.status_code == 502
    assert "Không kết nối được với hệ thống định danh điện tử VNeID" in assert_good_page(response)


def test_provider_gone_between_start_and_return(desk, client, app):
    from core.citizens.demo_idp import serve_in_thread

    with serve_in_thread() as issuer:
        use_provider(app, issuer)
        back = authorize(client)
    response = client.get(back)
    assert response.status_code == 502
    assert "Không kết nối được" in assert_good_page(response)


def test_sign_in_is_off_without_an_issuer(desk, client):
    page = assert_good_page(client.get("/dang-nhap-vneid"))
    assert "chưa kết nối với VNeID" in page
    response = client.get("/dang-nhap-vneid/bat-dau")
    assert response.status_code == 302 and response.location.endswith("/dang-nhap-vneid")
    assert client.get("/dang-nhap-vneid/ket-qua?code=x&state=y").status_code == 404


@pytest.mark.app_config(VNEID_DEMO=True)
def test_the_demo_says_plainly_it_is_a_demo(desk, client, vneid):
    page = assert_good_page(client.get("/dang-nhap-vneid"))
    assert "Bản trình diễn (demo)" in page and "Đây không phải VNeID thật" in page


# --- anonymous online filing: a unit setting ---------------------------------------------------------------------


def set_anonymous(app, slug: str, allowed: bool) -> None:
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none

    with app.app_context():
        unit = get_unit_or_none(slug)
        unit.settings = {**(unit.settings or {}), "allow_anonymous_online": allowed}
        db.session.commit()


def count_dossiers(app) -> int:
    from sqlalchemy import func

    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count(Dossier.id)))


def test_anonymous_online_filing_stays_by_default(desk, client):
    response = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission())
    assert response.status_code == 302 and count_dossiers(desk.app) == 1


def test_a_unit_that_requires_sign_in_refuses_anonymous_filing(desk, client, vneid):
    set_anonymous(desk.app, "huyen-test", False)  # the district decides for its communes
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}"))
    assert "chỉ nhận hồ sơ trực tuyến của công dân đã đăng nhập" in page and "applicant-phone" not in page
    response = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission())
    assert response.status_code == 403 and count_dossiers(desk.app) == 0
    set_anonymous(desk.app, "xa-b", True)  # a commune's own setting wins over its district's
    assert client.post(f"/nop-ho-so/xa-b/{BIRTH}", data=submission()).status_code == 302
    sign_in(client, start_path=f"/dang-nhap-vneid/bat-dau?next=/nop-ho-so/xa-a/{BIRTH}")
    assert client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission()).status_code == 302
    assert count_dossiers(desk.app) == 2


def test_the_unit_file_takes_allow_anonymous_online_as_true_or_false(tmp_path):
    from core.tenancy.loader import UnitFileError, _check_settings

    _check_settings({"allow_anonymous_online": False}, _fail)
    with pytest.raises(UnitFileError, match="allow_anonymous_online.*true or false"):
        _check_settings({"allow_anonymous_online": "no"}, _fail)


def _fail(message, *where):
    from pathlib import Path

    from core.tenancy.loader import UnitFileError

    raise UnitFileError(Path("x.toml"), None, message)
