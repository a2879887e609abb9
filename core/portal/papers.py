"""The papers an online submission carries: one file field per paper of the checklist (``paper-<index>``, several
files for the pages of one paper), checked and combined by ``core.dossiers.papers`` before anything is written, then
stored and recorded on the new dossier inside ``create_dossier``'s transaction."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

from flask import request
from flask_babel import gettext as _

from core.dossiers import attachments, papers
from core.dossiers.serializers import SHOWN_ONLY
from core.dossiers.services import Outcome, ServiceError
from core.plugins.types import translate


def field_name(index: int) -> str:
    return f"paper-{index}"


def uploadable(procedure) -> list[tuple[int, object]]:
    """(index, paper) of the checklist that can be uploaded: all but the papers only shown for identification."""
    return [(i, d) for i, d in enumerate(procedure.required_documents) if d.kind != SHOWN_ONLY]


def posted_index() -> int | None:
    """The paper chosen in an upload form (field ``document``), or None when it is not a small ASCII number."""
    raw = (request.form.get("document") or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else None


def max_mb() -> str:
    return f"{attachments.max_bytes() / (1024 * 1024):g}"


def files_in_request() -> bool:
    return any(f and f.filename for name in request.files for f in request.files.getlist(name))


def check(procedure) -> tuple[dict[int, papers.Scan], dict[int, str]]:
    """The scans sent, by paper index, and a message per paper whose files cannot be accepted."""
    scans, errors = {}, {}
    for index, _paper in uploadable(procedure):
        sent = [f for f in request.files.getlist(field_name(index)) if f and f.filename]
        if not sent:
            continue
        try:
            scans[index] = papers.prepare(sent)
        except ServiceError as exc:
            errors[index] = _message(exc)
    return scans, errors


def _message(exc: ServiceError) -> str:
    return str((exc.fields or {}).get("file") or exc.message)


def error_lines(procedure, errors: dict[int, str]) -> list[str]:
    names = procedure.required_documents
    return [_("%(paper)s: %(message)s", paper=translate(names[i].name), message=m) for i, m in sorted(errors.items())]


def submit_with(scans: dict[int, papers.Scan], uploader, submit: Callable[..., Outcome]) -> Outcome:
    """Store the scans, then ``submit(with_papers=…)`` (a ``create_dossier`` call) records them with the dossier;
    if it fails, the files stored for it alone are removed again."""
    stored = {}
    for index, scan in scans.items():
        try:
            stored[index] = attachments.store_upload(scan.upload)
        except ServiceError as exc:  # a combined PDF over the limit
            raise ServiceError(exc.status, exc.code, exc.message, {field_name(index): _message(exc)}) from exc
    with ExitStack() as stack:
        for item in stored.values():
            stack.enter_context(attachments.discard_on_failure(item))
        return submit(with_papers=lambda dossier, now: papers.record_scans(
            dossier, {i: (stored[i], scans[i]) for i in stored}, uploader, now))
