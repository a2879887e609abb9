"""Error pages (403, 404, 500, 400 for a missing CSRF token): Vietnamese, valid HTML, with a way back."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import BIRTH, counter_form_data
from tests.web.html_checks import assert_good_page


def test_404_page(client):
    response = client.get("/khong-co-trang-nay/abc/def")
    assert response.status_code == 404
    page = assert_good_page(response)
    assert "Không tìm thấy trang" in page and 'href="/"' in page and "Quay lại" in page


def test_403_page(desk, client):
    desk.factory.login(client, "b.tiepnhan")
    response = client.get("/xa-a/")
    assert response.status_code == 403
    page = assert_good_page(response)
    assert "Không có quyền truy cập" in page and 'href="/"' in page


def test_500_page_keeps_its_promise(app, client):
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/_test_broken", "test_broken", broken)
    response = client.get("/_test_broken")
    assert response.status_code == 500
    page = assert_good_page(response)
    assert "Đã có lỗi xảy ra" in page and "tra cứu lại trước khi gửi lần nữa" in page and 'href="/"' in page


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_post_without_csrf_token_is_refused_with_a_400_page(desk, client):
    response = client.post("/login", data={"username": "a.tiepnhan", "password": "motcua-test-pass"})
    assert response.status_code == 400
    page = assert_good_page(response)
    assert "Yêu cầu không hợp lệ" in page and 'href="/"' in page
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                      login_page)
    token = token.group(1) or token.group(2)
    response = client.post("/login", data={"username": "a.tiepnhan", "password": "motcua-test-pass",
                                           "csrf_token": token})
    assert response.status_code == 302
    counter = client.get(f"/xa-a/tiep-nhan/{BIRTH}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', counter).group(1)
    assert client.post(f"/xa-a/tiep-nhan/{BIRTH}", data=counter_form_data()).status_code == 400
    response = client.post(f"/xa-a/tiep-nhan/{BIRTH}", data=dict(counter_form_data(), csrf_token=token))
    assert response.status_code == 302
    assert client.post("/tra-cuu/danh-gia", data={"code": "X", "phone": "0912345678"}).status_code == 400
