"""Reads of triage results for officers, inside their agency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sigap.cases.models import Case, Report
from sigap.core import crypto
from sigap.reporters.mailbox import can_write_to_reporter, open_body
from sigap.reporters.models import Direction, Message, MessageKind
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.triage.actions import PURPOSE_EVIDENCE, PURPOSE_FEATURES
from sigap.triage.labels import category_label, sector_label
from sigap.triage.lib.taxonomy import CATEGORIES, SECTORS
from sigap.triage.models import DuplicateSuggestion, TriageResult


@dataclass
class SuggestionView:
    suggestion: DuplicateSuggestion
    same_agency: bool
    other_case_id: int | None
    other_case_number: str
    other_agency: str
    evidence: dict[str, Any] = field(default_factory=dict)
    hub_tells: bool = False  # the hub's officer confirming tells the other agency (see actions)


@dataclass
class TriageView:
    report: Report
    result: TriageResult | None
    features: dict[str, Any]
    suggestions: list[SuggestionView]
    has_mailbox: bool = False  # the reporter holds a receipt: questions can reach them here
    can_ask: bool = False  # and this officer may send them (one click per question)
    asked: frozenset[str] = frozenset()  # the questions already sent to this reporter


def triage_of_case(*, actor: Actor, case: Case) -> list[TriageView]:
    actor.require(Cap.CASE_READ)
    reports = list(
        Report.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk)
        .select_related("reporter")
        .order_by("received_at")
    )
    may_write = can_write_to_reporter(actor)
    results = {
        r.report_id: r for r in TriageResult.objects.filter(instansi_id=actor.instansi.pk, report__in=reports)
    }
    suggestions: dict[int, list[DuplicateSuggestion]] = {}
    for s in (
        DuplicateSuggestion.objects.filter(instansi_id=actor.instansi.pk, report__in=reports)
        .select_related("other_report__case", "other_instansi")
        .order_by("-score")
    ):
        suggestions.setdefault(s.report_id, []).append(s)
    asked: dict[int, set[str]] = {}
    for m in Message.objects.filter(
        instansi_id=actor.instansi.pk,
        report__in=reports,
        direction=Direction.OFFICER_TO_REPORTER,
        kind=MessageKind.QUESTION,
    ).select_related("report"):
        asked.setdefault(m.report_id, set()).add(open_body(m).strip())
    views = []
    for report in reports:
        result = results.get(report.pk)
        features = (
            crypto.open_json(actor.instansi.pk, bytes(result.features_sealed), purpose=PURPOSE_FEATURES)
            if result is not None and result.features_sealed
            else {}
        )
        rows = []
        seen_cases: set[int] = set()
        for s in suggestions.get(report.pk, []):  # best first: one row per other case
            other_case = s.other_report.case_id
            same = s.other_instansi_id == actor.instansi.pk
            if other_case in seen_cases or (same and other_case == report.case_id):
                continue  # another report of a case already shown, or one already merged with this one
            seen_cases.add(other_case)
            rows.append(
                SuggestionView(
                    suggestion=s,
                    same_agency=same,
                    other_case_id=s.other_report.case_id if same else None,
                    other_case_number=s.other_report.case.number,
                    other_agency=s.other_instansi.name,
                    evidence=crypto.open_json(
                        actor.instansi.pk, bytes(s.evidence_sealed), purpose=PURPOSE_EVIDENCE
                    )
                    if same and s.evidence_sealed
                    else {},
                    hub_tells=not same and actor.instansi.is_hub,
                )
            )
        has_mailbox = bool(report.reporter.receipt_hash)
        views.append(TriageView(report=report, result=result, features=features, suggestions=rows,
                                has_mailbox=has_mailbox, can_ask=has_mailbox and may_write,
                                asked=frozenset(asked.get(report.pk, ()))))
    return views


@dataclass(frozen=True)
class LaterReport:
    """A later report of the agency that triage found may be about the same matter as this case
    (the suggestion is decided on that report's case, where its evidence is shown)."""

    case_id: int
    case_number: str
    score: float
    decision: str
    decision_label: str


def later_reports_like(*, actor: Actor, case: Case) -> list[LaterReport]:
    """The other side of this agency's duplicate suggestions: reports that arrived later and were
    found to look like one of this case's reports, one row per case, best first."""
    actor.require(Cap.CASE_READ)
    rows: list[LaterReport] = []
    seen: set[int] = set()
    for s in (
        DuplicateSuggestion.objects.filter(
            instansi_id=actor.instansi.pk,
            other_instansi_id=actor.instansi.pk,
            other_report__case_id=case.pk,
        )
        .exclude(report__case_id=case.pk)
        .select_related("report__case")
        .order_by("-score", "pk")
    ):
        if s.report.case_id in seen:
            continue
        seen.add(s.report.case_id)
        rows.append(LaterReport(s.report.case_id, s.report.case.number, s.score, s.decision,
                                str(s.get_decision_display())))
    return rows


def largest_amount_found(views: list[TriageView]) -> int | None:
    """The largest amount triage read in the texts of a case's reports (None when none was read):
    what the case page shows when no reporter's answer gave the case its amount."""
    return max((v.result.max_amount for v in views if v.result and v.result.max_amount), default=None)


def category_choices() -> list[tuple[str, str]]:
    """(key, label in the page's language) of every category."""
    return [(key, category_label(key)) for key in CATEGORIES]


def sector_choices() -> list[tuple[str, str]]:
    return [(key, sector_label(key)) for key in SECTORS]
