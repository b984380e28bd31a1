"""Receiving a report: a reporter, a new case, the report, deadlines, acknowledgement, audit."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases import sla
from sigap.cases.actions.acknowledge import ACKNOWLEDGED_ON_ARRIVAL
from sigap.cases.actions.numbering import case_number, reserve, tracking_number
from sigap.cases.content import PURPOSE_CASE, seal_content, seal_text
from sigap.cases.models import Case, Channel, Deadline, DeadlineKind, Report
from sigap.cases.workflow import State
from sigap.core import clock
from sigap.core.errors import ValidationFailed
from sigap.intake.incoming import IncomingReport
from sigap.reporters.models import Anonymity, Reporter
from sigap.tenants.access import Actor

_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    return "Pelapor-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(6))


def summary_of(incoming: IncomingReport) -> str:
    text = incoming.content.title.strip() or incoming.content.what.strip()
    return text[:160]


MAX_AMOUNT = 10**16  # rupiah: ten thousand trillion, far above any state budget
MAX_EVIDENCE = 10_000  # files a report says it carries
_LIMITS: dict[str, int] = {"external_ref": 80, "language": 8, "region_code": 13}  # the columns' lengths


def _validate(incoming: IncomingReport) -> None:
    problems: dict[str, str] = {}
    if not (incoming.content.what.strip() or incoming.content.title.strip()):
        problems["what"] = _("Describe what happened.")
    if incoming.channel not in Channel.values:
        problems["channel"] = _("Unknown channel.")
    if incoming.anonymity not in Anonymity.values:
        problems["anonymity"] = _("Unknown anonymity mode.")
    if incoming.amount is not None and incoming.amount < 0:
        problems["amount"] = _("An amount cannot be negative.")
    elif incoming.amount is not None and incoming.amount > MAX_AMOUNT:
        problems["amount"] = _("That amount is too large.")
    # what a channel adapter passes on from outside: a bad value is a clear refusal, never a database error
    for name, limit in _LIMITS.items():
        if len(getattr(incoming, name) or "") > limit:
            problems[name] = _("At most %(limit)d characters.") % {"limit": limit}
    if incoming.evidence_count < 0:
        problems["evidence_count"] = _("Cannot be negative.")
    elif incoming.evidence_count > MAX_EVIDENCE:
        problems["evidence_count"] = _("Too many files.")
    if problems:
        raise ValidationFailed(_("The report is incomplete."), problems)


@transaction.atomic(savepoint=False)  # inside a larger submission, its errors end that one
def submit_report(*, actor: Actor, incoming: IncomingReport, reporter: Reporter | None = None) -> Report:
    """Stores a new report in a new case of the actor's agency and starts its deadlines.

    A channel's own message id (`external_ref`) is stored once per agency and channel: a delivery
    sent again, even at the same moment as the first, returns the report already stored and
    changes nothing."""
    _validate(incoming)
    instansi = actor.instansi
    if incoming.external_ref and (stored := _stored(instansi.pk, incoming)) is not None:
        return stored
    try:
        with transaction.atomic():  # a savepoint: a concurrent first delivery wins, this one reads it
            report = _store(actor, incoming, reporter)
    except IntegrityError:
        stored = _stored(instansi.pk, incoming) if incoming.external_ref else None
        if stored is None:
            raise
        return stored
    from sigap.triage.tasks import enqueue_triage  # late import: triage depends on cases

    transaction.on_commit(lambda: enqueue_triage(report.pk))
    return report


def _stored(instansi_id: int, incoming: IncomingReport) -> Report | None:
    return Report.objects.filter(
        instansi_id=instansi_id, channel=incoming.channel, external_ref=incoming.external_ref
    ).first()


def _store(actor: Actor, incoming: IncomingReport, reporter: Reporter | None) -> Report:
    instansi = actor.instansi
    received = incoming.received_at or clock.now()
    year = received.astimezone(clock.zone(instansi.timezone)).year
    if reporter is None:
        reporter = Reporter.objects.create(
            instansi=instansi, pseudonym=new_pseudonym(), anonymity=incoming.anonymity
        )
    case = Case.objects.create(
        instansi=instansi,
        number=case_number(instansi, year, reserve(instansi, "case", year)),
        summary_sealed=seal_text(instansi.pk, summary_of(incoming), purpose=PURPOSE_CASE),
        status=State.RECEIVED,
        status_changed_at=received,
        received_at=received,
        region_code=incoming.region_code,
        amount=incoming.amount,
    )
    report = Report.objects.create(
        instansi=instansi,
        case=case,
        reporter=reporter,
        tracking_number=tracking_number(instansi, year, reserve(instansi, "report", year)),
        channel=incoming.channel,
        received_at=received,
        language=incoming.language,
        anonymity=incoming.anonymity,
        content_sealed=seal_content(instansi.pk, incoming.content),
        region_code=incoming.region_code,
        occurred_from=incoming.occurred_from,
        occurred_to=incoming.occurred_to,
        amount=incoming.amount,
        evidence_count=incoming.evidence_count,
        external_ref=incoming.external_ref,
    )
    now = clock.now()
    acknowledged = incoming.channel in ACKNOWLEDGED_ON_ARRIVAL
    Deadline.objects.bulk_create(
        [
            # Receipt is acknowledged at once where the reporter learns it on arrival; elsewhere an
            # officer answers and records it (`acknowledge.acknowledge_receipt`).
            Deadline(
                instansi=instansi,
                case=case,
                kind=DeadlineKind.ACKNOWLEDGE,
                started_at=received,
                due_at=sla.due_at("acknowledge", received, tz=instansi.timezone),
                met_at=now if acknowledged else None,
            ),
            Deadline(
                instansi=instansi,
                case=case,
                kind=DeadlineKind.FEEDBACK,
                started_at=received,
                due_at=sla.due_at("feedback", received, tz=instansi.timezone),
            ),
        ]
    )
    record(
        actor=actor,
        action="report.submitted",
        obj=report,
        data={"case": case.pk, "channel": report.channel, "anonymity": report.anonymity},
    )
    if acknowledged:
        record(actor=actor, action="report.acknowledged", obj=report, data={"case": case.pk})
    return report
