"""Referral to another agency (pelimpahan): the case is handed over, accepted into the receiving
agency's queue or declined back with a reason; each agency sees only its side."""

from __future__ import annotations

import pytest
from django.utils import translation

from sigap.audit.models import AuditEvent
from sigap.cases.actions.transitions import do_transition
from sigap.cases.content import ReportContent, ReportedPerson, open_content
from sigap.cases.models import Case, Channel, Deadline, DeadlineKind, Priority, Report
from sigap.cases.workflow import State
from sigap.coordination.actions import accept_referral, decline_referral
from sigap.coordination.models import PURPOSE_DOSSIER, Referral, ReferralStatus
from sigap.coordination.selectors import dossier_of, incoming_referrals, monitor_page, referrals_of_case
from sigap.core import crypto
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.reporters import texts
from sigap.reporters.models import Message
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from sigap.triage.actions import triage_report
from sigap.triage.models import DuplicateSuggestion
from tests.coordination.conftest import REASON, refer
from tests.reporters.test_mailbox_actions import portal_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(referral):  # type: ignore[no-untyped-def]
    """The referred case of agency A."""
    return referral.from_case


def _referral(case: Case) -> Referral:
    return Referral.objects.get(from_case=case)


def test_referring_hands_a_sealed_dossier_to_the_receiving_agency(
    referred, agency_a, agency_b, actor_of
) -> None:
    referral = _referral(referred)
    assert referral.instansi_id == agency_b.pk and referral.status == ReferralStatus.SENT
    assert referral.from_case_number == referred.number and referral.report_count == 1
    assert referral.answer_due_at > referral.sent_at
    # sealed for the receiving agency only: not plain, and not the referring agency's to open
    assert b"pungutan" not in bytes(referral.dossier_sealed)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.open_json(agency_a.pk, bytes(referral.dossier_sealed), purpose=PURPOSE_DOSSIER)
    officer_b = actor_of(agency_b, Role.VERIFIKATOR)
    dossier = dossier_of(actor=officer_b, referral=referral)
    assert dossier is not None and dossier.reason == REASON
    assert "meminta uang Rp 150.000" in dossier.reports[0].content.what
    assert dossier.reports[0].content.who[0].position == "Lurah"
    assert [r.pk for r in incoming_referrals(actor=officer_b)] == [referral.pk]
    # both chains: the step at A (naming the referral), the receipt at B
    step = AuditEvent.objects.get(chain=agency_a.pk, action="case.refer_not_authority")
    assert step.data["referral"] == referral.pk and step.data["referred_to"] == agency_b.pk
    received = AuditEvent.objects.get(chain=agency_b.pk, action="referral.received")
    assert received.data == {"from_instansi": agency_a.pk, "from_case_number": referred.number}


def test_a_role_that_does_not_read_contents_sees_the_referral_but_not_its_dossier(
    referred, agency_b, actor_of
) -> None:
    custodian = actor_of(agency_b, Role.CUSTODIAN)
    referral = _referral(referred)
    assert [r.pk for r in incoming_referrals(actor=custodian)] == [referral.pk]
    assert dossier_of(actor=custodian, referral=referral) is None


