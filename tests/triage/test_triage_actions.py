"""Triage on stored reports: results, sealed features, duplicates within and across agencies, retries."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from sigap.cases.content import ReportContent, ReportedPerson
from sigap.cases.models import Report, TriageStatus
from sigap.cases.workflow import State
from sigap.tenants.access import system_actor
from sigap.triage import index
from sigap.triage.actions import triage_report
from sigap.triage.decide import decide_duplicate
from sigap.triage.models import DuplicateSuggestion, TriageResult
from sigap.triage.selectors import triage_of_case
from sigap.triage.tasks import triage_report_task

pytestmark = pytest.mark.django_db

ROAD = ReportContent(
    title="Jalan rusak parah di Jalan Mawar 12 Kecamatan Kedaton",
    what=(
        "Jalan Mawar nomor 12 Kelurahan Surabaya Kecamatan Kedaton Kota Bandar Lampung rusak parah sejak "
        "Januari 2026. Proyek perbaikan senilai Rp 1.200.000.000 oleh Dinas PUPR tidak dikerjakan, padahal "
        "anggaran sudah dicairkan kepada kontraktor CV Maju Jaya. Kepala Dinas PUPR diduga menerima fee 10 persen."
    ),
)
ROAD_WA = ReportContent(
    what=(
        "min tolong jln mawar no 12 kec kedaton bandar lampung rusak parahhh udh dr januari 2026 ga diperbaiki2, "
        "katanya proyeknya 1,2 M dr dinas pupr tp kontraktor cv maju jaya ga kerja, kadis pupr dpt fee 10 persen"
    ),
)
OTHER = ReportContent(
    what=(
        "Pungutan liar dalam penerimaan siswa baru di SMP Negeri 3 Metro. Kepala sekolah meminta uang "
        "Rp 5 juta per siswa agar anak diterima. Kejadian Juli 2025, ada kuitansi."
    ),
)


def _submit(submit, agency, content, channel="web"):  # type: ignore[no-untyped-def]
    return submit(system_actor(agency), content=content, channel=channel, amount=None, region_code="")


def test_triage_stores_sealed_features_and_fills_the_case(agency_a, submit) -> None:
    report = _submit(submit, agency_a, ROAD)
    result = triage_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.triage_status == TriageStatus.DONE
    assert result.category and result.completeness > 0
    assert result.kpk_competent is True  # Rp1,2 miliar and an official
    assert b"Mawar" not in bytes(result.features_sealed) and b"mawar" not in bytes(result.features_sealed)
    case = report.case
    case.refresh_from_db()
    assert case.category == result.category and not case.category_confirmed
    assert index.size() > 0


def test_reworded_report_in_same_agency_is_suggested_with_evidence(agency_a, submit, boss_a) -> None:
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    unrelated = _submit(submit, agency_a, OTHER)
    triage_report(report_id=unrelated.pk)
    second = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    triage_report(report_id=second.pk)
    suggestions = DuplicateSuggestion.objects.filter(report=second)
    assert [s.other_report_id for s in suggestions] == [first.pk]
    view = triage_of_case(actor=boss_a, case=second.case)[0]
    assert view.suggestions[0].same_agency and view.suggestions[0].evidence["shared"]
    from sigap.triage.selectors import later_reports_like

    later = later_reports_like(actor=boss_a, case=first.case)  # the older case points to the newer one too
    assert [(lr.case_id, lr.decision) for lr in later] == [(second.case_id, "open")]
    assert later_reports_like(actor=boss_a, case=unrelated.case) == []
    decide_duplicate(actor=boss_a, suggestion_id=suggestions[0].pk, confirm=True)
    second.refresh_from_db()
    assert second.case_id == first.case_id
    merged = second.reporter.reports.get().case  # the reporter keeps their report, now in the first case
    assert merged.pk == first.case_id
    from sigap.cases.selectors import case_timeline

    history = [entry.event.action for entry in case_timeline(actor=boss_a, case=merged)]
    assert "triage.duplicate_confirmed" in history and "case.duplicate_received" in history


def test_cross_agency_duplicate_tells_both_without_content(agency_a, agency_b, submit, actor_of) -> None:
    from sigap.tenants.permissions import Role

    a = _submit(submit, agency_a, ROAD)
    triage_report(report_id=a.pk)
    b = _submit(submit, agency_b, ROAD_WA)
    triage_report(report_id=b.pk)
    mine = DuplicateSuggestion.objects.get(report=b)
    theirs = DuplicateSuggestion.objects.get(report=a)
    assert mine.other_instansi_id == agency_a.pk and theirs.other_instansi_id == agency_b.pk
    assert mine.evidence_sealed is None and theirs.evidence_sealed is None
    view = triage_of_case(actor=actor_of(agency_b, Role.VERIFIKATOR), case=b.case)[0]
    s = view.suggestions[0]
    assert not s.same_agency and s.other_agency == agency_a.name and s.evidence == {}
    assert s.other_case_id is None
    from django.test import Client

    from tests.conftest import PASSWORD, make_user

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=make_user(agency_b, Role.VERIFIKATOR).username, password=PASSWORD)
    page = client.post(f"/kasus/{b.case_id}/duplikat/{mine.pk}/", {"decision": "confirm"}, follow=True)
    said = page.content.decode()  # nothing merges across agencies: the page says what confirming did
    assert f"the same matter as case {a.case.number} of {agency_a.name}" in said
    assert page.redirect_chain[-1][0] == f"/kasus/{b.case_id}/"


def test_the_other_agency_is_told_in_its_own_audit_trail(agency_a, agency_b, submit) -> None:
    from sigap.audit.models import AuditEvent

    a = _submit(submit, agency_a, ROAD)
    triage_report(report_id=a.pk)
    b = _submit(submit, agency_b, ROAD_WA)
    triage_report(report_id=b.pk)
    told = AuditEvent.objects.get(chain=agency_a.pk, action="triage.duplicate_noticed")
    assert told.data == {"report": a.pk, "other_instansi": agency_b.pk}


def _suggested_to(actor, report) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.other_agency for s in triage_of_case(actor=actor, case=Report.objects.get(pk=report.pk).case)[0].suggestions]


@pytest.mark.parametrize("hub_first", [False, True])
def test_an_agency_learns_of_the_hubs_report_only_when_the_hub_coordinates(
    agency_a, hub, submit, actor_of, hub_first
) -> None:
    """A report to the hub may be about the agency's own officials: the hub is told of the agency's
    report, the agency of the hub's only once the hub's officer decides to coordinate."""
    from sigap.audit.models import AuditEvent
    from sigap.tenants.permissions import Role

    agency_officer, hub_officer = actor_of(agency_a, Role.VERIFIKATOR), actor_of(hub, Role.VERIFIKATOR)
    order = [(hub, ROAD_WA), (agency_a, ROAD)] if hub_first else [(agency_a, ROAD), (hub, ROAD_WA)]
    reports = {}
    for instansi, content in order:
        reports[instansi.pk] = _submit(submit, instansi, content)
        triage_report(report_id=reports[instansi.pk].pk)
    at_agency, at_hub = reports[agency_a.pk], reports[hub.pk]
    assert _suggested_to(hub_officer, at_hub) == [agency_a.name]
    assert _suggested_to(agency_officer, at_agency) == []
    assert not AuditEvent.objects.filter(chain=agency_a.pk, action="triage.duplicate_noticed").exists()

    suggestion = DuplicateSuggestion.objects.get(report=at_hub)
    decide_duplicate(actor=hub_officer, suggestion_id=suggestion.pk, confirm=True)
    assert _suggested_to(agency_officer, at_agency) == [hub.name]
    assert AuditEvent.objects.filter(chain=agency_a.pk, action="triage.duplicate_noticed").exists()
    assert Report.objects.get(pk=at_agency.pk).case_id == at_agency.case_id  # nothing merges across


def test_the_hub_rejecting_tells_the_agency_nothing(agency_a, hub, submit, actor_of) -> None:
    from sigap.tenants.permissions import Role

    at_agency = _submit(submit, agency_a, ROAD)
    triage_report(report_id=at_agency.pk)
    at_hub = _submit(submit, hub, ROAD_WA)
    triage_report(report_id=at_hub.pk)
    from django.test import Client

    from tests.conftest import PASSWORD, make_user

    user = make_user(hub, Role.VERIFIKATOR)
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    page = client.get(f"/kasus/{at_hub.case_id}/").content.decode()
    assert "beri tahu dan koordinasikan" in page and agency_a.name in page
    hub_officer = actor_of(hub, Role.VERIFIKATOR)
    decide_duplicate(actor=hub_officer, suggestion_id=DuplicateSuggestion.objects.get(report=at_hub).pk, confirm=False)
    assert not DuplicateSuggestion.objects.filter(instansi=agency_a).exists()


def test_agency_not_connected_to_hub_is_not_matched_across(agency_a, agency_b, submit) -> None:
    agency_b.connected_to_hub = False
    agency_b.save()
    a = _submit(submit, agency_a, ROAD)
    triage_report(report_id=a.pk)
    b = _submit(submit, agency_b, ROAD_WA)
    triage_report(report_id=b.pk)
    assert not DuplicateSuggestion.objects.exists()


def test_identical_report_in_same_agency_is_merged_automatically(agency_a, submit) -> None:
    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    again = _submit(submit, agency_a, ROAD, channel="email")
    triage_report(report_id=again.pk)
    again.refresh_from_db()
    assert again.case_id == first.case_id
    old_case = Report.objects.get(pk=again.pk).case
    assert old_case.pk == first.case_id
    from sigap.cases.models import Case

    assert Case.objects.filter(instansi=agency_a, status=State.MERGED).count() == 1


@pytest.mark.parametrize("step", ["archive_incomplete", "to_analysis"])
def test_a_report_sent_again_never_joins_a_case_past_intake_on_its_own(agency_a, submit, boss_a, step) -> None:
    from sigap.cases.actions.transitions import do_transition

    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    do_transition(actor=boss_a, case_id=first.case_id, name="start_verification")
    do_transition(actor=boss_a, case_id=first.case_id, name=step, data={"reason": "kurang data", "note": "ok"})
    again = _submit(submit, agency_a, ROAD, channel="email")  # the same text again, perhaps with new evidence
    triage_report(report_id=again.pk)
    again.refresh_from_db()
    assert again.case_id != first.case_id  # an officer decides: an archived case reopens on new evidence
    suggestion = DuplicateSuggestion.objects.get(report=again, other_report=first)
    assert suggestion.decision == "open"


def test_triage_run_again_never_merges_what_an_officer_said_is_no_duplicate(agency_a, submit, boss_a) -> None:
    from sigap.cases.actions.transitions import do_transition

    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    do_transition(actor=boss_a, case_id=first.case_id, name="start_verification")
    do_transition(actor=boss_a, case_id=first.case_id, name="request_completion",
                  data={"questions": "Di mana tepatnya?"})
    again = _submit(submit, agency_a, ROAD, channel="email")
    triage_report(report_id=again.pk)  # the first case waits on its reporter: no merge on its own
    suggestion = DuplicateSuggestion.objects.get(report=again, other_report=first)
    decide_duplicate(actor=boss_a, suggestion_id=suggestion.pk, confirm=False)
    do_transition(actor=boss_a, case_id=first.case_id, name="receive_completion", data={"note": "sudah"})
    triage_report(report_id=again.pk)  # a retry, or a second worker
    again.refresh_from_db()
    assert again.case_id != first.case_id
    assert DuplicateSuggestion.objects.get(pk=suggestion.pk).decision == "rejected"


def test_a_decided_suggestion_is_not_decided_again(agency_a, submit, boss_a, actor_of) -> None:
    from django.test import Client

    from sigap.tenants.permissions import Role
    from tests.conftest import PASSWORD, make_user

    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    second = _submit(submit, agency_a, ROAD_WA, channel="whatsapp")
    triage_report(report_id=second.pk)
    suggestion = DuplicateSuggestion.objects.get(report=second)
    decide_duplicate(actor=boss_a, suggestion_id=suggestion.pk, confirm=True)
    colleague = make_user(agency_a, Role.VERIFIKATOR)
    client = Client()
    client.login(username=colleague.username, password=PASSWORD)
    page = client.post(f"/kasus/{second.case_id}/duplikat/{suggestion.pk}/", {"decision": "reject"}, follow=True)
    text = page.content.decode()
    assert "sudah diputuskan" in text and "Ditandai bukan duplikat" not in text
    suggestion.refresh_from_db()
    assert suggestion.decision == "confirmed" and suggestion.decided_by_id == boss_a.user_id


def test_the_same_words_in_another_order_are_suggested_not_merged(agency_a, submit) -> None:
    """Word for word the same, meaning the opposite: an officer decides, not the machine."""
    one = ("Dana Rp 300 juta dari dinas kesehatan untuk puskesmas Kedaton dipakai membeli mobil dinas, "
           "bukan obat untuk pasien")
    other = ("Dana Rp 300 juta dari dinas kesehatan untuk puskesmas Kedaton dipakai membeli obat, "
             "bukan mobil dinas untuk pasien")
    first = _submit(submit, agency_a, ReportContent(what=one))
    triage_report(report_id=first.pk)
    second = _submit(submit, agency_a, ReportContent(what=other), channel="email")
    triage_report(report_id=second.pk)
    suggestion = DuplicateSuggestion.objects.get(report=second, other_report=first)
    assert suggestion.decision == "open"
    assert Report.objects.get(pk=second.pk).case_id != first.case_id


def test_template_texts_of_different_people_are_not_duplicates(agency_a, submit) -> None:
    template = (
        "Saya {name} NIK {nik} warga RT 0{rt} RW 02 Kelurahan Kedaton mengajukan keberatan karena bantuan "
        "sosial PKH atas nama saya tidak pernah diterima sejak Januari 2026 padahal terdaftar di DTKS. "
        "Mohon ditindaklanjuti."
    )
    people = [("Siti Aminah", "1871014101800001", 1), ("Rahmat Hidayat", "1871012202790002", 3)]
    reports = []
    for name, nik, rt in people:
        text = template.format(name=name, nik=nik, rt=rt)
        r = _submit(
            submit, agency_a, ReportContent(what=text, who=[ReportedPerson(position="pendamping PKH")])
        )
        triage_report(report_id=r.pk)
        reports.append(r)
    assert not DuplicateSuggestion.objects.filter(decision__in=["open", "auto_merged"]).exists()
    assert reports[0].case_id != Report.objects.get(pk=reports[1].pk).case_id


def test_failure_keeps_the_report_pending_and_retries(agency_a, submit) -> None:
    report = _submit(submit, agency_a, ROAD)
    with connection.cursor() as cursor:  # make its content unreadable: triage must fail, not lose it
        cursor.execute(
            "UPDATE cases_report SET content_sealed = %s WHERE id = %s", [b"\x01broken", report.pk]
        )
    from sigap.triage.tasks import TriageFailed

    with pytest.raises(TriageFailed) as failed:  # the task fails after recording the failure
        triage_report_task.call(report.pk)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__  # no traceback of the cause
    report.refresh_from_db()
    assert report.triage_status == TriageStatus.FAILED
    result = TriageResult.objects.get(report=report)
    assert result.attempts == 1 and result.last_error and ":" not in result.last_error  # the kind only
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(args_kwargs__args=[report.pk]).exists()  # retry queued with backoff
    assert Report.objects.filter(pk=report.pk).exists()


def test_odd_texts_never_crash_triage(agency_a, submit) -> None:
    for text in [
        "",
        "🙏🙏🙏🔥",
        "\x00\x01\x02" * 100,
        "x" * 1_000_000,
        "The head of office asked a bribe Rp 5 juta",
    ]:
        r = _submit(submit, agency_a, ReportContent(title="-", what=text))
        triage_report(report_id=r.pk)
        r.refresh_from_db()
        assert r.triage_status == TriageStatus.DONE


def test_run_pending_command(agency_a, submit, capsys) -> None:
    for content in (ROAD, OTHER):
        _submit(submit, agency_a, content)
    call_command("triage", "run-pending")
    assert "triaged 2 report(s)" in capsys.readouterr().out
    assert not Report.objects.exclude(triage_status=TriageStatus.DONE).exists()


def test_locate_classify_dedup_commands(tmp_path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "text": ROAD.what},
        {"id": "b", "text": ROAD_WA.what},
        {"id": "c", "text": OTHER.what},
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    call_command("triage", "locate", "--input", str(src), "--region-hint", "18.71")
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert out[0]["id"] == "a" and out[0]["kecamatan"] and out[0]["kecamatan"].startswith("18.71.")
    call_command("triage", "classify", "--input", str(src))
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"] and all(o["category"] for o in out)
    dst = tmp_path / "groups.jsonl"
    call_command("triage", "dedup", "--input", str(src), "--output", str(dst))
    groups = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [sorted(g["ids"]) for g in groups] == [["a", "b"]]


def test_locate_without_a_hint_settles_shared_place_names_by_the_corpus_region(tmp_path, capsys,
                                                                              monkeypatch) -> None:
    """An agency's history is about its own area: a kelurahan name that a dozen regions share
    ("Sukarame") is read in the region the other reports name."""
    texts = [
        "Lampu jalan mati di Kelurahan Way Halim Permai, Kota Bandar Lampung",
        "Sampah menumpuk di pasar Tugu, Kecamatan Tanjungkarang Timur, Bandar Lampung",
        "Pungli pembuatan KTP di kantor Kecamatan Rajabasa Bandar Lampung",
        "Drainase tersumbat di Kelurahan Pasir Gintung, Kota Bandar Lampung",
        "Jalan berlubang di Kecamatan Kemiling Kota Bandar Lampung",
        "Parkir liar di Kecamatan Enggal, Bandar Lampung",
        "Jalan rusak parah di Kelurahan Sukarame sudah tiga bulan",
        "Saluran mampet di Kelurahan Sawahan, Kota Surabaya",  # elsewhere, and says so: kept
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": str(i), "text": t}) for i, t in enumerate(texts)) + "\n")
    call_command("triage", "locate", "--input", str(src))
    captured = capsys.readouterr()
    out = {o["id"]: o for o in map(json.loads, captured.out.splitlines())}
    assert out["6"]["kecamatan"] == "18.71.02"  # Sukarame, Bandar Lampung
    assert out["7"]["kecamatan"] and out["7"]["kecamatan"].startswith("35.78.")
    assert "18.71" in captured.err and "--region-hint" in captured.err
    # a hint given wins; a corpus with no leading region is read without one
    call_command("triage", "locate", "--input", str(src), "--region-hint", "35.78")
    assert json.loads(capsys.readouterr().out.splitlines()[6])["kecamatan"] is None
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps({"id": "x", "text": texts[6]}) + "\n")
    call_command("triage", "locate", "--input", str(mixed))
    captured = capsys.readouterr()
    assert json.loads(captured.out)["kecamatan"] is None and captured.err == ""
    # a stream can be read once: no first reading, and it says so
    monkeypatch.setattr("sys.stdin", io.StringIO(src.read_text()))
    call_command("triage", "locate", "--input", "-")
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == len(texts) and "stream" in captured.err


def test_the_corpus_tools_read_exports_that_name_the_text_and_address_otherwise(tmp_path, capsys) -> None:
    src = tmp_path / "export.jsonl"
    lines = [
        {"id": "a", "keluhan": ROAD.what},
        {"id": "b", "isi": ROAD_WA.what},
        {"id": "c", "keluhan": "Pungutan liar saat mengurus KTP di kantor kecamatan, diminta uang 50 ribu",
         "lokasi": "Kecamatan Kemiling, Kota Bandar Lampung"},
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    call_command("triage", "locate", "--input", str(src), "--region-hint", "18.71")
    found = [json.loads(x)["kecamatan"] for x in capsys.readouterr().out.splitlines()]
    assert found == ["18.71.01", "18.71.01", "18.71.13"]  # Kedaton in the texts, Kemiling in the address
    call_command("triage", "classify", "--input", str(src))
    assert all(json.loads(x)["category"] for x in capsys.readouterr().out.splitlines())
    dst = tmp_path / "groups.jsonl"
    call_command("triage", "dedup", "--input", str(src), "--output", str(dst))
    assert [sorted(json.loads(x)["ids"]) for x in dst.read_text().splitlines()] == [["a", "b"]]


def test_bulk_index_then_full_triage_finds_the_duplicate(agency_a, submit, capsys) -> None:
    first = _submit(submit, agency_a, ROAD)
    _submit(submit, agency_a, OTHER)
    call_command("triage", "index", "--workers", "1")
    assert "indexed 2 report(s)" in capsys.readouterr().out
    assert index.size() > 0
    assert Report.objects.get(pk=first.pk).triage_status == TriageStatus.PENDING  # full triage still due
    # Bulk indexing keeps text features only: a near-identical copy is found; reworded ones wait for
    # the full triage of the original, which adds its entities.
    copy = _submit(submit, agency_a, ROAD, channel="email")
    triage_report(report_id=copy.pk)
    assert DuplicateSuggestion.objects.filter(report=copy, other_report=first).exists()
    before = index.size()
    triage_report(report_id=first.pk)  # full triage replaces the bulk keys, adds entity keys
    assert index.size() >= before


def test_triage_endpoints_are_scoped_to_the_agency(agency_a, agency_b, submit) -> None:
    from django.test import Client

    from sigap.tenants.permissions import Role
    from tests.conftest import PASSWORD, make_user

    first = _submit(submit, agency_a, ROAD)
    triage_report(report_id=first.pk)
    second = _submit(submit, agency_a, ROAD_WA)
    triage_report(report_id=second.pk)
    suggestion = DuplicateSuggestion.objects.get(report=second)
    outsider = make_user(agency_b, Role.SUPERVISOR)
    client = Client()
    client.login(username=outsider.username, password=PASSWORD)
    assert client.post(f"/kasus/{second.case_id}/kategori/", {"category": "suap"}).status_code == 404
    assert client.post(f"/kasus/{second.case_id}/duplikat/{suggestion.pk}/", {"decision": "confirm"}).status_code == 404
    assert client.post(f"/kasus/{99999}/duplikat/{suggestion.pk}/", {"decision": "confirm"}).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.decision == "open"
    second.case.refresh_from_db()
    assert not second.case.category_confirmed


@pytest.mark.parametrize(
    ("language", "says", "never"),
    [
        ("en", ["KPK (the Corruption Eradication Commission)", "is at least Rp1.000.000.000",
                "Law 19/2019 art. 11(1)(b)", "(Rp1.200.000.000)"], ["KPK berwenang", "pasal 11"]),
        ("id", ["KPK (Komisi Pemberantasan Korupsi)", "mencapai paling sedikit Rp1.000.000.000",
                "UU 19/2019 pasal 11 ayat (1) huruf b", "(Rp1.200.000.000)"], ["commission is competent"]),
    ],
)
def test_the_competent_body_and_its_reasons_are_in_the_pages_language(agency_a, submit, language, says,
                                                                     never) -> None:
    from django.test import Client

    from sigap.tenants.permissions import Role
    from tests.conftest import PASSWORD, make_user

    report = _submit(submit, agency_a, ROAD)
    triage_report(report_id=report.pk)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.login(username=make_user(agency_a, Role.PENELAAH).username, password=PASSWORD)
    page = client.get(f"/kasus/{report.case_id}/").content.decode()
    for words in says:
        assert words in page
    for words in never:
        assert words not in page


def test_reasons_stored_as_text_by_an_earlier_version_are_shown_as_they_are() -> None:
    from django.utils import translation

    from sigap.triage.labels import body_label, reason_text

    assert reason_text("Dugaan tindak pidana tanpa pejabat yang disebut: kepolisian.").endswith("kepolisian.")
    assert reason_text({"code": "unknown"}) == "" and reason_text(None) == ""
    with translation.override("en"):
        assert reason_text({"code": "government_staff", "positions": ["kepala_desa"]}).startswith(
            "Government officials are involved (kepala desa)")
        assert body_label("kejaksaan") == "Public prosecutor" and body_label("new_body") == "NEW_BODY"
    with translation.override("id"):
        assert body_label("kejaksaan") == "Kejaksaan"


def test_officer_confirms_category_and_it_becomes_a_label(agency_a, submit) -> None:
    from django.test import Client

    from sigap.tenants.permissions import Role
    from sigap.triage.training import confirmed_examples
    from tests.conftest import PASSWORD, make_user

    report = _submit(submit, agency_a, ROAD)
    triage_report(report_id=report.pk)
    officer = make_user(agency_a, Role.VERIFIKATOR)
    client = Client()
    client.login(username=officer.username, password=PASSWORD)
    page = client.get(f"/kasus/{report.case_id}/").content.decode()
    assert "Simpan kategori" in page and "Kategori yang disarankan" in page
    response = client.post(f"/kasus/{report.case_id}/kategori/", {"category": "suap", "sector": "pengadaan"})
    assert response.status_code == 302
    report.case.refresh_from_db()
    assert report.case.category == "suap" and report.case.category_confirmed
    texts, labels = confirmed_examples(agency_a)
    assert labels == ["suap"] and "Mawar" in texts[0]
    triage_report(report_id=report.pk)  # triage never overwrites a confirmed category
    report.case.refresh_from_db()
    assert report.case.category == "suap"
    bad = client.post(f"/kasus/{report.case_id}/kategori/", {"category": "bukan-kategori"}, follow=True)
    assert bad.status_code == 200
    report.case.refresh_from_db()
    assert report.case.category == "suap"


def _band_indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'triage_lsh'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'triage_lsh'")
        return {name for (name,) in cursor.fetchall() if name.startswith("triage_lsh_b")}


def test_large_bulk_load_rebuilds_the_band_indexes(agency_a, submit, monkeypatch) -> None:
    from sigap.triage import bulk
    from sigap.triage.lib.minhash import INDEX_BANDS

    monkeypatch.setattr(bulk, "REBUILD_FROM", 2)
    dropped = []
    monkeypatch.setattr(index, "drop_band_indexes", lambda real=index.drop_band_indexes: (dropped.append(1), real()))
    first = _submit(submit, agency_a, ROAD)
    _submit(submit, agency_a, OTHER)
    stats = bulk.index_reports(Report.objects.values_list("pk", flat=True), workers=1)
    assert stats.reports == 2 and dropped
    assert len(_band_indexes()) == INDEX_BANDS  # built again
    copy = _submit(submit, agency_a, ROAD, channel="email")
    triage_report(report_id=copy.pk)
    assert DuplicateSuggestion.objects.filter(report=copy, other_report=first).exists()


def test_interrupted_bulk_load_leaves_the_band_indexes_in_place(agency_a, submit, monkeypatch) -> None:
    from sigap.triage import bulk
    from sigap.triage.lib.minhash import INDEX_BANDS

    monkeypatch.setattr(bulk, "REBUILD_FROM", 1)
    _submit(submit, agency_a, ROAD)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(bulk, "_write", broken)
    with pytest.raises(OSError):
        bulk.index_reports(Report.objects.values_list("pk", flat=True), workers=1)
    assert len(_band_indexes()) == INDEX_BANDS


def test_bulk_index_and_full_triage_sign_the_same_matter_text(agency_a, submit) -> None:
    # Both paths judge duplicates on one text: normalised, without the greetings and closings.
    from sigap.triage import bulk

    wrapped = ReportContent(what=f"Assalamualaikum, selamat malam admin. {OTHER.what} Terima kasih min.")
    report = _submit(submit, agency_a, wrapped)
    bulk.index_reports([report.pk], workers=1)
    from_bulk = bytes(TriageResult.objects.get(report=report).signature)
    triage_report(report_id=report.pk)
    assert bytes(TriageResult.objects.get(report=report).signature) == from_bulk
    plain = _submit(submit, agency_a, OTHER, channel="email")
    triage_report(report_id=plain.pk)
    assert bytes(TriageResult.objects.get(report=plain).signature) == from_bulk


def _sign_as_version_1(report: Report, text: str) -> None:
    """What SIGAP before the matter text stored: the signature of the whole normalised text."""
    from sigap.triage.lib import minhash
    from sigap.triage.lib.normalize import normalize_text

    old = minhash.signature(normalize_text(text))
    TriageResult.objects.filter(report=report).update(
        signature=minhash.signature_to_bytes(old), signature_version=1
    )
    bands = [int(b) for b in minhash.index_bands_batch(old[None, :])[0]]
    index.remove_bands([report.pk])
    index.add_many([index.Row(report.pk, report.instansi_id, bands, minhash.sketch(old))])


def _band_row(report_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM triage_lsh WHERE report_id = %s", [report_id])
        return tuple(cursor.fetchone())


def test_index_command_re_signs_what_an_older_version_signed(agency_a, submit, capsys) -> None:
    from sigap.core import crypto
    from sigap.triage.actions import PURPOSE_FEATURES
    from sigap.triage.lib.dedup import SIGNATURE_VERSION

    wrapped = ReportContent(what=f"Assalamualaikum, selamat malam admin. {ROAD.what} Terima kasih min.")
    triaged = _submit(submit, agency_a, wrapped)
    triage_report(report_id=triaged.pk)
    current = {f: getattr(TriageResult.objects.get(report=triaged), f) for f in ("signature", "index_keys")}
    current_bands = _band_row(triaged.pk)
    entity_rows = index.entity_rows()
    pending = _submit(submit, agency_a, ReportContent(what=f"Selamat pagi admin, {OTHER.what} Terima kasih."))
    call_command("triage", "index", "--workers", "1")  # indexes `pending` at the current version
    TriageResult.objects.filter(report=pending).update(signature_version=1)  # signed as now, though
    pending_bands = _band_row(pending.pk)
    _sign_as_version_1(triaged, wrapped.what)
    assert _band_row(triaged.pk) != current_bands
    untouched = TriageResult.objects.get(report=pending).updated_at
    capsys.readouterr()
    call_command("triage", "index", "--dry-run")
    assert capsys.readouterr().out.strip() == (
        "0 report(s) not indexed; 2 signed by an older version; 0 with entities read by an older version"
    )
    assert TriageResult.objects.get(report=pending).signature_version == 1

    call_command("triage", "index", "--workers", "1")
    assert "indexed 0 report(s)" in (out := capsys.readouterr().out) and "re-signed 2 report(s)" in out
    result = TriageResult.objects.get(report=triaged)
    assert result.signature_version == SIGNATURE_VERSION
    assert bytes(result.signature) == bytes(current["signature"]) and _band_row(triaged.pk) == current_bands
    # The rest of the full triage stays: category, entity keys, the sealed entities.
    assert result.category and result.index_keys == current["index_keys"] and index.entity_rows() == entity_rows
    stored = crypto.open_json(agency_a.pk, bytes(result.features_sealed), purpose=PURPOSE_FEATURES)
    assert stored["entities"] and "assalamualaikum" not in stored["normalized"]
    assert TriageResult.objects.get(report=pending).updated_at > untouched
    assert _band_row(pending.pk) == pending_bands

    call_command("triage", "index", "--workers", "1")  # nothing is stale any more
    assert "re-signed 0 report(s)" in capsys.readouterr().out


def _entity_rows_of(report_id: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM triage_entity_key WHERE report_id = %s", [report_id])
        return {int(k) for (k,) in cursor.fetchall()}


def test_index_command_re_reads_entities_that_an_older_version_read(agency_a, submit, capsys) -> None:
    # After an upgrade that changes entity extraction, the reports triaged before get today's entities
    # and entity keys (a reworded report meets them through those), and keep the rest of their triage.
    from sigap.core import crypto
    from sigap.triage.actions import PURPOSE_FEATURES
    from sigap.triage.lib.dedup import ENTITY_VERSION

    def stored_of(result: TriageResult) -> dict:
        return crypto.open_json(agency_a.pk, bytes(result.features_sealed), purpose=PURPOSE_FEATURES)

    report = _submit(submit, agency_a, ROAD)
    fresh = triage_report(report_id=report.pk)
    fresh_stored = stored_of(fresh)
    assert fresh.entities_version == ENTITY_VERSION and fresh.index_keys
    assert _entity_rows_of(report.pk) == set(fresh.index_keys)
    pending = _submit(submit, agency_a, OTHER)
    call_command("triage", "index", "--workers", "1")  # bulk-indexed: pending, its full triage reads it
    TriageResult.objects.filter(report=pending).update(entities_version=0)
    # What an older reading left: fewer entities, other keys.
    old_stored = {**fresh_stored, "entities": {}, "streets": [], "links": [], "personal": []}
    TriageResult.objects.filter(report=report).update(
        features_sealed=crypto.seal_json(agency_a.pk, old_stored, purpose=PURPOSE_FEATURES),
        index_keys=[123456789], max_amount=None, entities_version=0,
    )
    index.replace_entity_keys([(k, report.pk) for k in fresh.index_keys], [(123456789, report.pk)])

    def by_keys() -> list[index.Candidate]:
        return index.candidates([], fresh.index_keys, instansi_id=agency_a.pk, across_agencies=False)

    assert by_keys() == []
    capsys.readouterr()
    call_command("triage", "index", "--dry-run")
    assert capsys.readouterr().out.strip().endswith("; 1 with entities read by an older version")

    call_command("triage", "index", "--workers", "1")
    out = capsys.readouterr().out
    assert f"re-read the entities of 1 report(s) read by an older version ({len(fresh.index_keys)} entity keys)" in out
    result = TriageResult.objects.get(report=report)
    assert result.entities_version == ENTITY_VERSION and result.index_keys == fresh.index_keys
    assert _entity_rows_of(report.pk) == set(fresh.index_keys)  # the old key is gone
    assert stored_of(result) == fresh_stored and result.max_amount == fresh.max_amount
    assert (bytes(result.signature), result.category, result.completeness) == (
        bytes(fresh.signature), fresh.category, fresh.completeness
    )
    assert TriageResult.objects.get(report=pending).entities_version == 0
    # A reworded report naming the same address, official or sum meets it through those keys again.
    assert [(c.report_id, c.entities) for c in by_keys()] == [(report.pk, len(fresh.index_keys))]
    call_command("triage", "index", "--workers", "1")
    assert "re-read the entities of 0 report(s)" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_migration_marks_signatures_stored_before_it_as_version_1(agency_a, submit) -> None:
    from django.db.migrations.executor import MigrationExecutor

    signed = _submit(submit, agency_a, ROAD)
    triage_report(report_id=signed.pk)
    unsigned = _submit(submit, agency_a, OTHER)
    TriageResult.objects.create(report=unsigned, instansi=agency_a)  # a failed first attempt
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("triage", "0003_lsh_columns")])
        executor.loader.build_graph()
        executor.migrate([("triage", "0004_signature_version")])
        versions = dict(TriageResult.objects.values_list("report_id", "signature_version"))
        assert versions == {signed.pk: 1, unsigned.pk: 0}
    finally:  # the schema as every later test in this process expects it
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
