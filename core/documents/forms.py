"""The official one-stop-shop forms of a dossier (domain.md 1.3), each built into a ``model.Document``.

The form set follows the dossier's reception date (``form_set_of``), never the procedure's version: "2018" is
Circular 01/2018/TT-VPCP (Mẫu 01..06), "2025" is Circular 03/2025/TT-VPCP (Mẫu 01..07, with the new "Thông báo dừng
giải quyết hồ sơ" as Mẫu 05), used for dossiers received from ``FORM_SET_2025_FROM``. A form applies only when the
dossier's history holds what it reports (a refusal needs a refusal, …); ``applicable_forms`` says which,
``build_form`` builds one. Text is Vietnamese on purpose: these are legal forms, so they are always built under the
``vi`` locale (see ``render.build_document``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.documents import formats as fmt
from core.documents.fees import fee_text
from core.documents.model import Document, Heading, Paragraph, QrCode, Signature, Signatures, Table
from core.dossiers import workflow
from core.dossiers.clock import classify_completion
from core.dossiers.models import Dossier, DossierEvent
from core.dossiers.serializers import original_due_at, result_delivery
from core.extensions import db
from core.plugins.manager import get_procedure
from core.tenancy.models import Unit

FORM_SETS = ("2018", "2025")
# Circular 03/2025/TT-VPCP is dated 15/09/2025 (text of the Circular as published, e.g. hethongphapluat.com) and its
# Annex I forms apply from that day (thuviennhadat.vn, "biểu mẫu ... từ ngày 15/9/2025"); before it, desks kept the
# forms of Circular 01/2018/TT-VPCP, even under Decree 118/2025 (in force 01/07/2025). See docs/decisions.md (LAW-12).
FORM_SET_2025_FROM = date(2025, 9, 15)
CIRCULARS = {"2018": _l("Thông tư số 01/2018/TT-VPCP"), "2025": _l("Thông tư số 03/2025/TT-VPCP")}
DESK_NAMES = {"2018": _l("Bộ phận Tiếp nhận và Trả kết quả"), "2025": _l("Trung tâm Phục vụ hành chính công")}
DOCUMENT_KINDS = {"original": _l("Bản chính"), "copy": _l("Bản sao"), "certified_copy": _l("Bản sao chứng thực"),
                  "present": _l("Xuất trình")}
COMPLETION_LABELS = {"early": _l("Trước hạn"), "on_time": _l("Đúng hạn"), "late": _l("Quá hạn")}
SIGN_HINT = _l("(Ký và ghi rõ họ tên)")
ANY_KIND = _l("Bản chính hoặc bản sao")
SIGN_SEAL_HINT = _l("(Ký, ghi rõ họ tên và đóng dấu)")

# Actions that hand the dossier from one party to another: one row each on the control sheet (Mẫu 05/06).
HANDOVER_ACTIONS = ("receive", "assign", "transfer", "unit_merged", "submit_for_approval", "send_back", "approve",
                    "request_supplement", "supplement_received", "withdraw", "refuse", "return_result")


def document_settings(unit: Unit) -> dict:
    """The unit's print settings: ``settings["documents"]`` with optional "agency", "desk" and "place" texts."""
    settings = unit.settings if isinstance(unit.settings, dict) else {}
    found = settings.get("documents")
    return found if isinstance(found, dict) else {}


def agency_lines(unit: Unit, form_set: str, with_desk: bool = True) -> list[str]:
    """The top-left header: the governing body ("UBND XÃ …"), then the issuing desk of the form set.

    An office (the land registration office) issues its forms in its own name: it has no one-stop desk line
    unless its ``[settings.documents] desk`` names one.
    """
    settings = document_settings(unit)
    governing = settings.get("agency") or (
        _("UBND %(name)s", name=unit.name) if unit.kind in ("commune", "district", "province") else unit.name)
    lines = [str(governing).upper()]
    desk = settings.get("desk") or (DESK_NAMES[form_set] if unit.kind != "office" else "")
    if with_desk and desk:
        lines.append(str(desk).upper())
    return lines