def test_no_other_agency_reaches_a_referral(referred, agency_a, hub, actor_of, boss_a) -> None:
    referral = _referral(referred)
    outsider = actor_of(hub, Role.SUPERVISOR)
    assert list(incoming_referrals(actor=outsider)) == []
    with pytest.raises(NotFound):
        accept_referral(actor=outsider, referral_id=referral.pk)
    with pytest.raises(NotFound):  # the referring agency cannot answer its own referral either
        decline_referral(actor=boss_a, referral_id=referral.pk, reason="x")
    with pytest.raises(NotFound):
        dossier_of(actor=outsider, referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_a_penelaah_cannot_answer_a_referral(referred, agency_b, actor_of) -> None:
    with pytest.raises(NotFound):
        accept_referral(actor=actor_of(agency_b, Role.PENELAAH), referral_id=_referral(referred).pk)


def test_accepting_opens_a_case_in_the_receiving_queue(
    referred, agency_a, agency_b, actor_of, boss_a
) -> None:
    officer_b = actor_of(agency_b, Role.VERIFIKATOR)
    referral = _referral(referred)
    case_b = accept_referral(actor=officer_b, referral_id=referral.pk)
    assert case_b.instansi_id == agency_b.pk and case_b.status == State.RECEIVED
    report = Report.objects.get(case=case_b)
    assert report.channel == Channel.REFERRAL and report.evidence_count == 0
    content = open_content(agency_b.pk, report.content_sealed)
    assert "meminta uang Rp 150.000" in content.what and content.who[0].name == "Budi"
    # its own deadlines: acknowledged by the referring agency already, feedback owed from now
    deadlines = {d.kind: d for d in Deadline.objects.filter(case=case_b)}
    assert deadlines[DeadlineKind.ACKNOWLEDGE].met_at is not None
    assert deadlines[DeadlineKind.FEEDBACK].met_at is None
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.accepted_case_id == case_b.pk
    # the referring agency sees where it stands there, not what it says
    seen = referrals_of_case(actor=boss_a, case=referred)
    assert len(seen) == 1 and seen[0].referral.accepted_case.number == case_b.number
    with translation.override("id"):
        assert referrals_of_case(actor=boss_a, case=referred)[0].receiver_state == "Diterima"
    assert seen[0].receiver_next_due == deadlines[DeadlineKind.FEEDBACK].due_at
    assert AuditEvent.objects.get(chain=agency_b.pk, action="referral.accepted").object_id == str(case_b.pk)
    told = AuditEvent.objects.get(chain=agency_a.pk, action="referral.accepted_by_receiver")
    assert told.data["case_number"] == case_b.number and told.object_id == str(referred.pk)


def test_a_referral_is_answered_once(referred, agency_b, actor_of) -> None:
    officer_b = actor_of(agency_b, Role.VERIFIKATOR)
    referral = _referral(referred)
    accept_referral(actor=officer_b, referral_id=referral.pk)
    with pytest.raises(InvalidTransition):
        accept_referral(actor=officer_b, referral_id=referral.pk)
    with pytest.raises(InvalidTransition):
        decline_referral(actor=officer_b, referral_id=referral.pk, reason="bukan kami")
    assert Case.objects.filter(instansi=agency_b).count() == 1


def test_declining_needs_a_reason_and_sends_it_back(
    referred, agency_a, agency_b, hub, actor_of, boss_a
) -> None:
    officer_b = actor_of(agency_b, Role.VERIFIKATOR)
    referral = _referral(referred)
    with pytest.raises(ValidationFailed) as refused:
        decline_referral(actor=officer_b, referral_id=referral.pk, reason="  ")
    assert "reason" in refused.value.fields
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    # while it waits, the case goes nowhere else
    with pytest.raises(InvalidTransition):
        do_transition(
            actor=boss_a,
            case_id=referred.pk,
            name="refer_external",
            data={"target_instansi": str(hub.pk), "reason": "x"},
        )
    with pytest.raises(InvalidTransition):  # nor is it followed up as if the other agency had it
        do_transition(actor=boss_a, case_id=referred.pk, name="record_follow_up", data={"note": "x"})
    decline_referral(actor=officer_b, referral_id=referral.pk, reason="Pelaku pegawai provinsi, bukan kota.")
    # agency B keeps the dates, not the contents; agency A's case no longer names B
    assert dossier_of(actor=officer_b, referral=Referral.objects.get(pk=referral.pk)) is None
    from sigap.coordination.dossier import open_dossier

    assert open_dossier(Referral.objects.get(pk=referral.pk)).reports == []
    assert Case.objects.get(pk=referred.pk).referred_to_id is None
    seen = referrals_of_case(actor=boss_a, case=referred)
    assert seen[0].referral.status == ReferralStatus.DECLINED
    assert seen[0].decline_reason == "Pelaku pegawai provinsi, bukan kota."
    from sigap.cases.selectors import case_timeline

    history = [(e.event.action, e.notes) for e in case_timeline(actor=boss_a, case=referred)]
    assert ("referral.declined_by_receiver", [("reason", "Pelaku pegawai provinsi, bukan kota.")]) in history
    assert not Case.objects.filter(instansi=agency_b).exists()
    # and it can now go to the competent body
    do_transition(
        actor=boss_a,
        case_id=referred.pk,
        name="refer_external",
        data={"target_instansi": str(hub.pk), "reason": REASON},
    )
    assert Referral.objects.filter(from_case=referred).count() == 2
    assert Referral.objects.get(from_case=referred, instansi=hub).status == ReferralStatus.SENT


def test_an_accepted_case_is_not_referred_again(referred, agency_b, hub, actor_of, boss_a) -> None:
    accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=_referral(referred).pk)
    with pytest.raises(InvalidTransition) as refused:
        do_transition(
            actor=boss_a,
            case_id=referred.pk,
            name="refer_external",
            data={"target_instansi": str(hub.pk), "reason": "x"},
        )
    assert agency_b.name in refused.value.message


