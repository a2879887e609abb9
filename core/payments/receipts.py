"""The e-receipt (biên lai điện tử) of a paid fee as an A4 PDF, through the document model of core/documents.

It states what a fee receipt states (Nghị định 123/2020/NĐ-CP on invoices and receipts covers electronic fee
receipts; the exact layout of its Mẫu is not reproduced, see docs/decisions.md): the collecting unit, the receipt
number (per unit and year), the payer, the dossier, the fee and its amount, how and when it was paid.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from core.documents.forms import agency_lines, document_place
from core.documents.model import Document, Paragraph, Signature, Signatures
from core.formatting import datetime_text, long_date, money
from core.payments.models import Payment
from core.payments.services import provider_title
from core.plugins.manager import get_procedure
from core.plugins.types import translate


def receipt_document(payment: Payment) -> Document:
    dossier, receipt = payment.dossier, payment.receipt
    unit = dossier.receiving_unit
    procedure = get_procedure(dossier.procedure_key)
    with force_locale("vi"):  # a legal paper: Vietnamese whatever the reader's language
        blocks = [
            Paragraph(receipt.receipt_number, label=_("Số biên lai:"), strong=True),
            Paragraph(dossier.applicant_name, label=_("Họ và tên người nộp:")),
            Paragraph(dossier.applicant_address or "—", label=_("Địa chỉ:")),
            Paragraph(dossier.code, label=_("Mã hồ sơ:")),
            Paragraph(translate(procedure.name) if procedure else dossier.procedure_key,
                      label=_("Nội dung thu (phí, lệ phí của thủ tục):")),
            Paragraph(money(payment.amount), label=_("Số tiền:"), strong=True),
            Paragraph(provider_title(payment.provider), label=_("Hình thức thanh toán:")),
            Paragraph(payment.reference, label=_("Mã giao dịch:")),
            Paragraph(datetime_text(payment.paid_at), label=_("Thời điểm thanh toán:")),
            Signatures([Signature(title=_("Đơn vị thu"), hint=_("(Biên lai điện tử)"), name=unit.name)]),
        ]
        return Document(
            key="payment_receipt", title=_("BIÊN LAI THU PHÍ, LỆ PHÍ"),
            agency_lines=agency_lines(unit, dossier.form_set or "2025"),
            reference_lines=[_("Số: %(number)s", number=receipt.receipt_number)],
            place_date=f"{document_place(unit)}, {long_date(receipt.issued_at)}",
            subtitle_lines=[_("(Biên lai điện tử)")], blocks=blocks,
            filename=f"bien-lai-{receipt.year}-{receipt.number:07d}")


def receipt_pdf(payment: Payment) -> tuple[bytes, str]:
    from core.documents.pdf import render_pdf  # fpdf2: ~30 MB a worker needs once it prints (issue 16)

    document = receipt_document(payment)
    return render_pdf(document), f"{document.filename}.pdf"
