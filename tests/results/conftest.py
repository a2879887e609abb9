"""Fixtures of the electronic-result tests: one test CA per session, a PKCS#12 file per unit, a signing desk."""

from __future__ import annotations

import pytest
from results_helpers import PASSWORD, SLUGS, signing_config


@pytest.fixture(scope="session")
def authority():
    """The test CA (EC P-256: made once, signs in milliseconds)."""
    from core.signing.demo import make_ca

    return make_ca("Một Cửa TEST CA")


@pytest.fixture(scope="session")
def signing_folder(tmp_path_factory, authority):
    """A folder with the CA certificate (the trust root) and a PKCS#12 file for every unit slug the tests use."""
    from cryptography.hazmat.primitives import serialization

    from core.signing.demo import issue, pkcs12_bytes

    folder = tmp_path_factory.mktemp("signing")
    (folder / "ca.pem").write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    for slug in SLUGS:
        key, certificate = issue(authority, f"UBND {slug}")
        (folder / f"{slug}.p12").write_bytes(pkcs12_bytes(key, certificate, authority, PASSWORD))
    return folder


@pytest.fixture
def signed_app(app, signing_folder):
    app.config.update(signing_config(signing_folder))
    return app


@pytest.fixture
def desk(signed_app, factory, client):
    """The commune xa-ket-qua (civil status) with its officers, and a second commune xa-khac with its own."""
    other = factory.desk("xa-khac", plugins=("civil_status",), client=client)
    main = factory.desk("xa-ket-qua", plugins=("civil_status",), client=client)
    main.other = other
    return main