def test_several_reports_travel_together_and_an_urgent_case_stays_urgent(
    agency_a, agency_b, boss_a, submit, actor_of
) -> None:
    first = submit(system_actor(agency_a))
    other = ReportContent(
        what="Lurah Budi juga meminta uang untuk surat pindah.",
        who=[ReportedPerson(name="Budi", position="Lurah")],
    )
    second = submit(system_actor(agency_a), content=other)
    case = first.case
    do_transition(actor=boss_a, case_id=second.case_id, name="start_verification")
    do_transition(
        actor=boss_a, case_id=second.case_id, name="merge_duplicate", data={"target_case": str(case.pk)}
    )
    Case.objects.filter(pk=case.pk).update(priority=Priority.URGENT)
    do_transition(actor=boss_a, case_id=case.pk, name="start_verification")
    do_transition(
        actor=boss_a,
        case_id=case.pk,
        name="refer_not_authority",
        data={"target_instansi": str(agency_b.pk), "reason": REASON},
    )
    referral = Referral.objects.get(from_case=case)
    assert referral.report_count == 2 and referral.priority == Priority.URGENT
    case_b = accept_referral(actor=actor_of(agency_b, Role.SUPERVISOR), referral_id=referral.pk)
    content = open_content(agency_b.pk, Report.objects.get(case=case_b).content_sealed)
    assert "pembuatan KTP" in content.what and "surat pindah" in content.what
    assert [p.name for p in content.who] == ["Budi", "Budi"]  # a lurah named twice, once with his office
    assert case_b.priority == Priority.URGENT


def test_the_reporter_learns_that_the_competent_agency_accepted(
    agency_a, agency_b, boss_a, actor_of, cheap_portal
) -> None:
    report = portal_report(agency_a)
    referral = refer(boss_a, report.case, agency_b)
    accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    told = Message.objects.get(report=report, text_code=texts.REFERRAL_ACCEPTED)
    assert told.text_params == {"agency": agency_b.name} and told.instansi_id == agency_a.pk


def test_triage_does_not_call_the_two_sides_of_a_referral_duplicates(
    referred, agency_a, agency_b, actor_of
) -> None:
    triage_report(report_id=Report.objects.get(case=referred).pk)
    case_b = accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=_referral(referred).pk)
    triage_report(report_id=Report.objects.get(case=case_b).pk)
    assert not DuplicateSuggestion.objects.exists()


def test_the_hub_monitor_sees_every_referral_without_content(
    referred, agency_b, hub, actor_of, boss_a
) -> None:
    monitor = actor_of(hub, Role.HUB_MONITOR)
    rows = list(monitor_page(actor=monitor))
    assert [r.from_case_number for r in rows] == [referred.number]
    with pytest.raises(NotFound):
        monitor_page(actor=boss_a)


def test_the_files_come_with_an_accepted_referral_sealed_for_the_receiver(
    agency_a, agency_b, boss_a, submit, actor_of
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.evidence import storage
    from sigap.evidence.models import Evidence

    report = submit(system_actor(agency_a))
    sent = storage.store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=SimpleUploadedFile("kuitansi-lurah.txt", b"Kuitansi Rp 150.000 dari loket\n"),
        keep_metadata=False,
    )
    referral = refer(boss_a, report.case, agency_b)
    case_b = accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    copy = Evidence.objects.get(instansi=agency_b)
    assert copy.report.case_id == case_b.pk and copy.report.evidence_count == 1
    assert copy.storage_key != sent.storage_key and copy.sha256 == sent.sha256
    assert b"".join(storage.iter_plaintext(copy)) == b"Kuitansi Rp 150.000 dari loket\n"
    assert storage.name_of(copy) == "bukti-1.txt"  # a neutral name: a file's own name may name its sender
    with pytest.raises(crypto.DecryptionFailed):  # bound to the receiving agency's key
        crypto.open_sealed(
            agency_a.pk, bytes(copy.file_key_sealed), purpose=storage.purpose_file_key(copy.storage_key)
        )
    assert b"".join(storage.iter_plaintext(Evidence.objects.get(pk=sent.pk))).startswith(
        b"Kuitansi"
    )  # kept there
    assert AuditEvent.objects.get(chain=agency_b.pk, action="evidence.stored").object_id == str(copy.pk)


