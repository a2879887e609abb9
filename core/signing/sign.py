"""Signing a PDF (PAdES baseline B, invisible signature) with a unit's signer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from core.signing import SigningError
from core.signing.backends import unit_signer


@dataclass(frozen=True)
class Signed:
    data: bytes
    signer: str  # the certificate's subject as people read it
    signed_at: datetime  # the signing time inside the signature (UTC)


def subject_text(certificate) -> str:
    """"Common name (organisation)" of an asn1crypto certificate's subject, e.g. the demo mark in brackets."""
    subject = certificate.subject.native
    name = subject.get("common_name") or certificate.subject.human_friendly
    organisation = subject.get("organization_name")
    if isinstance(organisation, list):
        organisation = ", ".join(organisation)
    return f"{name} ({organisation})" if organisation and organisation != name else str(name)


def sign_pdf(data: bytes, unit_slug: str, *, reason: str, location: str) -> Signed:
    """``data`` signed by the unit ``unit_slug``; SigningError when the unit cannot sign."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(field_name="KetQuaDienTu", reason=reason, location=location,
                                        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    with unit_signer(unit_slug) as signer:
        try:
            writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
            output = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
        except SigningError:
            raise
        except Exception as exc:  # a key that refuses to sign, a token pulled out meanwhile
            raise SigningError(f"unit {unit_slug!r} could not sign: {exc!r}") from exc
    signed = output.getvalue()
    embedded = PdfFileReader(BytesIO(signed), strict=False).embedded_signatures[-1]
    signed_at = embedded.self_reported_timestamp or datetime.now(UTC)
    return Signed(data=signed, signer=subject_text(embedded.signer_cert), signed_at=signed_at.astimezone(UTC))
