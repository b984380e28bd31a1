"""Referrals between agencies (pelimpahan): sent by a workflow step, accepted or declined by the
receiving agency. Accepted, the referral becomes a new case in the receiving agency's queue; declined,
the reason goes back onto the referring agency's case, which can refer it elsewhere.

Audit: every referral event is written to both agencies' chains, in one batch at the end of the
action (`audit.chain.batched`: chain by chain in one order, so that two writers never wait on each
other in a circle)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.audit.chain import batched as audit_batch
from sigap.cases import sla, workflow
from sigap.cases.access import access_case
from sigap.cases.actions.submit import submit_report
from sigap.cases.actions.transitions import lock_cases
from sigap.cases.content import PURPOSE_CASE, PURPOSE_NOTE, open_content, open_text, seal_text
from sigap.cases.models import Case, CaseNote, Channel, Priority, Report
from sigap.coordination.access import access_referral
from sigap.coordination.dossier import Dossier, ReferredReport, open_dossier
from sigap.coordination.models import PURPOSE_DOSSIER, Referral, ReferralStatus
from sigap.core import clock, crypto
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.evidence.models import Evidence
from sigap.evidence.storage import PreparedEvidence, copy_evidence, record_evidence
from sigap.intake.incoming import IncomingReport
from sigap.reporters.models import Anonymity
from sigap.tenants.access import Actor, system_actor
from sigap.tenants.models import Instansi
from sigap.tenants.permissions import Cap

MAX_REASON = 5_000


def send_referral(*, actor: Actor, case: Case, target: Instansi, step: str, reason: str) -> Referral:
    """Hands `case` to `target`: called by the referring workflow step, inside its transaction, once
    the step was checked (the case is locked and the actor may refer)."""
    from sigap.reporters.mailbox import answers_of  # noqa: PLC0415 (reporters build on cases)

    if actor.instansi.pk != case.instansi_id:
        raise NotFound("not found")
    reports = list(
        Report.objects.filter(instansi_id=case.instansi_id, case=case).order_by("received_at", "pk")
    )
    dossier = Dossier(
        summary=open_text(case.instansi_id, case.summary_sealed, purpose=PURPOSE_CASE),
        reason=reason,
        reports=[
            ReferredReport.of(r, open_content(case.instansi_id, r.content_sealed), answers_of(r))
            for r in reports
        ],
    )
    now = clock.now()
    referral = Referral.objects.create(
        instansi=target,
        from_instansi=case.instansi,
        from_case=case,
        from_case_number=case.number,
        step=step,
        sent_at=now,
        answer_due_at=sla.due_at("referral_answer", now, tz=target.timezone),
        dossier_sealed=crypto.seal_json(target.pk, dossier.to_dict(), purpose=PURPOSE_DOSSIER),
        category=case.category,
        sector=case.sector,
        region_code=case.region_code,
        amount=case.amount,
        priority=case.priority,
        report_count=len(dossier.reports),
        report_ids=[r.pk for r in reports],
        evidence_count=sum(r.evidence_count for r in dossier.reports),
        first_received_at=case.received_at,
    )
    record(
        actor=system_actor(target),
        action="referral.received",
        obj=referral,
        data={"from_instansi": case.instansi_id, "from_case_number": case.number},
    )
    return referral


def _still_waiting(referral: Referral) -> None:
    if referral.status == ReferralStatus.WITHDRAWN:
        raise InvalidTransition(_("The referring agency has withdrawn this referral."))
    if referral.status != ReferralStatus.SENT:
        raise InvalidTransition(_("This referral has already been answered."))


def _open_referral(actor: Actor, referral_id: int | str) -> Referral:
    referral = access_referral(actor, referral_id, cap=Cap.CASE_VERIFY, for_update=True)
    _still_waiting(referral)
    return referral


def _keep_dates_only(referral: Referral) -> None:
    """A referral that ends without the case (declined, withdrawn) keeps its dates and counts at the
    receiving agency, nothing read from the case: no contents, no category, place, sum or urgency."""
    empty = Dossier("", "").to_dict()
    referral.dossier_sealed = crypto.seal_json(referral.instansi_id, empty, purpose=PURPOSE_DOSSIER)
    referral.category = referral.sector = referral.region_code = ""
    referral.amount = None
    referral.priority = Priority.NORMAL


def _end_without_the_case(referral: Referral, status: str, *, by: Actor | None = None) -> None:
    """A referral declined by the receiving agency (`by`) or withdrawn by the referring one: it keeps
    its dates, and the referring case no longer names that agency (its history keeps both steps)."""
    referral.status = status
    referral.answered_at = clock.now()
    referral.answered_by = by.user if by is not None else None  # type: ignore[assignment]
    _keep_dates_only(referral)
    referral.save()
    Case.objects.filter(pk=referral.from_case_id, referred_to_id=referral.instansi_id).update(
        referred_to=None
    )


def accept_referral(*, actor: Actor, referral_id: int | str) -> Case:
    """The receiving agency takes the case: a new case in its queue, with one report that holds the
    referred reports' contents (channel "referral") and a copy of their files, triaged like any
    other. The files are copied first, outside the transaction; if accepting fails, they are gone.
    A file that cannot be read is left behind, counted on the referral (`files_not_copied`)."""
    referral = access_referral(actor, referral_id, cap=Cap.CASE_VERIFY)
    _still_waiting(referral)
    sources = list(
        Evidence.objects.filter(
            instansi_id=referral.from_instansi_id, report_id__in=referral.report_ids
        ).order_by("created_at", "pk")
    )
    copies, failed = copy_evidence(sources=sources, to_instansi_id=referral.instansi_id)
    handed = [s.pk for s in sources if s.pk not in failed]
    try:
        with transaction.atomic(), audit_batch():
            case = _accept(actor, referral_id, copies, handed, failed)
    except BaseException:
        for copy in copies:
            copy.discard()
        raise
    return case


def _accept(
    actor: Actor, referral_id: int | str, copies: list[PreparedEvidence], handed: list[int], failed: list[int]
) -> Case:
    referral = _open_referral(actor, referral_id)
    dossier = open_dossier(referral)
    first = dossier.reports[0] if dossier.reports else None
    froms = [r.occurred_from for r in dossier.reports if r.occurred_from]
    tos = [r.occurred_to for r in dossier.reports if r.occurred_to]
    report = submit_report(
        actor=actor,
        incoming=IncomingReport(
            channel=Channel.REFERRAL,
            content=dossier.combined(),
            language=first.language if first else "id",
            # who reported stays with the referring agency; here the reporter is known to no one
            anonymity=Anonymity.ANONYMOUS,
            region_code=referral.region_code,
            occurred_from=min(froms) if froms else None,
            occurred_to=max(tos) if tos else None,
            amount=referral.amount,
            external_ref=f"referral:{referral.pk}",
        ),
    )
    origin: dict[str, object] = {"referral": referral.pk, "from_instansi": referral.from_instansi_id}
    for copy in copies:
        record_evidence(actor=actor, report=report, prepared=copy, origin=origin)
    case = report.case
    raised_from = None
    if referral.priority > case.priority:  # an urgent case (retaliation reported) stays urgent
        raised_from = case.priority
        case.priority = referral.priority
        case.save(update_fields=["priority"])
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_at = clock.now()
    referral.answered_by = actor.user  # type: ignore[assignment]
    referral.accepted_case = case
    referral.files_not_copied = len(failed)
    referral.save()
    accepted: dict[str, object] = {
        "referral": referral.pk,
        "from_instansi": referral.from_instansi_id,
        "from_case_number": referral.from_case_number,
        "files_not_copied": len(failed),
    }
    if raised_from is not None:  # the referring agency's urgency, carried over (a retaliation reported there)
        accepted.update(priority_from=raised_from, priority_to=case.priority)
    record(actor=actor, action="referral.accepted", obj=case, data=accepted)
    record(
        actor=system_actor(referral.from_instansi),
        action="referral.accepted_by_receiver",
        obj=referral.from_case,
        data={
            "referral": referral.pk,
            "to_instansi": referral.instansi_id,
            "case_number": case.number,
            # the files handed over (copied for the other agency) and those that could not be
            "files": handed,
            "files_not_copied": failed,
        },
    )
    _tell_reporters(referral)
    return case


def _tell_reporters(referral: Referral) -> None:
    """The reporters learn that the competent agency took their report on, in their mailbox at the
    referring agency, which stays their contact."""
    from sigap.reporters import texts  # noqa: PLC0415
    from sigap.reporters.mailbox import notify_reporter  # noqa: PLC0415

    # the reports that went with the referral, wherever they are now (a report is never moved out of
    # a referred case, but its case may have been merged before it was referred)
    for report in Report.objects.filter(instansi_id=referral.from_instansi_id, pk__in=referral.report_ids):
        notify_reporter(
            case=report.case,
            kind=texts.REFERRAL_ACCEPTED,
            report=report,
            params={"agency": referral.instansi.name},
        )


def decline_referral(*, actor: Actor, referral_id: int | str, reason: str) -> Referral:
    """The receiving agency sends the case back with its reason, which becomes a note on the
    referring agency's case (sealed with that agency's key)."""
    with transaction.atomic(), audit_batch():
        return _decline(actor, referral_id, reason)


def _decline(actor: Actor, referral_id: int | str, reason: str) -> Referral:
    referral = _open_referral(actor, referral_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why this agency is not competent."), {"reason": _("This field is required.")}
        )
    if len(reason) > MAX_REASON:
        raise ValidationFailed(_("The reason is too long."), {"reason": _("At most 5,000 characters.")})
    note = CaseNote.objects.create(
        instansi_id=referral.from_instansi_id,
        case_id=referral.from_case_id,
        transition="referral_declined",
        field="reason",
        text_sealed=seal_text(referral.from_instansi_id, reason, purpose=PURPOSE_NOTE),
    )
    referral.decline_note = note
    _end_without_the_case(referral, ReferralStatus.DECLINED, by=actor)  # not this agency's matter
    record(
        actor=actor,
        action="referral.declined",
        obj=referral,
        data={"from_instansi": referral.from_instansi_id},
    )
    record(
        actor=system_actor(referral.from_instansi),
        action="referral.declined_by_receiver",
        obj=referral.from_case,
        data={"referral": referral.pk, "to_instansi": referral.instansi_id, "notes": [note.pk]},
    )
    return referral


def withdraw_referral(*, actor: Actor, case_id: int | str, referral_id: int | str) -> Referral:
    """The referring agency takes back a referral that waits for an answer (sent to the wrong
    agency, or the matter turned out to be its own after all): the receiving agency keeps its dates,
    not its contents, and the case may be referred elsewhere or followed up here."""
    with transaction.atomic(), audit_batch():
        return _withdraw(actor, case_id, referral_id)


def _withdraw(actor: Actor, case_id: int | str, referral_id: int | str) -> Referral:
    case = access_case(actor, case_id, cap=Cap.CASE_LIST)
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    # the referral first, then the case: the order in which answering it locks them too
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .filter(from_instansi_id=actor.instansi.pk, from_case=case, pk=pk)
        .select_related("instansi")
        .first()
    )
    if referral is None:
        raise NotFound("not found")
    lock_cases([case.pk])
    # who may refer this way may take it back (a supervisor's referral is not a verifikator's to undo)
    if not actor.can(workflow.TRANSITIONS[referral.step].capability):
        raise PermissionDenied(_("Your role in this agency does not allow this."))
    if referral.status != ReferralStatus.SENT:
        raise InvalidTransition(_("This referral has already been answered."))
    _end_without_the_case(referral, ReferralStatus.WITHDRAWN)
    record(
        actor=system_actor(referral.instansi),
        action="referral.withdrawn",
        obj=referral,
        data={"from_instansi": case.instansi_id},
    )
    record(
        actor=actor,
        action="case.referral_withdrawn",
        obj=case,
        data={"referral": referral.pk, "to_instansi": referral.instansi_id},
    )
    return referral
