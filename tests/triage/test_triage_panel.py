"""What an officer reads on a case's triage panel: words for the stored codes in the page's
language, and one duplicate row per other case, decided as one."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sigap.tenants.permissions import Role
from sigap.triage.actions import triage_report
from sigap.triage.decide import decide_duplicate
from sigap.triage.lib.taxonomy import CATEGORIES, SECTORS
from sigap.triage.models import DuplicateSuggestion, TriageResult
from sigap.triage.selectors import triage_of_case
from tests.conftest import PASSWORD, make_user
from tests.triage.test_triage_actions import ROAD, ROAD_WA, _submit

pytestmark = pytest.mark.django_db


def _page(agency, case_id: int, language: str) -> str:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": language})
    officer = make_user(agency, Role.VERIFIKATOR, username=f"officer-{language}")
    assert client.login(username=officer.username, password=PASSWORD)
    response = client.get(f"/kasus/{case_id}/")
    assert response.status_code == 200
    return response.content.decode()


def _visible(html: str) -> str:
    """The page's text without tags and attribute values (codes may stay in option values)."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_panel_names_categories_sectors_elements_and_evidence_in_words(agency_a, submit, language) -> None:
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    second = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    result = triage_report(report_id=second.pk)
    suggestion = DuplicateSuggestion.objects.get(report=second)
    assert result.category and result.sectors and suggestion.shared_kinds

    html = _page(agency_a, second.case_id, language)
    text = _visible(html)
    english = language == "en"
    category = CATEGORIES[result.category]
    assert (category.label_en if english else category.label_id) in text
    sectors = re.search(r"<dt>(?:Sektor|Sectors)</dt><dd>(.*?)</dd>", html).group(1)  # type: ignore[union-attr]
    assert sectors == ", ".join(SECTORS[k].label_en if english else SECTORS[k].label_id for k in result.sectors)
    # No stored code is shown as it is: categories, evidence kinds, 5W2H elements.
    codes = {result.category, *suggestion.shared_kinds, "di_mana"}
    assert not {code for code in codes if "_" in code and code in text}
    assert ("numbered address" if english else "alamat bernomor") in text  # the shared address, in words
    # The choices to confirm or correct the category are in the page's language too.
    assert (category.label_en if english else category.label_id) in text


def test_one_row_per_other_case_and_the_decision_covers_all_its_reports(agency_a, submit, boss_a) -> None:
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    resent = _submit(submit, agency_a, ROAD)  # the same text again: merged into the first case
    triage_report(report_id=resent.pk)
    resent.refresh_from_db()
    assert resent.case_id == first.case_id
    reworded = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    triage_report(report_id=reworded.pk)
    stored = DuplicateSuggestion.objects.filter(report=reworded)
    assert {s.other_report_id for s in stored} == {first.pk, resent.pk}

    [view] = triage_of_case(actor=boss_a, case=reworded.case)
    assert [row.other_case_id for row in view.suggestions] == [first.case_id]  # one row, not two

    decide_duplicate(actor=boss_a, suggestion_id=view.suggestions[0].suggestion.pk, confirm=False)
    assert set(stored.values_list("decision", flat=True)) == {DuplicateSuggestion.Decision.REJECTED}


def test_a_merged_case_no_longer_lists_its_own_reports_as_duplicates(agency_a, submit, boss_a) -> None:
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    reworded = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    triage_report(report_id=reworded.pk)
    suggestion = DuplicateSuggestion.objects.get(report=reworded)
    decide_duplicate(actor=boss_a, suggestion_id=suggestion.pk, confirm=True)
    reworded.refresh_from_db()
    assert reworded.case_id == first.case_id
    views = triage_of_case(actor=boss_a, case=reworded.case)
    assert {v.report.pk for v in views} == {first.pk, reworded.pk}
    assert all(not v.suggestions for v in views)
    assert TriageResult.objects.filter(report=reworded).exists()


