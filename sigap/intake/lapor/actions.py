"""Importing an SP4N-LAPOR! export into an agency: each readable row becomes a report on the channel
"lapor" (its tracking ID kept, so that importing the same export again adds nothing), triaged like
any other. A row that SP4N-LAPOR! had already finished is imported as history: its case is archived
through the workflow step `archive_lapor_history`, which meets its feedback deadline (the answer was
given there). A row imported before that SP4N-LAPOR! has since finished is archived the same way, if
nobody has started on its case here.

Each row is stored in its own short transaction, so that an import never holds the agency's counters
and audit trail for long, and a row that fails for any reason is listed with its line and the reason
while the others are imported. Imports into one agency run one row at a time (the agency's row is
locked for each), so two imports of one export at once never store a row twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases.actions.submit import submit_report
from sigap.cases.actions.transitions import do_transition
from sigap.cases.content import ReportContent
from sigap.cases.models import Case, Channel, Report
from sigap.core import clock
from sigap.core.errors import InvalidTransition, SigapError, ValidationFailed
from sigap.intake.incoming import IncomingReport
from sigap.intake.lapor.parse import Export, LaporRow, RowProblem
from sigap.reporters.models import Anonymity
from sigap.tenants.access import Actor
from sigap.tenants.models import Instansi
from sigap.tenants.permissions import Cap

log = logging.getLogger(__name__)
MAX_TITLE = 300


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)  # tracking IDs
    archived: list[str] = field(default_factory=list)  # of those, finished in SP4N-LAPOR!
    updated: list[str] = field(default_factory=list)  # imported before, finished there since: archived now
    already: list[str] = field(default_factory=list)  # imported before: left as they are
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False


class _DryRun(Exception):
    """Rolls one row of a dry run back once it was tried."""


def import_lapor(*, actor: Actor, export: Export, dry_run: bool = False) -> ImportResult:
    """Imports the export's rows into the actor's agency (`dry_run`: tries every row, keeps nothing)."""
    actor.require(Cap.CASE_VERIFY)
    result = ImportResult(problems=list(export.problems), dry_run=dry_run)
    for row in export.rows:
        _import_row(actor, row, result, dry_run=dry_run)
    result.problems.sort(key=lambda p: p.line)
    if not dry_run:
        with transaction.atomic():
            record(
                actor=actor,
                action="lapor.imported",
                data={
                    "imported": len(result.imported),
                    "archived": len(result.archived),
                    "updated": len(result.updated),
                    "already": len(result.already),
                    "refused": len(result.problems),
                },
            )
    return result


def _import_row(actor: Actor, row: LaporRow, result: ImportResult, *, dry_run: bool) -> None:
    outcome = ""
    try:
        with transaction.atomic():
            # one row at a time per agency: a second import of the same export waits, then finds it
            # (FOR NO KEY UPDATE: rows that merely point at the agency are written meanwhile)
            Instansi.objects.select_for_update(no_key=True).filter(pk=actor.instansi.pk).values_list(
                "pk"
            ).get()
            outcome = _store_row(actor, row)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ValidationFailed as exc:
        detail = "; ".join(f"{name}: {problem}" for name, problem in exc.fields.items())
        result.problems.append(RowProblem(row.line, row.tracking_id, f"{exc.message} {detail}".strip()))
        return
    except SigapError as exc:
        result.problems.append(RowProblem(row.line, row.tracking_id, exc.message))
        return
    except (DatabaseError, ValueError, OverflowError) as exc:
        log.warning("SP4N-LAPOR! line %s not imported: %s", row.line, type(exc).__name__)
        result.problems.append(
            RowProblem(
                row.line, row.tracking_id, _("Could not be stored (%(kind)s).") % {"kind": type(exc).__name__}
            )
        )
        return
    if outcome == "imported":
        result.imported.append(row.tracking_id)
        if row.closed:
            result.archived.append(row.tracking_id)
    else:
        getattr(result, outcome).append(row.tracking_id)


def _store_row(actor: Actor, row: LaporRow) -> str:
    known = (
        Report.objects.filter(
            instansi_id=actor.instansi.pk, channel=Channel.LAPOR, external_ref=row.tracking_id
        )
        .select_related("case")
        .first()
    )
    if known is not None:
        if row.closed:
            try:  # finished there since the last import: archived now, if the workflow allows it
                _as_history(actor, known.case, row)  # (nobody has started on it, no other channel's report)
            except InvalidTransition:
                return "already"
            return "updated"
        return "already"
    report = submit_report(actor=actor, incoming=_incoming(actor, row))
    record(
        actor=actor,
        action="report.imported_from_lapor",
        obj=report,
        data={
            "tracking_id": row.tracking_id,
            "status": row.status,
            "source": row.source,
            "category": row.category,
            "classification": row.classification,
            "disposed_to": row.disposed_to,
        },
    )
    if row.closed:
        _as_history(actor, report.case, row)
    return "imported"


def _incoming(actor: Actor, row: LaporRow) -> IncomingReport:
    zone = clock.zone(actor.instansi.timezone)  # the export's times are the agency's local times
    title, rest = row.title[:MAX_TITLE], row.title[MAX_TITLE:]
    return IncomingReport(
        channel=Channel.LAPOR,
        content=ReportContent(
            title=title, what="\n\n".join(x for x in (rest and "…" + rest, row.text) if x), where=row.where
        ),
        received_at=row.received_at.replace(tzinfo=zone),
        language="id",
        # SP4N-LAPOR! keeps who reported; an anonymous report stays anonymous, any other is confidential
        anonymity=Anonymity.ANONYMOUS if row.anonymous else Anonymity.CONFIDENTIAL,
        external_ref=row.tracking_id,
    )


def _as_history(actor: Actor, case: Case, row: LaporRow) -> None:
    reason = _("Finished in SP4N-LAPOR! (status “%(status)s”); imported as history.") % {"status": row.status}
    if row.status_reason:
        reason += " " + row.status_reason
    do_transition(actor=actor, case_id=case.pk, name="archive_lapor_history", data={"reason": reason})
