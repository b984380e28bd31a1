"""Reading an SP4N-LAPOR! "Laporan Ringkas" export (XLSX) into plain rows: pure, no database.

The export opens with a few label/value lines (Judul Laporan, Nama Instansi, Tanggal Generate,
Periode Masuk, Pengelola), then a header line with "Tracking ID" (its first column), then one line
per report. Columns are found by their header, so an export with columns in another order, or with
columns added, still reads. A line that cannot be read becomes a `RowProblem` with its line number
and the reason; the others are read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

HEADER_START = "tracking id"
MAX_HEADER_SEARCH = 40  # lines before the header line

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
    "provinsi": "province",
    "kota/kabupaten": "regency",
    "kecamatan": "district",
    "kelurahan": "village",
}
REQUIRED = ("tracking_id", "date", "title")

MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
        )
    },
    **{
        m: i
        for i, m in enumerate(
            ("jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"), 1
        )
    },
    "agt": 8,
    "ags": 8,
}
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*$")

# A LAPOR status that means the report was finished there (imported as history, archived).
CLOSED_STATUSES = frozenset(
    {"selesai", "ditutup", "ditutup oleh sistem", "diarsipkan", "diarsipkan oleh sistem", "arsip"}
)


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
    confidential: bool
    source: str = ""
    category: str = ""
    classification: str = ""
    disposed_to: str = ""
    status: str = ""
    where: str = ""

    @property
    def closed(self) -> bool:
        return self.status.strip().lower() in CLOSED_STATUSES


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _key(value: Any) -> str:
    return " ".join(_text(value).lower().split())


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    found = _DAY_MONTH_YEAR.match(text)
    if found:
        month = MONTHS.get(found.group(2).lower()[:3]) or MONTHS.get(found.group(2).lower())
        if month:
            try:
                return dt.date(int(found.group(3)), month, int(found.group(1)))
            except ValueError:
                return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    found = _TIME.match(_text(value))
    if not found:
        return None
    try:
        return dt.time(int(found.group(1)), int(found.group(2)), int(found.group(3) or 0))
    except ValueError:
        return None


def read_rows(lines: Iterable[tuple[Any, ...]]) -> Export:
    """The export's rows from its lines (each a tuple of cell values, the first line being line 1)."""
    export = Export()
    columns: dict[str, int] | None = None
    seen: set[str] = set()
    for number, cells in enumerate(lines, 1):
        if columns is None:
            label = _key(cells[0]) if cells else ""
            if label == "nama instansi":
                export.agency_name = next((_text(c) for c in cells[1:] if _text(c)), "")
            if any(_key(c) == HEADER_START for c in cells):
                columns = {COLUMNS[_key(c)]: i for i, c in enumerate(cells) if _key(c) in COLUMNS}
                missing = [name for name in REQUIRED if name not in columns]
                if "text" not in columns and "text_edited" not in columns:
                    missing.append("text")
                if missing:
                    raise NotAnExport(
                        _("The header line lacks the columns: %(names)s.") % {"names": ", ".join(missing)}
                    )
            elif number >= MAX_HEADER_SEARCH:
                break
            continue
        if not any(_text(c) for c in cells):
            continue  # an empty line
        row, problem = _row(number, cells, columns, seen)
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
    number: int, cells: tuple[Any, ...], columns: dict[str, int], seen: set[str]
) -> tuple[LaporRow | None, RowProblem | None]:
    def cell(name: str) -> str:
        i = columns.get(name)
        return _text(cells[i]) if i is not None and i < len(cells) else ""

    def raw(name: str) -> Any:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

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
    moment = parse_time(raw("time")) or dt.time(0, 0)
    text = cell("text") or cell("text_edited")
    title = cell("title")
    if not (text or title):
        return None, RowProblem(number, tracking, _("The report has neither a title nor a text."))
    privacy = {p.strip().lower() for p in cell("privacy").split("|")}
    where = ", ".join(
        x
        for x in (
            cell("village"),
            cell("district").title() if cell("district").isupper() else cell("district"),
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
            anonymous="anonim" in privacy,
            confidential="rahasia" in privacy,
            source=cell("source"),
            category=cell("category"),
            classification=cell("classification"),
            disposed_to=cell("disposed_to"),
            status=cell("status"),
            where=where,
        ),
        None,
    )


def read_xlsx(source: str | IO[bytes]) -> Export:
    """Reads the first sheet of an XLSX export. NotAnExport when it is no XLSX workbook or no export."""
    import zipfile  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise NotAnExport(
            _("This file is not an XLSX workbook (%(kind)s).") % {"kind": type(exc).__name__}
        ) from None
    try:
        sheet = book.worksheets[0]
        return read_rows(sheet.iter_rows(values_only=True))
    finally:
        book.close()
