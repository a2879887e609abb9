"""The plugin inside a Một Cửa application: discovered through its entry point, enabled per unit, end to end.

The fixtures (app, client, factory...) come from core.testing, which `pip install motcua` registers with pytest.
"""

from core.testing import dossier_by_code, render_document

COPY = {"document_name": "Bằng tốt nghiệp THPT", "pages": 3, "copies": 2}


def test_the_plugin_is_discovered_through_its_entry_point(app):
    loaded = app.extensions["motcua"].plugins["certification"]
    assert loaded.source == "entrypoint"
    assert "certification.copy_from_original" in app.extensions["motcua"].procedures


def test_only_units_that_enable_it_offer_it(client, factory):
    factory.commune("xa-thu", plugins=("certification",))
    factory.commune("xa-khac", plugins=())
    offered = [p["key"] for p in client.get("/api/v1/units/xa-thu/procedures").get_json()["procedures"]]
    assert offered == ["certification.copy_from_original", "certification.signature"]
    assert client.get("/api/v1/units/xa-khac/procedures").get_json()["procedures"] == []


def test_a_certified_copy_from_counter_to_result(app, factory):
    desk = factory.desk("xa-thu", plugins=("certification",))
    created = desk.receive("certification.copy_from_original", COPY)
    assert created["fee"] == 10000
    assert desk.to_result(created["code"])["status"] == "result_ready"

    html = render_document(app, created["code"], "certification.copy_statement")
    assert "Bằng tốt nghiệp THPT" in html and "10.000 đồng" in html
    assert render_document(app, created["code"], "certification.copy_statement", pdf=True).startswith(b"%PDF")


def test_approvals_are_numbered_in_the_certification_book(app, factory):
    desk = factory.desk("xa-thu", plugins=("certification",))
    codes = [desk.receive("certification.copy_from_original", COPY)["code"] for _ in range(2)]
    signature = desk.receive("certification.signature", {"document_name": "Giấy ủy quyền",
                                                         "signer_full_name": "Nguyễn Văn An"})["code"]
    results = [desk.to_result(code)["data"] for code in (*codes, signature)]
    assert [r["certification_number"] for r in results] == [1, 2, 1]  # each book counts on its own
    assert results[0]["certification_book"].startswith("SCT/BS/") and results[2]["certification_book"].startswith(
        "SCT/CK/")
    assert "Số chứng thực: <b>2</b>" in render_document(app, codes[1], "certification.copy_statement")
    with app.app_context():
        assert dossier_by_code(codes[0]).data["certification_number"] == 1


def test_the_plugin_speaks_english_from_its_own_catalogue(client, factory):
    factory.commune("xa-thu", plugins=("certification",))
    page = client.get("/thu-tuc/xa-thu?lang=en").get_data(as_text=True)
    assert "Certified copy from the original" in page and "Signature certification" in page
    form = client.get("/nop-ho-so/xa-thu/certification.signature?lang=en").get_data(as_text=True)
    assert "Full name of the signer" in form and "Họ, chữ đệm, tên người ký" not in form
    assert "Chứng thực bản sao từ bản chính" in client.get("/thu-tuc/xa-thu?lang=vi").get_data(as_text=True)


def test_validation_and_rules(factory):
    desk = factory.desk("xa-thu", plugins=("certification",))
    missing = desk.receive("certification.copy_from_original", {"pages": 0}, expect=422)
    assert set(missing["error"]["fields"]) == {"document_name", "pages", "copies"}
    abroad = desk.receive("certification.copy_from_original", {**COPY, "issued_abroad": True})
    assert [w["code"] for w in abroad["warnings"]] == ["consular_legalisation"]


def test_the_revisions_match_the_models(check_plugin_migrations):
    check_plugin_migrations("certification")
