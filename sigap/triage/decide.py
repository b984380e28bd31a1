"""Officers decide on duplicate suggestions: confirm (merge) or reject."""

from __future__ import annotations

from django.db import transaction

from sigap.audit.actions import record
from sigap.cases.access import access_case
from sigap.cases.actions.transitions import do_transition
from sigap.cases.workflow import State
from sigap.core.errors import NotFound
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.triage.models import DuplicateSuggestion


def access_suggestion(actor: Actor, suggestion_id: int) -> DuplicateSuggestion:
    actor.require(Cap.CASE_VERIFY)
    found = (
        DuplicateSuggestion.objects.filter(instansi_id=actor.instansi.pk, pk=suggestion_id)
        .select_related("report", "other_report")
        .first()
    )
    if found is None:
        raise NotFound("not found")
    return found


@transaction.atomic
def decide_duplicate(*, actor: Actor, suggestion_id: int, confirm: bool) -> DuplicateSuggestion:
    """Confirming inside one agency merges this report's case into the other's; across agencies it
    records that both agencies handle one matter, so they coordinate (contents stay apart)."""
    s = access_suggestion(actor, suggestion_id)
    if s.decision != DuplicateSuggestion.Decision.OPEN:
        return s
    s.decision = DuplicateSuggestion.Decision.CONFIRMED if confirm else DuplicateSuggestion.Decision.REJECTED
    s.decided_by = actor.user  # type: ignore[assignment]
    s.save(update_fields=["decision", "decided_by"])
    # The officer decided about the other case: its other reports, suggested for this report too
    # (one row on the page), get the same decision.
    siblings = DuplicateSuggestion.objects.filter(
        instansi_id=actor.instansi.pk,
        report_id=s.report_id,
        other_report__case_id=s.other_report.case_id,
        decision=DuplicateSuggestion.Decision.OPEN,
    ).exclude(pk=s.pk)
    sibling_ids = list(siblings.values_list("pk", flat=True))
    siblings.update(decision=s.decision, decided_by=actor.user)
    record(
        actor=actor,
        action="triage.duplicate_confirmed" if confirm else "triage.duplicate_rejected",
        obj=s,
        data={
            "report": s.report_id,
            "other_report": s.other_report_id,
            "other_instansi": s.other_instansi_id,
            "same_decision_for": sibling_ids,
        },
    )
    if confirm and s.other_instansi_id == actor.instansi.pk:
        case = access_case(actor, s.report.case_id, cap=Cap.CASE_VERIFY)
        if case.pk != s.other_report.case_id:
            if case.status == State.RECEIVED:
                do_transition(actor=actor, case_id=case.pk, name="start_verification")
            do_transition(
                actor=actor,
                case_id=case.pk,
                name="merge_duplicate",
                data={"target_case": s.other_report.case_id},
            )
    return s
