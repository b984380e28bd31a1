"""Officer pages: login, queue, case page, steps; Indonesian by default, English on request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from sigap.cases.templatetags.sigap import local_time, rupiah
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(agency_a):  # type: ignore[no-untyped-def]
    user = make_user(agency_a, Role.VERIFIKATOR, Role.SUPERVISOR)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_login_page_is_indonesian_by_default_and_english_on_request(db) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'lang="id"' in page and "Masuk petugas" in page
    english = Client(headers={"accept-language": "en"}).get("/accounts/login/").content.decode()
    assert 'lang="en"' in english and "Officer login" in english


def test_login_with_wrong_password_says_so(agency_a) -> None:
    user = make_user(agency_a, Role.VERIFIKATOR)
    response = Client().post("/accounts/login/", {"username": user.username, "password": "salah"})
    assert response.status_code == 200 and "salah" in response.content.decode().lower()


def test_queue_lists_cases_with_summary_and_state(officer, agency_a, submit) -> None:
    report = submit(system_actor(agency_a))
    page = officer.get("/kasus/").content.decode()
    assert report.case.number in page
    assert "Dugaan pungutan liar pembuatan KTP" in page
    assert "Diterima" in page
    assert officer.get("/kasus/?status=closed").content.decode().count(report.case.number) == 0
    partial = officer.get("/kasus/?q=" + report.tracking_number, headers={"hx-request": "true"}).content.decode()
    assert report.case.number in partial and "<html" not in partial


def test_case_page_shows_content_deadlines_and_steps(officer, agency_a, submit) -> None:
    case = submit(system_actor(agency_a)).case
    page = officer.get(f"/kasus/{case.pk}/").content.decode()
    assert "Petugas kelurahan meminta uang" in page
    assert "Rp150.000" in page
    assert "WIB" in page
    assert "Mulai verifikasi" in page  # the step offered to this role in this state


def test_case_page_shows_the_reporters_own_amount_answer(officer, agency_a, submit) -> None:
    from sigap.cases.content import ReportContent

    unread = submit(system_actor(agency_a), amount=None,
                    content=ReportContent(what="Dana desa dipotong", how_much="sekitar dua ratus-an lebih")).case
    page = officer.get(f"/kasus/{unread.pk}/").content.decode()
    assert "sekitar dua ratus-an lebih" in page  # not read as a figure, still shown to the officer
    read = submit(system_actor(agency_a), amount=2_000_000_000,
                  content=ReportContent(what="Mark up proyek", how_much="about 2 billion")).case
    page = officer.get(f"/kasus/{read.pk}/").content.decode()
    assert "about 2 billion" in page and "dibaca sebagai Rp2.000.000.000" in page


def test_case_amount_falls_back_to_the_amount_found_in_the_text(officer, agency_a, submit) -> None:
    from sigap.cases.content import ReportContent
    from sigap.triage.actions import triage_report

    report = submit(system_actor(agency_a), amount=None,
                    content=ReportContent(what="Kepala dinas mark up proyek jembatan senilai Rp 1,2 M"))
    page = officer.get(f"/kasus/{report.case.pk}/").content.decode()
    assert "ditemukan dalam teks laporan" not in page  # not triaged yet: nothing found
    triage_report(report_id=report.pk)
    page = officer.get(f"/kasus/{report.case.pk}/").content.decode()
    assert "Rp1.200.000.000 <span class=\"muted\">(ditemukan dalam teks laporan)</span>" in page
    english = officer.get(f"/kasus/{report.case.pk}/", headers={"accept-language": "en"})
    assert "(found in the report text)" in english.content.decode()


def test_step_post_moves_the_case_and_errors_keep_input(officer, agency_a, submit) -> None:
    case = submit(system_actor(agency_a)).case
    response = officer.post(f"/kasus/{case.pk}/step/start_verification/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "verification"
    bad = officer.post(f"/kasus/{case.pk}/step/refer_not_authority/", {"reason": "di luar kewenangan kami"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "di luar kewenangan kami" in body  # what was typed is kept
    case.refresh_from_db()
    assert case.status == "verification"
    empty = officer.post(f"/kasus/{case.pk}/step/refer_not_authority/", {}).content.decode()
    assert "None</textarea>" not in empty  # nothing typed comes back as nothing, not as a word to save


def test_case_history_names_who_and_which_field_in_the_pages_language(agency_a, submit) -> None:
    case = submit(system_actor(agency_a)).case
    user = make_user(agency_a, Role.VERIFIKATOR, Role.SUPERVISOR)
    pages = {}
    for language in ("id", "en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        assert client.login(username=user.username, password=PASSWORD)
        if language == "id":
            assert client.post(f"/kasus/{case.pk}/step/start_verification/").status_code == 302
            step = client.post(f"/kasus/{case.pk}/step/request_completion/", {"questions": "Kapan kejadiannya?"})
            assert step.status_code == 302
        history = client.get(f"/kasus/{case.pk}/").content.decode().split('id="history"')[-1]
        pages[language] = history
    assert "SIGAP (otomatis)" in pages["id"] and "Pertanyaan kepada pelapor:" in pages["id"]
    assert "SIGAP (automatic)" in pages["en"] and "Questions to the reporter:" in pages["en"]
    for history in pages.values():
        assert "· system ·" not in history and "questions:" not in history


def test_a_merged_case_page_points_to_where_its_reports_and_deadlines_went(officer, agency_a, submit) -> None:
    target = submit(system_actor(agency_a)).case
    dup = submit(system_actor(agency_a)).case
    for case in (target, dup):
        assert officer.post(f"/kasus/{case.pk}/step/start_verification/").status_code == 302
    merged = officer.post(f"/kasus/{dup.pk}/step/merge_duplicate/", {"target_case": target.number})
    assert merged.status_code == 302
    page = officer.get(f"/kasus/{dup.pk}/").content.decode()
    assert f"digabungkan ke {target.number}" in page and f'href="/kasus/{target.pk}/"' in page
    # its deadlines were handed over, not met; no empty mailbox that says nobody has one
    feedback = page.split("Umpan balik kepada pelapor", 1)[1].split("</li>", 1)[0]
    assert f"berlanjut di {target.number}" in feedback and "terpenuhi" not in feedback
    assert "Tidak ada pelapor" not in page and 'id="pesan-pelapor"' not in page
    target_page = officer.get(f"/kasus/{target.pk}/").content.decode()
    assert "Kasus ini digabungkan ke" not in target_page and 'id="pesan-pelapor"' in target_page


def test_step_refused_for_wrong_state_shows_a_message(officer, agency_a, submit) -> None:
    case = submit(system_actor(agency_a)).case
    response = officer.post(f"/kasus/{case.pk}/step/close/", follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == "received"


def test_rupiah_and_zones() -> None:
    assert rupiah(1_200_000_000) == "Rp1.200.000.000"
    assert rupiah(None) == "–"
    moment = dt.datetime(2026, 8, 17, 3, 5, tzinfo=dt.UTC)
    with translation.override("id"):
        assert local_time(moment, "WIB") == "17 Agustus 2026 10.05 WIB"
        assert local_time(moment, "WITA") == "17 Agustus 2026 11.05 WITA"
        assert local_time(moment, "WIT") == "17 Agustus 2026 12.05 WIT"
    with translation.override("en"):
        assert local_time(moment, "WIB") == "17 August 2026 10:05 WIB"


def test_working_days_skip_weekends_and_holidays() -> None:
    from sigap.core.clock import add_working_days, is_working_day

    assert not is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    start = dt.datetime(2026, 8, 14, 2, 0, tzinfo=dt.UTC)  # Friday
    due = add_working_days(start, 1, tz="WIB")
    assert due.astimezone(dt.timezone(dt.timedelta(hours=7))).date() == dt.date(2026, 8, 18)
    thirty = add_working_days(dt.datetime(2026, 1, 5, tzinfo=dt.UTC), 30)
    assert (thirty.date() - dt.date(2026, 1, 5)).days >= 42


def test_admin_is_for_the_super_admin(db) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.login(username="root", password=PASSWORD)
    assert client.get("/admin/tenants/instansi/").status_code == 200
    assert Client().get("/admin/").status_code == 302
    queue = client.get("/kasus/")  # no agency, so no queue: said, with the way to the admin
    assert queue.status_code == 200 and 'href="/admin/"' in queue.content.decode()


def test_the_admin_shows_cases_but_never_changes_them(agency_a, agency_b, submit) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from sigap.cases.models import Case
    from sigap.tenants.access import system_actor

    case = submit(system_actor(agency_a)).case
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.login(username="root", password=PASSWORD)
    assert client.get("/admin/cases/case/").status_code == 200
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200 and 'name="instansi"' not in page.content.decode()  # a view, no form
    moved = client.post(f"/admin/cases/case/{case.pk}/change/", {"instansi": agency_b.pk, "status": "closed"})
    assert moved.status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    case.refresh_from_db()
    assert (case.instansi_id, case.status) == (agency_a.pk, "received") and Case.objects.count() == 1


def test_three_months_are_counted_on_the_agencys_calendar() -> None:
    from sigap.cases import sla
    from sigap.core import clock

    received = dt.datetime(2026, 8, 30, 17, 30, tzinfo=dt.UTC)  # 31 August 2026, 00:30 WIB
    due = sla.due_at("feedback", received, tz="WIB").astimezone(clock.zone("WIB"))
    assert (due.date(), due.time()) == (dt.date(2026, 11, 30), dt.time(23, 59, 59))  # the end of the day shown
    week = sla.due_at("acknowledge", received, tz="WIB").astimezone(clock.zone("WIB"))
    assert (week.date(), week.time()) == (dt.date(2026, 9, 7), dt.time(23, 59, 59))
    late = dt.datetime(2026, 1, 31, 16, 0, tzinfo=dt.UTC)  # 1 February 2026, 01:00 WIT
    assert sla.due_at("feedback", late, tz="WIT").astimezone(clock.zone("WIT")).date() == dt.date(2026, 5, 1)


def test_a_letter_is_acknowledged_when_an_officer_says_the_reporter_was_told(officer, agency_a, agency_b,
                                                                             submit) -> None:
    from sigap.audit.models import AuditEvent
    from sigap.cases.models import Deadline, DeadlineKind

    web = submit(system_actor(agency_a)).case
    letter = submit(system_actor(agency_a), channel="letter").case
    ack = {c.pk: Deadline.objects.get(case=c, kind=DeadlineKind.ACKNOWLEDGE) for c in (web, letter)}
    assert ack[web.pk].met_at is not None and ack[letter.pk].met_at is None  # nobody has answered the letter
    assert not AuditEvent.objects.filter(action="report.acknowledged", data__case=letter.pk).exists()
    page = officer.get(f"/kasus/{letter.pk}/").content.decode()
    assert f'action="/kasus/{letter.pk}/tanda-terima/"' in page
    assert f'action="/kasus/{web.pk}/tanda-terima/"' not in officer.get(f"/kasus/{web.pk}/").content.decode()

    refused = officer.post(f"/kasus/{letter.pk}/tanda-terima/", {"by": "pigeon"}, follow=True)
    assert "Sebutkan bagaimana pelapor diberi tahu." in refused.content.decode()
    outsider = Client()
    assert outsider.login(username=make_user(agency_b, Role.VERIFIKATOR).username, password=PASSWORD)
    assert outsider.post(f"/kasus/{letter.pk}/tanda-terima/", {"by": "letter"}).status_code == 404
    ack[letter.pk].refresh_from_db()
    assert ack[letter.pk].met_at is None

    assert officer.post(f"/kasus/{letter.pk}/tanda-terima/", {"by": "letter"}).status_code == 302
    ack[letter.pk].refresh_from_db()
    assert ack[letter.pk].met_at is not None
    event = AuditEvent.objects.get(action="case.receipt_acknowledged", object_id=str(letter.pk))
    assert event.data == {"by": "letter"}
    again = officer.post(f"/kasus/{letter.pk}/tanda-terima/", {"by": "letter"}, follow=True)
    assert "sudah disampaikan" in again.content.decode()


def test_the_queue_puts_urgent_then_overdue_first_and_counts_every_report(boss_a, agency_a, submit) -> None:
    import datetime as dt

    from sigap.cases.models import Case, Deadline, Report
    from sigap.cases.selectors import case_page
    from sigap.core import clock

    intake = system_actor(agency_a)
    older, overdue, urgent, newest = (submit(intake).case for _ in range(4))
    Deadline.objects.filter(case=overdue).update(due_at=clock.now() - dt.timedelta(days=1), met_at=None)
    Case.objects.filter(pk=urgent.pk).update(priority=4)
    Case.objects.filter(pk=newest.pk).update(priority=3)  # high, but not urgent: by its deadline
    second = submit(intake)
    Report.objects.filter(pk=second.pk).update(case=older)  # two reports in one case
    _, rows = case_page(actor=boss_a)
    assert [r.case.pk for r in rows][:2] == [urgent.pk, overdue.pk]
    assert {r.case.pk for r in rows} >= {older.pk, newest.pk}
    _, found = case_page(actor=boss_a, number=second.tracking_number)
    assert [(r.case.pk, r.report_count) for r in found] == [(older.pk, 2)]
    _, late = case_page(actor=boss_a, overdue=True)
    assert [r.case.pk for r in late] == [overdue.pk]
