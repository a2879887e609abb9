"""The service-quality index of Decision 766/QĐ-TTg (domain.md 3.3), computed for a unit before the national portal
publishes it: five groups, 100 points.

Legal source. Decision 766/QĐ-TTg of 23/06/2022 approves the "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng
phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi
trường điện tử" for ministries and People's Committees at every level, scored on the national public service
portal, 100 points at most. What the search tool found (corpus "pages"):

- the decision's text: thuviennhadat.vn/vbpl/quyet-dinh-766-qd-ttg-2022-...-518821.html (title, grounds);
- the five groups and their indicators, with the formulas "Tỷ lệ ... = Số ... / Tổng số ... * 100%": aita.gov.vn
  ("Thủ tướng Chính phủ ban hành Bộ chỉ số ...") and dinte.gov.vn (BanTin 2826): group 1 publicity (TTHC published
  on time; updated and made public on time; made public with every component; dossiers synced to the national
  portal), group 2 progress (dossiers handled early or on time; average handling time per procedure), group 3
  digitisation, group 4 online services, group 5 satisfaction;
- satisfaction is 18 of the 100 points, from three rates: feedback handled on time, satisfaction with the handling
  of feedback, and satisfaction in receiving and handling TTHC (vietjack.me/phap-luat/quyet-dinh-766-qd-ttg-2271);
  the last is worth at most 6 of the 18 when the targets of Resolution 76/NQ-CP are met, TTHC updated and made
  public on time 4 of the 18 publicity points, and on-time handling up to 20 points (baocaotaichinh.vn summary);
- the digitisation and online indicators a province assigns to its communes under the decision: online dossiers,
  online payments, digitised dossier components and results, reuse of digitised data, electronic results, online
  services with online dossiers, procedures with online payment transactions (baogialai.com.vn, 01/03/2026).

The group maxima (18, 20, 22, 22, 18) are those of domain.md 3.3. The split of a group's points between its
indicators was not found for all of them: every indicator whose points, formula or data are our interpretation is
marked ``our_reading`` (docs/decisions.md says why). Indicators the project cannot measure (procedures published on
time by the province, reuse of digitised data, a feedback register) are left out and their points given to the
measurable indicators of the same group.

Computation. An indicator is a fraction ``numerator / denominator`` of counts over the period (core/reports/
index_sources.py reads each source through one function); ``value`` is that fraction rounded to 4 places (``null``
without a denominator) and ``points = round(max_points * fraction, 2)``. Without a denominator an indicator scores
0, except ``in_progress_on_time`` (no dossier in progress is nothing late) which scores its maximum. A group's points
are the sum of its indicators', never above the group's maximum; the total is the sum of the groups'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.plugins.manager import procedures_for
from core.reports import evaluation, index_sources, services
from core.reports.index_sources import Counts
from core.reports.periods import Period
from core.tenancy.models import Unit
from core.tenancy.services import descendant_ids

MAX_TOTAL = 100
SOURCE = "Quyết định 766/QĐ-TTg ngày 23/6/2022"

# (key, name, maximum points), in the decision's order
GROUPS = (
    ("publicity", _l("Công khai, minh bạch"), 18),
    ("progress", _l("Tiến độ, kết quả giải quyết"), 20),
    ("digitisation", _l("Số hóa hồ sơ"), 22),
    ("online_services", _l("Cung cấp dịch vụ trực tuyến"), 22),
    ("satisfaction", _l("Mức độ hài lòng"), 18),
)


class Context:
    """The units counted and the period; every source is read once for all of them."""

    def __init__(self, ids: set[int], period: Period):
        self.ids, self.period = ids, period

    @cached_property
    def figures(self) -> dict[int, services.Figures]:
        return services.figures_per_unit(self.ids, self.period)

    @cached_property
    def offered(self) -> dict[int, list]:
        """The procedures each unit offers now (the catalogue keeps no history of what was offered when)."""
        units = db.session.scalars(select(Unit).where(Unit.id.in_(sorted(self.ids))))
        return {unit.id: procedures_for(unit) for unit in units}

    def from_figures(self, numerator: Callable, denominator: Callable) -> Counts:
        return {unit_id: (numerator(f), denominator(f)) for unit_id, f in self.figures.items()}


def _published(procedure) -> bool:
    """The procedure is public with its components: national code, name, field, legal basis and time limit."""
    version = procedure.current_version
    return bool(procedure.national_code and procedure.name and procedure.field and version.legal_basis
                and version.processing_time is not None)


def _procedures_published(ctx: Context) -> Counts:
    return {unit_id: (sum(1 for p in procs if _published(p)), len(procs))
            for unit_id, procs in ctx.offered.items() if procs}


def _online_procedures(ctx: Context) -> Counts:
    used = index_sources.online_procedure_pairs(ctx.ids, ctx.period)
    return {unit_id: (sum(1 for p in procs if (unit_id, p.key) in used), len(procs))
            for unit_id, procs in ctx.offered.items() if procs}


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    name: object  # a lazy string
    max_points: int
    formula: object  # a lazy string
    source: str
    our_reading: bool
    counts: Callable[[Context], Counts]
    full_when_empty: bool = False


INDICATORS = (
    Indicator(
        "procedures_published", "publicity", _l("Tỷ lệ thủ tục hành chính được công khai đầy đủ"), 6,
        _l("Số thủ tục đơn vị cung cấp được công khai đủ mã quốc gia, tên, lĩnh vực, căn cứ pháp lý và thời hạn "
           "giải quyết / Tổng số thủ tục đơn vị cung cấp"),
        f"{SOURCE}, nhóm 1: tỷ lệ TTHC được công khai có đầy đủ các nội dung quy định về các bộ phận tạo thành",
        True, _procedures_published),
    Indicator(
        "dossiers_synced", "publicity", _l("Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"), 12,
        _l("Số hồ sơ tiếp nhận trong kỳ đã đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia / Tổng số hồ sơ "
           "tiếp nhận trong kỳ"),
        f"{SOURCE}, nhóm 1: tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        True, lambda ctx: index_sources.national_sync_counts(ctx.ids, ctx.period)),
    Indicator(
        "resolved_on_time", "progress", _l("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"), 14,
        _l("(Số hồ sơ giải quyết trước hạn + đúng hạn trong kỳ) / Tổng số hồ sơ đã giải quyết trong kỳ"),
        f"{SOURCE}, nhóm 2: tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
        True, lambda ctx: ctx.from_figures(lambda f: f.early + f.on_time, lambda f: f.resolved)),
    Indicator(
        "in_progress_on_time", "progress", _l("Tỷ lệ hồ sơ đang giải quyết trong hạn"), 6,
        _l("Số hồ sơ đang giải quyết trong hạn cuối kỳ / Tổng số hồ sơ đang giải quyết cuối kỳ (không có hồ sơ "
           "đang giải quyết: đạt điểm tối đa)"),
        f"{SOURCE}, nhóm 2 (tiến độ giải quyết); chia điểm là cách hiểu của dự án",
        True, lambda ctx: ctx.from_figures(lambda f: f.within_time, lambda f: f.in_progress),
        full_when_empty=True),
    Indicator(
        "digitised_dossiers", "digitisation", _l("Tỷ lệ số hóa thành phần hồ sơ"), 11,
        _l("Số hồ sơ tiếp nhận trong kỳ có thành phần hồ sơ được số hóa / Tổng số hồ sơ tiếp nhận trong kỳ"),
        f"{SOURCE}, nhóm 3: tỷ lệ số hóa thành phần hồ sơ, kết quả giải quyết TTHC",
        True, lambda ctx: index_sources.digitised_dossier_counts(ctx.ids, ctx.period)),
    Indicator(
        "electronic_results", "digitisation", _l("Tỷ lệ cấp kết quả điện tử"), 11,
        _l("Số kết quả giải quyết trong kỳ được cấp dưới dạng điện tử / Tổng số kết quả giải quyết trong kỳ"),
        f"{SOURCE}, nhóm 3: tỷ lệ cấp kết quả điện tử",
        True, lambda ctx: index_sources.electronic_result_counts(ctx.ids, ctx.period)),
    Indicator(
        "online_procedures", "online_services", _l("Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến"),
        6,
        _l("Số thủ tục đơn vị cung cấp có hồ sơ nộp trực tuyến trong kỳ / Tổng số thủ tục đơn vị cung cấp trực "
           "tuyến"),
        f"{SOURCE}, nhóm 4: tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến",
        True, _online_procedures),
    Indicator(
        "online_dossiers", "online_services", _l("Tỷ lệ hồ sơ trực tuyến"), 10,
        _l("Số hồ sơ tiếp nhận trực tuyến trong kỳ / Tổng số hồ sơ mới tiếp nhận trong kỳ"),
        f"{SOURCE}, nhóm 4: tỷ lệ hồ sơ trực tuyến",
        True, lambda ctx: ctx.from_figures(lambda f: f.online, lambda f: f.new)),
    Indicator(
        "online_payments", "online_services", _l("Tỷ lệ thanh toán trực tuyến"), 6,
        _l("Số hồ sơ tiếp nhận trong kỳ có phí, lệ phí được thanh toán trực tuyến / Tổng số hồ sơ tiếp nhận trong "
           "kỳ có phí, lệ phí"),
        f"{SOURCE}, nhóm 4: tỷ lệ thanh toán trực tuyến",
        True, lambda ctx: index_sources.online_payment_counts(ctx.ids, ctx.period)),
    Indicator(
        "rating_satisfaction", "satisfaction", _l("Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính"),
        6,
        _l("Số đánh giá rất hài lòng và hài lòng trong kỳ / Tổng số đánh giá trong kỳ"),
        f"{SOURCE}, nhóm 5: tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (tối đa 6/18 điểm)",
        False, lambda ctx: index_sources.rating_counts(ctx.ids, ctx.period)),
    Indicator(
        "handling_evaluation", "satisfaction", _l("Kết quả đánh giá việc giải quyết thủ tục hành chính"), 12,
        _l("Tổng điểm đánh giá 9 tiêu chí của các kỳ nằm trong kỳ báo cáo (điểm thẩm định, chưa thẩm định thì điểm "
           "tự chấm) / (18 × số kỳ được đánh giá)"),
        f"{SOURCE}, nhóm 5: tỷ lệ phản ánh, kiến nghị xử lý đúng hạn và tỷ lệ hài lòng trong xử lý phản ánh, kiến "
        "nghị (12/18 điểm), thay bằng đánh giá theo Nghị định 61/2018/NĐ-CP và Thông tư 01/2018/TT-VPCP",
        True, lambda ctx: index_sources.evaluation_counts(ctx.ids, ctx.period, evaluation.MAX_SCORE)),
)
assert {g[0] for g in GROUPS} == {i.group for i in INDICATORS}
assert all(sum(i.max_points for i in INDICATORS if i.group == key) == most for key, _name, most in GROUPS)


def _score(indicator: Indicator, numerator: int, denominator: int) -> tuple[float | None, float]:
    if denominator <= 0:
        return None, float(indicator.max_points) if indicator.full_when_empty else 0.0
    fraction = min(1.0, max(0.0, numerator / denominator))
    return round(fraction, 4), round(indicator.max_points * fraction, 2)


def _sum(counts: Counts, ids: set[int]) -> tuple[int, int]:
    numerator = denominator = 0
    for unit_id in ids & counts.keys():
        numerator += counts[unit_id][0]
        denominator += counts[unit_id][1]
    return numerator, denominator


def _body(unit: Unit, period: Period, counts: dict[str, Counts], ids: set[int]) -> dict:
    groups = []
    for key, name, most in GROUPS:
        indicators = []
        for indicator in (i for i in INDICATORS if i.group == key):
            numerator, denominator = _sum(counts[indicator.key], ids)
            value, points = _score(indicator, numerator, denominator)
            indicators.append({"key": indicator.key, "name": str(indicator.name), "value": value, "points": points,
                               "max_points": indicator.max_points, "formula": str(indicator.formula),
                               "numerator": numerator, "denominator": denominator,
                               "our_reading": indicator.our_reading, "source": indicator.source})
        points = min(float(most), round(sum(i["points"] for i in indicators), 2))
        groups.append({"key": key, "name": str(name), "points": points, "max_points": most,
                       "indicators": indicators})
    return {"unit": unit.slug, "name": unit.name, "from": period.start.isoformat(), "to": period.end.isoformat(),
            "total": round(sum(g["points"] for g in groups), 2), "max": MAX_TOTAL, "groups": groups}


def _counts(ids: set[int], period: Period) -> dict[str, Counts]:
    ctx = Context(ids, period)
    return {indicator.key: indicator.counts(ctx) for indicator in INDICATORS}


def compute(unit: Unit, period: Period) -> dict:
    """The API body of ``GET /api/v1/reports/service-index``: the index of ``unit`` with every unit below it."""
    ids = descendant_ids({unit.id})
    return _body(unit, period, _counts(ids, period), ids)


def ranked_communes(unit: Unit) -> list[Unit]:
    """The communes below ``unit`` (every level), the units a district or province ranks."""
    ids = descendant_ids({unit.id}) - {unit.id}
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(sorted(ids)), Unit.kind == "commune")))


def with_ranking(unit: Unit, period: Period) -> tuple[dict, list[dict]]:
    """The index of ``unit`` and of each commune below it, the communes best first (ties by name), each with its
    ``rank`` (equal totals share a rank). The sources are read once for all of them."""
    ids = descendant_ids({unit.id})
    counts = _counts(ids, period)
    rows = [_body(commune, period, counts, descendant_ids({commune.id})) for commune in ranked_communes(unit)]
    rows.sort(key=lambda row: (-row["total"], row["name"], row["unit"]))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        row["rank"] = rank
    return _body(unit, period, counts, ids), rows
