"""Reads of cases and reports, always inside the actor's agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, F, Min, Q, QuerySet, Value, When

from sigap.audit.models import AuditEvent
from sigap.cases.content import PURPOSE_CASE, PURPOSE_NOTE, ReportContent, open_content, open_text
from sigap.cases.models import Case, CaseNote, Deadline, Priority, Report, TriageStatus
from sigap.cases.workflow import OPEN_STATES, State
from sigap.core import clock
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap


def cases_in_instansi(
    *, actor: Actor, status: str | None = None, overdue: bool = False, number: str | None = None
) -> QuerySet[Case]:
    actor.require(Cap.CASE_LIST)
    qs = Case.objects.filter(instansi_id=actor.instansi.pk)
    if status == "open":
        qs = qs.filter(status__in=[s.value for s in OPEN_STATES])
    elif status:
        qs = qs.filter(status=status)
    # Filters on reports and deadlines go through subqueries: a join here would also narrow the
    # counts below to the matching rows (a case found by one tracking number showed one report).
    if number:
        qs = qs.filter(
            Q(number__icontains=number)
            | Q(pk__in=Report.objects.filter(instansi_id=actor.instansi.pk, tracking_number__icontains=number)
                .values("case_id"))
        )
    if overdue:
        qs = qs.filter(
            pk__in=Deadline.objects.filter(
                instansi_id=actor.instansi.pk, met_at__isnull=True, due_at__lt=clock.now()
            ).values("case_id")
        )
    # The work queue: urgent cases first (a reporter facing retaliation), then the deadline that
    # falls first (overdue ones before all others), then the newest.
    return qs.annotate(
        report_count=Count("reports", distinct=True),
        triage_failed=Count("reports", filter=Q(reports__triage_status=TriageStatus.FAILED), distinct=True),
        triage_pending=Count("reports", filter=Q(reports__triage_status=TriageStatus.PENDING), distinct=True),
        next_due=Min("deadlines__due_at", filter=Q(deadlines__met_at__isnull=True)),
        urgent=DbCase(When(priority__gte=Priority.URGENT, then=Value(1)), default=Value(0)),
    ).order_by("-urgent", F("next_due").asc(nulls_last=True), "-received_at", "-pk")


@dataclass
class CaseRow:
    case: Case
    summary: str
    report_count: int
    next_due: dt.datetime | None
    overdue: bool
    triage: str = ""  # "failed" or "pending" while a report of the case is not triaged yet


def case_page(
    *, actor: Actor, page: int = 1, per_page: int = 25, **filters: Any
) -> tuple[Page, list[CaseRow]]:
    paginator = Paginator(cases_in_instansi(actor=actor, **filters), per_page)
    current = paginator.get_page(page)
    now = clock.now()
    rows = []
    for case in current.object_list:
        summary = (
            open_text(case.instansi_id, case.summary_sealed, purpose=PURPOSE_CASE)
            if actor.can(Cap.CASE_READ)
            else ""
        )
        next_due = getattr(case, "next_due", None)
        rows.append(
            CaseRow(
                case=case,
                summary=summary,
                report_count=getattr(case, "report_count", 0),
                next_due=next_due,
                overdue=bool(next_due and next_due < now),
                triage=TriageStatus.FAILED if getattr(case, "triage_failed", 0)
                else TriageStatus.PENDING if getattr(case, "triage_pending", 0) else "",
            )
        )
    return current, rows


def status_counts(*, actor: Actor) -> dict[str, int]:
    actor.require(Cap.CASE_LIST)
    counts = dict(
        Case.objects.filter(instansi_id=actor.instansi.pk).values_list("status").annotate(n=Count("id"))
    )
    return {s.value: counts.get(s.value, 0) for s in State}


@dataclass
class ReportView:
    report: Report
    content: ReportContent | None  # None when the actor may not read contents


def reports_of_case(*, actor: Actor, case: Case) -> list[ReportView]:
    readable = actor.can(Cap.CASE_READ)
    reports = Report.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk).select_related("reporter")
    return [
        ReportView(report=r, content=open_content(r.instansi_id, r.content_sealed) if readable else None)
        for r in reports.order_by("received_at")
    ]


def case_summary(*, actor: Actor, case: Case) -> str:
    actor.require(Cap.CASE_READ)
    return open_text(case.instansi_id, case.summary_sealed, purpose=PURPOSE_CASE)


def deadlines_of_case(*, actor: Actor, case: Case) -> list[Deadline]:
    return list(Deadline.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk).order_by("due_at"))


@dataclass
class TimelineEntry:
    event: AuditEvent
    notes: list[tuple[str, str]]
    # what a step decided from a list (recommendation, outcome), as (field label, choice label)
    choices: list[tuple[str, str]] = field(default_factory=list)


def _step_choices(data: dict[str, Any]) -> list[tuple[str, str]]:
    from sigap.cases.workflow import FIELDS, FieldKind  # noqa: PLC0415

    out = []
    for name, value in data.items():
        f = FIELDS.get(name)
        if f is not None and f.kind == FieldKind.CHOICE:
            out.append((str(f.label), str(dict(f.choices).get(value, value))))
    return out


def case_timeline(*, actor: Actor, case: Case) -> list[TimelineEntry]:
    """The case's history from the audit trail, with the step's notes opened for readers."""
    report_ids = list(
        Report.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk).values_list("pk", flat=True)
    )
    events = (
        AuditEvent.objects.filter(chain=actor.instansi.pk)
        .filter(
            Q(object_type="cases.case", object_id=str(case.pk))
            | Q(object_type="cases.report", object_id__in=[str(pk) for pk in report_ids])
            # an officer's decision on a duplicate suggestion about one of its reports
            | Q(object_type="triage.duplicatesuggestion", data__report__in=report_ids)
            | Q(object_type="triage.duplicatesuggestion", data__other_report__in=report_ids)
        )
        .order_by("seq")
    )
    notes = {n.pk: n for n in CaseNote.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk)}
    readable = actor.can(Cap.CASE_READ)
    entries = []
    for event in events:
        opened = []
        for note_id in event.data.get("notes", []):
            note = notes.get(note_id)
            if note is not None and readable:
                opened.append(
                    (note.field, open_text(note.instansi_id, note.text_sealed, purpose=PURPOSE_NOTE))
                )
        choices = _step_choices(event.data) if readable else []
        entries.append(TimelineEntry(event=event, notes=opened, choices=choices))
    return entries
