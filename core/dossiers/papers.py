"""The papers of a dossier's checklist and their scans: digitisation at the counter, uploads by the applicant.

Each paper (a ``DossierDocument`` row, in the catalogue's order: its ``index``) may point to one attachment, its
scan; the paper is then digitised (Decree 45/2020: the papers received are digitised and kept with the dossier). A
scan of several pages is one file: a multi-page PDF, or several JPEG/PNG images that img2pdf combines into one PDF
without re-encoding them. Every file gets the desk's checks (``core.dossiers.attachments``: PDF, JPEG or PNG by
content, ATTACHMENT_MAX_BYTES), and so does the combined PDF.

Who uploads (``uploader``):

* an officer (a ``User``) who may act on the dossier, while it is on someone's desk (``workflow.ON_DESK``);
* the applicant (an ``Applicant``), proven by the tracking code and phone or signed in, only while a supplement is
  asked for (``supplement_requested``); a signed-in applicant names their personal ID number, which must be the
  dossier's. The papers of an online submission are recorded by ``record_scans`` inside ``create_dossier``'s
  transaction.

A paper scanned is a paper handed in: its ``provided`` becomes true. The attachment row, the paper's link and the
history event ("digitize" by an officer, "upload_document" by the applicant) are written in one transaction; on any
error nothing is, and a file stored for it alone is removed again.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers import attachments, services, workflow
from core.dossiers.models import Attachment, Dossier, DossierDocument
from core.extensions import db
from core.users.models import User

log = logging.getLogger("motcua.papers")

# Pages of one scan sent as separate images; a request is bounded by MAX_CONTENT_LENGTH anyway.
MAX_PAGES = 50
OFFICER_STATES = workflow.ON_DESK
APPLICANT_STATES = ("supplement_requested",)


@dataclass(frozen=True)
class Applicant:
    """The applicant as uploader: ``proof`` says how they were recognised ("tracking": code and phone; "vneid": signed
    in, with ``id_number`` their personal ID number from the identity provider)."""

    proof: str = "tracking"
    id_number: str = ""
    name: str = ""


@dataclass(frozen=True)
class Scan:
    """One paper's upload, checked and (for several images) combined: what ``attachments.store_upload`` takes."""

    upload: object
    pages: int  # files sent: 1 for one PDF or image, n for n images combined


@dataclass(frozen=True)
class Outcome:
    document: DossierDocument
    attachment: Attachment


def _error(status: int, code: str, message: str, field: str = "file") -> services.ServiceError:
    return services.ServiceError(status, code, message, {field: message})


def prepare(uploads: list) -> Scan:
    """Check the files sent for one paper (a werkzeug FileStorage each) and combine several images into one PDF.

    Raises ServiceError 422 (none, empty, wrong type, a PDF among several files, an unreadable image, too many) or 413
    (a file too large); nothing is stored."""
    uploads = [u for u in uploads or [] if u is not None and getattr(u, "filename", None)]
    if not uploads:
        raise _error(422, "invalid", _("Chưa chọn tệp."))
    if len(uploads) > MAX_PAGES:
        raise _error(422, "too_many_files", _("Tối đa %(n)s tệp cho một giấy tờ.", n=MAX_PAGES))
    types = []
    for upload in uploads:
        try:
            types.append(attachments.check_upload(upload))
        except services.ServiceError as exc:
            if len(uploads) == 1:
                raise
            message = _("Tệp %(name)s: %(message)s", name=upload.filename,
                        message=(exc.fields or {}).get("file") or exc.message)
            raise services.ServiceError(exc.status, exc.code, message, {"file": message}) from exc
    if len(uploads) == 1:
        return Scan(uploads[0], 1)
    if "application/pdf" in types:
        raise _error(422, "invalid", _("Nhiều trang: gửi một tệp PDF nhiều trang, hoặc nhiều ảnh JPEG/PNG để ghép "
                                       "thành một tệp PDF."))
    return Scan(_combine(uploads), len(uploads))


