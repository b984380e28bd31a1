"""Reads of the mailbox: for the reporter (always through their own Reporter row) and for officers
(always inside the actor's agency, with the reporter shown by pseudonym)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sigap.cases.models import Case, Deadline, DeadlineKind, Report
from sigap.cases.workflow import State
from sigap.coordination.models import CAME_BACK, last_referral_status
from sigap.core.errors import NotFound
from sigap.reporters.mailbox import can_write_to_reporter, open_body
from sigap.reporters.models import Direction, Message, MessageKind, Reporter
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

# What each internal state means for the reporter, in plain words.
REPORTER_STATUS: dict[str, object] = {
    State.RECEIVED: _("Your report has been received and is waiting to be checked."),
    State.VERIFICATION: _("Your report is being verified."),
    State.NEEDS_COMPLETION: _("We need more information from you: please answer the questions below."),
    State.MERGED: _("Your report concerns a matter we already handle; it is handled together with it."),
    State.ANALYSIS: _("Your report is being studied in depth."),
    State.CLARIFICATION: _("We are asking for clarification about your report."),
    State.RECOMMENDATION: _("A decision on how to follow up your report is being prepared."),
    State.REFERRED: _("Your report has been handed to the competent unit or agency to follow up."),
    State.INFORMATION_GATHERING: _("Information about your report is being collected."),
    State.SYSTEM_IMPROVEMENT: _("Your report is being used to repair the system where the problem arose."),
    State.FOLLOW_UP: _("Your report is being followed up."),
    State.DONE: _("Handling of your report is finished; see the feedback below."),
    State.ARCHIVED: _(
        "Your report has been archived. If you have new information, send it here: it may reopen the case."
    ),
    State.CLOSED: _("Your report is closed."),
}

# The deadlines owed to the reporter, in the reporter's words.
REPORTER_DEADLINE: dict[str, object] = {
    DeadlineKind.ACKNOWLEDGE: _("Confirmation that your report was received (within 7 days)"),
    DeadlineKind.FEEDBACK: _("Feedback on what was done with your report (within 3 months)"),
    DeadlineKind.ANSWER: _("Answer to your question (within 30 working days)"),
}


# A case in "referred" whose referral to another agency came back (declined, or withdrawn) and is
# with nobody yet: the reporter is not told it is with the competent body.
REFERRAL_CAME_BACK = _(
    "The agency we handed your report to is not the competent one: we are deciding where it goes next."
)


def status_sentence(state: str, *, referral_came_back: bool = False) -> str:
    if state == State.REFERRED and referral_came_back:
        return str(REFERRAL_CAME_BACK)
    return str(REPORTER_STATUS.get(state, REPORTER_STATUS[State.VERIFICATION]))


@dataclass
class MailboxMessage:
    message: Message
    body: str
    mine: bool  # written by the reporter

    @property
    def waiting_for_me(self) -> bool:
        m = self.message
        return (
            m.answered_at is None
            and m.direction == Direction.OFFICER_TO_REPORTER
            and m.kind in (MessageKind.QUESTION, MessageKind.TRANSCRIPT)
        )


@dataclass
class ReporterDeadline:
    label: str
    due_at: dt.datetime
    met_at: dt.datetime | None


@dataclass
class Mailbox:
    reporter: Reporter
    report: Report
    case: Case
    status: str
    deadlines: list[ReporterDeadline]
    messages: list[MailboxMessage]
    open_questions: list[MailboxMessage]
    open_transcripts: list[MailboxMessage]
    timezone: str


def mailbox_of(*, reporter: Reporter) -> Mailbox:
    """Everything the reporter may see: their own report, its case state, the deadlines owed to
    them and their messages. Nothing of other reporters of a merged case."""
    report = (
        Report.objects.filter(instansi_id=reporter.instansi_id, reporter=reporter).order_by("-pk").first()
    )
    if report is None:
        raise NotFound("not found")
    case = Case.objects.get(instansi_id=reporter.instansi_id, pk=report.case_id)
    shown_case = case
    if case.status == State.MERGED and case.merged_into_id:
        shown_case = Case.objects.get(instansi_id=reporter.instansi_id, pk=case.merged_into_id)
    own_answer_deadlines = set(
        Message.objects.filter(
            instansi_id=reporter.instansi_id, reporter=reporter, deadline__isnull=False
        ).values_list("deadline_id", flat=True)
    )
    deadlines = [
        ReporterDeadline(label=str(REPORTER_DEADLINE[d.kind]), due_at=d.due_at, met_at=d.met_at)
        for d in Deadline.objects.filter(
            instansi_id=reporter.instansi_id, case_id__in={case.pk, shown_case.pk}
        ).order_by("due_at")
        if d.kind in (DeadlineKind.ACKNOWLEDGE, DeadlineKind.FEEDBACK)
        or (d.kind == DeadlineKind.ANSWER and d.pk in own_answer_deadlines)
    ]
    rows = [
        MailboxMessage(message=m, body=open_body(m), mine=m.direction == Direction.REPORTER_TO_OFFICER)
        for m in Message.objects.filter(instansi_id=reporter.instansi_id, reporter=reporter)
        .select_related("report")
        .order_by("created_at", "pk")
    ]
    return Mailbox(
        reporter=reporter,
        report=report,
        case=shown_case,
        status=status_sentence(
            shown_case.status,
            referral_came_back=shown_case.status == State.REFERRED
            and last_referral_status(shown_case) in CAME_BACK,
        ),
        deadlines=deadlines,
        messages=rows,
        open_questions=[r for r in rows if r.waiting_for_me and r.message.kind == MessageKind.QUESTION],
        open_transcripts=[r for r in rows if r.waiting_for_me and r.message.kind == MessageKind.TRANSCRIPT],
        timezone=reporter.instansi.timezone,
    )


def reporter_in_session(*, reporter_id: int, instansi_id: int) -> Reporter:
    reporter = (
        Reporter.objects.filter(pk=reporter_id, instansi_id=instansi_id).select_related("instansi").first()
    )
    if reporter is None or not reporter.receipt_hash:
        raise NotFound("not found")
    return reporter


# -- officers ----------------------------------------------------------------------------------------


@dataclass
class OfficerMessage:
    message: Message
    body: str
    pseudonym: str


@dataclass
class CaseMailbox:
    readable: bool
    can_write: bool
    messages: list[OfficerMessage]
    reports: list[Report]  # reports whose reporter has a mailbox
    open_questions: list[OfficerMessage]  # reporters' questions not answered yet


def has_reachable_reporter(*, actor: Actor, case: Case) -> bool:
    """Whether any reporter of the case has a mailbox here (a receipt): reporters of a case opened
    from a referral or an SP4N-LAPOR! import are reached elsewhere."""
    if case.instansi_id != actor.instansi.pk:
        raise NotFound("not found")
    return (
        Report.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk)
        .exclude(reporter__receipt_hash="")
        .exists()
    )


def case_mailbox(*, actor: Actor, case: Case) -> CaseMailbox:
    if case.instansi_id != actor.instansi.pk or not actor.can(Cap.CASE_LIST):
        raise NotFound("not found")
    if not actor.can(Cap.CASE_READ):
        return CaseMailbox(readable=False, can_write=False, messages=[], reports=[], open_questions=[])
    messages = [
        OfficerMessage(message=m, body=open_body(m), pseudonym=m.reporter.pseudonym)
        for m in Message.objects.filter(instansi_id=actor.instansi.pk, report__case_id=case.pk)
        .select_related("reporter", "report")
        .order_by("created_at", "pk")
    ]
    reports = list(
        Report.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk)
        .exclude(reporter__receipt_hash="")
        .select_related("reporter")
        .order_by("received_at")
    )
    return CaseMailbox(
        readable=True,
        can_write=can_write_to_reporter(actor),
        messages=messages,
        reports=reports,
        open_questions=[
            m
            for m in messages
            if m.message.direction == Direction.REPORTER_TO_OFFICER
            and m.message.kind == MessageKind.QUESTION
            and m.message.answered_at is None
        ],
    )