def test_a_failed_acceptance_leaves_no_copied_file(
    agency_a, agency_b, boss_a, submit, actor_of, monkeypatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.coordination import actions
    from sigap.evidence import storage

    report = submit(system_actor(agency_a))
    storage.store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=SimpleUploadedFile("a.txt", b"isi\n"),
        keep_metadata=False,
    )
    referral = refer(boss_a, report.case, agency_b)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "record_evidence", broken)
    with pytest.raises(RuntimeError):
        accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    assert not [f for f in storage.evidence_root().joinpath(str(agency_b.pk)).rglob("*") if f.is_file()]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert not Case.objects.filter(instansi=agency_b).exists()


def test_a_report_is_not_merged_into_a_referred_case(referred, agency_a, agency_b, boss_a, submit) -> None:
    later = submit(system_actor(agency_a)).case
    do_transition(actor=boss_a, case_id=later.pk, name="start_verification")
    with pytest.raises(InvalidTransition) as refused:
        do_transition(
            actor=boss_a, case_id=later.pk, name="merge_duplicate", data={"target_case": str(referred.pk)}
        )
    assert referred.number in refused.value.message and agency_b.name in refused.value.message
    # it goes where the case went, and that agency's triage finds it is the same matter
    do_transition(
        actor=boss_a,
        case_id=later.pk,
        name="refer_not_authority",
        data={"target_instansi": str(agency_b.pk), "reason": REASON},
    )
    assert Referral.objects.filter(instansi=agency_b).count() == 2


def test_the_referring_agency_follows_the_case_into_the_one_it_was_merged_into(
    referred, agency_b, boss_a, submit, actor_of
) -> None:
    from sigap.coordination.selectors import linked_case_ids

    officer_b = actor_of(agency_b, Role.SUPERVISOR)
    case_b = accept_referral(actor=officer_b, referral_id=_referral(referred).pk)
    own = submit(system_actor(agency_b)).case  # the reporter also went straight to agency B
    do_transition(actor=officer_b, case_id=case_b.pk, name="start_verification")
    do_transition(
        actor=officer_b, case_id=case_b.pk, name="merge_duplicate", data={"target_case": str(own.pk)}
    )
    seen = referrals_of_case(actor=boss_a, case=referred)[0]
    assert seen.receiver_case_number == own.number
    with translation.override("id"):
        assert referrals_of_case(actor=boss_a, case=referred)[0].receiver_state == "Diterima"
    assert own.pk in linked_case_ids(referred.pk) and referred.pk in linked_case_ids(own.pk)


def test_the_reporters_answers_go_with_the_referral(
    agency_a, agency_b, boss_a, actor_of, cheap_portal
) -> None:
    from sigap.reporters import mailbox

    report = portal_report(agency_a)
    question = mailbox.officer_write(actor=boss_a, case_id=report.case_id, report_id=report.pk, body="Kapan?")
    mailbox.reporter_write(
        actor=system_actor(agency_a),
        reporter=report.reporter,
        body="Pada 4 Maret 2026 pukul 10.00",
        reply_to_id=question.pk,
    )
    referral = refer(boss_a, report.case, agency_b)
    dossier = dossier_of(actor=actor_of(agency_b, Role.VERIFIKATOR), referral=referral)
    assert dossier is not None and dossier.reports[0].answers == ["Pada 4 Maret 2026 pukul 10.00"]
    assert referral.report_ids == [report.pk]
    case_b = accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    content = open_content(agency_b.pk, Report.objects.get(case=case_b).content_sealed)
    assert content.what.endswith("Pada 4 Maret 2026 pukul 10.00")


