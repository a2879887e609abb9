"""DAY-07: the land liên thông panel of the dossier page names the office (no internal slug) and holds the transfer
button itself."""

from __future__ import annotations

from tests.plugins.conftest import load
from tests.plugins.test_land_procedures import CHANGE, change
from tests.web.html_checks import assert_good_page, parse_strict


def _panel(page: str):
    tree = parse_strict(page)
    return next(s for s in tree.iter("section") if s.get("aria-label") == "Liên thông đất đai")


def test_the_panel_names_the_office_and_transfers_in_one_click(app, api, client, factory):
    code = api.receive("xa-a", CHANGE, change())["code"]
    factory.login(client, "recv.xa-a")
    panel = _panel(assert_good_page(client.get(f"/xa-a/dossiers/{code}")))
    text = " ".join(panel.itertext())
    assert "Chi nhánh Văn phòng đăng ký đất đai huyện Test" in text
    assert "vpdk" not in text and "mã đơn vị" not in text
    form = panel.find(".//form")
    assert form is not None and form.get("action") == f"/xa-a/dossiers/{code}/actions/transfer"
    posted = {i.get("name"): i.get("value") for i in form.iter("input")}
    assert posted["transfer-to_unit"] == "vpdk"
    response = client.post(form.get("action"), data=posted)
    assert response.status_code == 302
    with app.app_context():
        assert load(app, code).competent_unit.slug == "vpdk"


def test_no_transfer_button_for_who_may_not_transfer(api, client, factory):
    code = api.receive("xa-a", CHANGE, change())["code"]
    factory.user("kiemtra.xa-a", ("auditor", "xa-a"))
    factory.login(client, "kiemtra.xa-a")
    panel = _panel(assert_good_page(client.get(f"/xa-a/dossiers/{code}")))
    assert panel.find(".//form") is None
