"""Checking a signed PDF: is its last signature intact, does it cover the whole file, does its certificate chain to a
configured trust root. Whether this deployment issued the file is the caller's question (core.results.verify)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from core.signing import trust_root_files
from core.signing.sign import subject_text

log = logging.getLogger("motcua.signing")


@dataclass(frozen=True)
class Inspection:
    """What a signature check found. ``problem`` is None when the signature is intact, covers the whole file and
    is trusted; otherwise one of: unreadable, unsigned, modified, appended, untrusted."""

    problem: str | None
    signer: str | None = None
    signed_at: datetime | None = None


def _trust_roots() -> list:
    from pyhanko.keys import load_certs_from_pemder

    roots = []
    for path in trust_root_files():
        try:
            roots.extend(load_certs_from_pemder([path]))
        except (OSError, ValueError) as exc:  # a missing or broken file must not turn every check into a 500
            log.error("SIGNING_TRUST_ROOTS: %s cannot be read: %r", path, exc)
    return roots


def inspect_pdf(data: bytes) -> Inspection:
    """Check the last signature of ``data`` (a PDF); never raises on a damaged or hostile file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception:  # pyHanko's parser raises many kinds on a damaged file
        return Inspection("unreadable")
    if not signatures:
        return Inspection("unsigned")
    embedded = signatures[-1]
    try:
        signer = subject_text(embedded.signer_cert)
        reported = embedded.self_reported_timestamp
    except Exception:
        return Inspection("modified")
    signed_at = reported.astimezone(UTC) if reported else None
    # No fetching: a check must not wait on (or leak to) the network; revocation is soft-fail without it.
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, ValueError, KeyError, TypeError, AttributeError):
        return Inspection("modified", signer, signed_at)
    except Exception:  # anything else pyHanko can raise on a crafted file: refuse, never fail the request
        log.warning("signature check failed unexpectedly", exc_info=True)
        return Inspection("modified", signer, signed_at)
    if not (status.intact and status.valid):
        return Inspection("modified", signer, signed_at)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Inspection("appended", signer, signed_at)
    if not status.trusted:
        return Inspection("untrusted", signer, signed_at)
    return Inspection(None, signer, signed_at)
