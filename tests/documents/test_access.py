"""Who may print a dossier's documents and a unit's tracking book."""

from __future__ import annotations

from tests.documents.conftest import document_url, vn

RECEIVED = vn(2026, 3, 3, 8, 5)


def test_officer_of_another_commune_gets_404(desk, client):
    code = desk.receive(RECEIVED)
    desk.factory.login(client, "vu.lien.bao")
    for form in ("receipt", "receipt.pdf", "control_sheet", "control_sheet.pdf", "nothing"):
        assert client.get(document_url(code, form)).status_code == 404
        assert client.get(document_url(code, form, unit="xa-lien-bao")).status_code == 404
    body = client.get(document_url(code, "receipt")).get_data(as_text=True)
    assert "Không tìm thấy" in body and code not in body


def test_unknown_code_and_unknown_unit_get_404(desk, officer):
    code = desk.receive(RECEIVED)
    assert officer.get(document_url("000.00.27.H04-260303-9999", "receipt")).status_code == 404
    assert officer.get(document_url(code, "receipt", unit="khong-co")).status_code == 404


def test_the_url_must_name_a_unit_on_the_dossiers_path(desk, factory, client):
    """An officer with roles in two communes sees a Hoàn Sơn dossier under Hoàn Sơn only."""
    code = desk.receive(RECEIVED)
    factory.user("hai.noi", ("reception", "xa-hoan-son"), ("reception", "xa-lien-bao"))
    factory.login(client, "hai.noi")
    assert client.get(document_url(code, "receipt")).status_code == 200
    assert client.get(document_url(code, "receipt", unit="xa-lien-bao")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(desk, client):
    code = desk.receive(RECEIVED)
    for url in (document_url(code, "receipt"), document_url(code, "receipt.pdf"), "/xa-hoan-son/tracking-book",
                "/xa-hoan-son/tracking-book.pdf"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_specialist_leader_and_district_staff_may_print(desk, factory, client):
    code = desk.full_life(RECEIVED)
    for username in ("tran.chuyen.vien", "pham.lanh.dao"):
        factory.login(client, username)
        assert client.get(document_url(code, "control_sheet")).status_code == 200
        client.post("/logout")
    factory.district("huyen-tien-du", name="Huyện Tiên Du")
    factory.commune("xa-canh-hung", parent="huyen-tien-du")
    factory.user("kiem.tra.huyen", ("auditor", "huyen-tien-du"))
    factory.login(client, "kiem.tra.huyen")
    assert client.get(document_url(code, "receipt")).status_code == 404  # Hoàn Sơn is not under this district


def test_district_staff_print_through_the_district_or_the_commune(app, factory, client):
    from tests.documents.conftest import Desk

    factory.district("huyen-tien-du", name="Huyện Tiên Du")
    factory.commune("xa-noi-due", parent="huyen-tien-du", name="Xã Nội Duệ")
    factory.user("tiep.nhan.nd", ("reception", "xa-noi-due"))
    factory.user("kiem.tra.huyen", ("auditor", "huyen-tien-du"))
    code = Desk(app, factory, slug="xa-noi-due").receive(RECEIVED, officer="tiep.nhan.nd")
    factory.login(client, "kiem.tra.huyen")
    assert client.get(document_url(code, "receipt", unit="xa-noi-due")).status_code == 200
    assert client.get(document_url(code, "receipt", unit="huyen-tien-du")).status_code == 200
    assert client.get("/huyen-tien-du/tracking-book").status_code == 200


def test_after_a_transfer_both_units_print_and_others_do_not(desk, factory, client):
    code = desk.receive(RECEIVED)
    desk.act(code, "le.tiep.nhan", "transfer", vn(2026, 3, 3, 9, 0), to_unit="xa-lien-bao")
    factory.login(client, "vu.lien.bao")
    assert client.get(document_url(code, "control_sheet", unit="xa-lien-bao")).status_code == 200
    assert client.get(document_url(code, "receipt.pdf", unit="xa-lien-bao")).status_code == 200
    client.post("/logout")
    factory.login(client, "le.tiep.nhan")
    assert client.get(document_url(code, "control_sheet")).status_code == 200
    client.post("/logout")
    factory.commune("xa-phat-tich", name="Xã Phật Tích")
    factory.user("nguoi.ngoai", ("reception", "xa-phat-tich"))
    factory.login(client, "nguoi.ngoai")
    assert client.get(document_url(code, "control_sheet", unit="xa-phat-tich")).status_code == 404


def test_deactivated_officer_cannot_print(desk, factory, client, app):
    code = desk.receive(RECEIVED)
    factory.login(client, "le.tiep.nhan")
    from core.extensions import db

    with app.app_context():
        desk.user("le.tiep.nhan").active = False
        db.session.commit()
    response = client.get(document_url(code, "receipt"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]  # the session no longer counts


def test_tracking_book_needs_dossier_view_on_the_unit(desk, factory, client):
    desk.receive(RECEIVED)
    factory.login(client, "vu.lien.bao")
    response = client.get("/xa-hoan-son/tracking-book?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 403
    assert client.get("/xa-hoan-son/tracking-book.pdf").status_code == 403
    assert client.get("/khong-co/tracking-book").status_code == 404
    assert client.get("/xa-lien-bao/tracking-book").status_code == 200
