"""Reading JSON-lines corpora (one report per line) for the triage tools. Pure, no Django."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_objects(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, object) for every non-empty line; None for a line that is not a JSON object.
    ``-`` reads standard input. Undecodable bytes are replaced, never fatal."""
    source = sys.stdin if str(path) == "-" else Path(path).open(encoding="utf-8", errors="replace")  # noqa: SIM115
    with source:
        for lineno, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError:
                yield lineno, None
                continue
            yield lineno, item if isinstance(item, dict) else None


# Other names a report's text and address go by in exported files, tried when the named field is absent.
TEXT_FIELDS = ("text", "isi", "keluhan", "laporan", "uraian", "pengaduan", "content", "body", "description")
ADDRESS_FIELDS = ("address", "alamat", "lokasi", "location")


def text_of(item: dict[str, Any], field: str = "text") -> str:
    """The report text of a line: ``field``; when that is the default "text" and the line has no
    text there, the first of TEXT_FIELDS it has (an export that calls it "keluhan" or "isi" is
    still read). A field named on the command line is read alone. Only strings count."""
    names = (field, *TEXT_FIELDS) if field == "text" else (field,)
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def address_of(item: dict[str, Any]) -> str | None:
    """The address written beside the text, if the line has one (under any of ADDRESS_FIELDS)."""
    for name in ADDRESS_FIELDS:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None
