"""The duplicate index in the database, the same tables and SQL on SQLite and PostgreSQL; nothing
has to fit in memory (decision 0003).

- `triage_lsh`: one row per report with its agency, its MinHash LSH band hashes in columns b0..b23
  (32-bit), each column with its own index on (band hash, report), and a 128-byte sketch of the
  signature that ranks candidates without reading the large triage rows. One row per report
  instead of one row per key keeps PostgreSQL's per-row overhead out of the index size.
- `triage_entity_key`: one row per (key, report) for the specific entities of a report (numbered
  address, official, website, ID number, full name, specific sum: `dedup.entity_keys`): reworded
  reports of one matter meet through these.

A lookup reads, per band and per entity key, the newest reports holding it (at most PER_KEY: a
band shared by thousands of reports is a template, and its newest holders are the ones that
matter), and counts per report how many it shares. Before the best are taken it keeps only the
reports the new one may be compared with (`candidates`: the one place of that rule). The best
candidates are then confirmed against their stored signatures and entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from sigap.core.bulkdb import insert_rows
from sigap.triage.lib.minhash import INDEX_BANDS

LSH = "triage_lsh"
ENTITY = "triage_entity_key"
BAND_COLUMNS = tuple(f"b{i}" for i in range(INDEX_BANDS))
# A hot band's holders are all read, grouped and ranked: 500 cost SQLite about 2 ms at p95 over 200,
# and on 3,000 edited copies in 1M reports the original was among the candidates as often (2,999);
# at 100 three more were missed.
PER_KEY = 200
OWN_AGENCY_DEPTH = 5  # an agency not connected to the hub ranks this many times more, then filters


@dataclass(frozen=True)
class Candidate:
    report_id: int
    bands: int  # band hashes shared
    entities: int  # entity keys shared
    sketch: bytes  # the first 64 slots of its signature, 16 bits each


def _in(values: Sequence[object]) -> str:
    return ",".join(["%s"] * len(values))


LSH_COLUMNS = ("report_id", "instansi_id", *BAND_COLUMNS, "sketch")
LSH_UPSERT = "ON CONFLICT (report_id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in LSH_COLUMNS[1:]
)


def _insert_lsh_sql() -> str:
    return f"INSERT INTO {LSH} ({', '.join(LSH_COLUMNS)}) VALUES ({_in(LSH_COLUMNS)}) {LSH_UPSERT}"  # noqa: S608


def _insert_entity_sql() -> str:
    if connection.vendor == "sqlite":
        return f"INSERT OR IGNORE INTO {ENTITY} (key, report_id) VALUES (%s, %s)"  # noqa: S608
    return f"INSERT INTO {ENTITY} (key, report_id) VALUES (%s, %s) ON CONFLICT DO NOTHING"  # noqa: S608


@dataclass(frozen=True)
class Row:
    """What the index keeps of one report."""

    report_id: int
    instansi_id: int
    bands: Sequence[int]
    sketch: bytes


def add(row: Row, entity_keys: Sequence[int] = ()) -> None:
    """Indexes one report (replacing its band row); a report without bands (empty text) gets none."""
    add_many([row])
    if entity_keys:
        with connection.cursor() as cursor:
            cursor.executemany(_insert_entity_sql(), [(int(k), row.report_id) for k in entity_keys])


def add_many(rows: Sequence[Row]) -> int:
    """Band rows of many reports at once (bulk indexing)."""
    params: list[tuple[int | bytes, ...]] = [
        (int(r.report_id), int(r.instansi_id), *[int(b) for b in r.bands], r.sketch)
        for r in rows
        if len(r.bands) == INDEX_BANDS
    ]
    insert_rows(LSH, LSH_COLUMNS, params, on_conflict=LSH_UPSERT)
    return len(params)


def remove(report_id: int, entity_keys: Sequence[int] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LSH} WHERE report_id = %s", [report_id])  # noqa: S608
        if entity_keys:
            cursor.execute(
                f"DELETE FROM {ENTITY} WHERE report_id = %s AND key IN ({_in(entity_keys)})",  # noqa: S608
                [report_id, *[int(k) for k in entity_keys]],
            )


def replace_entity_keys(old: Sequence[tuple[int, int]], new: Sequence[tuple[int, int]]) -> None:
    """Swaps (key, report id) rows of the entity key table: a report's keys read again."""
    with connection.cursor() as cursor:
        if old:
            cursor.executemany(f"DELETE FROM {ENTITY} WHERE key = %s AND report_id = %s", old)  # noqa: S608
        if new:
            cursor.executemany(_insert_entity_sql(), new)


