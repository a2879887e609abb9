"""Filing anywhere in the province (Decree 118/2025/NĐ-CP, "không phụ thuộc địa giới hành chính"): a citizen may
file the procedures the province lists at any commune of the province.

The province declares them in its unit file (``file_anywhere = ["civil_status.birth_registration", …]``, kept in
its settings). The commune where the citizen files receives the dossier (Mẫu 01, its tracking book, its count of
new receptions); the competent commune is chosen by the procedure's own routing rule (``route_dossier``), else by
the applicant's place of residence (``residence_unit``), and the dossier is handed over to it at once as a transfer
(liên thông): its own row on the control sheet, a hand-over in both communes' reports, and the time each commune
held it measured from the history (``core.dossiers.holding``).
"""

from __future__ import annotations

from core.tenancy.models import Unit
from core.tenancy.services import get_unit_or_none, province_id, same_jurisdiction

SETTING = "file_anywhere"


class NotHere(ValueError):
    """The residence given cannot take the dossier; ``code`` is the API error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def listed_procedures(unit: Unit) -> frozenset[str]:
    """The procedures the province of ``unit`` lets citizens file at any of its communes."""
    from core.extensions import db

    top = province_id(unit.id)
    province = db.session.get(Unit, top) if top is not None else None
    return frozenset((province.settings or {}).get(SETTING, [])) if province is not None else frozenset()


def residence_target(unit: Unit, procedure, residence_slug, channel: str) -> Unit | None:
    """The commune the dossier filed at ``unit`` is handed to because the applicant lives there (None: it stays).

    Raises ``NotHere`` (a Vietnamese message for the ``residence_unit`` field) when the residence is unknown, in
    another province, does not offer the procedure, or when the procedure must be filed where the applicant lives."""
    from flask_babel import gettext as _

    from core.plugins.manager import is_enabled

    if residence_slug in (None, ""):
        return None
    target = get_unit_or_none(residence_slug) if isinstance(residence_slug, str) else None
    if target is None or not target.active or target.kind != "commune":
        raise NotHere("invalid", _("Chọn xã/phường nơi cư trú của người nộp (một xã/phường đang hoạt động)."))
    if target.id == unit.id:
        return None
    if not same_jurisdiction(unit, target) or not is_enabled(target, procedure.plugin):
        raise NotHere("invalid", _("%(unit)s không giải quyết thủ tục này cho hồ sơ nộp tại đây.", unit=target.name))
    if procedure.key not in listed_procedures(unit):
        raise NotHere("not_file_anywhere", _("Thủ tục này phải nộp tại xã/phường nơi cư trú: %(unit)s.",
                                             unit=target.name))
    if channel == "online":
        raise NotHere("invalid", _("Hồ sơ trực tuyến nộp thẳng tại xã/phường nơi cư trú: %(unit)s.",
                                   unit=target.name))
    return target
