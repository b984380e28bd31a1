"""An officer records a report that reached the agency by phone, at the desk, by letter, e-mail or
a chat or text message: the same report, reporter, receipt, sealed identity and evidence as a
portal submission (``submit_portal_report``), stored under the officer's name.

The reporter gets a receipt like any other (read out on the phone, printed at the desk, written in
the answer to a letter), so that they follow their report in the mailbox; for a report told by
voice the officer's text can go there as a transcript for the reporter to confirm or correct.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases.content import ReportContent
from sigap.cases.models import Report
from sigap.core.errors import PermissionDenied, ValidationFailed
from sigap.intake.incoming import IncomingReport
from sigap.intake.operator.forms import ORAL_CHANNELS, TAKEN_CHANNELS
from sigap.intake.portal.actions import Submitted, submit_portal_report
from sigap.reporters.mailbox import MAX_BODY, officer_write
from sigap.reporters.models import MessageKind
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap


def may_record_reports(actor: Actor) -> bool:
    """Officers who verify incoming reports also take them in: an officer, never the system."""
    return not actor.system and actor.user is not None and actor.can(Cap.CASE_VERIFY)


def transcript_of(content: ReportContent) -> str:
    """The report as the officer wrote it down, one labelled answer after another, for the reporter
    to read in the mailbox (labelled in the language active when called)."""
    people = "; ".join(", ".join(x for x in (p.name, p.position, p.institution) if x) for p in content.who)
    parts = [
        (_("Summary"), content.title),
        (_("What happened"), content.what),
        (_("Who is involved"), people),
        (_("Where"), content.where),
        (_("When"), content.when),
        (_("How"), content.how),
        (_("How much"), content.how_much),
        (_("Evidence"), "; ".join(content.evidence)),
    ]
    text = "\n\n".join(f"{label}:\n{value.strip()}" for label, value in parts if value and value.strip())
    return text[:MAX_BODY]


def _transcript_in(incoming: IncomingReport) -> str:
    with translation.override(incoming.language or "id"):
        return transcript_of(incoming.content)


def record_taken_report(
    *,
    actor: Actor,
    incoming: IncomingReport,
    form_token: str,
    identity: dict[str, str] | None = None,
    files: Sequence[UploadedFile] = (),
    keep_metadata: bool = False,
    send_transcript: bool = False,
) -> Submitted:
    """Stores the report with a fresh receipt (shown once, like the portal's) and, for a report told
    by voice when asked, its transcript in the reporter's mailbox; all or nothing. Raises
    PermissionDenied for an actor who does not take in reports, ValidationFailed for a channel
    that is not typed in by officers, and what ``submit_portal_report`` raises."""
    if not may_record_reports(actor):
        raise PermissionDenied(_("Your role in this agency does not allow recording reports."))
    if incoming.channel not in TAKEN_CHANNELS:
        raise ValidationFailed(_("Choose how the report arrived."), {"channel": _("Invalid choice.")})
    transcript = send_transcript and incoming.channel in ORAL_CHANNELS

    def taken(report: Report) -> None:  # inside the submission's transaction
        if transcript:
            officer_write(
                actor=actor,
                case_id=report.case_id,
                report_id=report.pk,
                body=_transcript_in(incoming),
                kind=MessageKind.TRANSCRIPT,
            )
        record(
            actor=actor,
            action="report.taken_by_officer",
            obj=report,
            data={
                "case": report.case_id,
                "channel": incoming.channel,
                "received_at": report.received_at.isoformat(),
                "transcript": transcript,
            },
        )

    return submit_portal_report(
        actor=actor,
        incoming=incoming,
        form_token=form_token,
        identity=identity,
        files=files,
        keep_metadata=keep_metadata,
        after_store=taken,
    )
