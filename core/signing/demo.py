"""The demo CA and one demo signing certificate per unit (``flask signing demo-certificates``, run by ``make run``).

Every subject carries ``DEMO_MARK`` ("DEMO – không có giá trị pháp lý"): these keys sit unprotected in instance/
and must never pass for a real signature. EC P-256 keys: quick to make, and accepted by pyHanko and PDF readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from core.signing import DEMO_CA_FILE, DEMO_MARK

CA_KEY_FILE = "demo-ca.key"
VALID_DAYS = 3650


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_MARK),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])


def make_ca(common_name: str = "Một Cửa DEMO CA") -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256()))
    return Authority(key, certificate)


def issue(authority: Authority, common_name: str, rsa_bits: int = 0) -> tuple:
    """A signing key and its certificate for ``common_name`` (a unit's name), issued by ``authority``: EC P-256, or
    RSA of ``rsa_bits`` (what most tokens sold with Vietnamese certificates hold)."""
    key = rsa.generate_private_key(65537, rsa_bits) if rsa_bits else ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(authority.certificate.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
                       critical=False)
        .sign(authority.key, hashes.SHA256()))
    return key, certificate


def pkcs12_bytes(key, certificate: x509.Certificate, authority: Authority, password: str) -> bytes:
    encryption = (serialization.BestAvailableEncryption(password.encode("utf-8")) if password
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(b"signing", key, certificate, [authority.certificate], encryption)


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def load_or_create_ca(folder: Path) -> Authority:
    """The demo CA kept in ``folder`` (created the first time)."""
    key_path, cert_path = folder / CA_KEY_FILE, folder / DEMO_CA_FILE
    if key_path.is_file() and cert_path.is_file():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return Authority(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))
    authority = make_ca()
    write_private(key_path, authority.key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    cert_path.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    return authority


def ensure_unit_certificates(folder: Path, units: list[tuple[str, str]], password: str) -> list[str]:
    """A ``<slug>.p12`` in ``folder`` for every (slug, name) of ``units`` that has none; returns the slugs made."""
    authority = load_or_create_ca(folder)
    made = []
    for slug, name in units:
        path = folder / f"{slug}.p12"
        if path.exists():
            continue
        key, certificate = issue(authority, name)
        write_private(path, pkcs12_bytes(key, certificate, authority, password))
        made.append(slug)
    return made
