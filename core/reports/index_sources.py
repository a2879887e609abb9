"""The data sources of the service-quality index (core/reports/service_index.py), one function each.

Every function takes the ids of the units to count and the period, and answers ``{unit id: (numerator,
denominator)}`` for the units that have anything to count, so the index of a district and of each of its communes
(the ranking) is added up from one pass. Each source that another module owns is read here and nowhere else, so when
that module changes only its function changes:

- ``national_sync_counts``: the dossiers' national portal sync state (core.national_portal);
- ``online_payment_counts``: fees paid online;
- ``electronic_result_counts``: results issued as signed electronic documents (core.results);
- ``digitised_dossier_counts``: dossiers whose papers were digitised (core.dossiers.papers: each paper's scan).

A dossier counts at the unit that received it (receptions) or the unit that decided it (results), as in the standard
report (core/reports/services.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, func, not_, or_, select

from core.dossiers.models import Attachment, Dossier, DossierDocument, DossierResult, Rating
from core.extensions import db
from core.reports.models import UnitEvaluation
from core.reports.periods import Period

Counts = dict[int, tuple[int, int]]

RESULT_STATES = ("result_ready", "returned")


def _pairs(numerators: Iterable[tuple[int, int]], denominators: Iterable[tuple[int, int]]) -> Counts:
    result: dict[int, list[int]] = {}
    for unit_id, n in denominators:
        result.setdefault(unit_id, [0, 0])[1] += int(n or 0)
    for unit_id, n in numerators:
        result.setdefault(unit_id, [0, 0])[0] += int(n or 0)
    return {unit_id: (num, den) for unit_id, (num, den) in result.items()}


def _received(ids: set[int], period: Period):
    """Condition: received by one of ``ids`` in the period."""
    return (Dossier.receiving_unit_id.in_(sorted(ids)), Dossier.received_at >= period.begins_at,
            Dossier.received_at < period.ends_at)


def _decided(ids: set[int], period: Period):
    """Condition: a result decided by one of ``ids`` in the period (result ready or already returned)."""
    return (Dossier.competent_unit_id.in_(sorted(ids)), Dossier.status.in_(RESULT_STATES),
            Dossier.finished_at >= period.begins_at, Dossier.finished_at < period.ends_at)


def _count_by(unit_column, *conditions):
    return db.session.execute(select(unit_column, func.count(Dossier.id)).where(*conditions).group_by(unit_column))


def received_counts(ids: set[int], period: Period) -> dict[int, int]:
    return {unit_id: int(n) for unit_id, n in _count_by(Dossier.receiving_unit_id, *_received(ids, period))}


# --- sources owned by other modules ----------------------------------------------------------------------------------


def national_sync_counts(ids: set[int], period: Period) -> Counts:
    """(dossiers received in the period whose status reached the national portal, dossiers received in the period).

    "Reached" is the national portal sync's own state ``synced`` (core.national_portal: the latest status message
    was delivered); ``pending``, ``failed`` and ``disabled`` (sync turned off) do not count."""
    from core.national_portal import sync_states

    rows = db.session.execute(select(Dossier.id, Dossier.receiving_unit_id).where(*_received(ids, period))).all()
    synced: list[tuple[int, int]] = []
    for start in range(0, len(rows), 500):  # short IN lists on every database
        chunk = rows[start:start + 500]
        states = sync_states([dossier_id for dossier_id, _unit in chunk])
        synced += [(unit_id, 1) for dossier_id, unit_id in chunk if states[dossier_id]["state"] == "synced"]
    return _pairs(synced, [(unit_id, 1) for _dossier, unit_id in rows])


def online_payment_counts(ids: set[int], period: Period) -> Counts:
    """(dossiers with a fee paid online, dossiers with a fee), among those received in the period: paid through a
    provider's callback, an officer's check of the transfer or a bank statement (core.payments)."""
    from core.payments.state import paid_online_by_unit

    return _pairs(paid_online_by_unit(ids, period.begins_at, period.ends_at),
                  _count_by(Dossier.receiving_unit_id, *_received(ids, period), Dossier.fee > 0))


def electronic_result_counts(ids: set[int], period: Period) -> Counts:
    """(results decided in the period issued as a signed electronic document, results decided in the period).

    Electronic is a signed result on record (core.results: ``dossier_results``, written in the approval's
    transaction)."""
    electronic = select(DossierResult.id).where(DossierResult.dossier_id == Dossier.id).exists()
    return _pairs(_count_by(Dossier.competent_unit_id, *_decided(ids, period), electronic),
                  _count_by(Dossier.competent_unit_id, *_decided(ids, period)))


def digitised_dossier_counts(ids: set[int], period: Period) -> Counts:
    """(dossiers received in the period whose papers were digitised, dossiers received in the period).

    Digitised: every paper of the checklist that was handed in has its scan (core.dossiers.papers:
    ``DossierDocument.attachment_id``) and at least one has; a dossier whose procedure lists no papers counts when a
    scan of it is attached."""
    paper = DossierDocument
    handed_in = select(paper.id).where(paper.dossier_id == Dossier.id, paper.provided.is_(True))
    unscanned = handed_in.where(paper.attachment_id.is_(None)).exists()
    scanned = select(Attachment.id).where(Attachment.dossier_id == Dossier.id).exists()
    digitised = or_(and_(handed_in.exists(), not_(unscanned)), and_(not_(handed_in.exists()), scanned))
    return _pairs(_count_by(Dossier.receiving_unit_id, *_received(ids, period), digitised),
                  _count_by(Dossier.receiving_unit_id, *_received(ids, period)))


# --- sources of this project ----------------------------------------------------------------------------------------


def online_procedure_pairs(ids: set[int], period: Period) -> set[tuple[int, str]]:
    """(unit id, procedure key) of the online submissions the units had in the period."""
    rows = db.session.execute(
        select(Dossier.receiving_unit_id, Dossier.procedure_key).distinct()
        .where(Dossier.receiving_unit_id.in_(sorted(ids)), Dossier.channel == "online",
               Dossier.submitted_at >= period.begins_at, Dossier.submitted_at < period.ends_at))
    return {(unit_id, key) for unit_id, key in rows}


def rating_counts(ids: set[int], period: Period) -> Counts:
    """(ratings "rất hài lòng" or "hài lòng", all ratings) given in the period, at the unit that decided."""
    window = (Rating.unit_id.in_(sorted(ids)), Rating.created_at >= period.begins_at,
              Rating.created_at < period.ends_at)
    good = db.session.execute(select(Rating.unit_id, func.count()).where(
        *window, Rating.level.in_(("rat_hai_long", "hai_long"))).group_by(Rating.unit_id))
    every = db.session.execute(select(Rating.unit_id, func.count()).where(*window).group_by(Rating.unit_id))
    return _pairs(good, every)


def evaluation_counts(ids: set[int], period: Period, max_score: int) -> Counts:
    """(points, maximum points) of the unit evaluations (9 criteria, 18 points) whose period lies within ``period``:
    the appraised score where the level above appraised, else the unit's own score."""
    rows = db.session.scalars(select(UnitEvaluation).where(
        UnitEvaluation.unit_id.in_(sorted(ids)), UnitEvaluation.period_start >= period.start,
        UnitEvaluation.period_end <= period.end))
    result: dict[int, tuple[int, int]] = {}
    for row in rows:
        if row.appraised_scores is not None:
            score = row.appraised_total
        elif row.self_scores:
            score = row.self_total
        else:
            continue
        num, den = result.get(row.unit_id, (0, 0))
        result[row.unit_id] = (num + int(score), den + max_score)
    return result
