"""Reading an SP4N-LAPOR! "Laporan Ringkas" export (XLSX) into plain rows: pure, no database.

The export opens with a few label/value lines (Judul Laporan, Nama Instansi, Tanggal Generate,
Periode Masuk, Pengelola), then a header line with "Tracking ID" (its first column), then one line
per report. Columns are found by their header, so an export with columns in another order, or with
columns added, still reads; the first sheet that has the header line is read. A line that cannot be
read becomes a `RowProblem` with its line number and the reason; the others are read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from sigap.core import clock

HEADER_START = "tracking id"
MAX_HEADER_SEARCH = 40  # lines before the header line
EARLIEST_YEAR = 2000  # no report is older than SP4N-LAPOR! (2012) by much; older dates are typos

# header (lower case, single spaces) -> our name
COLUMNS = {
    "tracking id": "tracking_id",
    "tanggal laporan masuk": "date",
    "waktu laporan masuk": "time",
    "klasifikasi laporan": "classification",
    "kategori": "category",
    "judul laporan": "title",
    "isi laporan awal": "text",
    "isi laporan akhir": "text_edited",
    "tipe laporan (anonim/rahasia)": "privacy",
    "sumber laporan": "source",
    "instansi terdisposisi": "disposed_to",
    "status laporan": "status",
    "alasan tunda/arsip": "status_reason",
    "provinsi": "province",
    "kota/kabupaten": "regency",
    "kecamatan": "district",
    "kelurahan": "village",
}
# what a missing required column is called in the export itself
REQUIRED = {"tracking_id": "Tracking ID", "date": "Tanggal Laporan Masuk", "title": "Judul Laporan"}

_MONTH_NAMES = {
    1: ("jan", "januari", "january"),
    2: ("feb", "peb", "februari", "pebruari", "february"),
    3: ("mar", "maret", "march"),
    4: ("apr", "april"),
    5: ("mei", "may"),
    6: ("jun", "juni", "june"),
    7: ("jul", "juli", "july"),
    8: ("agu", "ags", "agt", "aug", "agustus", "august"),
    9: ("sep", "sept", "september"),
    10: ("okt", "oct", "oktober", "october"),
    11: ("nov", "nop", "november", "nopember"),
    12: ("des", "dec", "desember", "december"),
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\s*$")
_NUMERIC_DATE = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$"
)  # dd/mm/yyyy, as Indonesia writes it
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")

# The beginning of a LAPOR status that means the report was finished there (imported as history).
CLOSED_STATUS_PREFIXES = ("selesai", "ditutup", "diarsipkan", "arsip")
MAX_META = 100  # characters of a LAPOR label kept in the audit trail


class NotAnExport(ValueError):
    """The file is no SP4N-LAPOR! export SIGAP can read (the message says why)."""


@dataclass(frozen=True)
class LaporRow:
    line: int  # the line in the sheet, as a spreadsheet shows it
    tracking_id: str
    received_at: dt.datetime  # naive: the export's local time
    title: str
    text: str
    anonymous: bool
    source: str = ""
    category: str = ""
    classification: str = ""
    disposed_to: str = ""
    status: str = ""
    status_reason: str = ""
    where: str = ""

    @property
    def closed(self) -> bool:
        return self.status.strip().lower().startswith(CLOSED_STATUS_PREFIXES)


@dataclass(frozen=True)
class RowProblem:
    line: int
    tracking_id: str
    reason: str


@dataclass
class Export:
    agency_name: str = ""
    rows: list[LaporRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)  # non-empty sheets that were not read


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _key(value: Any) -> str:
    return " ".join(_text(value).lower().split())


def _from_excel(value: float) -> dt.datetime | None:
    from openpyxl.utils.datetime import from_excel  # noqa: PLC0415

    try:
        moment = from_excel(value)
    except (ValueError, OverflowError, TypeError):
        return None
    if isinstance(moment, dt.datetime):
        return moment
    if isinstance(moment, dt.date):
        return dt.datetime.combine(moment, dt.time())
    return None


def parse_date(value: Any) -> dt.date | None:
    """A day as the export writes it ("3 Feb 2025", "17 Agustus 2025", "03/02/2025", ISO) or as a
    spreadsheet stores it (a date cell, a serial number)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_excel(float(value))
        return moment.date() if moment else None
    text = _text(value)
    try:
        if found := _DAY_MONTH_YEAR.match(text):
            month = MONTHS.get(found.group(2).lower())
            return dt.date(int(found.group(3)), month, int(found.group(1))) if month else None
        if found := _NUMERIC_DATE.match(text):
            return dt.date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        if len(text) > 10:  # an ISO date with its time ("2025-02-03 10:00"): the day as written
            return dt.datetime.fromisoformat(text).date()
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(value: Any) -> dt.time | None:
    """A time of day ("08:15:02", "8:15"), a time cell, or a spreadsheet's fraction of a day."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value < 1:
            return None
        seconds = round(float(value) * 86400)
        return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60) if seconds < 86400 else None
    found = _TIME.match(_text(value))
    if not found:
        return None
    try:
        return dt.time(int(found.group(1)), int(found.group(2)), int(found.group(3) or 0))
    except ValueError:
        return None


def read_rows(lines: Iterable[tuple[Any, ...]], *, today: dt.date | None = None) -> Export:
    """The export's rows from its lines (each a tuple of cell values, the first line being line 1).
    NotAnExport when no header line is found within the first lines, or it lacks a needed column."""
    export = Export()
    columns: dict[str, int] | None = None
    seen: set[str] = set()
    latest = (today or clock.now().date()) + dt.timedelta(days=1)  # a day ahead: any Indonesian zone
    for number, cells in enumerate(lines, 1):
        if columns is None:
            label = _key(cells[0]) if cells else ""
            if label == "nama instansi":
                export.agency_name = next((_text(c) for c in cells[1:] if _text(c)), "")
            if any(_key(c) == HEADER_START for c in cells):
                columns = {COLUMNS[_key(c)]: i for i, c in enumerate(cells) if _key(c) in COLUMNS}
                missing = [shown for name, shown in REQUIRED.items() if name not in columns]
                if "text" not in columns and "text_edited" not in columns:
                    missing.append("Isi Laporan Awal")
                if missing:
                    raise NotAnExport(
                        _("The header line lacks the columns: %(names)s.") % {"names": ", ".join(missing)}
                    )
            elif number >= MAX_HEADER_SEARCH:
                break
            continue
        if not any(_text(c) for c in cells):
            continue  # an empty line
        row, problem = _row(number, cells, columns, seen, latest)
        if problem is not None:
            export.problems.append(problem)
        elif row is not None:
            export.rows.append(row)
    if columns is None:
        raise NotAnExport(
            _("No header line with “Tracking ID” was found: this is not an SP4N-LAPOR! export.")
        )
    return export


def _row(
    number: int, cells: tuple[Any, ...], columns: dict[str, int], seen: set[str], latest: dt.date
) -> tuple[LaporRow | None, RowProblem | None]:
    def raw(name: str) -> Any:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def cell(name: str) -> str:
        return _text(raw(name))

    tracking = cell("tracking_id")
    if not tracking:
        return None, RowProblem(number, "", _("No tracking ID."))
    if len(tracking) > 40 or not re.fullmatch(r"[A-Za-z0-9-]+", tracking):
        return None, RowProblem(number, tracking[:40], _("The tracking ID is not one SP4N-LAPOR! gives."))
    if tracking in seen:
        return None, RowProblem(number, tracking, _("This tracking ID is already on an earlier line."))
    day = parse_date(raw("date"))
    if day is None:
        return None, RowProblem(number, tracking, _("The date is not readable (expected e.g. “3 Feb 2025”)."))
    if not dt.date(EARLIEST_YEAR, 1, 1) <= day <= latest:
        return None, RowProblem(
            number, tracking, _("The date is out of range: %(day)s.") % {"day": day.isoformat()}
        )
    when = raw("time")
    moment = parse_time(when)
    if moment is None:
        if _text(when):
            return None, RowProblem(
                number, tracking, _("The time is not readable (expected e.g. “08:15:02”).")
            )
        date_cell = raw("date")
        moment = date_cell.time() if isinstance(date_cell, dt.datetime) else dt.time(0, 0)
    text = cell("text") or cell("text_edited")
    title = cell("title")
    if not (text or title):
        return None, RowProblem(number, tracking, _("The report has neither a title nor a text."))
    district = cell("district")
    where = ", ".join(
        x
        for x in (
            cell("village"),
            district.title() if district.isupper() else district,
            cell("regency"),
            cell("province"),
        )
        if x
    )
    seen.add(tracking)
    return (
        LaporRow(
            line=number,
            tracking_id=tracking,
            received_at=dt.datetime.combine(day, moment),
            title=title,
            text=text,
            # "Anonim", "Anonim|Rahasia", "Anonim, Rahasia", "anonymous": the reporter chose not to be known
            anonymous="anonim" in cell("privacy").lower() or "anonym" in cell("privacy").lower(),
            source=cell("source")[:MAX_META],
            category=cell("category")[:MAX_META],
            classification=cell("classification")[:MAX_META],
            disposed_to=cell("disposed_to")[:MAX_META],
            status=cell("status")[:MAX_META],
            status_reason=cell("status_reason"),
            where=where,
        ),
        None,
    )


def read_xlsx(source: str | IO[bytes], *, today: dt.date | None = None) -> Export:
    """Reads the first sheet that holds the export's header line. NotAnExport, with a sentence, for a
    file that is not a readable XLSX workbook or holds no export."""
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file raises, the answer is one sentence
        raise NotAnExport(
            _("This file is not a readable XLSX workbook (%(kind)s).") % {"kind": type(exc).__name__}
        ) from None
    try:
        found: Export | None = None
        others: list[str] = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # read every line, whatever size the file claims
            if found is not None:
                if any(
                    any(_text(c) for c in cells) for cells in sheet.iter_rows(max_row=5, values_only=True)
                ):
                    others.append(sheet.title)
                continue
            try:
                found = read_rows(sheet.iter_rows(values_only=True), today=today)
            except NotAnExport as exc:
                first_problem = exc
                continue
        if found is None:
            raise first_problem if book.worksheets else NotAnExport(_("The workbook has no sheet."))
        found.other_sheets = others
        return found
    except NotAnExport:
        raise
    except Exception as exc:  # noqa: BLE001
        raise NotAnExport(
            _("This workbook is damaged and cannot be read (%(kind)s).") % {"kind": type(exc).__name__}
        ) from None
    finally:
        book.close()
