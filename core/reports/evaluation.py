"""The evaluation of a unit's handling of procedures: 9 criteria, each 0-2 points, 18 in all (domain.md 3.4).

The unit scores itself (tự chấm: its leader or administrator); the level above appraises (thẩm định: an administrator
of the parent unit). Both scores are kept. The rank thresholds are those one provincial system uses (>15 Xuất sắc,
12-<15 Tốt, 9-<12 Khá, 6-<9 Trung bình, <6 Yếu); they are not confirmed as official.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.extensions import db
from core.reports.models import UnitEvaluation
from core.reports.periods import Period
from core.tenancy.models import ChangeLog, Unit
from core.tenancy.services import descendant_ids
from core.users.permissions import can

CRITERIA = (
    _l("Tổng thời gian giải quyết thủ tục hành chính so với quy định của pháp luật"),
    _l("Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết, kể cả đơn vị phối hợp"),
    _l("Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ, kể cả trực tuyến"),
    _l("Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ"),
    _l("Thực hiện tổ chức tiếp nhận hồ sơ, giải quyết, trả kết quả tại Bộ phận Một cửa"),
    _l("Công khai các thủ tục hành chính"),
    _l("Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ"),
    _l("Tiếp thu, giải trình đối với ý kiến phản ánh, kiến nghị"),
    _l("Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến"),
)
SCORE_LABELS = {2: _l("Tốt (2 điểm)"), 1: _l("Đạt (1 điểm)"), 0: _l("Không đạt (0 điểm)")}
MAX_SCORE = 2 * len(CRITERIA)


class EvaluationError(ValueError):
    def __init__(self, status: int, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}


def rank(total: int | None) -> str:
    """The rank of a total score out of 18 ("" when there is no score)."""
    if total is None:
        return ""
    if total > 15:
        return str(_l("Xuất sắc"))
    if total >= 12:
        return str(_l("Tốt"))
    if total >= 9:
        return str(_l("Khá"))
    if total >= 6:
        return str(_l("Trung bình"))
    return str(_l("Yếu"))


def clean_scores(values) -> list[int]:
    """Nine integers 0, 1 or 2; EvaluationError(422) otherwise."""
    if not isinstance(values, (list, tuple)) or len(values) != len(CRITERIA):
        raise EvaluationError(422, str(_l("Cần chấm đủ 9 tiêu chí.")), {"scores": str(_l("Chấm đủ 9 tiêu chí."))})
    cleaned, errors = [], {}
    for i, value in enumerate(values, start=1):
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = -1
        if isinstance(value, bool) or score not in (0, 1, 2) or (isinstance(value, float) and value != score):
            errors[f"c{i}"] = str(_l("Điểm mỗi tiêu chí là 0, 1 hoặc 2."))
        cleaned.append(score)
    if errors:
        raise EvaluationError(422, str(_l("Điểm chấm không hợp lệ.")), errors)
    return cleaned


def may_self_score(user, unit: Unit) -> bool:
    return can(user, "report.self_score", unit)


def may_appraise(user, unit: Unit) -> bool:
    return unit.parent_id is not None and can(user, "unit.admin", unit.parent_id)


def get(unit: Unit, period: Period) -> UnitEvaluation | None:
    return db.session.scalar(select(UnitEvaluation).where(UnitEvaluation.unit_id == unit.id,
                                                          UnitEvaluation.period_start == period.start,
                                                          UnitEvaluation.period_end == period.end))


def for_unit(unit: Unit, period: Period) -> list[UnitEvaluation]:
    """Evaluations of the unit and the units below it whose period lies within ``period``."""
    ids = descendant_ids({unit.id})
    return list(db.session.scalars(
        select(UnitEvaluation).where(UnitEvaluation.unit_id.in_(ids), UnitEvaluation.period_start >= period.start,
                                     UnitEvaluation.period_end <= period.end)
        .order_by(UnitEvaluation.period_start, UnitEvaluation.unit_id)))


def save(user, unit: Unit, period: Period, scores, note: str, kind: str) -> UnitEvaluation:
    """Record the self-score (``kind="self"``) or the appraisal (``kind="appraisal"``) of ``unit`` for ``period``."""
    if kind not in ("self", "appraisal"):
        raise ValueError(kind)
    allowed = may_self_score(user, unit) if kind == "self" else may_appraise(user, unit)
    if not allowed:
        raise EvaluationError(403, str(_l("Bạn không có quyền chấm điểm đơn vị này.")))
    cleaned = clean_scores(scores)
    unit_id = unit.id
    with write_transaction():
        row = get(unit, period)
        if row is None:
            if kind == "appraisal":
                raise EvaluationError(409, str(_l("Đơn vị chưa tự chấm điểm cho kỳ này.")))
            row = UnitEvaluation(unit_id=unit_id, period_start=period.start, period_end=period.end)
            db.session.add(row)
        now = utcnow()
        old_scores = row.self_scores if kind == "self" else row.appraised_scores
        # A new score replaces the old one in the table; the change log keeps both, with who and when (SEC-20).
        db.session.add(ChangeLog(at=now, actor_id=user.id, actor_name=user.full_name or user.username,
                                 unit_id=unit_id, action=f"evaluation.{kind}",
                                 target=f"{period.start.isoformat()}/{period.end.isoformat()}",
                                 details={"old": old_scores, "new": cleaned, "note": note or ""}))
        if kind == "self":
            row.self_scores, row.self_note, row.self_by_id, row.self_at = cleaned, note or "", user.id, now
        else:
            row.appraised_scores, row.appraisal_note, row.appraised_by_id, row.appraised_at = (
                cleaned, note or "", user.id, now)
        row.updated_at = now
    return row


def as_json(row: UnitEvaluation) -> dict:
    unit = db.session.get(Unit, row.unit_id)
    return {"unit": unit.slug if unit else None, "from": row.period_start.isoformat(),
            "to": row.period_end.isoformat(),
            "self": {"scores": list(row.self_scores or []), "total": row.self_total, "rank": rank(row.self_total),
                     "note": row.self_note},
            "appraised": None if row.appraised_scores is None else {
                "scores": list(row.appraised_scores), "total": row.appraised_total,
                "rank": rank(row.appraised_total), "note": row.appraisal_note},
            "max": MAX_SCORE}
