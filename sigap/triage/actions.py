"""Triage writes: read a stored report, store its features, index it, and suggest duplicates.

A failure never loses or blocks a report: it stays in its agency's queue marked "triage pending"
or "failed" and is retried with backoff by the task, or by `sigap triage run-pending`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sigap.audit.actions import record
from sigap.audit.chain import batched as audit_batch
from sigap.cases.actions.transitions import lock_cases
from sigap.cases.content import open_content
from sigap.cases.models import Case, Channel, Report, TriageStatus
from sigap.cases.workflow import State
from sigap.coordination.selectors import linked_case_ids
from sigap.core import crypto
from sigap.tenants.access import system_actor
from sigap.tenants.models import Instansi, InstansiKind
from sigap.triage import index
from sigap.triage.lib import dedup, minhash
from sigap.triage.lib.classify import Model
from sigap.triage.lib.completeness import Completeness, assess_completeness
from sigap.triage.lib.entities import Entities, extract_entities
from sigap.triage.lib.pipeline import MAX_TRIAGE_CHARS, TriageFeatures, completeness_fields, triage_text
from sigap.triage.models import ClassifierModel, DuplicateSuggestion, TriageResult

log = logging.getLogger(__name__)

PURPOSE_FEATURES = "triage.features"
PURPOSE_EVIDENCE = "triage.duplicate_evidence"
MAX_ATTEMPTS = 6
CANDIDATES = 40
SHORTLIST = 8
# A candidate met only through bands, below this sketch similarity, is not opened: without a shared
# entity key (numbered address, official, website, ID, full name, specific sum) the entity bonus is
# small, and on real complaints every duplicate with text similarity under 0.5 shared such a key.
SKETCH_FLOOR = 0.25
EVIDENCE_FOR = 3
SUGGEST_AT = dedup.DEFAULT_THRESHOLD
AUTO_MERGE_AT = 0.97  # only inside one agency, only while both cases are still at intake,
AUTO_MERGE_TEXT = 0.9  # and only for (nearly) the same text sent again: entities alone make a suggestion,
# and so do the same words in another order (shingles, not the word measure, decide)
# The cases a report sent again joins on its own: those still at intake. One in analysis, referred,
# archived or finished is an officer's call (an archived case reopens on new evidence).
AUTO_MERGE_INTO = frozenset({State.RECEIVED, State.VERIFICATION})


@dataclass(frozen=True)
class Stored:
    """What a duplicate check needs of an indexed report."""

    report_id: int
    instansi_id: int
    case_id: int
    signature: Any
    features: dict[str, Any]


def _model_for(instansi_id: int) -> Model | None:
    row = (
        ClassifierModel.objects.filter(instansi_id=instansi_id, kind="category", active=True)
        .order_by("-created_at")
        .only("data")
        .first()
    )
    return Model.from_bytes(bytes(row.data)) if row else None


def _load_stored(report_ids: list[int]) -> list[Stored]:
    return [
        Stored(
            report_id=rid,
            instansi_id=iid,
            case_id=case_id,
            signature=minhash.signature_from_bytes(sig),
            features=crypto.open_json(iid, sealed, purpose=PURPOSE_FEATURES),
        )
        for rid, iid, sig, sealed, case_id in index.stored_of(report_ids)
    ]


def _dedup_view(report_id: int, sig: Any, features: dict[str, Any]) -> dedup.ReportFeatures:
    return dedup.ReportFeatures(
        id=str(report_id),
        text=features.get("normalized", ""),
        signature=sig,
        entities=Entities.from_dict(features.get("entities", {})),
        links=tuple(features.get("links", ())),
        personal=tuple(features.get("personal", ())),
        streets=frozenset((name, number) for name, number in features.get("streets", ())),
    )


def _imported_history(report: Report) -> bool:
    """History imported from SP4N-LAPOR! (archived as finished there) is compared inside its own
    agency only: nobody elsewhere is to coordinate on a matter closed before it came in."""
    return (
        report.channel == Channel.LAPOR
        and Case.objects.filter(pk=report.case_id, status=State.ARCHIVED).exists()
    )


def _imported_history_of(report_ids: list[int]) -> set[int]:
    """Those of `report_ids` that are history imported from SP4N-LAPOR! (see `_imported_history`):
    another agency's new report is not compared with them either."""
    if not report_ids:
        return set()
    return set(
        Report.objects.filter(pk__in=report_ids, channel=Channel.LAPOR, case__status=State.ARCHIVED)
        .values_list("pk", flat=True)
    )