def _combine(uploads: list) -> FileStorage:
    import img2pdf  # with Pillow and pikepdf: ~15 MB a worker needs only for a scan of several images (issue 16)

    images = []
    for upload in uploads:
        stream = getattr(upload, "stream", upload)
        stream.seek(0)
        images.append(stream.read())
        stream.seek(0)
    try:
        pdf = img2pdf.convert(images)
    except Exception as exc:  # img2pdf and Pillow raise many kinds for a broken image; all mean "cannot read it"
        log.info("images not combined: %s", exc)
        raise _error(422, "unreadable_image", _("Không đọc được ảnh: kiểm tra lại các tệp ảnh đã chọn.")) from exc
    stem = (uploads[0].filename or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return FileStorage(io.BytesIO(pdf), filename=f"{stem or 'ban-quet'}.pdf", content_type="application/pdf")


def paper_at(dossier: Dossier, index) -> DossierDocument:
    """The paper at ``index`` (0-based, the order of ``documents`` in the dossier JSON), or 404."""
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index:
        for document in dossier.documents:
            if document.position == index:
                return document
    raise services.ServiceError(404, "document_not_found",
                                _("Hồ sơ không có giấy tờ số %(n)s trong danh mục.", n=index),
                                {"document": _("Chọn một giấy tờ trong danh mục của hồ sơ.")})


def check_uploader(uploader, dossier: Dossier) -> None:
    """Who may add papers to ``dossier`` now: 404 (not theirs to see), 403 (may see, may not act), 409 (its state)."""
    if isinstance(uploader, Applicant):
        if uploader.id_number and uploader.id_number != dossier.applicant_id_number:
            raise services.ServiceError(404, "not_found", _("Không tìm thấy hồ sơ."))
        if dossier.status not in APPLICANT_STATES:
            raise services.ServiceError(409, "papers_closed", _(
                "Chỉ nộp bổ sung giấy tờ trực tuyến khi hồ sơ đang được yêu cầu bổ sung."))
        return
    if not isinstance(uploader, User) or not services.may_view(uploader, dossier):
        raise services.ServiceError(404, "not_found", _("Không tìm thấy hồ sơ."))
    if not attachments.may_attach(uploader, dossier):
        raise services.ServiceError(403, "forbidden", _("Bạn không có quyền đính kèm tệp vào hồ sơ này."))
    if dossier.status not in OFFICER_STATES:
        raise services.ServiceError(409, "papers_closed", _(
            "Hồ sơ đã kết thúc (%(state)s): không nhận thêm giấy tờ.", state=workflow.state_label(dossier.status)))


def attach_paper(uploader, dossier: Dossier, index, uploads: list, now: datetime | None = None) -> Outcome:
    """Scan (officer) or upload (applicant) the paper at ``index`` of ``dossier`` from ``uploads`` (one PDF or
    image, or several images for several pages), with its history event in one transaction."""
    now = now or utcnow()
    check_uploader(uploader, dossier)
    paper_at(dossier, index)
    scan = prepare(uploads)
    stored = attachments.store_upload(scan.upload)
    with attachments.discard_on_failure(stored):
        with write_transaction():
            dossier = db.session.merge(dossier)
            check_uploader(uploader, dossier)  # again on the row read in this transaction
            document = paper_at(dossier, index)
            attachment = _record(dossier, document, stored, scan, uploader, now)
    return Outcome(document, attachment)


def record_scans(dossier: Dossier, scans: dict[int, tuple], uploader, now: datetime) -> None:
    """Inside the caller's transaction (an online submission): link each stored scan, ``{index: (StoredFile,
    Scan)}``, to its paper of the new dossier."""
    for index, (stored, scan) in sorted(scans.items()):
        _record(dossier, paper_at(dossier, index), stored, scan, uploader, now, with_submission=True)


def _record(dossier: Dossier, document: DossierDocument, stored, scan: Scan, uploader, now: datetime,
            with_submission: bool = False) -> Attachment:
    officer = uploader if isinstance(uploader, User) else None
    attachment = attachments.add_attachment(dossier, stored, getattr(scan.upload, "filename", None), officer, now)
    previous = document.attachment_id
    was_provided = document.provided
    document.attachment_id = attachment.id
    document.provided = True
    payload = {**attachments.attachment_payload(attachment), "document": document.position,
               "document_name": document.name, "pages": scan.pages, "provided_before": was_provided,
               "replaces_attachment_id": previous}
    if officer is None:
        payload["proof"] = uploader.proof if isinstance(uploader, Applicant) else "online"
    if with_submission:
        payload["with_submission"] = True
    action = "digitize" if officer is not None else "upload_document"
    services.record_event(dossier, action, officer, now, note=document.name, payload=payload)
    return attachment
