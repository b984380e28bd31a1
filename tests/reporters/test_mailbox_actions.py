"""Mailbox actions: acknowledgement, questions both ways with the answer deadline, transcripts,
retaliation; sealed bodies; officers scoped to their agency."""

from __future__ import annotations

import secrets

import pytest

from sigap.audit.models import AuditEvent
from sigap.cases.content import ReportContent
from sigap.cases.models import Deadline, DeadlineKind, Priority
from sigap.core.errors import NotFound, ValidationFailed
from sigap.intake.portal.actions import submit_portal_report
from sigap.reporters import mailbox, selectors
from sigap.reporters.models import Direction, Message, MessageKind
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import incoming

pytestmark = pytest.mark.django_db


def portal_report(instansi):  # type: ignore[no-untyped-def]
    return submit_portal_report(
        actor=system_actor(instansi), incoming=incoming(), form_token=secrets.token_hex(8)
    ).report


def test_acknowledgement_is_in_the_mailbox_and_sealed(agency_a) -> None:
    report = portal_report(agency_a)
    ack = Message.objects.get(report=report)
    assert ack.kind == MessageKind.ACK and ack.direction == Direction.SYSTEM
    body = mailbox.open_body(ack)
    assert report.tracking_number in body
    assert report.tracking_number.encode() not in bytes(ack.body_sealed)
    box = selectors.mailbox_of(reporter=report.reporter)
    assert box.status == selectors.status_sentence("received")
    kinds = {d.label for d in box.deadlines}
    assert len(kinds) == 2  # acknowledgement (met) and feedback


def test_officer_question_reporter_answer(agency_a, boss_a) -> None:
    report = portal_report(agency_a)
    q = mailbox.officer_write(
        actor=boss_a, case_id=report.case_id, report_id=report.pk, body="Kapan tepatnya Anda membayar?"
    )
    box = selectors.mailbox_of(reporter=report.reporter)
    assert [m.body for m in box.open_questions] == ["Kapan tepatnya Anda membayar?"]
    answer = mailbox.reporter_write(
        actor=system_actor(agency_a), reporter=report.reporter, body="4 Maret", reply_to_id=q.pk
    )
    q.refresh_from_db()
    assert answer.kind == MessageKind.ANSWER and q.answered_at is not None
    assert selectors.mailbox_of(reporter=report.reporter).open_questions == []


def test_the_same_question_sent_twice_is_one_message(agency_a, boss_a) -> None:
    report = portal_report(agency_a)
    ask = {"actor": boss_a, "case_id": report.case_id, "report_id": report.pk, "body": "Di mana lokasinya?"}
    first = mailbox.officer_write(**ask)
    assert mailbox.officer_write(**ask).pk == first.pk  # a double click, a form sent again
    assert [m.body for m in selectors.mailbox_of(reporter=report.reporter).open_questions] == [
        "Di mana lokasinya?"
    ]
    other = mailbox.officer_write(**{**ask, "body": "Kapan kejadiannya?"})
    assert other.pk != first.pk
    again = mailbox.officer_write(**ask)
    assert again.pk not in (first.pk, other.pk)  # asked again after another: kept
    mailbox.reporter_write(actor=system_actor(agency_a), reporter=report.reporter, body="Belum tahu")
    assert mailbox.officer_write(**ask).pk != again.pk  # asked again after the reporter wrote back: kept


def test_no_message_is_written_to_a_reporter_without_a_mailbox(agency_a, boss_a) -> None:
    report = portal_report(agency_a)
    report.reporter.receipt_hash = ""  # as for reporters reached elsewhere (SP4N-LAPOR!, a referral)
    report.reporter.save(update_fields=["receipt_hash"])
    before = Message.objects.count()
    with pytest.raises(ValidationFailed, match="kotak surat"):
        mailbox.officer_write(actor=boss_a, case_id=report.case_id, report_id=report.pk, body="Di mana?")
    assert Message.objects.count() == before