def find_duplicates(report: Report, features: TriageFeatures) -> list[tuple[Stored, dedup.Match]]:
    """Likely duplicates of `report` among every indexed report it may be compared with: its own
    agency's, and those of agencies connected to the hub when it is connected too."""
    found = index.candidates(
        features.index_bands,
        features.entity_keys,
        instansi_id=report.instansi_id,
        across_agencies=report.instansi.connected_to_hub and not _imported_history(report),
        exclude=report.pk,
        limit=CANDIDATES,
    )
    if not found:
        return []
    mine = dataclasses.replace(features.dedup, id=str(report.pk))
    # Cheap first pass on the sketches that came with the candidates (one vectorised comparison);
    # only plausible candidates are opened and compared. Reports met through an entity key always are.
    sketched = [c for c in found if not c.entities]
    similarity = minhash.sketch_similarity(minhash.sketch(features.signature), [c.sketch for c in sketched])
    shortlist = [
        sketched[int(i)].report_id
        for i in np.argsort(-similarity, kind="stable")[:SHORTLIST]
        if similarity[i] >= SKETCH_FLOOR
    ]
    shortlist += [c.report_id for c in found if c.entities][:SHORTLIST]  # most shared first
    results = []
    linked: set[int] | None = None  # cases a referral ties to this one: read once, only when needed
    stored = _load_stored(shortlist)  # the index gave only reports it may be compared with
    history = _imported_history_of([o.report_id for o in stored if o.instansi_id != report.instansi_id])
    for other in stored:
        if other.case_id == report.case_id or other.report_id in history:
            continue
        if other.instansi_id != report.instansi_id:
            # a referral ties two agencies' cases into one matter known to both: no duplicate
            linked = linked_case_ids(report.case_id) if linked is None else linked
            if other.case_id in linked:
                continue
        theirs = _dedup_view(other.report_id, other.signature, other.features)
        match = dedup.compare(mine, theirs, evidence=False)
        if match.score >= SUGGEST_AT and match.is_duplicate:
            results.append((other, match, theirs))
    results.sort(key=lambda hit: -hit[1].score)
    # Shared passages (the slow part of a comparison) only for what an officer will look at.
    return [
        (other, dedup.with_passages(match, mine, theirs) if rank < EVIDENCE_FOR else match)
        for rank, (other, match, theirs) in enumerate(results)
    ]


def _store_suggestions(
    report: Report, matches: list[tuple[Stored, dedup.Match]]
) -> list[DuplicateSuggestion]:
    """This report's suggestions, and notices to the other agencies concerned.

    Two agencies are told of each other. The hub is told of every agency's report that matches one
    of its own, but an agency is not told that the hub holds a report like theirs until the hub
    chooses to coordinate (`tell_other_agency` on the hub's confirmation): a report to the hub may
    be about that agency's own officials."""
    made = []
    hubs: set[int] | None = None
    for other, match in matches[:10]:
        kinds = sorted(match.shared)
        same_agency = other.instansi_id == report.instansi_id
        if not same_agency and hubs is None:
            hubs = set(Instansi.objects.filter(kind=InstansiKind.HUB).values_list("pk", flat=True))
        if not same_agency and other.instansi_id in (hubs or ()) and not report.instansi.is_hub:
            # an agency's report like one at the hub: the hub is told, the agency is not (yet)
            tell_other_agency(report_id=other.report_id, about=report, score=match.score, kinds=kinds)
            continue
        evidence = {
            "passages": list(match.passages)[:5],
            "shared": {k: list(v) for k, v in match.shared.items()},
            "reasons": list(match.reasons),
        }
        suggestion, _ = DuplicateSuggestion.objects.update_or_create(
            report=report,
            other_report_id=other.report_id,
            defaults={
                "instansi_id": report.instansi_id,
                "other_instansi_id": other.instansi_id,
                "score": match.score,
                "shared_kinds": kinds,
                "evidence_sealed": crypto.seal_json(report.instansi_id, evidence, purpose=PURPOSE_EVIDENCE)
                if same_agency
                else None,
            },
        )
        made.append(suggestion)
        if not same_agency and not report.instansi.is_hub:
            # The other agency is told too, without this report's content.
            tell_other_agency(report_id=other.report_id, about=report, score=match.score, kinds=kinds)
    return made


