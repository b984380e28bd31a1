"""Ids of four digits and more survive the round trip through a page, in both languages.

With USE_THOUSAND_SEPARATOR a template renders the id 3004 as "3.004" (Indonesian) or "3,004"
(English) unless told not to; the view then cannot read it back. These tests start every table's
ids past 1000, render the real pages as the real users, take each form's fields from the HTML and
send them as a browser would.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Report
from sigap.reporters.mailbox import officer_write
from sigap.reporters.models import Direction, Message, MessageKind, Reporter
from sigap.tenants.access import actor_for, system_actor
from sigap.tenants.permissions import Role
from sigap.triage.actions import triage_report
from sigap.vault import actions as vault_actions
from sigap.vault.identity import seal_identity
from tests.conftest import PASSWORD, make_user
from tests.html_forms import Form, form_to, forms_to
from tests.ids import start_ids_high
from tests.portal.helpers import login, submit_and_get_receipt

pytestmark = pytest.mark.django_db

LANGUAGES = ["id", "en"]
# A report that says only what happened: triage asks who, where, when, how and how much.
SHORT_REPORT = {
    "what": "Petugas loket kelurahan meminta uang tambahan untuk mempercepat pembuatan KTP elektronik.",
    "title": "",
    "who_0_name": "",
    "who_0_position": "",
    "who_0_institution": "",
    "where": "",
    "when": "",
    "how": "",
    "how_much": "",
}


@pytest.fixture
def high_ids(db: None) -> dict[str, int]:
    return start_ids_high()


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def reported(high_ids, agency_a):  # type: ignore[no-untyped-def]
    receipt = submit_and_get_receipt(Client(), "/prov-a/lapor/", **SHORT_REPORT)
    report = Report.objects.get()
    assert report.pk >= 1000 and report.case_id >= 1000
    return receipt, report


def officer_client(instansi, lang: str, *roles: str) -> Client:  # type: ignore[no-untyped-def]
    user = make_user(instansi, *roles)
    client = Client(headers={"accept-language": lang})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def reporter_client(receipt: str, lang: str) -> Client:
    client = Client(headers={"accept-language": lang})
    response = login(client, receipt)
    assert response.status_code == 302, response.content.decode()[:1500]
    return client


def page_of(client: Client, url: str, lang: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.content.decode()
    assert f'<html lang="{lang}">' in text
    return text


def visible(page: str) -> str:
    return html.unescape(page)


def the_one(forms: list[Form]) -> Form:
    assert len(forms) == 1, f"{len(forms)} forms"
    return forms[0]


def test_one_click_question_from_triage_reaches_the_reporter_who_answers(reported, agency_a, lang) -> None:
    receipt, report = reported
    triage_report(report_id=report.pk)
    officer = officer_client(agency_a, lang, Role.VERIFIKATOR)
    case_url = f"/kasus/{report.case_id}/"
    case_page = page_of(officer, case_url, lang)

    # The triage panel's "Ask the reporter" buttons: a hidden report id, kind and question each.
    asks = [f for f in forms_to(case_page, f"{case_url}pesan-pelapor/", kind="question") if f.fields["body"]]
    assert asks, "triage offers no follow-up question"
    ask = asks[0]
    response = ask.submit(officer)
    assert response.status_code == 302 and response["Location"].startswith(case_url)
    question = Message.objects.get(kind=MessageKind.QUESTION, direction=Direction.OFFICER_TO_REPORTER)
    assert question.report_id == report.pk and question.pk >= 1000

    reporter = reporter_client(receipt, lang)
    mailbox = page_of(reporter, "/kotak-surat/", lang)
    assert ask.fields["body"] in visible(mailbox)
    answer_form = the_one([f for f in forms_to(mailbox, "/kotak-surat/tulis/") if "reply_to" in f.fields])
    response = answer_form.fill(body="Namanya Pak Anton, loket 3.").submit(reporter)
    assert response.status_code == 302, response.status_code
    answer = Message.objects.get(kind=MessageKind.ANSWER, direction=Direction.REPORTER_TO_OFFICER)
    assert answer.reply_to_id == question.pk
    question.refresh_from_db()
    assert question.answered_at is not None
    assert "Namanya Pak Anton, loket 3." in visible(page_of(officer, case_url, lang))


def test_mailbox_card_answers_a_question_and_sends_transcripts_to_confirm_or_correct(
    reported, agency_a, lang
) -> None:
    receipt, report = reported
    reporter = reporter_client(receipt, lang)
    mailbox = page_of(reporter, "/kotak-surat/", lang)
    ask = the_one([f for f in forms_to(mailbox, "/kotak-surat/tulis/") if "reply_to" not in f.fields])
    assert ask.fill(body="Kapan laporan saya diperiksa?").submit(reporter).status_code == 302
    asked = Message.objects.get(kind=MessageKind.QUESTION, direction=Direction.REPORTER_TO_OFFICER)
    assert asked.pk >= 1000

    officer = officer_client(agency_a, lang, Role.VERIFIKATOR)
    case_url = f"/kasus/{report.case_id}/"
    action = f"{case_url}pesan-pelapor/"

    def card() -> Form:
        return the_one(
            [f for f in forms_to(page_of(officer, case_url, lang), action) if "report" in f.options]
        )

    # "Send to the reporter's mailbox", answering the reporter's question.
    form = card().choose("reply_to", "Kapan laporan saya").fill(body="Dalam 30 hari kerja.")
    assert form.submit(officer).status_code == 302
    asked.refresh_from_db()
    assert asked.answered_at is not None
    answer = Message.objects.get(kind=MessageKind.ANSWER, direction=Direction.OFFICER_TO_REPORTER)
    assert answer.reply_to_id == asked.pk and answer.report_id == report.pk
    assert "Dalam 30 hari kerja." in visible(page_of(reporter, "/kotak-surat/", lang))

    # A transcript the reporter confirms...
    form = card().select("kind", "transcript").fill(body="Transkrip pertama.")
    assert form.submit(officer).status_code == 302
    first = Message.objects.get(kind=MessageKind.TRANSCRIPT, report=report)
    confirm = form_to(page_of(reporter, "/kotak-surat/", lang), "/kotak-surat/transkrip/", decision="confirm")
    assert confirm.submit(reporter).status_code == 302
    confirmed = Message.objects.get(kind=MessageKind.TRANSCRIPT_CONFIRMATION)
    assert confirmed.reply_to_id == first.pk

    # ... and one they correct.
    form = card().select("kind", "transcript").fill(body="Transkrip kedua.")
    assert form.submit(officer).status_code == 302
    second = Message.objects.filter(kind=MessageKind.TRANSCRIPT).latest("pk")
    correct = form_to(page_of(reporter, "/kotak-surat/", lang), "/kotak-surat/transkrip/", decision="correct")
    assert correct.fill(correction="Tanggalnya 4 Maret, bukan 5 Maret.").submit(reporter).status_code == 302
    corrected = Message.objects.filter(kind=MessageKind.TRANSCRIPT_CONFIRMATION).latest("pk")
    assert corrected.reply_to_id == second.pk and corrected.pk != confirmed.pk


def test_refer_step_sends_the_chosen_agency(high_ids, agency_a, agency_b, lang, submit) -> None:
    case = submit(system_actor(agency_a)).case
    assert agency_b.pk >= 1000 and case.pk >= 1000
    officer = officer_client(agency_a, lang, Role.VERIFIKATOR)
    case_url = f"/kasus/{case.pk}/"
    start = form_to(page_of(officer, case_url, lang), f"{case_url}step/start_verification/")
    assert start.submit(officer).status_code == 302
    refer = form_to(page_of(officer, case_url, lang), f"{case_url}step/refer_not_authority/")
    refer.choose("target_instansi", agency_b.name).fill(reason="Di luar kewenangan provinsi.")
    response = refer.submit(officer)
    assert response.status_code == 302, response.status_code
    case.refresh_from_db()
    assert case.status == "referred" and case.referred_to_id == agency_b.pk


# -- a guard over the main pages ---------------------------------------------------------------------

LOCALIZED = r"\d{1,3}(?:[.,]\d{3})+"
# A number with thousand separators in a form value, in a URL's query, in an id/for pair, in a
# data- attribute or after a "#" of an identifier.
SUSPECT = [
    re.compile(rf'<(?:input|option|button)\b[^>]*\bvalue="{LOCALIZED}"'),
    re.compile(rf'\b(?:href|action|hx-get|hx-post)="[^"]*[?&/=]{LOCALIZED}(?:[&/"#])'),
    re.compile(rf'\b(?:id|for|aria-describedby|aria-labelledby)="[^"]*-{LOCALIZED}"'),
    re.compile(rf'\bdata-[\w-]+="{LOCALIZED}"'),
    re.compile(rf"#{LOCALIZED}\b"),
]


def localized_numbers(page: str) -> list[str]:
    return [m.group(0) for pattern in SUSPECT for m in pattern.finditer(page)]


def test_localized_numbers_are_found_by_the_guard() -> None:
    assert localized_numbers('<input type="hidden" name="report" value="3.004">') == [
        '<input type="hidden" name="report" value="3.004"'
    ]
    assert localized_numbers('<option value="3,004">x</option>')
    assert localized_numbers('<textarea id="answer-3.004">')
    assert localized_numbers('<a href="?page=1.001">')
    assert not localized_numbers('<input value="3004"> Rp1.200.000 <span>1.234 kasus</span>')


def test_no_page_renders_an_id_as_a_localized_number(reported, agency_a, agency_b, lang, settings) -> None:
    settings.SIGAP_VAULT_KDF = "interactive"
    receipt, report = reported
    triage_report(report_id=report.pk)
    custodian = make_user(agency_a, Role.CUSTODIAN)
    requester = make_user(agency_a, Role.VERIFIKATOR, Role.PENELAAH, Role.SUPERVISOR)
    vault_actions.ensure_custodian_key(custodian, "frasa-kustodian-1")
    vault_actions.ensure_officer_key(requester, "frasa-petugas-111")
    Reporter.objects.filter(pk=report.reporter_id).update(
        identity_sealed=seal_identity(instansi=agency_a, identity={"name": "Nama Tersegel"})
    )
    identity_request = vault_actions.request_identity(
        actor=actor_for(requester, agency_a),
        report_id=report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor.",
    )
    assert identity_request.pk >= 1000

    reporter = reporter_client(receipt, lang)
    mailbox = page_of(reporter, "/kotak-surat/", lang)
    the_one([f for f in forms_to(mailbox, "/kotak-surat/tulis/") if "reply_to" not in f.fields]).fill(
        body="Apakah laporan saya sudah dibaca?"
    ).submit(reporter)
    boss = actor_for(requester, agency_a)
    do_transition(actor=boss, case_id=report.case_id, name="start_verification")  # offers "refer"
    officer_write(actor=boss, case_id=report.case_id, report_id=report.pk, body="Siapa nama petugasnya?")
    officer_write(
        actor=boss, case_id=report.case_id, report_id=report.pk, kind="transcript", body="Transkrip."
    )

    officer = Client(headers={"accept-language": lang})
    assert officer.login(username=requester.username, password=PASSWORD)
    keeper = Client(headers={"accept-language": lang})
    assert keeper.login(username=custodian.username, password=PASSWORD)
    pages = {
        "queue": page_of(officer, "/kasus/", lang),
        "case": page_of(officer, f"/kasus/{report.case_id}/", lang),
        "vault": page_of(officer, "/brankas/", lang),
        "request": page_of(officer, f"/brankas/permintaan/{identity_request.pk}/", lang),
        "custodian vault": page_of(keeper, "/brankas/", lang),
        "custodian request": page_of(keeper, f"/brankas/permintaan/{identity_request.pk}/", lang),
        "mailbox": page_of(reporter, "/kotak-surat/", lang),
        "mailbox login": page_of(Client(headers={"accept-language": lang}), "/kotak-surat/", lang),
    }
    case_page = pages["case"]
    # The page really carries the large ids this guard is about.
    assert f'value="{report.pk}"' in case_page and f'value="{agency_b.pk}"' in case_page
    assert 'name="reply_to"' in case_page and 'name="reply_to"' in pages["mailbox"]
    assert 'name="transcript"' in pages["mailbox"]
    assert f"#{identity_request.pk}" in pages["custodian vault"]
    found = {name: localized_numbers(page) for name, page in pages.items()}
    assert not any(found.values()), found
