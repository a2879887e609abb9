"""The official papers a dossier page offers to print, read from the documents area when it is installed.

``core.documents.views.available_documents(dossier)`` is built separately; this adapter accepts the shapes it may
return (keys, ``(key, title)`` pairs, dicts or objects with ``key``/``title``) and builds the links
``/<unit_slug>/dossiers/<code>/documents/<key>`` (HTML, print-ready) and the same with ``.pdf``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.dossiers.models import Dossier
from core.modelsets import import_optional

TITLES = {
    "receipt": _l("Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement_request": _l("Mẫu 02 · Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": _l("Mẫu 03 · Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "apology": _l("Mẫu 04 · Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "stop_notice": _l("Thông báo dừng giải quyết hồ sơ"),
    "refusal_notice": _l("Văn bản trả lời hồ sơ không đủ điều kiện giải quyết"),
    "control_sheet": _l("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}


def _key_and_title(item) -> tuple[str | None, str | None]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict):
        return item.get("key") or item.get("form"), item.get("title") or item.get("label")
    if isinstance(item, (tuple, list)) and item:
        return str(item[0]), (str(item[1]) if len(item) > 1 else None)
    key = getattr(item, "key", None)
    title = getattr(item, "label", None) or getattr(item, "title", None)
    if callable(title):
        title = None
    return key, title


def documents_for(dossier: Dossier, unit_slug: str) -> list[dict]:
    """[{key, title, url, pdf_url}] of the papers this dossier can print now; [] without the documents area."""
    module = import_optional("core.documents.views")
    provider = getattr(module, "available_documents", None) if module is not None else None
    if provider is None:
        return []
    result = []
    for item in provider(dossier) or []:
        key, title = _key_and_title(item)
        if not key:
            continue
        url = f"/{unit_slug}/dossiers/{dossier.code}/documents/{key}"
        result.append({"key": key, "title": str(title or TITLES.get(key, key)), "url": url, "pdf_url": url + ".pdf"})
    return result
