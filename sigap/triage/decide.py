"""Officers decide on duplicate suggestions: confirm (merge) or reject."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.audit.chain import batched as audit_batch
from sigap.cases.access import access_case
from sigap.cases.actions.transitions import do_transition
from sigap.cases.workflow import State
from sigap.core.errors import InvalidTransition, NotFound
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.triage.actions import tell_other_agency
from sigap.triage.models import DuplicateSuggestion


def access_suggestion(actor: Actor, suggestion_id: int, *, for_update: bool = False) -> DuplicateSuggestion:
    actor.require(Cap.CASE_VERIFY)
    qs = DuplicateSuggestion.objects.filter(instansi_id=actor.instansi.pk, pk=suggestion_id)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.select_related("report", "other_report").first()
    if found is None:
        raise NotFound("not found")
    return found


def decide_duplicate(*, actor: Actor, suggestion_id: int, confirm: bool) -> DuplicateSuggestion:
    """Confirming inside one agency merges this report's case into the other's; across agencies it
    records that both agencies handle one matter, so they coordinate (contents stay apart). The audit
    events (this agency's, and a notice to the other) are written at the end, chains in one order."""
    with transaction.atomic(), audit_batch():
        return _decide(actor, suggestion_id, confirm)


def _decide(actor: Actor, suggestion_id: int, confirm: bool) -> DuplicateSuggestion:
    s = access_suggestion(actor, suggestion_id, for_update=True)  # two officers at once: one decides
    if s.decision != DuplicateSuggestion.Decision.OPEN:
        by = (s.decided_by.get_full_name() or s.decided_by.get_username()) if s.decided_by else ""
        raise InvalidTransition(
            _("This suggestion was already decided by %(who)s: %(decision)s.")
            % {"who": by or _("the system"), "decision": s.get_decision_display()}
        )
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
    if confirm and s.other_instansi_id != actor.instansi.pk and actor.instansi.is_hub:
        # the hub chooses to coordinate: only now is the agency told that the hub holds a report like theirs
        tell_other_agency(
            report_id=s.other_report_id, about=s.report, score=s.score, kinds=list(s.shared_kinds)
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
