"""A reporter's mailbox writes run in their own transaction, as the web request runs them (no test
transaction around them): the row locks they take are valid on PostgreSQL, and when reading the
report again with the answer fails, the answer, its question's mark and its audit event stay."""

from __future__ import annotations

import secrets

import pytest

from sigap.audit.models import AuditEvent
from sigap.cases.content import ReportContent
from sigap.intake.portal.actions import submit_portal_report
from sigap.reporters import mailbox
from sigap.reporters.models import Message, MessageKind
from sigap.tenants.access import system_actor
from sigap.triage.actions import triage_report
from sigap.triage.models import TriageResult
from tests.conftest import incoming

pytestmark = pytest.mark.django_db(transaction=True)


def _asked(agency_a, boss_a):  # type: ignore[no-untyped-def]
    report = submit_portal_report(
        actor=system_actor(agency_a),
        incoming=incoming(content=ReportContent(what="Ada pungutan liar di kantor kelurahan.")),
        form_token=secrets.token_hex(8),
    ).report
    triage_report(report_id=report.pk)
    question = mailbox.officer_write(actor=boss_a, case_id=report.case_id, report_id=report.pk,
                                     body="Kapan kejadiannya?")
    return report, question


def test_an_answer_and_a_question_are_stored_in_their_own_transaction(agency_a, boss_a) -> None:
    report, question = _asked(agency_a, boss_a)
    reporter = system_actor(agency_a)
    mailbox.reporter_write(actor=reporter, reporter=report.reporter, body="Tanggal 3 Maret 2026.",
                           reply_to_id=question.pk)
    mailbox.reporter_write(actor=reporter, reporter=report.reporter, body="Apakah laporan saya sudah dibaca?")
    kinds = list(Message.objects.filter(report=report).values_list("kind", flat=True).order_by("pk"))
    assert kinds[-2:] == [MessageKind.ANSWER, MessageKind.QUESTION]
    assert AuditEvent.objects.filter(action="triage.completeness_reassessed").count() == 1


def test_a_failed_reread_never_loses_the_answer(agency_a, boss_a, monkeypatch) -> None:
    from sigap.triage import actions

    report, question = _asked(agency_a, boss_a)
    before = TriageResult.objects.get(report=report).completeness

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("the re-read failed")

    monkeypatch.setattr(actions, "reassess_completeness", broken)
    mailbox.reporter_write(actor=system_actor(agency_a), reporter=report.reporter,
                           body="Tanggal 3 Maret 2026.", reply_to_id=question.pk)
    question.refresh_from_db()
    assert question.answered_at is not None
    assert Message.objects.filter(report=report, kind=MessageKind.ANSWER).count() == 1
    assert AuditEvent.objects.filter(action="mailbox.reporter_answered").count() == 1
    assert TriageResult.objects.get(report=report).completeness == before


def test_triage_run_again_keeps_the_answers(agency_a, boss_a) -> None:
    report, question = _asked(agency_a, boss_a)
    mailbox.reporter_write(actor=system_actor(agency_a), reporter=report.reporter,
                           body="Tanggal 3 Maret 2026.", reply_to_id=question.pk)
    answered = TriageResult.objects.get(report=report).completeness
    triage_report(report_id=report.pk)  # the task, or run-pending, reading the report again
    assert TriageResult.objects.get(report=report).completeness == answered