def tell_other_agency(*, report_id: int, about: Report, score: float, kinds: list[str]) -> None:
    """Tell the agency that holds report `report_id` that `about` (another agency's report) looks like
    it: a suggestion on their side, without `about`'s content, written to their audit trail."""
    other = Report.objects.select_related("instansi").get(pk=report_id)
    suggestion, created = DuplicateSuggestion.objects.get_or_create(
        report=other,
        other_report=about,
        defaults={
            "instansi_id": other.instansi_id,
            "other_instansi_id": about.instansi_id,
            "score": score,
            "shared_kinds": kinds,
        },
    )
    if created:
        record(
            actor=system_actor(other.instansi),
            action="triage.duplicate_noticed",
            obj=suggestion,
            data={"report": other.pk, "other_instansi": about.instansi_id},
        )


def _auto_merge_candidates(
    report: Report, matches: list[tuple[Stored, dedup.Match]]
) -> list[tuple[Stored, dedup.Match]]:
    """The matches close enough to merge into on their own (same agency, same text sent again),
    except those an officer has said are no duplicate of this report (triage may run again)."""
    close = [
        (other, match)
        for other, match in matches
        if other.instansi_id == report.instansi_id
        and match.score >= AUTO_MERGE_AT
        and match.shingle_similarity >= AUTO_MERGE_TEXT
    ]
    if not close:
        return []
    ids = [other.report_id for other, _ in close]
    rejected = DuplicateSuggestion.objects.filter(decision=DuplicateSuggestion.Decision.REJECTED).filter(
        Q(report=report, other_report_id__in=ids) | Q(report_id__in=ids, other_report=report)
    )
    said_no = {pair for row in rejected.values_list("report_id", "other_report_id") for pair in row}
    return [(other, match) for other, match in close if other.report_id not in said_no]


def _maybe_auto_merge(report: Report, candidates: list[tuple[Stored, dedup.Match]]) -> int | None:
    """Merge the report's case into the first candidate's case still at intake; its cases are
    locked already (`triage_report`)."""
    from sigap.cases.actions.transitions import do_transition

    for other, _match in candidates:
        case = Case.objects.get(pk=report.case_id)
        target = Case.objects.get(pk=other.case_id)
        if (
            case.status != State.RECEIVED
            or target.status not in AUTO_MERGE_INTO  # a case in hand or finished is an officer's call
            or case.reports.count() > 1
        ):
            continue
        actor = system_actor(report.instansi)
        do_transition(actor=actor, case_id=case.pk, name="start_verification")
        do_transition(actor=actor, case_id=case.pk, name="merge_duplicate", data={"target_case": target.pk})
        DuplicateSuggestion.objects.filter(report=report, other_report_id=other.report_id).update(
            decision=DuplicateSuggestion.Decision.AUTO_MERGED
        )
        return target.pk
    return None


def triage_report(*, report_id: int) -> TriageResult:
    """Triage one stored report. Idempotent: running it again refreshes the result.

    Its audit events (its own, and notices to other agencies) are written at the end, chain by
    chain in one order, and the cases it may change are locked in id order before the first is
    written: triage running beside other triage or an officer's merge never deadlocks."""
    with transaction.atomic(), audit_batch():
        return _triage(report_id)