def test_the_referring_agency_withdraws_a_referral_still_waiting(
    referred, agency_a, agency_b, hub, boss_a, actor_of
) -> None:
    from sigap.coordination.actions import withdraw_referral

    referral = _referral(referred)
    officer_b = actor_of(agency_b, Role.SUPERVISOR)
    with pytest.raises(NotFound):  # only the referring agency takes it back
        withdraw_referral(actor=officer_b, case_id=referred.pk, referral_id=referral.pk)
    with pytest.raises(PermissionDenied):  # nor by a role that may not refer
        withdraw_referral(
            actor=actor_of(agency_a, Role.PENELAAH), case_id=referred.pk, referral_id=referral.pk
        )
    withdraw_referral(actor=boss_a, case_id=referred.pk, referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert dossier_of(actor=officer_b, referral=referral) is None
    from sigap.coordination.dossier import open_dossier

    assert open_dossier(referral).reports == []  # agency B keeps the dates, not the contents
    with pytest.raises(InvalidTransition):
        accept_referral(actor=officer_b, referral_id=referral.pk)
    with pytest.raises(InvalidTransition):  # once only
        withdraw_referral(actor=boss_a, case_id=referred.pk, referral_id=referral.pk)
    assert AuditEvent.objects.get(chain=agency_b.pk, action="referral.withdrawn").object_id == str(
        referral.pk
    )
    assert (
        AuditEvent.objects.get(chain=agency_a.pk, action="case.referral_withdrawn").data["to_instansi"]
        == agency_b.pk
    )
    # the case is A's again: to the right agency now
    do_transition(
        actor=boss_a,
        case_id=referred.pk,
        name="refer_external",
        data={"target_instansi": str(hub.pk), "reason": REASON},
    )
    assert Referral.objects.get(from_case=referred, instansi=hub).status == ReferralStatus.SENT


def test_an_answered_referral_is_not_withdrawn(referred, agency_b, boss_a, actor_of) -> None:
    from sigap.coordination.actions import withdraw_referral

    referral = _referral(referred)
    accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    with pytest.raises(InvalidTransition):
        withdraw_referral(actor=boss_a, case_id=referred.pk, referral_id=referral.pk)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


def test_a_verifikator_does_not_undo_a_supervisors_referral(
    agency_a, agency_b, hub, boss_a, submit, actor_of
) -> None:
    from sigap.coordination.actions import withdraw_referral

    referral = refer(boss_a, submit(system_actor(agency_a)).case, agency_b)
    decline_referral(
        actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk, reason="Bukan kami."
    )
    do_transition(
        actor=boss_a,
        case_id=referral.from_case_id,
        name="refer_external",
        data={"target_instansi": str(hub.pk), "reason": REASON},
    )
    second = Referral.objects.get(from_case_id=referral.from_case_id, instansi=hub)
    verifikator = actor_of(agency_a, Role.VERIFIKATOR)
    assert not referrals_of_case(actor=verifikator, case=second.from_case)[1].may_withdraw
    with pytest.raises(PermissionDenied):
        withdraw_referral(actor=verifikator, case_id=second.from_case_id, referral_id=second.pk)
    assert referrals_of_case(actor=boss_a, case=second.from_case)[1].may_withdraw


def test_what_a_declined_or_withdrawn_referral_keeps_is_dates_and_counts(
    referred, agency_a, agency_b, boss_a, actor_of
) -> None:
    from sigap.coordination.actions import withdraw_referral

    Case.objects.filter(pk=referred.pk).update(
        category="pungli", sector="civil_registry", priority=Priority.URGENT
    )
    referred.refresh_from_db()
    first = _referral(referred)
    decline_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=first.pk, reason="Bukan kami.")
    do_transition(
        actor=boss_a,
        case_id=referred.pk,
        name="refer_external",
        data={"target_instansi": str(agency_b.pk), "reason": REASON},
    )
    second = Referral.objects.get(from_case=referred, status=ReferralStatus.SENT)
    assert (second.category, second.priority, second.amount) == ("pungli", Priority.URGENT, 150_000)
    withdraw_referral(actor=boss_a, case_id=referred.pk, referral_id=second.pk)
    for ended in Referral.objects.filter(from_case=referred):
        assert (ended.category, ended.sector, ended.region_code, ended.amount) == ("", "", "", None)
        assert ended.priority == Priority.NORMAL and ended.sent_at and ended.answered_at


def test_a_case_whose_referral_came_back_is_taken_back_to_analysis(
    referred, agency_b, boss_a, actor_of
) -> None:
    with pytest.raises(InvalidTransition):  # not while agency B has it
        do_transition(actor=boss_a, case_id=referred.pk, name="take_back")
    decline_referral(
        actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=_referral(referred).pk, reason="Bukan kami."
    )
    case = do_transition(
        actor=boss_a, case_id=referred.pk, name="take_back", data={"note": "Ternyata pegawai kami."}
    )
    assert case.status == State.ANALYSIS
    # Referred to a unit of its own agency since: the old referral's answer takes nothing back.
    from sigap.tenants.models import Unit

    unit = Unit.objects.get(instansi=case.instansi)
    do_transition(
        actor=boss_a,
        case_id=case.pk,
        name="recommend",
        data={"recommendation": "refer_internal", "note": "Kewenangan Irban I."},
    )
    case = do_transition(actor=boss_a, case_id=case.pk, name="refer_internal", data={"unit": str(unit.pk)})
    assert case.status == State.REFERRED and case.unit_id == unit.pk
    with pytest.raises(InvalidTransition):
        do_transition(actor=boss_a, case_id=case.pk, name="take_back", data={"note": "x"})


