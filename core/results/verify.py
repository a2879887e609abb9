"""Whether a PDF is an electronic result this deployment issued: the answer of POST /api/v1/verify and /xac-thuc.

Valid only when all three hold: the last signature is intact and covers the whole file, its certificate chains to a
configured trust root (``SIGNING_TRUST_ROOTS``), and the file's sha256 is on record (``DossierResult.sha256``).
The reason is said in the reader's language.
"""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _

from core.dossiers.models import DossierResult
from core.dossiers.results import find_by_sha256
from core.localtime import iso
from core.signing.verify import inspect_pdf

PDF_MAGIC = b"%PDF-"


def _reasons() -> dict[str | None, str]:
    return {
        "unreadable": _("Tệp PDF bị hỏng hoặc đã bị sửa đổi: không đọc được chữ ký số."),
        "unsigned": _("Tệp không có chữ ký số."),
        "modified": _("Tệp đã bị sửa đổi sau khi ký: chữ ký số không còn nguyên vẹn."),
        "appended": _("Tệp đã bị thêm nội dung sau khi ký."),
        "untrusted": _("Chứng thư số của người ký không thuộc tổ chức chứng thực được tin cậy."),
        "not_on_record": _("Chữ ký số hợp lệ nhưng tệp này không do hệ thống cấp (không có trong sổ kết quả)."),
        None: _("Kết quả điện tử hợp lệ: chữ ký số nguyên vẹn, được tin cậy và tệp do hệ thống cấp."),
    }


def verify_pdf(data: bytes) -> dict:
    """``{"valid", "dossier", "document", "signer", "signed_at", "reason"}`` for the bytes of a PDF."""
    inspection = inspect_pdf(data)
    record: DossierResult | None = find_by_sha256(hashlib.sha256(data).hexdigest())
    if record is not None and record.sha256 != hashlib.sha256(data).hexdigest():
        record = None  # only the signed file's own hash proves issue (the QR hash is printed, not secret)
    problem = inspection.problem or (None if record is not None else "not_on_record")
    return {
        "valid": problem is None,
        "dossier": record.dossier.code if record is not None else None,
        "document": record.key if record is not None else None,
        "signer": record.signer if record is not None else inspection.signer,
        "signed_at": iso(record.signed_at if record is not None else inspection.signed_at),
        "reason": _reasons()[problem],
    }