def test_reporter_question_starts_the_answer_deadline_officer_reply_meets_it(agency_a, boss_a) -> None:
    report = portal_report(agency_a)
    question = mailbox.reporter_write(
        actor=system_actor(agency_a),
        reporter=report.reporter,
        body="Apakah laporan saya sudah ditindaklanjuti?",
    )
    deadline = Deadline.objects.get(case=report.case, kind=DeadlineKind.ANSWER)
    assert question.deadline == deadline and deadline.met_at is None
    assert (deadline.due_at - deadline.started_at).days >= 30  # 30 working days
    box = selectors.case_mailbox(actor=boss_a, case=report.case)
    assert [m.message for m in box.open_questions] == [question]
    reply = mailbox.officer_write(
        actor=boss_a,
        case_id=report.case_id,
        report_id=report.pk,
        body="Sedang diverifikasi.",
        reply_to_id=question.pk,
    )
    deadline.refresh_from_db()
    assert reply.kind == MessageKind.ANSWER and deadline.met_at is not None
    labels = [d.label for d in selectors.mailbox_of(reporter=report.reporter).deadlines]
    assert str(selectors.REPORTER_DEADLINE[DeadlineKind.ANSWER]) in labels


def test_transcript_confirm_and_correct(agency_a, boss_a) -> None:
    report = portal_report(agency_a)
    t1 = mailbox.officer_write(
        actor=boss_a,
        case_id=report.case_id,
        report_id=report.pk,
        kind="transcript",
        body="Pelapor menyampaikan lewat telepon: ...",
    )
    t2 = mailbox.officer_write(
        actor=boss_a, case_id=report.case_id, report_id=report.pk, kind="transcript", body="Transkrip kedua"
    )
    assert len(selectors.mailbox_of(reporter=report.reporter).open_transcripts) == 2
    sys = system_actor(agency_a)
    mailbox.reporter_review_transcript(actor=sys, reporter=report.reporter, transcript_id=t1.pk, confirm=True)
    with pytest.raises(ValidationFailed):
        mailbox.reporter_review_transcript(
            actor=sys, reporter=report.reporter, transcript_id=t2.pk, confirm=False
        )
    fix = mailbox.reporter_review_transcript(
        actor=sys,
        reporter=report.reporter,
        transcript_id=t2.pk,
        confirm=False,
        correction="Bukan Senin, tetapi Selasa.",
    )
    assert fix.kind == MessageKind.TRANSCRIPT_CONFIRMATION
    assert selectors.mailbox_of(reporter=report.reporter).open_transcripts == []
    actions = set(AuditEvent.objects.filter(chain=agency_a.pk).values_list("action", flat=True))
    assert {"mailbox.transcript_confirmed", "mailbox.transcript_corrected"} <= actions


def test_retaliation_flags_the_case_urgent_and_audits(agency_a) -> None:
    report = portal_report(agency_a)
    mailbox.reporter_report_retaliation(
        actor=system_actor(agency_a), reporter=report.reporter, body="Saya dimutasi setelah melapor."
    )
    report.case.refresh_from_db()
    assert report.case.retaliation_reported and report.case.priority == Priority.URGENT
    event = AuditEvent.objects.get(chain=agency_a.pk, action="case.retaliation_reported")
    assert event.data["priority_to"] == Priority.URGENT


def test_officers_are_scoped_to_their_agency_and_role(agency_a, agency_b, actor_of, boss_a) -> None:
    report = portal_report(agency_a)
    outsider = actor_of(agency_b, Role.SUPERVISOR)
    with pytest.raises(NotFound):
        mailbox.officer_write(actor=outsider, case_id=report.case_id, report_id=report.pk, body="hai")
    custodian = actor_of(agency_a, Role.CUSTODIAN)
    with pytest.raises(NotFound):
        mailbox.officer_write(actor=custodian, case_id=report.case_id, report_id=report.pk, body="hai")
    with pytest.raises(NotFound):
        selectors.case_mailbox(actor=outsider, case=report.case)
    assert not selectors.case_mailbox(actor=custodian, case=report.case).readable
    analyst_like = actor_of(agency_a, Role.ADMIN)
    with pytest.raises(NotFound):
        mailbox.officer_write(actor=analyst_like, case_id=report.case_id, report_id=report.pk, body="hai")
    verifier = actor_of(agency_a, Role.VERIFIKATOR)
    assert mailbox.officer_write(actor=verifier, case_id=report.case_id, report_id=report.pk, body="hai")


def test_reporter_cannot_touch_another_reporters_messages(agency_a, agency_b, boss_a) -> None:
    mine = portal_report(agency_a)
    other = portal_report(agency_a)
    q = mailbox.officer_write(actor=boss_a, case_id=other.case_id, report_id=other.pk, body="Pertanyaan lain")
    with pytest.raises(NotFound):
        mailbox.reporter_write(
            actor=system_actor(agency_a), reporter=mine.reporter, body="x", reply_to_id=q.pk
        )
    with pytest.raises(NotFound):  # the system actor of another agency cannot act for this reporter
        mailbox.reporter_write(actor=system_actor(agency_b), reporter=mine.reporter, body="x")
    assert all(
        m.message.reporter_id == mine.reporter_id
        for m in selectors.mailbox_of(reporter=mine.reporter).messages
    )


