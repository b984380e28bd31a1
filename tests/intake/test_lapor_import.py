"""Importing an SP4N-LAPOR! export: good rows become reports (finished ones archived as history),
bad rows are listed with their line and reason, importing again adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sigap.audit.models import AuditEvent
from sigap.cases.content import ReportContent, open_content
from sigap.cases.models import Case, Channel, Deadline, DeadlineKind, Report
from sigap.cases.workflow import State
from sigap.core.errors import PermissionDenied
from sigap.intake.lapor.actions import import_lapor
from sigap.intake.lapor.parse import NotAnExport, parse_date, read_xlsx
from sigap.reporters.models import Anonymity
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user
from tests.intake.lapor_workbook import HEADER, row, write_export

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "lapor_laporan_ringkas_sample.xlsx"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(
        tmp_path / "lapor.xlsx",
        [
            row("9100001"),
            row("9100002", **{"Status Laporan": "Selesai", "Tipe Laporan (Anonim/Rahasia)": "Rahasia"}),
            row("9100003", **{"Tanggal Laporan Masuk": "31 Feb 2025"}),  # no such day
            row("9100004", **{"Judul Laporan": None, "Isi Laporan Awal": None, "Isi Laporan Akhir": None}),
            row("9100001"),  # the same tracking ID again
            row(None),
            row(
                "9100005",
                **{
                    "Tanggal Laporan Masuk": "5 Agu 2025",
                    "Waktu Laporan Masuk": None,
                    "Isi Laporan Awal": None,
                },
            ),
        ],
    )


def test_good_rows_are_imported_and_bad_ones_listed(export, agency_a) -> None:
    result = import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(export)))
    assert result.imported == ["9100001", "9100002", "9100005"] and result.archived == ["9100002"]
    assert [(p.line, p.tracking_id) for p in result.problems] == [
        (14, "9100003"),
        (15, "9100004"),
        (16, "9100001"),
        (17, ""),
    ]
    reports = {r.external_ref: r for r in Report.objects.filter(instansi=agency_a, channel=Channel.LAPOR)}
    assert set(reports) == {"9100001", "9100002", "9100005"}
    first = reports["9100001"]
    content = open_content(agency_a.pk, first.content_sealed)
    assert "Rp 100.000" in content.what and content.where == "Sukamaju, Sukamaju, Kabupaten Uji, Lampung"
    assert first.received_at == dt.datetime(2025, 2, 3, 1, 15, 2, tzinfo=dt.UTC)  # 08:15:02 WIB
    assert first.anonymity == Anonymity.ANONYMOUS and first.case.status == State.RECEIVED
    assert reports["9100002"].anonymity == Anonymity.CONFIDENTIAL
    # finished in LAPOR: archived as history, its feedback given there, nothing left owed
    finished = reports["9100002"].case
    assert finished.status == State.ARCHIVED
    assert not Deadline.objects.filter(case=finished, met_at__isnull=True).exists()
    # the edited text stands in when the reporter's own is missing; a missing time is midnight
    assert open_content(agency_a.pk, reports["9100005"].content_sealed).what == "Petugas loket meminta uang."
    assert reports["9100005"].received_at.date() == dt.date(2025, 8, 4)  # 5 Aug 00:00 WIB
    event = AuditEvent.objects.get(chain=agency_a.pk, action="lapor.imported")
    assert event.data == {"imported": 3, "archived": 1, "updated": 0, "already": 0, "refused": 4}


def test_importing_again_adds_nothing(export, agency_a) -> None:
    import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(export)))
    again = import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(export)))
    assert again.imported == [] and again.already == ["9100001", "9100002", "9100005"]
    assert Report.objects.filter(instansi=agency_a).count() == 3


def test_a_dry_run_keeps_nothing(export, agency_a) -> None:
    result = import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(export)), dry_run=True)
    assert result.imported == ["9100001", "9100002", "9100005"] and result.dry_run
    assert not Report.objects.exists() and not AuditEvent.objects.filter(action="lapor.imported").exists()


def test_only_the_agencys_own_verifying_roles_import(export, agency_a, agency_b, actor_of) -> None:
    with pytest.raises(PermissionDenied):
        import_lapor(actor=actor_of(agency_a, Role.PENELAAH), export=read_xlsx(str(export)))
    import_lapor(actor=actor_of(agency_b, Role.VERIFIKATOR), export=read_xlsx(str(export)))
    assert not Report.objects.filter(instansi=agency_a).exists()
    assert Report.objects.filter(instansi=agency_b).count() == 3


def test_what_is_no_export_is_refused_with_a_sentence(tmp_path) -> None:
    for name in ("not.xlsx", "export.csv"):
        text = tmp_path / name
        text.write_text("Tracking ID,Judul\n1,x\n")
        with pytest.raises(NotAnExport):
            read_xlsx(str(text))
    no_header = write_export(tmp_path / "odd.xlsx", [row("1")], header=["ID", *HEADER[1:]])
    with pytest.raises(NotAnExport):
        read_xlsx(str(no_header))
    lacking = write_export(
        tmp_path / "lacking.xlsx", [row("1")], header=[h if h != "Judul Laporan" else "Judul" for h in HEADER]
    )
    with pytest.raises(NotAnExport, match="Judul Laporan"):
        read_xlsx(str(lacking))


def test_columns_are_found_by_their_header(tmp_path, agency_a) -> None:
    moved = list(reversed(HEADER))
    path = write_export(tmp_path / "moved.xlsx", [list(reversed(row("9200001")))], header=moved)
    result = import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(path)))
    assert result.imported == ["9200001"] and result.problems == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("3 Feb 2025", dt.date(2025, 2, 3)),
        ("17 Agustus 2025", dt.date(2025, 8, 17)),
        ("1 Mei 2025", dt.date(2025, 5, 1)),
        ("2025-10-01", dt.date(2025, 10, 1)),
        ("2025-10-01 10:00", dt.date(2025, 10, 1)),  # re-saved by a spreadsheet with its time
        ("2025-10-01T23:30:00+09:00", dt.date(2025, 10, 1)),  # the day as written, in its own zone
        ("2025-10-01 25:00", None),
        (dt.datetime(2025, 1, 2, 9, 0), dt.date(2025, 1, 2)),
        ("3 Foo 2025", None),
        ("", None),
    ],
)
def test_dates_written_as_the_export_writes_them(text, day) -> None:
    assert parse_date(text) == day


def test_the_command_prints_what_it_did(export, agency_a, capsys) -> None:
    call_command("lapor_import", str(export), "--instansi", agency_a.slug)
    out = capsys.readouterr().out
    assert "imported 3 reports (1 finished" in out and "line 14 9100003:" in out
    with pytest.raises(CommandError):
        call_command("lapor_import", str(export), "--instansi", "no-such-agency")


def test_the_upload_page_imports_into_the_officers_agency(export, agency_a, agency_b) -> None:
    officer = Client()
    assert officer.login(username=make_user(agency_a, Role.SUPERVISOR).username, password=PASSWORD)
    assert officer.get("/kasus/impor-lapor/").status_code == 200
    with export.open("rb") as fh:
        page = officer.post("/kasus/impor-lapor/", {"file": fh})
    text = page.content.decode()
    assert page.status_code == 200 and "<td>14</td><td>9100003</td>" in text  # the line, the ID, why
    assert (
        Case.objects.filter(instansi=agency_a).count() == 3
        and not Case.objects.filter(instansi=agency_b).exists()
    )
    refused = officer.post("/kasus/impor-lapor/", {"file": io.BytesIO(b"bukan xlsx")})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    penelaah = Client()
    assert penelaah.login(username=make_user(agency_a, Role.PENELAAH).username, password=PASSWORD)
    assert penelaah.get("/kasus/impor-lapor/").status_code == 404


@pytest.mark.skipif(not SAMPLE.exists(), reason="the SP4N-LAPOR! sample export is not beside the repository")
def test_the_sample_export_in_the_real_layout_reads(agency_a) -> None:
    export = read_xlsx(str(SAMPLE))
    assert export.rows and export.agency_name
    result = import_lapor(actor=system_actor(agency_a), export=export, dry_run=True)
    assert len(result.imported) + len(result.problems) == len(export.rows) + len(export.problems)


def test_a_row_that_fails_when_stored_is_listed_and_the_others_are_imported(
    export, agency_a, monkeypatch
) -> None:
    from sigap.intake.lapor import actions

    real = actions.submit_report

    def failing(*, actor, incoming):  # type: ignore[no-untyped-def]
        if incoming.external_ref == "9100002":
            raise OverflowError("date value out of range")
        return real(actor=actor, incoming=incoming)

    monkeypatch.setattr(actions, "submit_report", failing)
    result = import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(export)))
    assert result.imported == ["9100001", "9100005"]
    assert (13, "9100002") in [(p.line, p.tracking_id) for p in result.problems]
    assert not Report.objects.filter(external_ref="9100002").exists()  # nothing of it is left
    assert Report.objects.filter(instansi=agency_a).count() == 2


def test_a_row_finished_in_lapor_since_the_last_import_is_archived_now(tmp_path, agency_a) -> None:
    first = write_export(tmp_path / "januari.xlsx", [row("9300001"), row("9300002")])
    import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(first)))
    later = write_export(
        tmp_path / "februari.xlsx",
        [row("9300001", **{"Status Laporan": "Selesai"}), row("9300002"), row("9300003")],
    )
    result = import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(later)))
    assert result.updated == ["9300001"] and result.already == ["9300002"] and result.imported == ["9300003"]
    case = Report.objects.get(external_ref="9300001").case
    assert case.status == State.ARCHIVED
    assert Deadline.objects.get(case=case, kind=DeadlineKind.FEEDBACK).met_at is not None
    assert AuditEvent.objects.filter(action="case.archive_lapor_history", object_id=str(case.pk)).exists()


def test_what_the_reporter_chose_is_kept_however_it_is_written(tmp_path, agency_a) -> None:
    rows = [
        row("9400001", **{"Tipe Laporan (Anonim/Rahasia)": "Anonim, Rahasia"}),
        row("9400002", **{"Tipe Laporan (Anonim/Rahasia)": "ANONIM"}),
        row("9400003", **{"Tipe Laporan (Anonim/Rahasia)": None}),
    ]
    export = read_xlsx(str(write_export(tmp_path / "a.xlsx", rows)))
    assert [r.anonymous for r in export.rows] == [True, True, False]


def test_dates_and_times_out_of_reason_are_listed(tmp_path) -> None:
    rows = [
        row("9500001", **{"Tanggal Laporan Masuk": "31 Dec 9999"}),
        row("9500002", **{"Waktu Laporan Masuk": "08:15 WIB"}),
        row(
            "9500003", **{"Tanggal Laporan Masuk": 45691, "Waktu Laporan Masuk": 0.25}
        ),  # as a spreadsheet stores them
        row(
            "9500004",
            **{"Tanggal Laporan Masuk": dt.datetime(2025, 3, 1, 14, 30), "Waktu Laporan Masuk": None},
        ),
    ]
    export = read_xlsx(str(write_export(tmp_path / "d.xlsx", rows)), today=dt.date(2026, 10, 1))
    assert [p.tracking_id for p in export.problems] == ["9500001", "9500002"]
    assert [r.received_at for r in export.rows] == [
        dt.datetime(2025, 2, 3, 6, 0),
        dt.datetime(2025, 3, 1, 14, 30),
    ]


def test_a_damaged_or_odd_workbook_is_refused_or_read_whole(tmp_path) -> None:
    import zipfile

    good = write_export(tmp_path / "good.xlsx", [row("9600001"), row("9600002"), row("9600003")])
    # a sheet whose recorded size is wrong: every line is still read
    damaged_size = tmp_path / "size.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged_size, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:F2"/>', data)
            dst.writestr(item, data)
    assert len(read_xlsx(str(damaged_size)).rows) == 3
    # a truncated sheet: one sentence, no traceback
    truncated = tmp_path / "truncated.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(truncated, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(
                item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data
            )
    with pytest.raises(NotAnExport):
        read_xlsx(str(truncated))
    # an entity that expands a thousandfold (the start of a "billion laughs"), and a stray "<"
    bomb = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    for name, edit in (
        ("entity.xlsx", lambda data: bomb + data.replace(b"9600002", b"&b;")),
        ("stray.xlsx", lambda data: data.replace(b"9600002", b"96<02")),
    ):
        hostile = tmp_path / name
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(hostile, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                dst.writestr(item, edit(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
        with pytest.raises(NotAnExport):
            read_xlsx(str(hostile))


def test_the_export_sheet_is_found_behind_a_cover_sheet(tmp_path) -> None:
    from openpyxl import load_workbook

    path = write_export(tmp_path / "cover.xlsx", [row("9700001")])
    book = load_workbook(path)
    cover = book.create_sheet("Sampul", 0)
    cover.append(["Laporan SP4N-LAPOR! tahun 2025"])
    book.save(path)
    export = read_xlsx(str(path))
    assert [r.tracking_id for r in export.rows] == ["9700001"] and export.other_sheets == []


def test_imported_history_tells_no_other_agency(tmp_path, agency_a, agency_b, submit) -> None:
    from sigap.triage.actions import triage_report
    from sigap.triage.models import DuplicateSuggestion

    text = "Petugas loket meminta uang Rp 100.000 untuk surat keterangan domisili di Kelurahan Sukamaju."
    elsewhere = submit(
        system_actor(agency_b),
        content=ReportContent(what=text),
    )
    triage_report(report_id=elsewhere.pk)
    path = write_export(
        tmp_path / "h.xlsx",
        [
            row("9900001", **{"Isi Laporan Awal": text, "Status Laporan": "Selesai"}),
            row("9900002", **{"Isi Laporan Awal": text}),
        ],
    )
    import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(path)))
    for tracking in ("9900001", "9900002"):
        triage_report(report_id=Report.objects.get(external_ref=tracking).pk)
    told = DuplicateSuggestion.objects.filter(other_instansi=agency_a, instansi=agency_b)
    history, still_open = (Report.objects.get(external_ref=t) for t in ("9900001", "9900002"))
    assert not told.filter(other_report=history).exists()  # closed before it came: nobody to coordinate with
    assert told.filter(other_report=still_open).exists()  # an open one is the usual likely duplicate


def test_a_new_report_elsewhere_is_not_compared_with_imported_history(tmp_path, agency_a, agency_b,
                                                                      submit) -> None:
    from sigap.triage.actions import triage_report
    from sigap.triage.models import DuplicateSuggestion

    text = "Petugas loket meminta uang Rp 100.000 untuk surat keterangan domisili di Kelurahan Sukamaju."
    path = write_export(tmp_path / "h.xlsx", [row("9900011", **{"Isi Laporan Awal": text, "Status Laporan": "Selesai"})])
    import_lapor(actor=system_actor(agency_a), export=read_xlsx(str(path)))
    history = Report.objects.get(external_ref="9900011")
    triage_report(report_id=history.pk)
    elsewhere = submit(system_actor(agency_b), content=ReportContent(what=text))
    triage_report(report_id=elsewhere.pk)
    # neither agency hears of the other: the matter was closed at A before SIGAP had it
    assert not DuplicateSuggestion.objects.filter(report=elsewhere).exists()
    assert not DuplicateSuggestion.objects.filter(instansi=agency_a).exists()
    # while the same text at A's own queue, still open, is the usual likely duplicate
    own = submit(system_actor(agency_a), content=ReportContent(what=text))
    triage_report(report_id=own.pk)
    assert DuplicateSuggestion.objects.filter(report=own, other_report=history).exists()
