"""Reading JSON-lines corpora (one report per line) for the triage tools. Pure, no Django."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO


class UnreadableInput(ValueError):
    """A file that is not JSON lines in UTF-8 at all (UTF-16, for one): said once, not per line."""


def _lines(source: BinaryIO) -> Iterator[bytes]:
    """The lines of a byte stream, split at newlines only (a stray carriage return inside a line
    stays there: line numbers match what ``wc -l`` and an editor count)."""
    for lineno, raw in enumerate(source, 1):
        if lineno == 1:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise UnreadableInput("the input is UTF-16: save it as UTF-8 JSON lines")
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some editors write
        yield raw


def _decode(raw: bytes) -> str:
    """A line as UTF-8; a line that is not (a file saved by a Windows program) as Windows-1252, so
    that "café" stays "café" and two ids never become one replacement character."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            return raw.decode("latin-1")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _loads(line: str) -> Any:
    """One JSON value, strictly: NaN and Infinity are no JSON, nesting that exhausts the stack and
    lone surrogates ("\\ud800", which no output could write) make the line unreadable."""
    try:
        # strict=False: a raw tab or carriage return inside a text is read
        item = json.loads(line, strict=False, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if "\\u" in line and any("\ud800" <= ch <= "\udfff" for ch in json.dumps(item, ensure_ascii=False)):
        raise ValueError("a lone surrogate is no character")
    return item


def read_objects(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, object) for every non-empty line; None for a line that is not a JSON object
    (or not one that can be written back: NaN, lone surrogates, nesting beyond the stack).
    ``-`` reads standard input. A line that is not UTF-8 is read as Windows-1252, never fatal; a
    UTF-8 byte-order mark is skipped; a UTF-16 file raises UnreadableInput."""
    if str(path) == "-":  # a text stream without bytes beneath (a test's) is read as UTF-8
        stdin = getattr(sys.stdin, "buffer", None)
        source: BinaryIO = stdin if stdin is not None else io.BytesIO(sys.stdin.read().encode())
    else:
        source = Path(path).open("rb")  # noqa: SIM115
    try:
        for lineno, raw in enumerate(_lines(source), 1):
            line = _decode(raw)
            if not line.strip():
                continue
            try:
                item = _loads(line)
            except ValueError:
                yield lineno, None
                continue
            yield lineno, item if isinstance(item, dict) else None
    finally:
        if str(path) != "-":
            source.close()


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


def report_text(item: dict[str, Any], field: str = "text") -> str:
    """What a line says: its title (when it has one that the text does not already start with) and
    its text, for the tools that read one string (locate, classify)."""
    text = text_of(item, field)
    title = item.get("title")
    if isinstance(title, str) and title.strip() and not text.lstrip().startswith(title.strip()):
        return f"{title.strip()}\n{text}" if text else title.strip()
    return text


def fields_seen(path: str | Path, limit: int = 50) -> list[str]:
    """The field names of the first objects of a file (to say what a file has when nothing in it
    could be read)."""
    seen: dict[str, None] = {}
    if str(path) == "-":
        return []
    for count, (_, item) in enumerate(read_objects(path)):
        if count >= limit:
            break
        if item is not None:
            seen.update(dict.fromkeys(map(str, item)))
    return list(seen)
