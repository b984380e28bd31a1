"""The duplicate index in the database: one row per (key, report), where the keys are the LSH band
keys of a report's MinHash signature plus keys of its specific entities (numbered address,
official, website, ID number). Same SQL on SQLite and PostgreSQL; nothing has to fit in memory.

A lookup asks the primary key for the new report's keys and counts, per report, how many keys it
shares; the best candidates are then confirmed against their stored signatures and entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

TABLE = "triage_band"


def add(report_id: int, keys: Sequence[int]) -> int:
    return add_rows([(int(k), report_id) for k in keys])


def add_many(items: Iterable[tuple[int, Sequence[int]]]) -> int:
    """Indexes many reports in one statement batch; returns the number of rows written."""
    return add_rows([(int(k), report_id) for report_id, keys in items for k in keys])


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


def remove(report_id: int, keys: Sequence[int]) -> None:
    if not keys:
        return
    marks = ",".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE report_id = %s AND key IN ({marks})",  # noqa: S608
            [report_id, *[int(k) for k in keys]],
        )


def candidates(keys: Sequence[int], *, exclude: int | None = None, limit: int = 40) -> list[tuple[int, int]]:
    """Reports sharing at least one key, most shared keys first: (report_id, shared keys)."""
    if not keys:
        return []
    marks = ",".join(["%s"] * len(keys))
    sql = (
        f"SELECT report_id, COUNT(*) AS n FROM {TABLE} WHERE key IN ({marks}) "  # noqa: S608
        "GROUP BY report_id ORDER BY n DESC, report_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*[int(k) for k in keys], limit + 1])
        found = [(int(r), int(n)) for r, n in cursor.fetchall() if r != exclude]
    return found[:limit]


def size() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        return int(cursor.fetchone()[0])
