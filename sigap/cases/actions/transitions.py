"""Firing a workflow step on a case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.audit.chain import batched as audit_batch
from sigap.cases import sla, workflow
from sigap.cases.access import access_case, access_case_by_number
from sigap.cases.content import PURPOSE_NOTE, open_text, seal_text
from sigap.cases.models import Case, CaseNote, Deadline, DeadlineKind, Report
from sigap.cases.workflow import FieldKind, State
from sigap.core import clock
from sigap.core.errors import NotFound, ValidationFailed
from sigap.tenants.access import Actor
from sigap.tenants.models import Instansi, Unit
from sigap.tenants.permissions import Cap


def _resolve(actor: Actor, transition: workflow.Transition, raw: dict[str, Any]) -> dict[str, Any]:
    """Turns submitted ids into objects the actor may use; text stays text."""
    payload: dict[str, Any] = {}
    for f in transition.fields + transition.optional:
        value = raw.get(f.name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            continue
        try:
            if f.kind == FieldKind.CASE:  # a case, its id, or the number officers see ("LPG/K/2026/00019")
                if isinstance(value, Case):
                    payload[f.name] = value
                elif isinstance(value, int) or str(value).isdigit():
                    payload[f.name] = access_case(actor, value, cap=Cap.CASE_LIST)
                else:
                    payload[f.name] = access_case_by_number(actor, str(value).upper(), cap=Cap.CASE_LIST)
            elif f.kind == FieldKind.INSTANSI:
                payload[f.name] = (
                    value if isinstance(value, Instansi) else Instansi.objects.get(pk=int(value), active=True)
                )
            elif f.kind == FieldKind.UNIT:
                payload[f.name] = (
                    value
                    if isinstance(value, Unit)
                    else Unit.objects.get(pk=int(value), instansi_id=actor.instansi.pk)
                )
            else:
                payload[f.name] = value
        except (NotFound, Instansi.DoesNotExist, Unit.DoesNotExist, ValueError, TypeError):
            raise ValidationFailed(_("Choose an existing item."), {f.name: _("Not found.")}) from None
    return payload


def lock_cases(ids: Iterable[int]) -> None:
    """Lock these cases' rows until the transaction ends, in id order: every writer that locks more
    than one case goes through here, so two of them never wait on each other in a circle."""
    wanted = sorted(set(ids))
    list(Case.objects.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk").values_list("pk"))


def lock_case_of(report: Report) -> Case:
    """The case `report` is in now, locked: a merge moving the report at this moment is waited for,
    and the case it moved the report to is the one returned."""
    case_id = report.case_id
    for _attempt in range(3):  # a report moves once a merge; a third move at this very moment is not expected
        lock_cases([case_id])
        now_in = Report.objects.filter(pk=report.pk).values_list("case_id", flat=True).get()
        if now_in == case_id:
            break
        case_id = now_in
    report.case_id = case_id
    return Case.objects.get(pk=case_id)


def _lock(case: Case, payload: dict[str, Any]) -> None:
    """Lock the case and every case the step names (a merge's target), then read them again: two
    officers merging A into B and B into A at once are served one after the other, and the second
    sees the first's merge (no two cases merged into each other)."""
    named = [value for value in payload.values() if isinstance(value, Case)]
    lock_cases([case.pk, *(c.pk for c in named)])
    for c in (case, *named):
        c.refresh_from_db()


# What the case merged into has already told its reporters, by the state it is in: a reporter whose
# report joins it is told the same, since the mailbox shows them that state ("see the feedback
# below", "please answer the questions below").
_TOLD_IN = {State.DONE: "feedback", State.CLOSED: "feedback", State.NEEDS_COMPLETION: "questions"}


def _tell_moved_reporters(actor: Actor, target: Case, report_ids: list[int]) -> dict[str, int]:
    from sigap.reporters.mailbox import tell_reporters_of_step  # noqa: PLC0415

    field = _TOLD_IN.get(State(target.status))
    if field is None or not report_ids:
        return {}
    notes = CaseNote.objects.filter(instansi_id=target.instansi_id, case=target, field=field)
    note = notes.order_by("-pk").first()
    if note is None:
        return {}
    text = open_text(target.instansi_id, note.text_sealed, purpose=PURPOSE_NOTE)
    sent = tell_reporters_of_step(
        actor=actor, case=target, step=note.transition, field=field, body=text, report_ids=report_ids
    )
    return {field: sent}


@transaction.atomic
def do_transition(*, actor: Actor, case_id: int, name: str, data: dict[str, Any] | None = None) -> Case:
    """Checks and fires one step; writes notes, deadlines and the audit event in one transaction.
    Its audit events (in the case's agency, and in another's when the step refers the case there)
    are written together at the end, chain by chain in one order, as every multi-agency writer does."""
    with audit_batch():
        return _fire(actor=actor, case_id=case_id, name=name, data=data)


def _fire(*, actor: Actor, case_id: int, name: str, data: dict[str, Any] | None) -> Case:
    case = access_case(actor, case_id, cap=Cap.CASE_LIST)
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        workflow.check(case, actor, name, {})  # raises the standard error
        raise AssertionError("unreachable")
    payload = _resolve(actor, transition, data or {})
    _lock(case, payload)
    workflow.check(case, actor, name, payload)
    source = case.status
    now = clock.now()
    workflow.apply(case, transition)
    case.status_changed_at = now
    audit: dict[str, Any] = {"transition": name, "from": source, "to": case.status}

    for f in transition.fields + transition.optional:
        if f.kind == FieldKind.TEXT and f.name in payload:
            note = CaseNote.objects.create(
                instansi=case.instansi,
                case=case,
                author_id=actor.user_id,
                transition=name,
                field=f.name,
                text_sealed=seal_text(case.instansi_id, payload[f.name], purpose=PURPOSE_NOTE),
            )
            audit.setdefault("notes", []).append(note.pk)
        elif f.kind == FieldKind.CHOICE and f.name in payload:
            audit[f.name] = payload[f.name]

    if "target_instansi" in payload:
        from sigap.coordination.actions import send_referral  # noqa: PLC0415 (coordination builds on cases)

        case.referred_to = payload["target_instansi"]
        audit["referred_to"] = case.referred_to.pk
        audit["referral"] = send_referral(
            actor=actor, case=case, target=case.referred_to, step=name, reason=payload["reason"]
        ).pk
    if "unit" in payload:
        case.unit = payload["unit"]
        audit["unit"] = case.unit.pk
    if "outcome" in payload:
        case.outcome = payload["outcome"]
    if name == "merge_duplicate":
        target: Case = payload["target_case"]
        case.merged_into = target
        moved_ids = list(
            Report.objects.filter(instansi_id=case.instansi_id, case=case).values_list("pk", flat=True)
        )
        moved = Report.objects.filter(pk__in=moved_ids).update(case=target)
        # What is owed to the moved reporters goes with their reports: an open question's 30 working
        # days, and the acknowledgement a letter or an e-mail still waits for, run on in the case.
        questions = Deadline.objects.filter(
            instansi_id=case.instansi_id,
            case=case,
            kind__in=(DeadlineKind.ANSWER, DeadlineKind.ACKNOWLEDGE),
            met_at__isnull=True,
        ).update(case=target)
        audit.update({"merged_into": target.pk, "reports_moved": moved, "open_questions_moved": questions})
        told = _tell_moved_reporters(actor, target, moved_ids)
        if told:
            audit["reporters_told"] = told
        record(actor=actor, action="case.duplicate_received", obj=target, data={"from_case": case.pk})

    for kind in transition.meets:
        Deadline.objects.filter(
            instansi_id=case.instansi_id, case=case, kind=kind, met_at__isnull=True
        ).update(met_at=now)
    for kind in transition.starts:
        Deadline.objects.create(
            instansi=case.instansi,
            case=case,
            kind=kind,
            started_at=now,
            due_at=sla.due_at(kind, now, tz=case.instansi.timezone),
        )
    if case.status in (State.ARCHIVED, State.CLOSED, State.MERGED):
        # An archived case stops its verification clock; feedback stays owed until it is given.
        Deadline.objects.filter(
            instansi_id=case.instansi_id, case=case, kind="verify", met_at__isnull=True
        ).update(met_at=now)
    case.save()
    from sigap.reporters.mailbox import STEP_FIELDS_FOR_REPORTERS, tell_reporters_of_step  # noqa: PLC0415

    for field in STEP_FIELDS_FOR_REPORTERS:
        if isinstance(payload.get(field), str):  # the step's questions or feedback reach the reporters
            audit.setdefault("reporters_told", {})[field] = tell_reporters_of_step(
                actor=actor, case=case, step=name, field=field, body=payload[field]
            )
    record(actor=actor, action=f"case.{name}", obj=case, data=audit)
    return case