def remove_bands(report_ids: Sequence[int]) -> None:
    """Band rows of many reports (re-signing); their entity keys stay."""
    for start in range(0, len(report_ids), 500):
        part = [int(x) for x in report_ids[start : start + 500]]
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {LSH} WHERE report_id IN ({_in(part)})", part)  # noqa: S608


def candidates(
    bands: Sequence[int],
    entity_keys: Sequence[int] = (),
    *,
    instansi_id: int,
    across_agencies: bool,
    exclude: int | None = None,
    limit: int = 40,
) -> list[Candidate]:
    """Reports sharing at least one band hash or entity key with a new report of `instansi_id`,
    most shared first (entity keys count double: they are specific), with their sketches: one
    query. Only reports it may be compared with: its own agency's, and, when `across_agencies`
    (its agency is connected to the hub), those of every agency connected to the hub."""
    from sigap.tenants.models import Instansi

    parts: list[str] = []
    params: list[int] = []
    for column, value in zip(BAND_COLUMNS, bands, strict=False):
        parts.append(
            f"SELECT report_id, 1 AS band, 0 AS entity FROM (SELECT report_id FROM {LSH} "  # noqa: S608
            f"WHERE {column} = %s ORDER BY report_id DESC LIMIT {PER_KEY}) AS q{len(parts)}"
        )
        params.append(int(value))
    band_params = len(params)  # int4 columns; entity keys, the limit and the agency are int8
    for key in entity_keys:
        parts.append(
            f"SELECT report_id, 0 AS band, 1 AS entity FROM (SELECT report_id FROM {ENTITY} "  # noqa: S608
            f"WHERE key = %s ORDER BY report_id DESC LIMIT {PER_KEY}) AS q{len(parts)}"
        )
        params.append(int(key))
    if not parts:
        return []
    if across_agencies:  # most reports: others are mostly connected too, few are dropped
        scope = (
            f"JOIN {Instansi._meta.db_table} i ON i.id = l.instansi_id "
            "WHERE (i.connected_to_hub OR l.instansi_id = %s)"
        )
        ranked = limit + 1
    else:  # an agency on its own: look further down the ranking for its own reports
        scope, ranked = "WHERE l.instansi_id = %s", OWN_AGENCY_DEPTH * (limit + 1)
    sql = (
        "SELECT h.report_id, h.b, h.e, l.sketch FROM (SELECT report_id, SUM(band) AS b, "  # noqa: S608
        "SUM(entity) AS e FROM (" + " UNION ALL ".join(parts) + ") AS hits GROUP BY report_id "
        "ORDER BY SUM(band) + 2 * SUM(entity) DESC, report_id DESC LIMIT %s) AS h "
        f"JOIN {LSH} l ON l.report_id = h.report_id {scope}"
    )
    rows = _fetch_prepared(sql, [*params, ranked, instansi_id], int4=band_params)
    found = [Candidate(int(r), int(b), int(e), bytes(sk)) for r, b, e, sk in rows if r != exclude]
    found.sort(key=lambda c: (-(c.bands + 2 * c.entities), -c.report_id))
    return found[:limit]


