"""A report taken by an officer (phone, desk, letter, e-mail, chat): the page, the receipt shown
once, the mailbox transcript, deadlines, identity, refusals that keep the typed text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sigap.audit.models import AuditEvent
from sigap.cases.content import ReportContent, ReportedPerson, open_content
from sigap.cases.models import Channel, Deadline, DeadlineKind, Report
from sigap.core import clock
from sigap.core.errors import PermissionDenied
from sigap.intake.incoming import IncomingReport
from sigap.intake.operator.actions import record_taken_report, transcript_of
from sigap.reporters.models import Anonymity, Message, MessageKind, Reporter
from sigap.tenants.access import actor_for, system_actor
from sigap.tenants.models import Membership
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user
from tests.portal.helpers import hidden_value, login, receipt_from

URL = "/kasus/catat/"
RECEIPT_URL = "/kasus/catat/tanda-terima/"


@pytest.fixture(autouse=True)
def _portal_settings(cheap_portal):  # type: ignore[no-untyped-def]
    return cheap_portal


def officer(instansi, role: str = Role.VERIFIKATOR) -> tuple[Client, object]:  # type: ignore[no-untyped-def]
    user = make_user(instansi, role)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client, user


def local(moment: dt.datetime, zone: str = "WIB") -> str:
    return moment.astimezone(clock.zone(zone)).strftime("%Y-%m-%dT%H:%M")


def fields(client: Client, **overrides: object) -> dict[str, object]:
    page = client.get(URL)
    assert page.status_code == 200
    data: dict[str, object] = {
        "form_token": hidden_value(page.content.decode(), "form_token"),
        "channel": "phone",
        "received_at": local(clock.now() - dt.timedelta(hours=1)),
        "what": "Penelepon menyampaikan petugas loket meminta Rp 200.000 agar KTP cepat jadi.",
        "title": "Pungli KTP di kecamatan",
        "who_0_name": "Pak Darto",
        "who_0_position": "Petugas loket",
        "where": "Kantor Kecamatan Sukarame",
        "how_much": "Rp 200.000",
        "anonymity": "anonymous",
        "send_transcript": "on",
    }
    data.update(overrides)
    return data


def test_a_phone_report_lands_in_the_queue_and_its_receipt_is_shown_once(agency_a) -> None:
    client, user = officer(agency_a)
    sent = clock.now() - dt.timedelta(hours=1)
    response = client.post(URL, fields(client, received_at=local(sent)))
    assert response.status_code == 302 and response["Location"] == RECEIPT_URL
    page = client.get(RECEIPT_URL)
    html = page.content.decode()
    receipt = receipt_from(html)
    report = Report.objects.get()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert report.tracking_number in html and f"/kasus/{report.case_id}/" in html
    assert client.get(RECEIPT_URL).status_code == 404  # once
    assert report.instansi == agency_a and report.channel == Channel.PHONE
    assert report.received_at == sent.replace(second=0, microsecond=0)
    assert open_content(agency_a.pk, report.content_sealed).who[0].name == "Pak Darto"
    assert report.amount == 200_000
    acknowledge = Deadline.objects.get(case=report.case, kind=DeadlineKind.ACKNOWLEDGE)
    assert acknowledge.met_at is not None  # told on the phone
    taken = AuditEvent.objects.get(action="report.taken_by_officer")
    assert taken.actor_user_id == user.pk and taken.data["transcript"] is True
    # The reporter opens the mailbox with the receipt and finds the transcript to confirm.
    reporter = Client()
    assert login(reporter, receipt).status_code == 302
    mailbox = reporter.get("/kotak-surat/").content.decode()
    assert "Pak Darto" in mailbox and "Rp 200.000" in mailbox
    transcript = Message.objects.get(kind=MessageKind.TRANSCRIPT)
    assert transcript.report == report and transcript.author_id == user.pk


def test_a_letter_waits_for_its_acknowledgement_and_sends_no_transcript(agency_a) -> None:
    client, _ = officer(agency_a)
    assert client.post(URL, fields(client, channel="letter")).status_code == 302
    report = Report.objects.get()
    assert report.channel == Channel.LETTER
    assert Deadline.objects.get(case=report.case, kind=DeadlineKind.ACKNOWLEDGE).met_at is None
    assert not Message.objects.filter(kind=MessageKind.TRANSCRIPT).exists()
    assert Message.objects.filter(kind=MessageKind.ACK, report=report).exists()


def test_the_time_typed_is_read_in_the_agencys_zone(agency_a) -> None:
    agency_a.timezone = "WITA"
    agency_a.save(update_fields=["timezone"])
    client, _ = officer(agency_a)
    moment = (clock.now() - dt.timedelta(days=2)).replace(second=0, microsecond=0)
    data = fields(client, received_at=local(moment, "WITA"))
    with timezone.override("Asia/Tokyo"):  # whatever zone the server reads forms in
        assert client.post(URL, data).status_code == 302
    assert Report.objects.get().received_at == moment


def test_receipts_recorded_in_two_tabs_are_each_shown_once(agency_a) -> None:
    client, _ = officer(agency_a)
    first, second = fields(client), fields(client, what="Laporan kedua tentang pungli di loket.")
    assert client.post(URL, first).status_code == 302 and client.post(URL, second).status_code == 302
    shown = {receipt_from(client.get(RECEIPT_URL).content.decode()) for _ in range(2)}
    assert len(shown) == 2 and client.get(RECEIPT_URL).status_code == 404


def test_a_receipt_waits_while_the_officer_works_in_another_agency(agency_a, agency_b) -> None:
    client, user = officer(agency_a)
    Membership.objects.create(user=user, instansi=agency_b, role=Role.VERIFIKATOR)
    assert client.post("/kasus/instansi/", {"instansi": agency_a.pk}).status_code == 302
    assert client.post(URL, fields(client)).status_code == 302
    assert Report.objects.get().instansi == agency_a
    assert client.post("/kasus/instansi/", {"instansi": agency_b.pk}).status_code == 302
    assert client.get(RECEIPT_URL).status_code == 404  # not this agency's: it keeps waiting
    assert client.post("/kasus/instansi/", {"instansi": agency_a.pk}).status_code == 302
    assert len(receipt_from(client.get(RECEIPT_URL).content.decode())) == 16


def test_a_failure_after_the_report_is_stored_keeps_nothing_not_even_files(
    agency_a, monkeypatch, settings
) -> None:
    import sigap.intake.operator.actions as operator_actions

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the mailbox is down")

    monkeypatch.setattr(operator_actions, "officer_write", broken)
    actor = actor_for(make_user(agency_a, Role.VERIFIKATOR), agency_a)
    incoming = IncomingReport(channel="phone", content=ReportContent(what="Pungli di loket kelurahan"))
    photo = SimpleUploadedFile("bukti.txt", b"catatan bukti pungli di loket", content_type="text/plain")
    with pytest.raises(RuntimeError):
        record_taken_report(
            actor=actor, incoming=incoming, form_token="t-1", files=[photo], send_transcript=True
        )
    assert Report.objects.count() == 0 and Reporter.objects.count() == 0
    folder = Path(settings.SIGAP_EVIDENCE_DIR)
    assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]


def test_only_officers_who_verify_take_reports_in(agency_a) -> None:
    analyst, _ = officer(agency_a, Role.PENELAAH)
    assert analyst.get(URL).status_code == 404
    assert analyst.post(URL, {"what": "x"}).status_code == 404
    assert analyst.get(RECEIPT_URL).status_code == 404
    assert Client().get(URL).status_code == 302  # to the login page
    supervisor, _ = officer(agency_a, Role.SUPERVISOR)
    assert supervisor.get(URL).status_code == 200
    incoming = IncomingReport(channel="phone", content=ReportContent(what="Pungli di loket kelurahan"))
    with pytest.raises(PermissionDenied):
        record_taken_report(actor=system_actor(agency_a), incoming=incoming, form_token="t")
    assert Report.objects.count() == 0


def test_the_queue_links_to_the_form_for_those_who_may_use_it(agency_a) -> None:
    client, _ = officer(agency_a)
    assert f'href="{URL}"' in client.get("/kasus/").content.decode()
    analyst, _ = officer(agency_a, Role.PENELAAH)
    assert f'href="{URL}"' not in analyst.get("/kasus/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_at": ""}, "received_at"),
        ({"channel": "web"}, "channel"),  # the portal sends its own reports
        ({"what": "..."}, "what"),
    ],
)
def test_a_refused_answer_keeps_the_typed_report(agency_a, overrides, field) -> None:
    client, _ = officer(agency_a)
    response = client.post(URL, fields(client, **overrides))
    html = response.content.decode()
    assert response.status_code == 400 and f'id="id_{field}_error"' in html
    assert "Kantor Kecamatan Sukarame" in html
    assert Report.objects.count() == 0 and Reporter.objects.count() == 0


def test_a_time_to_come_is_refused(agency_a) -> None:
    client, _ = officer(agency_a)
    later = local(clock.now() + dt.timedelta(days=1))
    response = client.post(URL, fields(client, received_at=later))
    assert response.status_code == 400 and 'id="id_received_at_error"' in response.content.decode()
    assert Report.objects.count() == 0


def test_a_refused_file_keeps_the_typed_report_and_stores_nothing(agency_a) -> None:
    client, _ = officer(agency_a)
    exe = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300)
    response = client.post(URL, {**fields(client), "evidence": [exe]})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="files-lost"' in html and "Pak Darto" in html
    assert Report.objects.count() == 0 and Reporter.objects.count() == 0


def test_saving_twice_stores_one_report(agency_a) -> None:
    client, _ = officer(agency_a)
    data = fields(client)
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 302
    assert Report.objects.count() == 1


def test_an_identity_is_sealed_to_the_custodians_and_an_anonymous_one_dropped(agency_a) -> None:
    from sigap.vault.actions import ensure_custodian_key
    from sigap.vault.identity import recipients_of

    key = ensure_custodian_key(make_user(agency_a, Role.CUSTODIAN), "kunci-kustodian-panjang-1")
    client, _ = officer(agency_a)
    data = fields(client, anonymity="confidential", name="Siti Penelepon", phone="0812999")
    assert client.post(URL, data).status_code == 302
    reporter = Reporter.objects.get()
    assert reporter.anonymity == Anonymity.CONFIDENTIAL
    assert recipients_of(bytes(reporter.identity_sealed)) == {key.fingerprint}
    assert client.post(URL, fields(client, name="Nama Dibuang")).status_code == 302
    assert Reporter.objects.filter(anonymity=Anonymity.ANONYMOUS, identity_sealed__isnull=True).count() == 1


def test_the_transcript_labels_each_answer() -> None:
    content = ReportContent(
        title="Pungli",
        what="Diminta uang",
        who=[ReportedPerson(name="Darto", position="Petugas")],
        how_much="Rp 5.000",
    )
    text = transcript_of(content)
    assert re.search(r"Darto, Petugas", text) and "Rp 5.000" in text
    assert text.count(":\n") == 4  # summary, what, who, how much: empty answers are left out
