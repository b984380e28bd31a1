"""Writes of the reporter mailbox: acknowledgement, questions and answers both ways, transcripts,
evidence added later, retaliation. Atomic, `actor` keyword-only, audited.

The reporter acts as the agency's system actor (the audit trail says "system" with the reporter's
pseudonym in the data, never a receipt); officers act as themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases import sla
from sigap.cases.access import access_case
from sigap.cases.actions.transitions import lock_case_of
from sigap.cases.models import Case, Deadline, DeadlineKind, Priority, Report
from sigap.core import clock, crypto
from sigap.core.errors import NotFound, PermissionDenied, ValidationFailed
from sigap.reporters import texts
from sigap.reporters.models import Direction, Message, MessageKind, Reporter
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

if TYPE_CHECKING:
    from sigap.evidence.storage import PreparedEvidence

log = logging.getLogger(__name__)
PURPOSE_MESSAGE = "mailbox.message"
MAX_BODY = 20_000


def seal_body(instansi_id: int, text: str) -> bytes:
    return crypto.seal(instansi_id, text.encode(), purpose=PURPOSE_MESSAGE)


def open_body(message: Message) -> str:
    """The message as its reader sees it: one SIGAP wrote in the reader's language, any other as
    written. The code and values stored beside a message are plain columns, so they are trusted only
    while they still give the sealed text (in the report's language): a value changed in the
    database, or a wording changed since, shows the sealed text."""
    sealed = crypto.open_sealed(
        message.instansi_id, bytes(message.body_sealed), purpose=PURPOSE_MESSAGE
    ).decode()
    if message.text_code:
        written = texts.render_in(message.report.language, message.text_code, message.text_params)
        shown = texts.render(message.text_code, message.text_params)
        if written == sealed and shown is not None:
            return shown
    return sealed


def _clean(text: str, field: str = "body") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write a message first."), {field: _("This field is required.")})
    if len(text) > MAX_BODY:
        raise ValidationFailed(_("The message is too long."), {field: _("At most 20,000 characters.")})
    return text


def _new(
    *,
    report: Report,
    reporter: Reporter,
    direction: str,
    kind: str,
    body: str = "",
    text_code: str = "",
    text_params: dict[str, object] | None = None,
    **extra: object,
) -> Message:
    """A message; one SIGAP writes itself comes as `text_code` and `text_params` (`texts`), and its
    sealed body is that text in the report's language."""
    if text_code:
        body = texts.render_in(report.language, text_code, text_params)
        extra.update(text_code=text_code, text_params=dict(text_params or {}))
    return Message.objects.create(
        instansi_id=report.instansi_id,
        case_id=report.case_id,
        report=report,
        reporter=reporter,
        direction=direction,
        kind=kind,
        body_sealed=seal_body(report.instansi_id, body),
        **extra,
    )


def _reporter_actor_check(actor: Actor, reporter: Reporter) -> None:
    if not actor.system or actor.instansi.pk != reporter.instansi_id:
        raise NotFound("not found")


def _report_of(reporter: Reporter) -> Report:
    report = (
        Report.objects.filter(instansi_id=reporter.instansi_id, reporter=reporter).order_by("-pk").first()
    )
    if report is None:
        raise NotFound("not found")
    return report


@transaction.atomic(savepoint=False)  # part of a submission: no savepoint needed
def post_acknowledgement(*, actor: Actor, report: Report) -> Message:
    """The automatic "we received your report" message, in the report's language."""
    message = _new(
        report=report,
        reporter=report.reporter,
        direction=Direction.SYSTEM,
        kind=MessageKind.ACK,
        text_code=texts.ACKNOWLEDGED,
        text_params={"number": report.tracking_number},
    )
    record(actor=actor, action="mailbox.acknowledged", obj=message, data={"report": report.pk})
    return message


# -- the reporter ------------------------------------------------------------------------------------


def answers_of(report: Report) -> list[str]:
    """What the reporter of `report` has answered to the officers' questions, oldest first."""
    answers = (
        Message.objects.filter(
            instansi_id=report.instansi_id,
            report=report,
            direction=Direction.REPORTER_TO_OFFICER,
            kind=MessageKind.ANSWER,
        )
        .select_related("report")
        .order_by("created_at", "pk")
    )
    return [open_body(m) for m in answers]


def _reassess(report: Report) -> None:
    """Triage reads the report again with everything its reporter has answered: the case page's
    completeness, missing elements and follow-up questions then follow the answers."""
    from sigap.triage.actions import reassess_completeness  # noqa: PLC0415

    try:
        with transaction.atomic():  # its own savepoint: a failure here never loses the answer
            reassess_completeness(report_id=report.pk)
    except Exception:  # noqa: BLE001 - the answer stands; the score stays as it was
        log.exception("could not read report %s again with its reporter's answers", report.pk)


@transaction.atomic
def reporter_write(*, actor: Actor, reporter: Reporter, body: str, reply_to_id: int | None = None) -> Message:
    """The reporter answers an officer's question (`reply_to_id`) or asks the agency something,
    which starts the agency's 30-working-day answer deadline."""
    _reporter_actor_check(actor, reporter)
    text = _clean(body)
    report = _report_of(reporter)
    if reply_to_id is not None:
        question = (
            Message.objects.select_for_update()
            .filter(
                instansi_id=reporter.instansi_id,
                reporter=reporter,
                pk=reply_to_id,
                direction=Direction.OFFICER_TO_REPORTER,
                kind=MessageKind.QUESTION,
            )
            .first()
        )
        if question is None:
            raise NotFound("not found")
        message = _new(
            report=question.report,
            reporter=reporter,
            direction=Direction.REPORTER_TO_OFFICER,
            kind=MessageKind.ANSWER,
            body=text,
            reply_to=question,
        )
        if question.answered_at is None:
            question.answered_at = message.created_at
            question.save(update_fields=["answered_at"])
        record(
            actor=actor,
            action="mailbox.reporter_answered",
            obj=message,
            data={"question": question.pk, "reporter": reporter.pseudonym},
        )
        _reassess(question.report)
        return message
    now = clock.now()
    case = lock_case_of(report)  # a merge at this moment: the question's deadline goes where the report goes
    deadline = Deadline.objects.create(
        instansi_id=report.instansi_id,
        case=case,
        kind=DeadlineKind.ANSWER,
        started_at=now,
        due_at=sla.due_at("answer", now, tz=actor.instansi.timezone),
    )
    message = _new(
        report=report,
        reporter=reporter,
        direction=Direction.REPORTER_TO_OFFICER,
        kind=MessageKind.QUESTION,
        body=text,
        deadline=deadline,
    )
    record(
        actor=actor,
        action="mailbox.reporter_asked",
        obj=message,
        data={"deadline": deadline.pk, "reporter": reporter.pseudonym},
    )
    return message


@transaction.atomic
def reporter_review_transcript(
    *, actor: Actor, reporter: Reporter, transcript_id: int, confirm: bool, correction: str = ""
) -> Message:
    """The reporter confirms the officer's transcript of an oral report, or corrects it."""
    _reporter_actor_check(actor, reporter)
    transcript = (
        Message.objects.select_for_update()
        .filter(
            instansi_id=reporter.instansi_id, reporter=reporter, pk=transcript_id, kind=MessageKind.TRANSCRIPT
        )
        .first()
    )
    if transcript is None:
        raise NotFound("not found")
    message = _new(
        report=transcript.report,
        reporter=reporter,
        direction=Direction.REPORTER_TO_OFFICER,
        kind=MessageKind.TRANSCRIPT_CONFIRMATION,
        body="" if confirm else _clean(correction, "correction"),
        text_code=texts.TRANSCRIPT_CONFIRMED if confirm else "",
        reply_to=transcript,
    )
    transcript.answered_at = message.created_at
    transcript.save(update_fields=["answered_at"])
    record(
        actor=actor,
        action="mailbox.transcript_confirmed" if confirm else "mailbox.transcript_corrected",
        obj=message,
        data={"transcript": transcript.pk, "reporter": reporter.pseudonym},
    )
    return message


def reporter_add_evidence(
    *,
    actor: Actor,
    reporter: Reporter,
    files: Sequence[UploadedFile],
    keep_metadata: bool = False,
    note: str = "",
) -> Message:
    """Evidence sent after the report; all files or none. Raises EvidenceRefused. The files are
    checked, cleaned and encrypted before the transaction that records them."""
    from sigap.evidence.storage import prepared_evidence

    _reporter_actor_check(actor, reporter)
    if not files:
        raise ValidationFailed(_("Choose at least one file."), {"evidence": _("Choose at least one file.")})
    report = _report_of(reporter)
    uploads = prepared_evidence(
        instansi_id=report.instansi_id, uploads=files, keep_metadata=keep_metadata, report=report
    )
    with uploads as ready:
        return _record_added_evidence(actor=actor, reporter=reporter, report=report, ready=ready, note=note)


@transaction.atomic
def _record_added_evidence(
    *, actor: Actor, reporter: Reporter, report: Report, ready: Sequence[PreparedEvidence], note: str
) -> Message:
    from sigap.evidence.storage import record_evidence

    for prepared in ready:
        record_evidence(actor=actor, report=report, prepared=prepared)
    note = note.strip()[:MAX_BODY]
    message = _new(
        report=report,
        reporter=reporter,
        direction=Direction.REPORTER_TO_OFFICER,
        kind=MessageKind.EVIDENCE,
        body=note,
        text_code="" if note else texts.EVIDENCE_ADDED,
        text_params=None if note else {"n": len(ready)},
    )
    record(
        actor=actor,
        action="mailbox.evidence_added",
        obj=message,
        data={"files": len(ready), "reporter": reporter.pseudonym},
    )
    return message


MIN_PASSPHRASE = 8


@transaction.atomic
def reporter_set_passphrase(
    *, actor: Actor, reporter: Reporter, receipt: str, current: str, new: str, new_again: str
) -> Reporter:
    """The reporter sets, changes or (with an empty new one) removes the passphrase that opens the
    mailbox together with the receipt. The receipt and the current passphrase are asked again, so
    that a session left open does not let someone else lock the reporter out; every other mailbox
    session ends (an officer who handed over the receipt keeps no way in)."""
    from sigap.reporters import receipts

    _reporter_actor_check(actor, reporter)
    if new and len(new.strip()) < MIN_PASSPHRASE:  # spaces alone would quietly remove it
        raise ValidationFailed(
            _("Use at least 8 characters, or leave it empty."), {"new": _("At least 8 characters.")}
        )
    if (new or "").strip() != (new_again or "").strip():
        differ = _("The two passphrases differ.")
        raise ValidationFailed(differ, {"new_again": differ})
    locked = Reporter.objects.select_for_update().get(pk=reporter.pk, instansi_id=reporter.instansi_id)
    if not receipts.opens(locked, receipt, current):
        raise ValidationFailed(
            _("The receipt and current passphrase do not match this mailbox."),
            {"receipt": _("Check the digits."), "current": _("Type the passphrase you use now, if any.")},
        )
    new = (new or "").strip()
    locked.receipt_hash = receipts.hash_receipt(receipts.normalize(receipt), new)
    locked.save(update_fields=["receipt_hash"])
    record(
        actor=actor,
        action="mailbox.passphrase_set" if new else "mailbox.passphrase_removed",
        obj=locked,
        data={"reporter": locked.pseudonym},
    )
    return locked


@transaction.atomic
def reporter_report_retaliation(*, actor: Actor, reporter: Reporter, body: str) -> Message:
    """The reporter says they face retaliation: the case is flagged and becomes urgent."""
    _reporter_actor_check(actor, reporter)
    text = _clean(body)
    report = _report_of(reporter)
    case = Case.objects.select_for_update().get(pk=report.case_id, instansi_id=reporter.instansi_id)
    before = case.priority
    case.retaliation_reported = True
    case.priority = max(case.priority, Priority.URGENT)
    case.save(update_fields=["retaliation_reported", "priority", "updated_at"])
    message = _new(
        report=report,
        reporter=reporter,
        direction=Direction.REPORTER_TO_OFFICER,
        kind=MessageKind.RETALIATION,
        body=text,
    )
    record(
        actor=actor,
        action="case.retaliation_reported",
        obj=case,
        data={
            "message": message.pk,
            "priority_from": before,
            "priority_to": case.priority,
            "reporter": reporter.pseudonym,
        },
    )
    return message


# -- officers ----------------------------------------------------------------------------------------

OFFICER_KINDS = (MessageKind.QUESTION, MessageKind.ANSWER, MessageKind.TRANSCRIPT, MessageKind.STATUS)


def can_write_to_reporter(actor: Actor) -> bool:
    return actor.can(Cap.CASE_READ) and (
        actor.can(Cap.CASE_VERIFY) or actor.can(Cap.CASE_ANALYSE) or actor.can(Cap.CASE_FOLLOW_UP)
    )


RESEND_WINDOW = dt.timedelta(minutes=10)


def _same_message_just_sent(report: Report, kind: str, text: str) -> Message | None:
    """The last message of this report's mailbox, if it is the officers' `text` of `kind`, written
    within RESEND_WINDOW (asked again after the reporter wrote back, it is a new message)."""
    last = (
        Message.objects.filter(
            instansi_id=report.instansi_id, report_id=report.pk, created_at__gte=clock.now() - RESEND_WINDOW,
        )
        .select_related("report")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None or last.direction != Direction.OFFICER_TO_REPORTER or last.kind != kind or last.text_code:
        return None
    return last if open_body(last) == text else None


@transaction.atomic
def officer_write(
    *,
    actor: Actor,
    case_id: int,
    report_id: int,
    body: str,
    kind: str = MessageKind.QUESTION,
    reply_to_id: int | None = None,
) -> Message:
    """An officer writes to the reporter of one report of the case: a question, a transcript of an
    oral report to confirm, a status note, or the answer to the reporter's question (which meets
    the agency's answer deadline)."""
    case = access_case(actor, case_id, cap=Cap.CASE_READ)
    if not can_write_to_reporter(actor):
        raise PermissionDenied(_("Your role in this agency does not allow writing to reporters."))
    report = (
        Report.objects.filter(instansi_id=actor.instansi.pk, case_id=case.pk, pk=report_id)
        .select_related("reporter")
        .first()
    )
    if report is None:
        raise NotFound("not found")
    if kind not in OFFICER_KINDS:
        raise ValidationFailed(_("Choose one of the offered values."), {"kind": _("Invalid choice.")})
    if report.reporter is None or not report.reporter.receipt_hash:
        raise ValidationFailed(
            _("This reporter has no mailbox here: ask on the channel they used."),
            {"report": _("No mailbox.")},
        )
    text = _clean(body)
    if reply_to_id is None:
        again = _same_message_just_sent(report, kind, text)
        if again is not None:  # a second click, a resent form: one message
            return again
    question = None
    if reply_to_id is not None:
        question = (
            Message.objects.select_for_update()
            .filter(
                instansi_id=actor.instansi.pk,
                report_id=report.pk,
                pk=reply_to_id,
                direction=Direction.REPORTER_TO_OFFICER,
                kind=MessageKind.QUESTION,
            )
            .first()
        )
        if question is None:
            raise ValidationFailed(_("Choose an existing item."), {"reply_to": _("Not found.")})
        kind = MessageKind.ANSWER
    elif kind == MessageKind.ANSWER:
        raise ValidationFailed(
            _("Choose the reporter's question you answer."), {"reply_to": _("This field is required.")}
        )
    message = _new(
        report=report,
        reporter=report.reporter,
        direction=Direction.OFFICER_TO_REPORTER,
        kind=kind,
        body=text,
        author=actor.user,
        reply_to=question,
    )
    data: dict[str, object] = {"kind": kind, "report": report.pk}
    if question is not None:
        question.answered_at = message.created_at
        question.save(update_fields=["answered_at"])
        if question.deadline_id:
            Deadline.objects.filter(
                instansi_id=actor.instansi.pk, pk=question.deadline_id, met_at__isnull=True
            ).update(met_at=message.created_at)
        data["answers"] = question.pk
    record(actor=actor, action=f"mailbox.officer_{kind}", obj=message, data=data)
    return message


# A workflow step's words meant for the reporters, and the kind of message they become.
STEP_FIELDS_FOR_REPORTERS = {"questions": MessageKind.QUESTION, "feedback": MessageKind.STATUS}


def tell_reporters_of_step(
    *, actor: Actor, case: Case, step: str, field: str, body: str, report_ids: list[int] | None = None
) -> int:
    """A step's questions or feedback (`STEP_FIELDS_FOR_REPORTERS`), written into the mailbox of
    every reporter of the case who has one, in the step's transaction; the step's capability was
    checked by the workflow. Returns how many reporters were written to (the others are reached on
    the channel they used)."""
    kind = STEP_FIELDS_FOR_REPORTERS[field]
    text = _clean(body, field)
    sent = 0
    reports = (
        Report.objects.filter(instansi_id=case.instansi_id, case_id=case.pk)
        .exclude(reporter__receipt_hash="")
        .select_related("reporter")
        .order_by("pk")
    )
    if report_ids is not None:  # only these reports (those a merge has just brought in)
        reports = reports.filter(pk__in=report_ids)
    for report in reports:
        message = _new(
            report=report,
            reporter=report.reporter,
            direction=Direction.OFFICER_TO_REPORTER,
            kind=kind,
            body=text,
            author=actor.user,
        )
        record(
            actor=actor,
            action=f"mailbox.officer_{kind}",
            obj=message,
            data={"kind": kind, "report": report.pk, "step": step},
        )
        sent += 1
    return sent


def notify_reporter(
    *,
    case: Case,
    kind: str,
    text: str = "",
    report: Report | None = None,
    params: dict[str, object] | None = None,
) -> list[Message]:
    """A system message to the reporter of `report` (or to every reporter of the case with a
    mailbox), e.g. when the vault tells a reporter that their identity was disclosed. `kind` is the
    caller's word for the event; it is kept in the audit trail. Without `text`, `kind` is the code of
    one of SIGAP's own messages (`texts`), shown in each reader's language, with `params` filled in."""
    if not text and texts.render(kind) is None:
        raise ValueError(f"no text and no message of SIGAP's own for {kind!r}")
    from sigap.tenants.access import system_actor

    actor = system_actor(case.instansi)
    reports = (
        [report]
        if report is not None
        else list(
            Report.objects.filter(instansi_id=case.instansi_id, case_id=case.pk).select_related("reporter")
        )
    )
    sent = []
    with transaction.atomic():
        for r in reports:
            if r.instansi_id != case.instansi_id or not r.reporter.receipt_hash:
                continue
            message = _new(
                report=r,
                reporter=r.reporter,
                direction=Direction.SYSTEM,
                kind=MessageKind.STATUS,
                body=text,
                text_code="" if text else kind,
                text_params=None if text else params,
            )
            record(actor=actor, action="mailbox.notified", obj=message, data={"kind": kind, "report": r.pk})
            sent.append(message)
    return sent