def test_a_file_kept_as_sent_is_cleaned_before_it_leaves_the_agency(
    agency_a, agency_b, boss_a, submit, actor_of
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from sigap.evidence import storage
    from sigap.evidence.models import Evidence
    from tests.evidence.samples import jpeg_with_gps

    report = submit(system_actor(agency_a))
    photo = jpeg_with_gps()
    kept = storage.store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=SimpleUploadedFile("IMG_Budi.jpg", photo),
        keep_metadata=True,
    )
    assert (
        Image.open(io.BytesIO(b"".join(storage.iter_plaintext(kept)))).getexif().get_ifd(0x8825)
    )  # kept here
    referral = refer(boss_a, report.case, agency_b)
    accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    copy = Evidence.objects.get(instansi=agency_b)
    there = b"".join(storage.iter_plaintext(copy))
    assert not Image.open(io.BytesIO(there)).getexif().get_ifd(0x8825) and b"Exif" not in there
    assert copy.metadata_removed and not copy.keep_metadata and storage.name_of(copy) == "bukti-1.jpg"
    # the copy is fingerprinted as itself: the original's hash would identify the reporter's photo
    assert copy.original_sha256 == copy.sha256 != kept.original_sha256
    assert copy.original_size == copy.size


def test_a_file_kept_as_sent_that_cannot_be_cleaned_stays_behind(
    agency_a, agency_b, boss_a, submit, actor_of
) -> None:
    import io
    import wave

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.evidence import storage
    from sigap.evidence.models import Evidence

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 8000)
    report = submit(system_actor(agency_a))
    for keep in (True, False):
        storage.store_evidence(
            actor=system_actor(agency_a),
            report=report,
            upload=SimpleUploadedFile(f"rekaman-{keep}.wav", buf.getvalue()),
            keep_metadata=keep,
        )
    referral = refer(boss_a, report.case, agency_b)
    accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    referral.refresh_from_db()
    assert Evidence.objects.filter(instansi=agency_b).count() == 1 and referral.files_not_copied == 1


def test_an_unreadable_file_is_left_behind_and_said(agency_a, agency_b, boss_a, submit, actor_of) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.evidence import storage
    from sigap.evidence.models import Evidence

    report = submit(system_actor(agency_a))
    lost = storage.store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=SimpleUploadedFile("a.txt", b"satu\n"),
        keep_metadata=False,
    )
    storage.store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=SimpleUploadedFile("b.txt", b"dua\n"),
        keep_metadata=False,
    )
    storage.path_of(agency_a.pk, lost.storage_key).unlink()  # the disk lost it
    referral = refer(boss_a, report.case, agency_b)
    accept_referral(actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.files_not_copied == 1
    assert [b"".join(storage.iter_plaintext(e)) for e in Evidence.objects.filter(instansi=agency_b)] == [
        b"dua\n"
    ]
    told = AuditEvent.objects.get(chain=agency_a.pk, action="referral.accepted_by_receiver")
    assert told.data["files_not_copied"] == [lost.pk] and len(told.data["files"]) == 1


def test_the_reporter_is_not_told_the_case_is_with_the_competent_body_once_it_came_back(
    agency_a, agency_b, boss_a, actor_of, cheap_portal
) -> None:
    from sigap.reporters import selectors as reporter_selectors

    report = portal_report(agency_a)
    referral = refer(boss_a, report.case, agency_b)
    with translation.override("en"):
        waiting = reporter_selectors.mailbox_of(reporter=report.reporter).status
        decline_referral(
            actor=actor_of(agency_b, Role.VERIFIKATOR), referral_id=referral.pk, reason="Bukan kami."
        )
        came_back = reporter_selectors.mailbox_of(reporter=report.reporter).status
    assert waiting.startswith("Your report has been handed to the competent")
    assert came_back.startswith("The agency we handed your report to is not the competent one")
