"""The only way from an id to a case or report: scoped to the actor's agency, one 404 for
missing and forbidden."""

from __future__ import annotations

from sigap.cases.models import Case, Report
from sigap.core.errors import NotFound
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap


def access_case(
    actor: Actor, case_id: int | str, *, cap: Cap = Cap.CASE_READ, for_update: bool = False
) -> Case:
    if not actor.can(cap):
        raise NotFound("not found")
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    qs = Case.objects.filter(instansi_id=actor.instansi.pk, pk=pk)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    case = qs.select_related("instansi", "unit", "referred_to").first()
    if case is None:
        raise NotFound("not found")
    return case


def access_case_by_number(actor: Actor, number: str, *, cap: Cap = Cap.CASE_READ) -> Case:
    if not actor.can(cap):
        raise NotFound("not found")
    case = Case.objects.filter(instansi_id=actor.instansi.pk, number=number).first()
    if case is None:
        raise NotFound("not found")
    return case


def access_report(actor: Actor, report_id: int | str, *, cap: Cap = Cap.CASE_READ) -> Report:
    if not actor.can(cap):
        raise NotFound("not found")
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    report = Report.objects.filter(instansi_id=actor.instansi.pk, pk=pk).first()
    if report is None:
        raise NotFound("not found")
    return report
