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
