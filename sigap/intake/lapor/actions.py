"""Importing an SP4N-LAPOR! export into an agency: each readable row becomes a report on the channel
"lapor" (its tracking ID kept, so that importing the same export again adds nothing), triaged like
any other. A row that SP4N-LAPOR! had already finished is imported as history: its case is archived
at intake with the LAPOR status as the reason, and its feedback counts as given there. A row that
cannot be stored is listed with its line and the reason; the others are imported."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases.actions.submit import submit_report
from sigap.cases.actions.transitions import do_transition
from sigap.cases.content import ReportContent
from sigap.cases.models import Channel, Deadline, DeadlineKind, Report
from sigap.core import clock
from sigap.core.errors import SigapError, ValidationFailed
from sigap.intake.incoming import IncomingReport
from sigap.intake.lapor.parse import Export, LaporRow, RowProblem
from sigap.reporters.models import Anonymity
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

MAX_TITLE = 300


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)  # tracking IDs
    archived: list[str] = field(default_factory=list)  # of those, finished in SP4N-LAPOR!
    already: list[str] = field(default_factory=list)  # imported before: left as they are
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False


class _DryRun(Exception):
    """Rolls a dry run back once every row was tried."""


def import_lapor(*, actor: Actor, export: Export, dry_run: bool = False) -> ImportResult:
    """Imports the export's rows into the actor's agency (`dry_run`: tries every row, keeps nothing)."""
    actor.require(Cap.CASE_VERIFY)
    result = ImportResult(problems=list(export.problems), dry_run=dry_run)
    try:
        with transaction.atomic():
            for row in export.rows:
                _import_row(actor, row, result)
            record(
                actor=actor,
                action="lapor.imported",
                data={
                    "imported": len(result.imported),
                    "archived": len(result.archived),
                    "already": len(result.already),
                    "refused": len(result.problems),
                },
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    result.problems.sort(key=lambda p: p.line)
    return result


def _import_row(actor: Actor, row: LaporRow, result: ImportResult) -> None:
    known = Report.objects.filter(
        instansi_id=actor.instansi.pk, channel=Channel.LAPOR, external_ref=row.tracking_id
    ).exists()
    if known:
        result.already.append(row.tracking_id)
        return
    try:
        with transaction.atomic():  # a savepoint: a row that fails leaves nothing behind
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
                _as_history(actor, report, row)
    except ValidationFailed as exc:
        detail = "; ".join(f"{name}: {problem}" for name, problem in exc.fields.items())
        result.problems.append(RowProblem(row.line, row.tracking_id, f"{exc.message} {detail}".strip()))
        return
    except SigapError as exc:
        result.problems.append(RowProblem(row.line, row.tracking_id, exc.message))
        return
    result.imported.append(row.tracking_id)
    if row.closed:
        result.archived.append(row.tracking_id)


def _incoming(actor: Actor, row: LaporRow) -> IncomingReport:
    zone = clock.zone(actor.instansi.timezone)  # the export's times are the agency's local times
    return IncomingReport(
        channel=Channel.LAPOR,
        content=ReportContent(title=row.title[:MAX_TITLE], what=row.text, where=row.where),
        received_at=row.received_at.replace(tzinfo=zone),
        language="id",
        # SP4N-LAPOR! keeps who reported; an "Anonim" report is anonymous, any other stays confidential
        anonymity=Anonymity.ANONYMOUS if row.anonymous else Anonymity.CONFIDENTIAL,
        external_ref=row.tracking_id,
    )


def _as_history(actor: Actor, report: Report, row: LaporRow) -> None:
    """A report SP4N-LAPOR! had finished: archived at intake, its feedback given there."""
    reason = _("Finished in SP4N-LAPOR! (status “%(status)s”); imported as history.") % {"status": row.status}
    do_transition(actor=actor, case_id=report.case_id, name="archive_at_intake", data={"reason": reason})
    Deadline.objects.filter(
        instansi_id=report.instansi_id,
        case_id=report.case_id,
        kind=DeadlineKind.FEEDBACK,
        met_at__isnull=True,
    ).update(met_at=clock.now())
