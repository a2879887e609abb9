"""Issuing electronic results inside the approval's transaction, and announcing them when the result is returned."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile

from flask_babel import force_locale
from flask_babel import gettext as _

from core import signing
from core.documents.model import QrCode
from core.documents.render import build_plugin_document, plugin_documents_for
from core.dossiers import services
from core.dossiers.models import Dossier, DossierResult
from core.dossiers.results import results_for_dossier, storage_key
from core.extensions import db
from core.notifications.models import Outbox
from core.notifications.outbox import public_base_url
from core.signing.sign import sign_pdf
from core.storage import storage

log = logging.getLogger("motcua.results")

# Stored in the PDF's signature (Vietnamese like the paper).
SIGNING_REASON = "Kết quả giải quyết thủ tục hành chính"


def verification_url(document_sha256: str) -> str:
    """The public page of a result's record, printed as its QR code (PUBLIC_BASE_URL, never the request's host)."""
    return f"{public_base_url()}/xac-thuc/{document_sha256}"


def _content_hash(dossier: Dossier, document, now) -> str:
    """The hash the QR code carries: of the document's content as issued. A file cannot carry its own hash, so the
    signed file's hash (``DossierResult.sha256``) cannot be printed on it."""
    content = {"code": dossier.code, "key": document.key, "issued": now.isoformat(),
               "text": document.text_lines(), "body": str(document.body_html)}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _store(data: bytes, digest: str) -> None:
    handle, temp_name = tempfile.mkstemp(prefix="motcua-result-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        storage("results").put(storage_key(digest), temp_name)
    finally:
        os.unlink(temp_name)


def _signing_failed() -> services.ServiceError:
    return services.ServiceError(
        503, "signing_unavailable",
        _("Chưa ký số được kết quả điện tử (đơn vị chưa có chứng thư số hoặc thiết bị ký không sẵn sàng). Hồ sơ "
          "chưa được phê duyệt; đề nghị báo quản trị hệ thống."))


def issue_results(dossier: Dossier, now) -> list[DossierResult]:
    """Render, sign, store and record every output document of ``dossier`` (just approved), in the caller's
    transaction. A failure raises ServiceError 503 and the caller's transaction rolls back; files already written
    stay in the storage unreferenced (keys are content hashes, so they harm nothing)."""
    from core.documents.pdf import render_pdf  # fpdf2: ~30 MB a worker needs once it prints (issue 16)

    unit = dossier.competent_unit
    made = []
    for template in plugin_documents_for(dossier):
        with force_locale("vi"):
            document = build_plugin_document(dossier, template)
            document_sha256 = _content_hash(dossier, document, now)
            document.corner_qr = QrCode(verification_url(document_sha256), _(
                "Kết quả điện tử có chữ ký số của %(unit)s. Quét mã để xác thực.", unit=unit.name))
            data = render_pdf(document)
        try:
            signed = sign_pdf(data, unit.slug, reason=SIGNING_REASON, location=unit.name)
        except signing.SigningError as exc:
            log.error("approval of %s: %s", dossier.code, exc)
            raise _signing_failed() from exc
        digest = hashlib.sha256(signed.data).hexdigest()
        _store(signed.data, digest)
        result = DossierResult(dossier_id=dossier.id, unit_id=unit.id, key=template.key, title=template.title,
                               sha256=digest, document_sha256=document_sha256, size=len(signed.data),
                               signer=signed.signer[:300], signed_at=signed.signed_at)
        db.session.add(result)
        made.append(result)
    db.session.flush()
    return made


def announce_results(dossier: Dossier, event) -> list[Outbox]:
    """Mark the results delivered and queue the applicant's message with their links (SMS, and e-mail when given)."""
    results = results_for_dossier(dossier)
    if not results:
        return []
    base = public_base_url()
    with force_locale("vi"):
        links = " ".join(f"{r.title}: {base}/ket-qua/{dossier.code}/{r.key}.pdf" for r in results)
        body = _("Kết quả điện tử của hồ sơ %(code)s (có chữ ký số): %(links)s", code=dossier.code, links=links)
        subject = _("Một Cửa: kết quả điện tử hồ sơ %(code)s", code=dossier.code)
    for result in results:
        result.delivered_at = event.at
    targets = [("sms", dossier.applicant_phone)]
    if dossier.applicant_email:
        targets.append(("email", dossier.applicant_email))
    rows = [Outbox(dossier_id=dossier.id, unit_id=dossier.competent_unit_id, created_at=event.at, kind="e_result",
                   channel=channel, recipient=recipient, subject=subject, body=body)
            for channel, recipient in targets if recipient]
    db.session.add_all(rows)
    return rows


def on_action(user, dossier: Dossier, event, now) -> None:
    """The listener registered with ``services.on_action``."""
    if event.action == "approve" and signing.enabled():
        issue_results(dossier, now)
    elif event.action == "return_result":
        announce_results(dossier, event)
