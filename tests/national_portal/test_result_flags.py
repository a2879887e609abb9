"""The payload's result flags follow the electronic results: an approval that signs its results pushes status 9 with
``electronic`` and ``signed`` true (the payload is completed after core.results has signed, in the same transaction)."""

from __future__ import annotations

import pytest
from helpers import SYNC_CONFIG, deliver, records

BIRTH = "civil_status.birth_registration"
BIRTH_DATA = {"child_full_name": "Nguyễn Thị Hoa", "child_sex": "female", "child_birth_date": "2026-01-02",
              "birth_place": "Trạm y tế xã", "mother_full_name": "Trần Thị Mai",
              "father_full_name": "Nguyễn Văn Bình"}
PASSWORD = "unit-secret"

pytestmark = pytest.mark.app_config(**SYNC_CONFIG)


@pytest.fixture
def signing(tmp_path):
    from cryptography.hazmat.primitives import serialization

    from core.signing.demo import issue, make_ca, pkcs12_bytes

    authority = make_ca("Một Cửa TEST CA")
    (tmp_path / "ca.pem").write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    key, certificate = issue(authority, "UBND xa-ky")
    (tmp_path / "xa-ky.p12").write_bytes(pkcs12_bytes(key, certificate, authority, PASSWORD))
    return {"SIGNING_BACKEND": "pkcs12", "SIGNING_PKCS12_DIR": str(tmp_path), "SIGNING_PKCS12_PASSWORD": PASSWORD,
            "SIGNING_TRUST_ROOTS": str(tmp_path / "ca.pem")}


def test_signed_results_reach_the_portal_with_the_result_status(app, factory, simulator, signing):
    app.config.update(signing, NATIONAL_PORTAL_URL=simulator.url)
    desk = factory.desk("xa-ky", plugins=("civil_status",))
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    approved = desk.to_result(code)
    assert approved["results"], approved
    desk.act(code, "reception", "return_result", received_by="Trần Thị Mai")
    deliver(app)
    got = [(p["national_status"], p["result"]) for p in records(simulator)]
    assert got[0] == (2, {"electronic": False, "signed": False})
    assert got[-2:] == [(9, {"electronic": True, "signed": True}), (10, {"electronic": True, "signed": True})]
