"""Words for the audit trail's action codes, in the page's language: a case's history reads
"Report triaged", not "report.triaged". The code stays what is stored and verified; an unknown code
is shown as it is."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Any] = {
    "report.submitted": _("Report received"),
    "report.acknowledged": _("Receipt acknowledged to the reporter"),
    "report.triaged": _("Report read by triage"),
    "report.imported_from_lapor": _("Report imported from SP4N-LAPOR!"),
    "report.taken_by_officer": _("Report recorded by an officer"),
    "lapor.imported": _("SP4N-LAPOR! export imported"),
    "reporter.receipt_issued": _("Receipt issued to the reporter"),
    "case.assigned": _("Case assigned"),
    "case.receipt_acknowledged": _("Receipt acknowledged to the reporter by an officer"),
    "case.category_confirmed": _("Category confirmed"),
    "case.duplicate_received": _("Duplicate report joined this case"),
    "case.retaliation_reported": _("Retaliation reported"),
    "case.demo_state": _("Demo data: case set to its state"),
    "triage.duplicate_confirmed": _("Duplicate confirmed"),
    "triage.duplicate_rejected": _("Duplicate rejected"),
    "triage.duplicate_noticed": _("Told of a likely duplicate at another agency"),
    "triage.model_trained": _("Category model retrained"),
    "triage.completeness_reassessed": _("Completeness read again with the reporter's answers"),
    "mailbox.opened": _("Reporter opened the mailbox"),
    "mailbox.notified": _("Reporter notified"),
    "mailbox.acknowledged": _("Reporter acknowledged a message"),
    "mailbox.reporter_asked": _("Reporter asked a question"),
    "mailbox.reporter_answered": _("Reporter answered"),
    "mailbox.transcript_confirmed": _("Reporter confirmed the transcript"),
    "mailbox.transcript_corrected": _("Reporter corrected the transcript"),
    "mailbox.evidence_added": _("Reporter added evidence"),
    "mailbox.passphrase_set": _("Reporter set a mailbox passphrase"),
    "mailbox.passphrase_removed": _("Reporter removed the mailbox passphrase"),
    "mailbox.officer_question": _("Question sent to the reporter"),
    "mailbox.officer_answer": _("Answer sent to the reporter"),
    "mailbox.officer_transcript": _("Transcript sent to the reporter to confirm"),
    "mailbox.officer_status": _("Status update sent to the reporter"),
    "referral.received": _("Referral received from another agency"),
    "referral.accepted": _("Opened from another agency's referral"),
    "referral.accepted_by_receiver": _("Referral accepted by the receiving agency"),
    "referral.declined": _("Referral declined"),
    "referral.declined_by_receiver": _("Referral declined by the receiving agency"),
    "referral.withdrawn": _("Referral withdrawn by the referring agency"),
    "case.referral_withdrawn": _("Referral withdrawn"),
    "evidence.stored": _("Evidence stored"),
    "evidence.viewed": _("Evidence viewed"),
    "evidence.opened": _("Evidence opened"),
    "identity.requested": _("Reporter identity requested"),
    "identity.approved": _("Reporter identity disclosure approved"),
    "identity.refused": _("Reporter identity disclosure refused"),
    "identity.viewed": _("Reporter identity viewed"),
    "identity.reporter_informed": _("Reporter informed of the disclosure"),
    "identity.reporter_inform_pending": _("Reporter to be informed of the disclosure"),
    "identity.reporter_not_informed": _("Reporter not informed of the disclosure"),
}


# Who acted, when it was SIGAP itself rather than a user: stored as these words in the signed chain,
# shown in the page's language. A user's name is shown as it is.
ACTORS: dict[str, Any] = {
    "system": _("SIGAP (automatic)"),
    "anonymous": _("anonymous visitor"),
    "demo-data": _("demo data"),
    "cli:keys": _("key administration (command line)"),
    "cli:evidence": _("evidence administration (command line)"),
}


def actor_label(label: str) -> str:
    known = ACTORS.get(label)
    return str(known) if known is not None else label


def action_label(code: str) -> str:
    """The words for an audit action; a workflow step ("case.<step>") by the step's own label."""
    from sigap.cases.workflow import TRANSITIONS

    known = ACTIONS.get(code)
    if known is not None:
        return str(known)
    if code.startswith("case.") and code.removeprefix("case.") in TRANSITIONS:
        return str(TRANSITIONS[code.removeprefix("case.")].label)
    return code
