"""Opening the signer of a unit: a PKCS#12 file or a key on a PKCS#11 token (see ``core.signing``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from core.signing import SigningError, backend_name, pkcs12_dir


def _pkcs12_password(folder: Path, slug: str) -> bytes | None:
    own = folder / f"{slug}.password"
    if own.is_file():
        return own.read_text(encoding="utf-8").splitlines()[0].encode("utf-8")
    password = current_app.config.get("SIGNING_PKCS12_PASSWORD") or ""
    return password.encode("utf-8") or None


@contextmanager
def _pkcs12_signer(slug: str) -> Iterator:
    from pyhanko.sign.signers import SimpleSigner

    folder = pkcs12_dir()
    path = folder / f"{slug}.p12"
    if not path.is_file():
        raise SigningError(f"no PKCS#12 file for unit {slug!r}: {path}")
    try:
        signer = SimpleSigner.load_pkcs12_data(path.read_bytes(), other_certs=(),
                                               passphrase=_pkcs12_password(folder, slug))
    except ValueError as exc:
        raise SigningError(f"the PKCS#12 file of unit {slug!r} cannot be opened (wrong password?): {path}") from exc
    yield signer


@contextmanager
def _pkcs11_signer(slug: str) -> Iterator:
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    config = current_app.config
    try:
        session = open_pkcs11_session(config["SIGNING_PKCS11_MODULE"],
                                      token_criteria=TokenCriteria(label=config["SIGNING_PKCS11_TOKEN"]),
                                      user_pin=config.get("SIGNING_PKCS11_PIN") or None)
    except Exception as exc:  # the library, the token or the PIN: python-pkcs11 raises many kinds
        raise SigningError(f"the PKCS#11 token {config['SIGNING_PKCS11_TOKEN']!r} cannot be opened: {exc!r}") from exc
    try:
        yield PKCS11Signer(session, cert_label=slug, key_label=slug)
    finally:
        session.close()


@contextmanager
def unit_signer(slug: str) -> Iterator:
    """The pyHanko signer of the unit ``slug`` under the configured backend (SigningError when it has none)."""
    name = backend_name()
    if name == "pkcs12":
        with _pkcs12_signer(slug) as signer:
            yield signer
    elif name == "pkcs11":
        with _pkcs11_signer(slug) as signer:
            yield signer
    else:
        raise SigningError("electronic signing is off (SIGNING_BACKEND=none)")