def test_notify_reporter_for_the_vault(agency_a) -> None:
    report = portal_report(agency_a)
    sent = mailbox.notify_reporter(case=report.case, kind="identity_disclosed", text="Identitas Anda dibuka.")
    assert [mailbox.open_body(m) for m in sent] == ["Identitas Anda dibuka."]


def test_an_open_question_follows_the_report_into_the_case_it_is_merged_into(agency_a, boss_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from sigap.cases import selectors as case_selectors
    from sigap.cases.actions.transitions import do_transition
    from sigap.core import clock

    kept, merged = portal_report(agency_a), portal_report(agency_a)
    mailbox.reporter_write(actor=system_actor(agency_a), reporter=merged.reporter, body="Sudah sampai mana?")
    do_transition(actor=boss_a, case_id=merged.case_id, name="start_verification")
    do_transition(actor=boss_a, case_id=merged.case_id, name="merge_duplicate", data={"target_case": kept.case_id})
    answer = str(selectors.REPORTER_DEADLINE[DeadlineKind.ANSWER])
    assert answer in [d.label for d in selectors.mailbox_of(reporter=merged.reporter).deadlines]
    open_question = Deadline.objects.get(kind=DeadlineKind.ANSWER, met_at__isnull=True)
    assert open_question.case_id == kept.case_id
    later = clock.now() + dt.timedelta(days=60)  # the answer is overdue, the feedback not yet
    monkeypatch.setattr(clock, "now", lambda: later)
    assert [c.pk for c in case_selectors.cases_in_instansi(actor=boss_a, overdue=True)] == [kept.case_id]


def test_the_messages_sigap_writes_are_read_in_each_readers_language(agency_a) -> None:
    """An English reporter's receipt, confirmation and added files read in English on their page and
    in Indonesian on the officer's; the sealed body keeps the report's language."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from sigap.core import crypto

    report = submit_portal_report(
        actor=system_actor(agency_a), incoming=incoming(language="en"), form_token=secrets.token_hex(8)
    ).report
    sys = system_actor(agency_a)
    mailbox.reporter_add_evidence(
        actor=sys, reporter=report.reporter, files=[SimpleUploadedFile("catatan.txt", b"kuitansi", "text/plain")]
    )
    ack, added = Message.objects.filter(report=report).order_by("pk")
    sealed = crypto.open_sealed(agency_a.pk, bytes(ack.body_sealed), purpose=mailbox.PURPOSE_MESSAGE).decode()
    assert sealed.startswith("Your report has been received")
    with translation.override("en"):
        assert mailbox.open_body(ack).startswith("Your report has been received")
        assert mailbox.open_body(added) == "1 file was added to the report."
    with translation.override("id"):
        assert mailbox.open_body(ack).startswith("Laporan Anda telah kami terima")
        assert report.tracking_number in mailbox.open_body(ack)
        assert mailbox.open_body(added) == "1 berkas ditambahkan ke laporan."


def test_the_identity_notice_is_in_the_reporters_language_not_the_custodians(agency_a) -> None:
    from django.utils import translation

    report = portal_report(agency_a)
    with translation.override("en"):  # the custodian approves in English
        sent = mailbox.notify_reporter(case=report.case, report=report, kind="identity_disclosed")
    with translation.override("id"):  # the reporter reads in Indonesian
        assert mailbox.open_body(sent[0]).startswith("Seorang petugas instansi telah diizinkan")
    with pytest.raises(ValueError):
        mailbox.notify_reporter(case=report.case, report=report, kind="no_such_message")


def test_a_system_message_whose_values_were_changed_in_the_database_shows_what_was_sealed(agency_a) -> None:
    from django.utils import translation

    report = portal_report(agency_a)
    ack = Message.objects.get(report=report)
    Message.objects.filter(pk=ack.pk).update(text_params={"number": "BUKAN-NOMOR-ASLI"})
    ack.refresh_from_db()
    with translation.override("en"):
        shown = mailbox.open_body(ack)
    assert "BUKAN-NOMOR-ASLI" not in shown and report.tracking_number in shown


def test_a_steps_questions_and_feedback_reach_the_reporters_mailbox(agency_a, boss_a) -> None:
    from sigap.cases.actions.transitions import do_transition
    from sigap.cases.models import Case

    report = portal_report(agency_a)
    do_transition(actor=boss_a, case_id=report.case_id, name="start_verification")
    do_transition(actor=boss_a, case_id=report.case_id, name="request_completion",
                  data={"questions": "Di kantor mana tepatnya uang itu diminta?"})
    box = selectors.mailbox_of(reporter=report.reporter)
    assert [q.body for q in box.open_questions] == ["Di kantor mana tepatnya uang itu diminta?"]
    assert box.open_questions[0].message.author_id == boss_a.user_id

    Case.objects.filter(pk=report.case_id).update(status="follow_up")  # the steps between are tested elsewhere
    do_transition(actor=boss_a, case_id=report.case_id, name="complete",
                  data={"outcome": "substantiated", "feedback": "Petugas yang meminta uang telah dijatuhi sanksi."})
    box = selectors.mailbox_of(reporter=report.reporter)
    assert box.messages[-1].body == "Petugas yang meminta uang telah dijatuhi sanksi."
    assert box.messages[-1].message.kind == MessageKind.STATUS
    step = AuditEvent.objects.filter(action="case.complete").get()
    assert step.data["reporters_told"] == {"feedback": 1}
    from django.utils import translation

    from sigap.cases.selectors import case_timeline

    with translation.override("en"):
        entry = next(e for e in case_timeline(actor=boss_a, case=report.case) if e.event.pk == step.pk)
    assert entry.choices == [("Outcome", "Substantiated")]  # the decision, not only its note


def test_a_report_merged_into_a_finished_case_gets_its_feedback_and_keeps_what_it_is_owed(agency_a, boss_a) -> None:
    from sigap.cases.actions.transitions import do_transition
    from sigap.cases.models import Case
    from sigap.tenants.access import system_actor as intake_actor

    first = portal_report(agency_a)
    Case.objects.filter(pk=first.case_id).update(status="follow_up")
    do_transition(actor=boss_a, case_id=first.case_id, name="complete",
                  data={"outcome": "substantiated", "feedback": "Pungutan itu telah dihentikan."})
    later = portal_report(agency_a)
    letter = submit_portal_report(  # a letter typed in: its acknowledgement is still owed
        actor=intake_actor(agency_a), incoming=incoming(channel="letter"), form_token=secrets.token_hex(8)
    ).report
    for report in (later, letter):
        do_transition(actor=boss_a, case_id=report.case_id, name="start_verification")
        do_transition(actor=boss_a, case_id=report.case_id, name="merge_duplicate",
                      data={"target_case": first.case_id})
    box = selectors.mailbox_of(reporter=later.reporter)
    assert box.messages[-1].body == "Pungutan itu telah dihentikan."  # the mailbox says "see the feedback below"
    owed = Deadline.objects.filter(case_id=first.case_id, kind=DeadlineKind.ACKNOWLEDGE, met_at__isnull=True)
    assert owed.count() == 1  # the letter's acknowledgement followed it into the case


def test_the_reporters_answer_is_read_into_the_cases_completeness(agency_a, boss_a) -> None:
    from sigap.core import crypto
    from sigap.triage.actions import PURPOSE_FEATURES, triage_report

    report = submit_portal_report(
        actor=system_actor(agency_a),
        incoming=incoming(content=ReportContent(what="Ada pungutan liar di kantor kelurahan.")),
        form_token=secrets.token_hex(8),
    ).report
    before = triage_report(report_id=report.pk)
    stored = crypto.open_json(agency_a.pk, bytes(before.features_sealed), purpose=PURPOSE_FEATURES)
    assert "kapan" in stored["completeness"]["missing"]
    question = mailbox.officer_write(actor=boss_a, case_id=report.case_id, report_id=report.pk,
                                     body="Kapan kejadiannya?")
    mailbox.reporter_write(actor=system_actor(agency_a), reporter=report.reporter,
                           body="Pada tanggal 3 Maret 2026 pagi.", reply_to_id=question.pk)
    before.refresh_from_db()
    stored = crypto.open_json(agency_a.pk, bytes(before.features_sealed), purpose=PURPOSE_FEATURES)
    assert "kapan" not in stored["completeness"]["missing"]
    assert before.completeness == stored["completeness"]["score"] > 0
    assert AuditEvent.objects.filter(action="triage.completeness_reassessed").count() == 1
