"""Digital signatures of electronic results: PAdES signing with pyHanko, and checking a signed PDF.

``SIGNING_BACKEND`` chooses where each unit's signing key lives:

- ``none`` (default): no electronic results are issued; results are printed and signed by hand as before.
- ``pkcs12``: one PKCS#12 file per unit, ``<SIGNING_PKCS12_DIR>/<unit slug>.p12``, opened with
  ``SIGNING_PKCS12_PASSWORD`` (or the first line of ``<unit slug>.password`` beside it, for a unit with its own).
- ``pkcs11``: a PKCS#11 token (a USB token or an HSM; SoftHSM2 in tests): module ``SIGNING_PKCS11_MODULE``, token
  label ``SIGNING_PKCS11_TOKEN``, user PIN ``SIGNING_PKCS11_PIN``; each unit's private key and certificate carry the
  unit's slug as their label.

A signature is trusted when its certificate chains to one of ``SIGNING_TRUST_ROOTS`` (PEM or DER files, separated by
commas). Outside production, with no roots configured, the demo CA of ``flask signing demo-certificates`` is the root.

Layout: ``backends.py`` (opening a unit's signer), ``sign.py`` (signing a PDF), ``verify.py`` (checking one),
``demo.py`` (the demo CA and unit certificates), ``cli.py`` (``flask signing ...``).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

BACKENDS = ("none", "pkcs12", "pkcs11")
DEMO_CA_FILE = "demo-ca.pem"
# Written into the subject of every demo certificate: a demo signature must never pass for a real one.
DEMO_MARK = "DEMO – không có giá trị pháp lý"


class SigningError(RuntimeError):
    """A unit cannot sign now (no certificate, a wrong password, a token that does not answer); the message says
    which, for the log and the administrator."""


def backend_name(config=None) -> str:
    config = config if config is not None else current_app.config
    return (config.get("SIGNING_BACKEND") or "none").strip().lower()


def enabled(config=None) -> bool:
    return backend_name(config) != "none"


def check_settings(config) -> None:
    """Refuse to start with an unknown backend or a PKCS#11 backend without its module."""
    from core.config import ConfigError

    name = backend_name(config)
    if name not in BACKENDS:
        raise ConfigError(f"SIGNING_BACKEND={name!r} is not one of: {', '.join(BACKENDS)}.")
    if name == "pkcs11" and not (config.get("SIGNING_PKCS11_MODULE") and config.get("SIGNING_PKCS11_TOKEN")):
        raise ConfigError("SIGNING_BACKEND=pkcs11 needs SIGNING_PKCS11_MODULE (the token's PKCS#11 library) and "
                          "SIGNING_PKCS11_TOKEN (its label).")


def pkcs12_dir(config=None) -> Path:
    config = config if config is not None else current_app.config
    return Path(config.get("SIGNING_PKCS12_DIR") or Path(current_app.instance_path) / "signing")


def trust_root_files(config=None) -> list[str]:
    """The files of ``SIGNING_TRUST_ROOTS``; outside production and unset, the demo CA when it exists."""
    config = config if config is not None else current_app.config
    given = [p.strip() for p in (config.get("SIGNING_TRUST_ROOTS") or "").split(",") if p.strip()]
    if given or config.get("ENV_NAME") == "production":
        return given
    demo = pkcs12_dir(config) / DEMO_CA_FILE
    return [str(demo)] if demo.is_file() else []


def settings_from_environment(instance: Path) -> dict:
    """The signing settings of ``core.config.load_config``."""
    return {
        "SIGNING_BACKEND": os.environ.get("SIGNING_BACKEND", "none"),
        "SIGNING_PKCS12_DIR": os.environ.get("SIGNING_PKCS12_DIR") or str(instance / "signing"),
        "SIGNING_PKCS12_PASSWORD": os.environ.get("SIGNING_PKCS12_PASSWORD", ""),
        "SIGNING_PKCS11_MODULE": os.environ.get("SIGNING_PKCS11_MODULE", ""),
        "SIGNING_PKCS11_TOKEN": os.environ.get("SIGNING_PKCS11_TOKEN", ""),
        "SIGNING_PKCS11_PIN": os.environ.get("SIGNING_PKCS11_PIN", ""),
        "SIGNING_TRUST_ROOTS": os.environ.get("SIGNING_TRUST_ROOTS", ""),
        "VERIFY_MAX_BYTES": int(os.environ.get("VERIFY_MAX_BYTES", str(10 * 1024 * 1024))),
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "60 per minute"),  # per client address
    }