def document_place(unit: Unit) -> str:
    """The place name (địa danh) before the date: ``[settings.documents] place``, else the unit's own name without
    its kind; an office is not a place, so it writes the place of the unit it belongs to ("Tiên Du")."""
    place = document_settings(unit).get("place")
    if place:
        return str(place)
    if unit.kind == "office" and unit.parent is not None:
        return fmt.place_name(unit.parent.name)
    return fmt.place_name(unit.name)


def desk_of(unit: Unit, form_set: str) -> str:
    """Who the citizen deals with at ``unit`` inside a sentence: "Trung tâm Phục vụ hành chính công xã Hoàn Sơn", or
    an office's own name."""
    desk = document_settings(unit).get("desk")
    if unit.kind == "office":
        return f"{desk} {unit.name}" if desk else unit.name
    return f"{desk or DESK_NAMES[form_set]} {fmt.in_text(unit.name)}"


def form_set_at(moment: datetime | date | None) -> str:
    """The form set in force on ``moment`` (a local date, or an aware moment); "2025" for None (not received)."""
    if moment is None:
        return "2025"
    day = fmt.local(moment).date() if isinstance(moment, datetime) else moment
    return "2025" if day >= FORM_SET_2025_FROM else "2018"


@dataclass(frozen=True)
class FormSpec:
    """One official form: its number and title in each set, when it applies, and its builder."""

    key: str
    titles: dict  # form set -> title (sentence case; printed upper-case)
    numbers: dict  # form set -> "01" … (missing: the set has no such form)
    applies: Callable[[Dossier], bool]
    build: Callable[[Facts], Document]
    landscape: bool = False

    def title(self, form_set: str) -> str:
        return str(self.titles.get(form_set) or self.titles["2025"])

    def number(self, form_set: str) -> str:
        return self.numbers.get(form_set, "")


class Facts:
    """What the builders read about one dossier: its units, procedure and history, loaded once."""

    def __init__(self, dossier: Dossier, base_url_for_tracking: Callable[[str], str]) -> None:
        self.dossier = dossier
        self.form_set = form_set_of(dossier)
        self.procedure = get_procedure(dossier.procedure_key)
        self.events: list[DossierEvent] = list(dossier.events)
        self.receiving: Unit = dossier.receiving_unit
        self.competent: Unit = dossier.competent_unit
        self.tracking_url = base_url_for_tracking(dossier.code)
        self._units: dict[int, Unit] = {self.receiving.id: self.receiving, self.competent.id: self.competent}

    # --- lookups --------------------------------------------------------------------------------------------
    def unit(self, unit_id: int | None) -> Unit | None:
        if unit_id is None:
            return None
        if unit_id not in self._units:
            self._units[unit_id] = db.session.get(Unit, unit_id)
        return self._units[unit_id]

    def last(self, action: str) -> DossierEvent | None:
        found = [e for e in self.events if e.action == action]
        return found[-1] if found else None

    @property
    def procedure_name(self) -> str:
        return self.procedure.name if self.procedure else self.dossier.procedure_key

    @property
    def receiver_name(self) -> str:
        """The officer who received the dossier (from the history)."""
        event = self.last("receive")
        return event.actor_name if event else ""

    # --- common parts ----------------------------------------------------------------------------------------
    def desk_name(self) -> str:
        """The desk's name in the form set, without its unit (sentences that add the unit themselves)."""
        return str(document_settings(self.receiving).get("desk") or DESK_NAMES[self.form_set])

    def desk(self, unit: Unit | None = None) -> str:
        """The desk (or office) of ``unit`` (default: the receiving unit) as a sentence names it."""
        return desk_of(unit or self.receiving, self.form_set)

    def agency_lines(self, unit: Unit, with_desk: bool = True) -> list[str]:
        return agency_lines(unit, self.form_set, with_desk)

    def place(self, unit: Unit) -> str:
        return document_place(unit)

    def document(self, spec: FormSpec, unit: Unit, on: datetime | None, blocks: list,
                 reference: list[str] | None = None, with_desk: bool = True) -> Document:
        number = spec.number(self.form_set)
        return Document(
            key=spec.key, title=spec.title(self.form_set).upper(),
            form_number=_("Mẫu số %(n)s", n=number) if number else "",
            circular=str(CIRCULARS[self.form_set]) if number else "",
            agency_lines=self.agency_lines(unit, with_desk),
            reference_lines=reference if reference is not None else [_("Mã hồ sơ: %(code)s", code=self.dossier.code)],
            place_date=fmt.place_date(self.place(unit), on) if on else "",
            blocks=blocks, landscape=spec.landscape, filename=f"{spec.key}-{self.dossier.code}",
        )

    def applicant_rows(self, lead: str) -> list[Paragraph]:
        d = self.dossier
        # The e-mail line is part of the forms even when the citizen has none (left blank to be filled by hand).
        return [Paragraph(d.applicant_name, label=lead, strong=True),
                Paragraph(d.applicant_address, label=_("Địa chỉ:")),
                Paragraph(d.applicant_phone, label=_("Số điện thoại:")),
                Paragraph(d.applicant_email, label=_("Thư điện tử:"))]

    def request_row(self) -> Paragraph:
        return Paragraph(self.procedure_name, label=_("Nội dung yêu cầu giải quyết:"), strong=True)

    def appointment(self) -> datetime | None:
        """As issued at reception: a reprint never shows a date moved by a supplement (LAW-05)."""
        return original_due_at(self.dossier)


