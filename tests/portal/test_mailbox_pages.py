"""The mailbox over HTTP: login with proof of work and limits, scope, messages, officer side."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from sigap.cases.models import Priority, Report
from sigap.reporters.models import Message, MessageKind
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user
from tests.portal.helpers import hidden_value, login, submit_and_get_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(agency_a):  # type: ignore[no-untyped-def]
    receipt = submit_and_get_receipt(Client(), "/prov-a/lapor/")
    return receipt, Report.objects.get()


def logged_in(receipt: str, passphrase: str = "") -> Client:
    client = Client()
    response = login(client, receipt, passphrase)
    assert response.status_code == 302, response.content.decode()[:1500]
    return client


def officer_client(instansi, *roles) -> Client:  # type: ignore[no-untyped-def]
    user = make_user(instansi, *roles)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def normalised(html: str) -> str:
    return re.sub(r'(value|nonce)="[^"]*"', '\1=""', html)


def test_login_shows_status_deadlines_and_acknowledgement(reported) -> None:
    receipt, report = reported
    client = logged_in(receipt)
    page = client.get("/kotak-surat/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert report.tracking_number in html
    assert "Pelapor-" not in html  # the reporter never sees their officer-facing pseudonym
    assert html.count('class="msg auto"') == 1  # the acknowledgement
    assert 'id="deadlines-title"' in html


def test_login_page_has_the_challenge_and_a_no_script_explanation(agency_a) -> None:
    html = Client().get("/kotak-surat/").content.decode()
    assert 'data-pow-bits="6"' in html and 'name="pow_challenge"' in html
    assert 'id="pow-wait-note"' in html and "/static/sigap/pow.js" in html


def test_wrong_receipts_get_the_same_answer_whether_they_exist_or_not(reported) -> None:
    receipt, _ = reported
    wrong_rest = receipt[:8] + ("0" if receipt[8] != "0" else "1") + receipt[9:]
    missing = ("1" if receipt[0] != "1" else "2") + receipt[1:]
    a, b = login(Client(), wrong_rest), login(Client(), missing)
    assert a.status_code == b.status_code == 400
    assert normalised(a.content.decode()) == normalised(b.content.decode())


def test_passphrase_is_needed_when_set(agency_a) -> None:
    receipt = submit_and_get_receipt(
        Client(), "/prov-a/lapor/", passphrase="kuda lari cepat", passphrase_again="kuda lari cepat"
    )
    assert login(Client(), receipt).status_code == 400
    assert login(Client(), receipt, "kuda lari cepat").status_code == 302


def test_without_javascript_the_login_waits_then_works(reported, settings) -> None:
    receipt, _ = reported
    settings.SIGAP_POW_WAIT_SECONDS = 4  # long enough that a slow machine still posts early
    client = Client()
    challenge = hidden_value(client.get("/kotak-surat/").content.decode(), "pow_challenge")
    early = client.post("/kotak-surat/masuk/", {"receipt": receipt, "pow_challenge": challenge})
    assert early.status_code == 400 and hidden_value(early.content.decode(), "pow_challenge") == challenge
    assert hidden_value(early.content.decode(), "receipt") == receipt  # what was typed stays
    time.sleep(4.1)
    ok = client.post("/kotak-surat/masuk/", {"receipt": receipt, "pow_challenge": challenge})
    assert ok.status_code == 302
    replay = Client().post("/kotak-surat/masuk/", {"receipt": receipt, "pow_challenge": challenge})
    assert replay.status_code == 400  # a challenge opens one attempt only


def test_global_and_per_prefix_limits(reported, settings) -> None:
    receipt, _ = reported
    settings.SIGAP_MAILBOX_LOGINS_PER_PREFIX_HOUR = 2
    wrong = receipt[:8] + "00000000"
    assert login(Client(), wrong).status_code == 400
    assert login(Client(), wrong).status_code == 400
    assert login(Client(), receipt).status_code == 429  # this prefix is used up for the hour
    settings.SIGAP_MAILBOX_LOGINS_PER_MINUTE = 3
    other = ("1" if receipt[0] != "1" else "2") + receipt[1:]
    assert login(Client(), other).status_code == 429  # 3 attempts already this minute, site-wide


def test_the_owner_opening_the_mailbox_often_is_never_locked_out(reported, settings) -> None:
    receipt, _ = reported
    settings.SIGAP_MAILBOX_LOGINS_PER_PREFIX_HOUR = 2
    assert [login(Client(), receipt).status_code for _ in range(4)] == [302] * 4  # only wrong guesses count
    wrong = receipt[:8] + "00000000"
    assert [login(Client(), wrong).status_code for _ in range(3)] == [400, 400, 429]


def test_logins_that_only_waited_never_use_up_the_budget_of_those_that_computed(reported, settings) -> None:
    receipt, _ = reported
    settings.SIGAP_POW_WAIT_SECONDS = 1
    settings.SIGAP_MAILBOX_LOGINS_PER_MINUTE = 5  # one of them without the computed check
    wrong = ("1" if receipt[0] != "1" else "2") + receipt[1:]
    challenges = [hidden_value(Client().get("/kotak-surat/").content.decode(), "pow_challenge") for _ in range(5)]
    time.sleep(1.1)
    free = [Client().post("/kotak-surat/masuk/", {"receipt": wrong, "pow_challenge": c}).status_code
            for c in challenges]
    assert free == [400, 429, 429, 429, 429]  # the free budget: one a minute here
    assert login(Client(), receipt).status_code == 302  # a reporter whose browser computed the check


def test_one_receipt_opens_only_its_own_mailbox_across_agencies(agency_a, agency_b, boss_a) -> None:
    from sigap.reporters.mailbox import officer_write

    ra = submit_and_get_receipt(Client(), "/prov-a/lapor/", what="Laporan A rahasia")
    rb = submit_and_get_receipt(Client(), "/kota-b/lapor/", what="Laporan B rahasia")
    report_a = Report.objects.get(instansi=agency_a)
    report_b = Report.objects.get(instansi=agency_b)
    officer_write(actor=boss_a, case_id=report_a.case_id, report_id=report_a.pk, body="Pertanyaan untuk A")
    page_b = logged_in(rb).get("/kotak-surat/").content.decode()
    assert report_b.tracking_number in page_b and agency_b.name in page_b
    assert report_a.tracking_number not in page_b and "Pertanyaan untuk A" not in page_b
    client_b = logged_in(rb)
    question = Message.objects.get(kind=MessageKind.QUESTION)
    response = client_b.post("/kotak-surat/tulis/", {"body": "menyusup", "reply_to": question.pk})
    assert response.status_code == 404
    page_a = logged_in(ra).get("/kotak-surat/").content.decode()
    assert "Pertanyaan untuk A" in page_a and report_b.tracking_number not in page_a


def test_logout_and_expiry(reported) -> None:
    receipt, _ = reported
    client = logged_in(receipt)
    client.post("/kotak-surat/keluar/")
    assert 'name="pow_challenge"' in client.get("/kotak-surat/").content.decode()
    client = logged_in(receipt)
    session = client.session
    state = session["mailbox"]
    state["at"] = time.time() - 5 * 3600
    session["mailbox"] = state
    session.save()
    assert 'name="pow_challenge"' in client.get("/kotak-surat/").content.decode()
    assert client.post("/kotak-surat/tulis/", {"body": "halo"}).status_code == 403


def test_the_mailbox_closes_with_the_browser_and_after_idle_time(reported, settings) -> None:
    receipt, _ = reported
    client = logged_in(receipt)
    assert client.session.get_expire_at_browser_close()  # no cookie left for the next user of a shared computer
    assert 'name="pow_challenge"' not in client.get("/kotak-surat/").content.decode()
    session = client.session
    state = session["mailbox"]
    state["seen"] = time.time() - settings.SIGAP_MAILBOX_IDLE_SECONDS - 5  # left idle
    session["mailbox"] = state
    session.save()
    assert 'name="pow_challenge"' in client.get("/kotak-surat/").content.decode()


def test_the_receipt_page_offers_no_language_switch_that_would_lose_it(agency_a) -> None:
    from tests.portal.helpers import receipt_from, submit_report

    client = Client()
    assert 'name="language"' in client.get("/prov-a/lapor/").content.decode()  # offered everywhere else
    sent = submit_report(client, "/prov-a/lapor/")
    page = client.get(sent["Location"]).content.decode()
    assert receipt_from(page) and 'name="language"' not in page


def test_officer_asks_on_the_case_page_reporter_answers(reported, agency_a, agency_b) -> None:
    receipt, report = reported
    officer = officer_client(agency_a, Role.VERIFIKATOR)
    case_page = officer.get(f"/kasus/{report.case_id}/").content.decode()
    assert 'id="pesan-pelapor"' in case_page and report.reporter.pseudonym in case_page
    assert receipt not in case_page
    response = officer.post(
        f"/kasus/{report.case_id}/pesan-pelapor/",
        {"report": report.pk, "kind": "question", "body": "Siapa nama petugas loket?"},
    )
    assert response.status_code == 302
    reporter = logged_in(receipt)
    html = reporter.get("/kotak-surat/").content.decode()
    assert "Siapa nama petugas loket?" in html
    question = Message.objects.get(kind=MessageKind.QUESTION)
    assert (
        reporter.post("/kotak-surat/tulis/", {"body": "Pak Anton", "reply_to": question.pk}).status_code
        == 302
    )
    assert "Pak Anton" in officer.get(f"/kasus/{report.case_id}/").content.decode()
    outsider = officer_client(agency_b, Role.SUPERVISOR)
    assert (
        outsider.post(
            f"/kasus/{report.case_id}/pesan-pelapor/", {"report": report.pk, "body": "x"}
        ).status_code
        == 404
    )


def test_reporter_asks_and_sees_the_answer_deadline(reported) -> None:
    receipt, _ = reported
    client = logged_in(receipt)
    assert client.post("/kotak-surat/tulis/", {"body": "Kapan ada kabar?"}).status_code == 302
    html = client.get("/kotak-surat/").content.decode()
    assert "Kapan ada kabar?" in html and html.count("<li>", html.index('class="deadlines"')) >= 3


def test_transcript_confirmation_over_http(reported, boss_a) -> None:
    from sigap.reporters.mailbox import officer_write

    receipt, report = reported
    t = officer_write(
        actor=boss_a,
        case_id=report.case_id,
        report_id=report.pk,
        kind="transcript",
        body="Transkrip laporan lisan",
    )
    client = logged_in(receipt)
    assert "Transkrip laporan lisan" in client.get("/kotak-surat/").content.decode()
    response = client.post("/kotak-surat/transkrip/", {"transcript": t.pk, "decision": "confirm"})
    assert response.status_code == 302
    assert Message.objects.get(kind=MessageKind.TRANSCRIPT_CONFIRMATION).reply_to_id == t.pk


def test_retaliation_over_http(reported) -> None:
    receipt, report = reported
    client = logged_in(receipt)
    assert client.get("/kotak-surat/pembalasan/").status_code == 200
    response = client.post("/kotak-surat/pembalasan/", {"body": "Saya diancam dipecat."})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "LPSK" in page and "148" in page
    report.case.refresh_from_db()
    assert report.case.retaliation_reported and report.case.priority == Priority.URGENT


def test_add_evidence_later(reported) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.evidence.storage import evidence_of_report
    from tests.portal.images import jpeg_with_gps

    receipt, report = reported
    client = logged_in(receipt)
    photo = SimpleUploadedFile("baru.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/kotak-surat/bukti/", {"evidence": [photo], "note": "Foto loket"})
    assert response.status_code == 302
    assert len(evidence_of_report(report=report)) == 1
    assert Message.objects.filter(kind=MessageKind.EVIDENCE).count() == 1


def test_evidence_added_later_is_all_or_nothing_on_disk_too(reported, settings) -> None:
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sigap.evidence.models import Evidence
    from tests.portal.images import jpeg_with_gps

    receipt, report = reported
    client = logged_in(receipt)
    photo = SimpleUploadedFile("baru.jpg", jpeg_with_gps(), content_type="image/jpeg")
    exe = SimpleUploadedFile("lagi.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300)
    response = client.post("/kotak-surat/bukti/", {"evidence": [photo, exe], "note": "Foto loket"})
    assert response.status_code == 400
    assert Evidence.objects.count() == 0 and not Message.objects.filter(kind=MessageKind.EVIDENCE).exists()
    root = Path(settings.SIGAP_EVIDENCE_DIR)
    left = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    assert left == []  # the photo prepared before the refusal is gone too


@pytest.mark.parametrize("address", ["masuk", "keluar", "tulis", "transkrip", "bukti"])
def test_opening_a_form_target_goes_back_to_the_mailbox(reported, address) -> None:
    receipt, report = reported
    for client in (Client(), logged_in(receipt)):
        response = client.get(f"/kotak-surat/{address}/")
        assert response.status_code == 302 and response["Location"] == "/kotak-surat/"
        assert client.put(f"/kotak-surat/{address}/").status_code == 405
    client = logged_in(receipt)
    client.get("/kotak-surat/keluar/")  # a GET does not leave the mailbox
    assert report.tracking_number in client.get("/kotak-surat/").content.decode()