def _triage(report_id: int) -> TriageResult:
    report = Report.objects.select_related("instansi").get(pk=report_id)
    result, _ = TriageResult.objects.get_or_create(report=report, defaults={"instansi": report.instansi})
    started = time.perf_counter()
    content = open_content(report.instansi_id, bytes(report.content_sealed))
    features = triage_text(
        content.full_text,
        region_hint=report.instansi.region_code or None,
        fields=_structured_fields(report, content),
        model=_model_for(report.instansi_id),
    )
    stored = {**features.to_dict(), "normalized": features.normalized}
    completeness = features.completeness.score
    reread = _with_answers(report, content)  # triaged again after the reporter answered questions
    if reread is not None:
        stored["completeness"] = completeness_fields(reread[0])
        completeness = reread[0].score
    old_keys = result.index_keys or []  # the entity keys written last time
    result.features_sealed = crypto.seal_json(report.instansi_id, stored, purpose=PURPOSE_FEATURES)
    result.signature = minhash.signature_to_bytes(features.signature)
    result.signature_version = dedup.SIGNATURE_VERSION
    result.index_keys = features.entity_keys
    result.entities_version = dedup.ENTITY_VERSION
    c = features.classification
    result.category, result.category_confidence = c.category, c.confidence
    result.sectors = [k for k, _, _ in c.sectors]
    result.region_code = features.best_region
    result.kpk_competent = features.jurisdiction.kpk_competent
    result.competent_body = features.jurisdiction.competent_body
    result.completeness = completeness
    result.max_amount = features.entities.max_amount or None
    result.last_error = ""
    result.duration_ms = (time.perf_counter() - started) * 1000
    result.save()
    index.remove(report.pk, old_keys)
    matches = find_duplicates(report, features)
    index.add(
        index.Row(report.pk, report.instansi_id, features.index_bands, minhash.sketch(features.signature)),
        features.entity_keys,
    )
    told = _store_suggestions(report, matches)

    candidates = _auto_merge_candidates(report, matches)
    lock_cases([report.case_id, *(other.case_id for other, _ in candidates)])
    case = Case.objects.get(pk=report.case_id)  # as it is now that it is locked
    changed = []
    if not case.category_confirmed:
        case.category = c.category
        case.sector = result.sectors[0] if result.sectors else ""
        changed += ["category", "sector"]
    if not case.region_code and result.region_code:
        case.region_code = result.region_code
        changed.append("region_code")
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
    Report.objects.filter(pk=report.pk).update(triage_status=TriageStatus.DONE)
    record(
        actor=system_actor(report.instansi),
        action="report.triaged",
        obj=report,
        data={"category": c.category, "duplicates": len(told), "ms": round(result.duration_ms, 1)},
    )
    merged_into = _maybe_auto_merge(report, candidates)
    if merged_into:
        log.info("report %s auto-merged into case %s", report.pk, merged_into)
    return result


def _with_answers(report: Report, content: Any) -> tuple[Completeness, int] | None:
    """Completeness read from the report together with its reporter's mailbox answers (the answers
    first: a report as long as triage reads never pushes them out), and how many answers there
    were; None when the reporter has answered nothing."""
    from sigap.reporters.mailbox import answers_of  # noqa: PLC0415

    answers = answers_of(report)
    if not answers:
        return None
    text = "\n".join([*answers, content.full_text])[:MAX_TRIAGE_CHARS]
    entities = extract_entities(text, region_hint=report.instansi.region_code or None)
    found = assess_completeness(text, entities, fields=_structured_fields(report, content),
                                category=report.case.category or None)
    return found, len(answers)


def reassess_completeness(*, report_id: int) -> float | None:
    """The report's completeness read again with what its reporter has answered since: the score,
    the missing elements and the follow-up questions the case page offers. None when the report
    has not been triaged yet (triage reads the answers too) or has no answer."""
    report = Report.objects.select_related("instansi").get(pk=report_id)
    result = TriageResult.objects.select_for_update().filter(report=report).first()
    if result is None or not result.features_sealed:
        return None
    content = open_content(report.instansi_id, bytes(report.content_sealed))
    reread = _with_answers(report, content)
    if reread is None:
        return None
    found, answered = reread
    stored = crypto.open_json(report.instansi_id, bytes(result.features_sealed), purpose=PURPOSE_FEATURES)
    stored["completeness"] = completeness_fields(found)
    result.features_sealed = crypto.seal_json(report.instansi_id, stored, purpose=PURPOSE_FEATURES)
    before, result.completeness = result.completeness, found.score
    result.save(update_fields=["features_sealed", "completeness"])
    record(
        actor=system_actor(report.instansi),
        action="triage.completeness_reassessed",
        obj=report,
        data={"before": before, "after": round(found.score, 3), "answers": answered},
    )
    return found.score


def _structured_fields(report: Report, content: Any) -> dict[str, Any]:
    return {
        "who": bool(content.who),
        "where": bool(content.where or report.region_code),
        "when": bool(content.when or report.occurred_from),
        "amount": report.amount is not None,
        "evidence_count": report.evidence_count + len(content.evidence),
    }


def mark_failed(*, report_id: int, error: BaseException) -> int:
    """Records a failed attempt; returns the number of attempts so far."""
    report = Report.objects.select_related("instansi").get(pk=report_id)
    with transaction.atomic():
        result, _ = TriageResult.objects.get_or_create(report=report, defaults={"instansi": report.instansi})
        # counted in the database: two workers failing on one report at once count two attempts
        TriageResult.objects.filter(pk=result.pk).update(
            attempts=F("attempts") + 1,
            last_error=type(error).__name__[:200],  # never the message: it may quote the report
            updated_at=timezone.now(),
        )
        result.refresh_from_db(fields=["attempts"])
        Report.objects.filter(pk=report_id).update(triage_status=TriageStatus.FAILED)
    return result.attempts