def test_questions_go_out_with_one_click_only_where_the_reporter_has_a_mailbox(agency_a, submit) -> None:
    report = _submit(submit, agency_a, ROAD)  # entered by an officer: the reporter has no receipt
    triage_report(report_id=report.pk)
    assert not report.reporter.receipt_hash
    html = _page(agency_a, report.case_id, "id")
    assert "Tanyakan kepada pelapor" not in html
    assert "Pelapor ini tidak memiliki kotak surat di sini" in html
    report.reporter.receipt_hash = "argon2id$stand-in"  # a reporter who holds a receipt
    report.reporter.save(update_fields=["receipt_hash"])
    html = _page(agency_a, report.case_id, "en")
    assert "Ask the reporter" in html and "no mailbox here" not in html


def test_a_question_already_sent_is_marked_not_offered_again(agency_a, submit, boss_a) -> None:
    from sigap.reporters.mailbox import officer_write

    report = _submit(submit, agency_a, ROAD)
    triage_report(report_id=report.pk)
    report.reporter.receipt_hash = "argon2id$stand-in"
    report.reporter.save(update_fields=["receipt_hash"])
    view = triage_of_case(actor=boss_a, case=report.case)[0]
    questions = view.features["completeness"]["questions"]
    assert questions and not view.asked
    officer_write(actor=boss_a, case_id=report.case_id, report_id=report.pk, body=questions[0])
    view = triage_of_case(actor=boss_a, case=report.case)[0]
    assert view.asked == {questions[0]}
    html = _page(agency_a, report.case_id, "en")
    assert html.count('name="kind" value="question"') == len(questions) - 1 and "✓ asked" in html


def test_the_panel_shows_what_the_report_names_and_what_two_reports_share(agency_a, agency_b, submit) -> None:
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    second = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    triage_report(report_id=second.pk)
    text = _visible(_page(agency_a, second.case_id, "id"))
    assert "Disebut dalam laporan" in text and "Rp1.200.000.000" in text and "kepala dinas" in text
    # the same agency's duplicate row says what the two share, not only of which kind
    assert re.search(r"alamat bernomor\s+jalan mawar 12", text)

    elsewhere = _submit(submit, agency_b, ROAD_WA, channel="whatsapp")
    triage_report(report_id=elsewhere.pk)
    client = Client(headers={"accept-language": "id"})
    officer_b = make_user(agency_b, Role.VERIFIKATOR)
    assert client.login(username=officer_b.username, password=PASSWORD)
    seen_by_b = _visible(client.get(f"/kasus/{elsewhere.case_id}/").content.decode())
    assert agency_a.name in seen_by_b  # told whom to coordinate with ...
    row = seen_by_b.split("Kemungkinan duplikat")[1]
    assert "jalan mawar 12" not in row and "alamat bernomor" in row  # ... and of which kind, never the values


def test_the_queue_marks_cases_whose_reports_wait_for_triage(agency_a, submit) -> None:
    from sigap.cases.models import Report, TriageStatus

    waiting = _submit(submit, agency_a, ROAD)
    failed = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    Report.objects.filter(pk=failed.pk).update(triage_status=TriageStatus.FAILED)
    client = Client(headers={"accept-language": "id"})
    officer = make_user(agency_a, Role.VERIFIKATOR)
    assert client.login(username=officer.username, password=PASSWORD)
    rows = {
        number: row
        for row in client.get("/kasus/").content.decode().split("<tr>")[1:]
        for number in re.findall(r">([^<]+)</a>", row)
    }
    assert "Menunggu triase" in rows[waiting.case.number] and "Triase gagal" not in rows[waiting.case.number]
    assert "Triase gagal, akan dicoba lagi" in rows[failed.case.number]
    triage_report(report_id=waiting.pk)
    assert "Menunggu triase" not in client.get("/kasus/").content.decode().split(waiting.case.number)[1].split("</tr>")[0]
