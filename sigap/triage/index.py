"""The duplicate index in the database: one row per (key, report), where the keys are the LSH band
keys of a report's MinHash signature plus keys of its specific entities (numbered address,
official, website, ID number). Same SQL on SQLite and PostgreSQL; nothing has to fit in memory.

A lookup asks the primary key for the new report's keys and counts, per report, how many keys it
shares; the best candidates are then confirmed against their stored signatures and entities.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

TABLE = "triage_band"


def _in(ids: Sequence[int]) -> str:
    return ",".join(["%s"] * len(ids))


def add(report_id: int, keys: Sequence[int]) -> int:
    return add_rows([(int(k), report_id) for k in keys])


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
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE report_id = %s AND key IN ({_in(keys)})",  # noqa: S608
            [report_id, *[int(k) for k in keys]],
        )


def candidates(keys: Sequence[int], *, exclude: int | None = None, limit: int = 40) -> list[tuple[int, int]]:
    """Reports sharing at least one key, most shared keys first: (report_id, shared keys)."""
    if not keys:
        return []
    sql = (
        f"SELECT report_id, COUNT(*) AS n FROM {TABLE} WHERE key IN ({_in(keys)}) "  # noqa: S608
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


def signatures_of(report_ids: Sequence[int]) -> list[tuple[int, bytes]]:
    """Stored MinHash signatures of the given reports (one query: the hot path of a duplicate check)."""
    if not report_ids:
        return []
    from sigap.triage.models import TriageResult

    table = TriageResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT report_id, signature FROM {table} WHERE report_id IN ({_in(report_ids)}) "  # noqa: S608
            "AND signature IS NOT NULL",
            [int(r) for r in report_ids],
        )
        return [(int(r), bytes(sig)) for r, sig in cursor.fetchall()]


def stored_of(report_ids: Sequence[int]) -> list[tuple[int, int, bytes, bytes, int, bool]]:
    """(report id, agency id, signature, sealed features, case id, agency connected to the hub)."""
    if not report_ids:
        return []
    from sigap.cases.models import Report
    from sigap.tenants.models import Instansi
    from sigap.triage.models import TriageResult

    t, r, i = TriageResult._meta.db_table, Report._meta.db_table, Instansi._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.report_id, t.instansi_id, t.signature, t.features_sealed, r.case_id, "  # noqa: S608
            f"i.connected_to_hub FROM {t} t JOIN {r} r ON r.id = t.report_id "
            f"JOIN {i} i ON i.id = t.instansi_id "
            f"WHERE t.report_id IN ({_in(report_ids)}) AND t.signature IS NOT NULL "
            "AND t.features_sealed IS NOT NULL",
            [int(x) for x in report_ids],
        )
        return [
            (int(a), int(b), bytes(c), bytes(d), int(e), bool(f)) for a, b, c, d, e, f in cursor.fetchall()
        ]