# --- Mẫu 01: receipt and appointment -----------------------------------------------------------------------------

def _document_rows(facts: Facts) -> list[list[str]]:
    """The papers actually handed in, as checked at reception (dossiers from before the checklist was recorded:
    the procedure's catalogue)."""
    if facts.dossier.documents:
        documents = [doc for doc in facts.dossier.documents if doc.provided]
    else:
        documents = facts.procedure.required_documents if facts.procedure else ()
    return [[str(i), doc.name, str(DOCUMENT_KINDS.get(doc.kind, doc.kind)), str(doc.count)]
            for i, doc in enumerate(documents, start=1)]


def _result_place(facts: Facts) -> str:
    d = facts.dossier
    if result_delivery(d) == "postal":
        return _("Qua dịch vụ bưu chính công ích, tại địa chỉ: %(address)s", address=d.applicant_address)
    place = facts.desk()
    return f"{place} ({facts.receiving.address})" if facts.receiving.address else place


def _deciding_unit(facts: Facts) -> list:
    """A dossier decided by another unit than the one receiving it (filed anywhere in the province, or routed by the
    procedure's rule): the receipt names both."""
    if facts.competent.id == facts.receiving.id:
        return []
    return [Paragraph(_("Hồ sơ được tiếp nhận tại %(receiving)s và chuyển đến %(competent)s giải quyết.",
                        receiving=facts.receiving.name, competent=facts.competent.name),
                      label=_("Cơ quan giải quyết:"))]


def build_receipt(facts: Facts) -> Document:
    from core.documents.book import book_position

    d = facts.dossier
    volume, ordinal = book_position(d)
    blocks = [
        Paragraph(facts.desk()),
        *facts.applicant_rows(_("Tiếp nhận hồ sơ của:")),
        facts.request_row(),
        *_deciding_unit(facts),
        Heading(_("1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ:")),
        Table([_("STT"), _("Tên giấy tờ"), _("Hình thức"), _("Số lượng")], _document_rows(facts),
              widths=[0.8, 7, 2.6, 1.6], align=["center", "left", "center", "center"],
              empty_text=_("Theo quy định của thủ tục")),
        Heading(_("2. Số lượng hồ sơ: %(n)s (bộ)", n="01")),
        Heading(_("3. Thời gian giải quyết hồ sơ theo quy định là: %(limit)s",
                  limit=fmt.time_limit_text(d.time_limit_value, d.time_limit_unit, d.time_limit_cutoff))),
        Heading(_("4. Thời gian nhận hồ sơ: %(at)s", at=fmt.moment_text(d.received_at))),
        Heading(_("5. Thời gian trả kết quả giải quyết hồ sơ: %(at)s", at=fmt.moment_text(facts.appointment()))),
        Heading(_("6. Đăng ký nhận kết quả tại: %(place)s", place=_result_place(facts))),
        Paragraph(fee_text(d), label=_("Phí, lệ phí:")),
        Paragraph(_("Vào Sổ theo dõi hồ sơ, Quyển số: %(volume)s, Số thứ tự: %(n)s", volume=volume, n=ordinal),
                  italic=True),
        QrCode(facts.tracking_url, caption=_("Quét mã để tra cứu tình trạng hồ sơ: %(url)s", url=facts.tracking_url)),
        Paragraph(_("Khi đến nhận kết quả, Ông/Bà mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả này, căn cước "
                    "công dân (hoặc giấy tờ tùy thân), giấy ủy quyền (nếu nhận thay) và phí, lệ phí (nếu có)."),
                  label=_("Chú ý:"), italic=True),
        Signatures([Signature(_("Người nộp hồ sơ"), str(SIGN_HINT), d.applicant_name),
                    Signature(_("Người tiếp nhận hồ sơ"), str(SIGN_HINT), facts.receiver_name)]),
    ]
    return facts.document(SPECS["receipt"], facts.receiving, d.received_at, blocks)