def _fetch(sql: str, params: Sequence[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _fetch_prepared(sql: str, params: Sequence[int], *, int4: int) -> list[tuple]:
    """`_fetch` as a prepared statement on PostgreSQL (the first `int4` parameters are int4, the
    rest int8): the candidate query has one shape per number of keys, and planning its 24-way
    union each time costs more than running it (decision 0003). Django binds parameters on the
    client, so this goes to the driver's own server-side binding cursor (the settings let the
    driver prepare what it is asked to). SQLite plans in microseconds: the plain path."""
    if connection.vendor != "postgresql" or not settings.SIGAP_DB_PREPARED_STATEMENTS:
        return _fetch(sql, params)
    from psycopg import Cursor
    from psycopg.types.numeric import Int4, Int8

    typed = [Int4(v) if i < int4 else Int8(v) for i, v in enumerate(params)]
    connection.ensure_connection()
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:  # Django's error types
        cursor.execute(sql, typed, prepare=True)
        return list(cursor.fetchall())


def size() -> int:
    """Reports in the band index."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {LSH}")  # noqa: S608
        return int(cursor.fetchone()[0])


def entity_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {ENTITY}")  # noqa: S608
        return int(cursor.fetchone()[0])


def bytes_on_disk() -> int | None:
    """Space of both index tables with their indexes (None when the SQLite build lacks dbstat)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_total_relation_size('{LSH}') + pg_total_relation_size('{ENTITY}')")
            return int(cursor.fetchone()[0])
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "  # noqa: S608
                f"WHERE tbl_name IN ('{LSH}', '{ENTITY}'))"
            )
        except Exception:  # noqa: BLE001 - dbstat is an optional SQLite module
            return None
        return int(cursor.fetchone()[0] or 0)


def stored_of(report_ids: Sequence[int]) -> list[tuple[int, int, bytes, bytes, int]]:
    """(report id, agency id, signature, sealed features, case id) of the given reports."""
    if not report_ids:
        return []
    from sigap.cases.models import Report
    from sigap.triage.models import TriageResult

    t, r = TriageResult._meta.db_table, Report._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.report_id, t.instansi_id, t.signature, t.features_sealed, r.case_id "  # noqa: S608
            f"FROM {t} t JOIN {r} r ON r.id = t.report_id "
            f"WHERE t.report_id IN ({_in(report_ids)}) AND t.signature IS NOT NULL "
            "AND t.features_sealed IS NOT NULL",
            [int(x) for x in report_ids],
        )
        return [(int(a), int(b), bytes(c), bytes(d), int(e)) for a, b, c, d, e in cursor.fetchall()]


def _band_index_sql(i: int) -> str:
    # SQLite's index entries carry the rowid (the report id) anyway; on PostgreSQL the second
    # column fits in the alignment padding of the first and allows index-only lookups.
    columns = f"b{i}" if connection.vendor == "sqlite" else f"b{i}, report_id"
    return f"CREATE INDEX IF NOT EXISTS triage_lsh_b{i} ON {LSH} ({columns})"


def drop_band_indexes() -> None:
    """For a bulk load into a small index: building the indexes afterwards, sorted, is several
    times faster than growing them row by row (and gives compact indexes). Checks are slow until
    `ensure_band_indexes` has run."""
    with connection.cursor() as cursor:
        for i in range(INDEX_BANDS):
            cursor.execute(f"DROP INDEX IF EXISTS triage_lsh_b{i}")


def ensure_band_indexes() -> None:
    """Creates any missing band index (after a bulk load, or one that was interrupted)."""
    with connection.cursor() as cursor:
        for i in range(INDEX_BANDS):
            cursor.execute(_band_index_sql(i))


def analyze() -> None:
    """Refreshes the planner's statistics after a bulk load (and, on PostgreSQL, the visibility map
    that lets band lookups read the index alone)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {LSH}")  # noqa: S608
                cursor.execute(f"ANALYZE {ENTITY}")  # noqa: S608
            else:
                cursor.execute(f"VACUUM (ANALYZE) {LSH}")  # noqa: S608
                cursor.execute(f"VACUUM (ANALYZE) {ENTITY}")  # noqa: S608
        else:
            cursor.execute(f"ANALYZE {LSH}")  # noqa: S608
