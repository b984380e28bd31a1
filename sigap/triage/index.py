"""The duplicate index in the database: LSH band keys of MinHash signatures, one row per
(band key, report). Same SQL on SQLite and PostgreSQL; nothing has to fit in one process's memory.

A lookup asks the primary key for the new report's band keys and counts, per report, how many
bands it shares; the best candidates are then confirmed against their stored signatures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection

from sigap.triage.lib import minhash

TABLE = "triage_band"


def _keys(sig: np.ndarray) -> list[int]:
    if minhash.is_empty(sig):
        return []
    return [int(k) for k in minhash.band_keys(sig)]


def add(report_id: int, sig: np.ndarray) -> None:
    add_many([(report_id, sig)])


def add_many(items: Iterable[tuple[int, np.ndarray]]) -> int:
    """Indexes many reports in one statement batch; returns the number of rows written."""
    rows: list[tuple[int, int]] = []
    for report_id, sig in items:
        rows.extend((key, report_id) for key in _keys(sig))
    return add_rows(rows)


def add_rows(rows: Sequence[tuple[int, int]]) -> int:
    if not rows:
        return 0
    if connection.vendor == "sqlite":
        sql = f"INSERT OR IGNORE INTO {TABLE} (key, report_id) VALUES (%s, %s)"  # noqa: S608 - constant
    else:
        sql = f"INSERT INTO {TABLE} (key, report_id) VALUES (%s, %s) ON CONFLICT DO NOTHING"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def remove(report_id: int, sig: np.ndarray) -> None:
    keys = _keys(sig)
    if not keys:
        return
    marks = ",".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE report_id = %s AND key IN ({marks})",  # noqa: S608
                       [report_id, *keys])


def candidates(sig: np.ndarray, *, exclude: int | None = None, limit: int = 40) -> list[tuple[int, int]]:
    """Reports sharing at least one band with `sig`, most shared bands first: (report_id, bands)."""
    keys = _keys(sig)
    if not keys:
        return []
    marks = ",".join(["%s"] * len(keys))
    sql = (f"SELECT report_id, COUNT(*) AS n FROM {TABLE} WHERE key IN ({marks}) "  # noqa: S608
           "GROUP BY report_id ORDER BY n DESC, report_id DESC LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, limit + 1])
        found = [(int(r), int(n)) for r, n in cursor.fetchall() if r != exclude]
    return found[:limit]


def size() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        return int(cursor.fetchone()[0])