# --- Mẫu 02: supplement request ----------------------------------------------------------------------------------

def _missing_rows(facts: Facts, missing: list[str]) -> list[list[str]]:
    known = {doc.name.casefold(): doc for doc in (facts.procedure.required_documents if facts.procedure else ())}
    rows = []
    for i, name in enumerate(missing, start=1):
        doc = known.get(name.casefold())
        # A paper typed as free text is not in the catalogue: the citizen may bring the original or a copy.
        rows.append([str(i), name, str(DOCUMENT_KINDS.get(doc.kind, doc.kind)) if doc else str(ANY_KIND),
                     str(doc.count if doc else 1)])
    return rows


def build_supplement_request(facts: Facts) -> Document:
    event = facts.last("request_supplement")
    unit = facts.unit(event.unit_id) or facts.competent
    missing = [str(m) for m in (event.payload or {}).get("missing_documents", [])]
    contact = unit.phone or facts.receiving.phone
    blocks = [
        *facts.applicant_rows(_("Tiếp nhận hồ sơ/yêu cầu của Ông/Bà:")),
        facts.request_row(),
        Paragraph(fmt.moment_text(_parse_iso((event.payload or {}).get("received_at"))
                                  or facts.dossier.received_at or facts.dossier.submitted_at),
                  label=_("Thời gian tiếp nhận:")),  # as issued (DAY-17)
        Heading(_("Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:")),
        Table([_("TT"), _("Thành phần hồ sơ cần bổ sung, hoàn thiện"), _("Hình thức"), _("Số lượng")],
              _missing_rows(facts, missing), widths=[0.8, 7, 2.6, 1.6], align=["center", "left", "center", "center"]),
        Paragraph(event.note, label=_("Lý do:")),
        Paragraph(_("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ %(desk)s (người hướng dẫn: "
                    "%(person)s) để được hướng dẫn. Thông tin thủ tục hành chính được công khai tại Cổng Dịch vụ công "
                    "quốc gia và tại nơi tiếp nhận hồ sơ.", desk=facts.desk(unit), person=event.actor_name)),
        Paragraph(contact or "", label=_("Số điện thoại liên hệ:")),  # always printed; blank to fill by hand
        Signatures([Signature(_("Người hướng dẫn"), str(SIGN_HINT), event.actor_name)]),
    ]
    return facts.document(SPECS["supplement_request"], unit, event.at, blocks)


# --- Mẫu 03: refusal ---------------------------------------------------------------------------------------------

def build_refusal(facts: Facts) -> Document:
    event = facts.last("refuse")
    blocks = [
        *facts.applicant_rows(_("Tiếp nhận hồ sơ của:")),
        facts.request_row(),
        Paragraph(_("Sau khi nghiên cứu, đối chiếu với quy định hiện hành, %(desk)s không tiếp nhận, giải quyết hồ "
                    "sơ này với lý do cụ thể như sau:", desk=facts.desk(event_unit(facts, event)))),
        Paragraph(event.note, label=_("Lý do:"), strong=True),
        Paragraph(_("Xin thông báo để Ông/Bà được biết và thực hiện.")),
        Signatures([Signature(_("Người tiếp nhận hồ sơ"), str(SIGN_HINT), event.actor_name)]),
    ]
    return facts.document(SPECS["refusal"], facts.receiving, event.at, blocks)


