"""A commune that takes online payments: xa-a (tests.web.helpers.build_desk) with a VietQR account and a configured
gateway, and a late birth registration whose fee is 8 000 đồng."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.helpers import APPLICANT, BIRTH, birth_data, build_desk, make_dossier

GATEWAY = {"PAYMENT_GATEWAY_URL": "https://cong-thanh-toan.test/pay", "PAYMENT_GATEWAY_SECRET": "khoa-bi-mat-thu",
           "PAYMENT_GATEWAY_MERCHANT": "MOTCUA-TEST"}
BANK = {"bank_bin": "970999", "account_number": "0123456789", "account_name": "UBND XA AN BINH"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/payments" in str(item.fspath):
            item.add_marker(pytest.mark.app_config(**GATEWAY))


@pytest.fixture
def pay_world(app, factory):
    build_desk(app, factory)
    factory.set_plugin("xa-a", "vietqr", True, settings=BANK)
    factory.set_plugin("xa-a", "gateway", True)
    late = (date.today() - timedelta(days=120)).isoformat()
    code = make_dossier(app, procedure=BIRTH, data=birth_data(child_birth_date=late))
    free = make_dossier(app)  # born three days ago: registered in time, no fee
    return {"code": code, "free": free, "phone": APPLICANT["phone"]}
