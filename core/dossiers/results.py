"""Electronic results of a dossier as the rest of the application sees them: who may download one, its JSON, where
its file is. Issuing (rendering and signing on approval) is core.results, above this package.

For the citizen's area ("Hồ sơ của tôi")::

    from core.dossiers.results import results_for_dossier, can_download_result, result_url
    for result in results_for_dossier(dossier):
        if can_download_result(citizen, result): ... result_url(result) ...

Who is asking in a request (the officer, else the signed-in citizen) is ``core.results.views.current_downloader``.
"""

from __future__ import annotations

import re

from flask import has_request_context, url_for
from sqlalchemy import or_, select

from core.dossiers.models import Dossier, DossierResult
from core.extensions import db
from core.localtime import iso

_SHA256 = re.compile(r"[0-9a-f]{64}")


def storage_key(sha256: str) -> str:
    """Where the signed file is in the "results" storage: ``ab/cd/<sha256>``."""
    if not _SHA256.fullmatch(sha256 or ""):
        raise ValueError("not a sha256 digest")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def results_for_dossier(dossier: Dossier) -> list[DossierResult]:
    """The signed electronic results of ``dossier`` (none before approval, or when signing is off)."""
    if dossier.id is None or dossier.just_created:  # a reception issues no result
        return []
    return list(db.session.scalars(select(DossierResult).where(DossierResult.dossier_id == dossier.id)
                                   .order_by(DossierResult.id)))


def can_download_result(who, result: DossierResult) -> bool:
    """Whether ``who`` may download ``result``, the one access check of every download of a result: an officer
    (a ``User``) who may view its dossier (tenant isolation: a unit on the dossier's path), or the signed-in
    applicant (a ``core.citizens`` Citizen: the personal ID number VNeID vouched for is the dossier's). ``None``
    (nobody signed in) may not. An officer of a dossier that reuses the result instead of a paper may
    too (core.dossiers.reuse)."""
    from core.dossiers.services import may_view
    from core.users.models import User

    if who is None:
        return False
    if isinstance(who, User):
        return bool(who.is_authenticated) and (may_view(who, result.dossier) or _reused_where_visible(who, result))
    id_number = getattr(who, "id_number", None)  # a citizen; duck-typed, core.citizens sits above this package
    return bool(id_number) and id_number == result.dossier.applicant_id_number


def _reused_where_visible(who, result: DossierResult) -> bool:
    """Officers of a dossier that reuses this result instead of a paper read it, though another unit issued it."""
    from core.dossiers.reused import ReusedResult
    from core.dossiers.services import may_view

    dossiers = db.session.scalars(select(Dossier).join(ReusedResult, ReusedResult.dossier_id == Dossier.id)
                                  .where(ReusedResult.result_id == result.id))
    return any(may_view(who, d) for d in dossiers)


def find_result(code: str, key: str) -> DossierResult | None:
    return db.session.scalar(select(DossierResult).join(Dossier).where(Dossier.code == code,
                                                                        DossierResult.key == key))


def find_by_sha256(sha256: str) -> DossierResult | None:
    """The result whose signed file, or whose document before signing (the QR code), has this hash."""
    sha256 = (sha256 or "").lower()
    if not _SHA256.fullmatch(sha256):
        return None
    return db.session.scalar(select(DossierResult).where(
        or_(DossierResult.sha256 == sha256, DossierResult.document_sha256 == sha256)))


def result_url(result: DossierResult, code: str | None = None) -> str:
    """The download address of the signed PDF (answers only those ``can_download_result`` lets in)."""
    code = code or result.dossier.code
    if has_request_context():
        return url_for("results.download", code=code, key=result.key)
    return f"/ket-qua/{code}/{result.key}.pdf"


def result_json(result: DossierResult, code: str | None = None) -> dict:
    return {"key": result.key, "title": result.title, "url": result_url(result, code), "sha256": result.sha256,
            "signed_at": iso(result.signed_at), "signer": result.signer}


def results_json(dossier: Dossier) -> list[dict]:
    return [result_json(r, dossier.code) for r in results_for_dossier(dossier)]