# --- Mẫu 04: apology and new appointment ---------------------------------------------------------------------------

def _parse_iso(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def build_apology(facts: Facts) -> Document:
    event = facts.last("apologize")
    d = facts.dossier
    unit = facts.unit(event.unit_id) or facts.competent
    payload = event.payload or {}
    previous = _parse_iso(payload.get("previous_due_at")) or d.due_at
    new_due = _parse_iso(payload.get("new_due_at")) or d.extended_due_at
    if facts.form_set == "2018":
        closing = _("%(unit)s xin lỗi Ông/Bà và hẹn trả kết quả vào: %(at)s.", unit=unit.name,
                    at=fmt.moment_text(new_due))
    else:
        closing = _("%(unit)s xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả vào: %(at)s.",
                    unit=unit.name, at=fmt.moment_text(new_due))
    blocks = [
        Paragraph(d.applicant_name, label=_("Kính gửi: Ông/Bà"), strong=True, align="center"),
        Paragraph(d.applicant_address, label=_("Địa chỉ:")),
        Paragraph(d.applicant_phone, label=_("Số điện thoại:")),
        *([Paragraph(d.applicant_email, label=_("Thư điện tử:"))] if d.applicant_email else []),
        Paragraph(_("Ngày %(day)s, %(unit)s tiếp nhận giải quyết hồ sơ %(procedure)s của Ông/Bà, mã hồ sơ %(code)s. "
                    "Thời gian hẹn trả kết quả: %(due)s.", day=fmt.day_text(d.received_at),
                    unit=fmt.in_text(facts.receiving.name),
                    procedure=facts.procedure_name, code=d.code, due=fmt.moment_text(previous)), align="justify"),
        Paragraph(_("Tuy nhiên, đến nay hồ sơ của Ông/Bà chưa được giải quyết xong đúng hạn."), align="justify"),
        Paragraph(event.note, label=_("Lý do:"), strong=True),
        Paragraph(_("Sự chậm trễ này đã gây phiền hà, làm mất thời gian và chi phí của Ông/Bà.")),
        Paragraph(closing, strong=True, align="justify"),
        Paragraph(_("Rất mong nhận được sự thông cảm của Ông/Bà.")),
        Signatures([Signature(_("Thủ trưởng cơ quan, đơn vị làm sai, lỡ hẹn"), str(SIGN_SEAL_HINT))]),
        Paragraph(_("%(name)s, %(unit)s", name=event.actor_name, unit=unit.name), label=_("Người lập:"),
                  italic=True),
    ]
    # An administrative letter of the agency, so it has a number line under the agency's name (Decree 30/2020,
    # Annex I); the number comes from the agency's register, so it is left to be filled in (docs/decisions.md).
    reference = [_("Số: ……/……"), _("Mã hồ sơ: %(code)s", code=d.code)]
    return facts.document(SPECS["apology"], unit, event.at, blocks, reference=reference, with_desk=False)


# --- 2025 Mẫu 05: stop notice (withdrawal) -------------------------------------------------------------------------

def _letter_opening(facts: Facts) -> list[Paragraph]:
    """The addressee and the reception sentence that open the letters sent to the applicant (stop, refusal)."""
    d = facts.dossier
    received = d.received_at or d.submitted_at
    return [
        Paragraph(d.applicant_name, label=_("Kính gửi: Ông/Bà"), strong=True, align="center"),
        Paragraph(d.applicant_address, label=_("Địa chỉ:")),
        Paragraph(d.applicant_phone, label=_("Số điện thoại:")),
        Paragraph(_("Ngày %(day)s, %(unit)s tiếp nhận hồ sơ %(procedure)s của Ông/Bà, mã hồ sơ %(code)s.",
                    day=fmt.day_text(received), unit=fmt.in_text(facts.receiving.name), procedure=facts.procedure_name,
                    code=d.code), align="justify"),
    ]

def build_stop_notice(facts: Facts) -> Document:
    event = facts.last("withdraw")
    asked = facts.last("request_withdrawal")  # the applicant's own request through the tracking, if made there
    unit = facts.unit(event.unit_id) or facts.competent
    blocks = [
        *_letter_opening(facts),
        Paragraph(_("Theo đề nghị rút hồ sơ của Ông/Bà, %(unit)s thông báo dừng giải quyết hồ sơ nêu trên kể từ "
                    "%(at)s.", unit=fmt.in_text(unit.name), at=fmt.moment_text(event.at)),
                  strong=True, align="justify"),
        *([Paragraph(asked.note, label=_("Lý do rút hồ sơ:"))] if asked and asked.note else []),
        *([Paragraph(event.note, label=_("Ghi chú:"))] if event.note else []),
        Paragraph(_("Ông/Bà liên hệ %(desk)s để nhận lại hồ sơ (nếu có).", desk=facts.desk())),
        Signatures([Signature(_("Thủ trưởng cơ quan, đơn vị"), str(SIGN_SEAL_HINT))]),
        Paragraph(_("%(name)s, %(unit)s", name=event.actor_name, unit=unit.name), label=_("Người lập:"),
                  italic=True),
    ]
    return facts.document(SPECS["stop_notice"], unit, event.at, blocks)


# --- written refusal after examination (no form number) ----------------------------------------------------------

def build_refusal_notice(facts: Facts) -> Document:
    """The competent unit's written answer when the applicant is not eligible, with the reasons (LAW-19).

    The social-welfare decrees say it in so many words ("trả lời bằng văn bản, nêu rõ lý do": Decree 176/2025 on the
    social pension, Decree 147/2025 art. 5(2) on the monthly allowance); neither Circular 01/2018 nor 03/2025 has a
    numbered form for it, so it prints as an administrative letter of the deciding unit, signed by its head.
    """
    event = facts.last("refuse")
    unit = facts.unit(event.unit_id) or facts.competent
    blocks = [
        *_letter_opening(facts),
        Paragraph(_("Sau khi xem xét, đối chiếu với quy định của pháp luật, %(unit)s trả lời: hồ sơ của Ông/Bà không "
                    "đủ điều kiện giải quyết, với lý do cụ thể như sau:", unit=fmt.in_text(unit.name)),
                  align="justify"),
        Paragraph(event.note, label=_("Lý do:"), strong=True),
        Paragraph(_("Ông/Bà liên hệ %(desk)s %(unit)s để nhận lại hồ sơ (nếu có). Nếu không đồng ý, Ông/Bà có quyền "
                    "khiếu nại theo quy định của pháp luật.", desk=facts.desk_name(),
                    unit=fmt.in_text(facts.receiving.name)), align="justify"),
        Signatures([Signature(_("Thủ trưởng cơ quan, đơn vị"), str(SIGN_SEAL_HINT))]),
        Paragraph(_("%(name)s, %(unit)s", name=event.actor_name, unit=unit.name), label=_("Người lập:"),
                  italic=True),
    ]
    return facts.document(SPECS["refusal_notice"], unit, event.at, blocks, with_desk=False)


# --- Mẫu 05 (2018) / 06 (2025): processing control sheet -----------------------------------------------------------

@dataclass(frozen=True)
class Handover:
    """One row of the control sheet: who handed the dossier to whom, when."""

    at: datetime
    action: str
    from_party: str
    to_party: str
    giver: str
    taker: str
    result: str
    note: str


def event_unit(facts: Facts, event: DossierEvent) -> Unit:
    """The unit where ``event`` happened (the competent unit when the history does not say)."""
    return facts.unit(event.unit_id) or facts.competent


# Actions by which a unit takes part in deciding a dossier (not merely receiving or handing it on).
PROCESSING_ACTIONS = ("assign", "record_step", "submit_for_approval", "send_back", "approve", "request_supplement",
                      "request_payment", "apologize")


def handovers(facts: Facts) -> list[Handover]:
    """The dossier's handovers in history order (append-only, so earlier rows never change).

    A dossier received at one unit and decided by another from the start (a death registered where the deceased
    lived) gets the A→B row right after its reception, as a transfer (liên thông) does: the receiving desk hands it
    to the deciding unit, and that unit's own desk or office appears on the rows after it.
    """
    d = facts.dossier
    desk = facts.desk()
    citizen = _("Ông/Bà %(name)s", name=d.applicant_name)
    routed = d.competent_unit_id != d.receiving_unit_id and not any(e.action in ("transfer", "unit_merged")
                                                                    for e in facts.events)
    rows: list[Handover] = []
    assignee = ""
    for event in facts.events:
        if event.action not in HANDOVER_ACTIONS:
            continue
        payload = event.payload or {}
        unit = event_unit(facts, event)
        where = fmt.in_text(unit.name)
        specialist = _("Chuyên viên xử lý, %(unit)s", unit=where)
        leader = _("Lãnh đạo %(unit)s", unit=where)
        actor = event.actor_name
        note = ""
        if event.action == "receive":
            row = (citizen, desk, d.applicant_name, actor)
        elif event.action == "assign":
            assignee = payload.get("assignee_name") or payload.get("assignee", "")
            at_desk = event.from_status == "received" and unit.id == facts.receiving.id
            row = (desk if at_desk else facts.desk(unit), specialist, actor, assignee)
        elif event.action in ("transfer", "unit_merged"):  # a merge hands the dossier over like a transfer
            source = facts.unit(event.from_unit_id) or unit
            target = facts.unit(event.to_unit_id) or unit
            row = (source.name, target.name, actor, "")
            assignee = ""
        elif event.action == "submit_for_approval":
            row = (specialist, leader, actor, "")
        elif event.action == "send_back":
            row = (leader, specialist, actor, assignee)
        elif event.action == "approve":
            row = (leader, desk, actor, "")
        elif event.action == "request_supplement":
            row = (unit.name, citizen, actor, d.applicant_name)
        elif event.action == "supplement_received":
            row = (citizen, unit.name, d.applicant_name, actor)
        elif event.action in ("withdraw", "refuse"):
            row = (unit.name, citizen, actor, d.applicant_name)
        else:  # return_result
            row = (desk, citizen, actor, payload.get("received_by", ""))
        result = ""
        if event.action not in ("receive", "return_result", "withdraw") and d.due_at is not None:
            result = str(COMPLETION_LABELS[classify_completion(event.at, d.due_at)])
        note = workflow.event_label(event.action, event.from_status)
        if event.action == "request_supplement" and payload.get("missing_documents"):
            note += ": " + ", ".join(str(m) for m in payload["missing_documents"])
        if event.note:
            note += f" ({event.note})"
        rows.append(Handover(event.at, event.action, *row, result, note))
        if event.action == "receive" and routed:
            rows.append(Handover(event.at, "route", desk, facts.desk(facts.competent), actor, "", "",
                                 _("Chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết")))
    return rows


def coordinating_units(facts: Facts) -> list[str]:
    """Units other than the deciding one that took part in deciding the dossier (processed it, then handed it on).

    A desk that only received the dossier and passed it on is where it was filed, not a coordinating agency.
    """
    names: list[str] = []
    for event in facts.events:
        unit = facts.unit(event.unit_id)
        if (event.action in PROCESSING_ACTIONS and unit is not None and unit.id != facts.dossier.competent_unit_id
                and unit.name not in names):
            names.append(unit.name)
    return names


def build_control_sheet(facts: Facts) -> Document:
    d = facts.dossier
    rows = [[str(i), _("Giao: %(a)s\nNhận: %(b)s", a=h.from_party, b=h.to_party), fmt.moment_text(h.at),
             h.giver, h.taker, h.result, h.note] for i, h in enumerate(handovers(facts), start=1)]
    blocks = [
        Paragraph(_("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã số: %(code)s)", code=d.code),
                  italic=True, align="center"),
        Paragraph(facts.procedure_name, label=_("Tên thủ tục hành chính:"), strong=True),
        Paragraph(d.applicant_name, label=_("Người nộp hồ sơ:")),
        Paragraph(facts.competent.name, label=_("Cơ quan giải quyết hồ sơ:")),
        Paragraph(", ".join(coordinating_units(facts)) or _("Không"), label=_("Cơ quan phối hợp giải quyết hồ sơ:")),
        *([Paragraph(facts.desk(), label=_("Nơi tiếp nhận hồ sơ:"))] if d.receiving_unit_id != d.competent_unit_id
          else []),
        Paragraph(fmt.moment_text(d.due_at), label=_("Thời hạn trả kết quả theo quy định:")),
        *([Paragraph(fmt.moment_text(d.extended_due_at), label=_("Thời hạn hẹn lại (sau văn bản xin lỗi):"))]
          if d.extended_due_at else []),
        Table([_("STT"), _("Tên cơ quan giao, nhận"), _("Thời gian giao, nhận hồ sơ"), _("Người giao (ký)"),
               _("Người nhận (ký)"), _("Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)"), _("Ghi chú")],
              rows, widths=[0.7, 5, 3.6, 2.6, 2.6, 2.4, 4.2],
              align=["center", "left", "left", "left", "left", "center", "left"], font_size=9),
    ]
    return facts.document(SPECS["control_sheet"], facts.receiving, d.received_at, blocks)


# --- registry ------------------------------------------------------------------------------------------------------

def _has(action: str) -> Callable[[Dossier], bool]:
    return lambda d: any(e.action == action for e in d.events)


SPECS: dict[str, FormSpec] = {spec.key: spec for spec in (
    FormSpec("receipt", {"2018": _l("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
                         "2025": _l("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")},
             {"2018": "01", "2025": "01"}, lambda d: d.received_at is not None, build_receipt),
    FormSpec("supplement_request", {"2018": _l("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
                                    "2025": _l("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")},
             {"2018": "02", "2025": "02"}, _has("request_supplement"), build_supplement_request),
    FormSpec("refusal", {"2018": _l("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
                         "2025": _l("Phiếu từ chối tiếp nhận giải quyết hồ sơ")},
             {"2018": "03", "2025": "03"}, lambda d: d.status == "refused" and _has("refuse")(d), build_refusal),
    FormSpec("apology", {"2018": _l("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
                         "2025": _l("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")},
             {"2018": "04", "2025": "04"}, _has("apologize"), build_apology),
    FormSpec("stop_notice", {"2018": _l("Thông báo dừng giải quyết hồ sơ"),
                             "2025": _l("Thông báo dừng giải quyết hồ sơ")},
             {"2025": "05"}, lambda d: d.status == "stopped" and _has("withdraw")(d), build_stop_notice),
    FormSpec("refusal_notice", {"2018": _l("Văn bản trả lời hồ sơ không đủ điều kiện giải quyết"),
                                "2025": _l("Văn bản trả lời hồ sơ không đủ điều kiện giải quyết")},
             {}, lambda d: d.status == "rejected" and _has("refuse")(d), build_refusal_notice),
    FormSpec("control_sheet", {"2018": _l("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
                               "2025": _l("Phiếu kiểm soát quá trình giải quyết hồ sơ")},
             {"2018": "05", "2025": "06"}, lambda d: d.received_at is not None, build_control_sheet, landscape=True),
)}

TRACKING_BOOK = {"titles": {"2018": _l("Sổ theo dõi hồ sơ"), "2025": _l("Sổ theo dõi hồ sơ")},
                 "numbers": {"2018": "06", "2025": "07"}}


def form_set_of(dossier: Dossier) -> str:
    """The form set of the dossier's reception (or online submission) date."""
    return form_set_at(dossier.received_at or dossier.submitted_at or dossier.created_at)


def applicable_forms(dossier: Dossier) -> list[FormSpec]:
    """The official forms that this dossier's state and history allow, in form-number order."""
    form_set = form_set_of(dossier)
    found = [spec for spec in SPECS.values() if spec.applies(dossier)]
    return sorted(found, key=lambda s: s.number(form_set) or "99")


def form_label(spec: FormSpec, form_set: str) -> str:
    """"Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (no number when the set has none)."""
    number = spec.number(form_set)
    title = spec.title(form_set)
    return _("Mẫu %(n)s · %(title)s", n=number, title=title) if number else title


def build_form(key: str, dossier: Dossier, tracking: Callable[[str], str]) -> Document | None:
    """The document of form ``key`` for ``dossier``, or None when the form does not apply to it."""
    spec = SPECS.get(key)
    if spec is None or not spec.applies(dossier):
        return None
    return spec.build(Facts(dossier, tracking))
