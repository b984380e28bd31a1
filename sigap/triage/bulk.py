"""Bulk duplicate indexing of stored reports (history imports, re-signing after an upgrade).

The per-report task (`actions.triage_report`) reads everything in a report; this path computes only
what the duplicate index needs — normalised text, MinHash signature, band keys — for many reports at
once, spreading the signatures over processes. Reports indexed here stay "triage pending" so that
the full triage still runs on them; it then refreshes their index keys with entity keys.

`resign_stale` re-signs the reports whose signature an older version of SIGAP made
(`dedup.SIGNATURE_VERSION`): their band rows and stored matter text are replaced, the rest of
their triage (entities, category, entity keys) is kept.

`reread_stale` reads again the entities of the reports whose entities an older version read
(`dedup.ENTITY_VERSION`): their stored entities and entity keys are replaced, the rest of their
triage (signature, category, region, completeness, suggestions) is kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sigap.cases.content import open_content
from sigap.cases.models import Report, TriageStatus
from sigap.core import crypto
from sigap.core.bulkdb import insert_rows
from sigap.tenants.models import Instansi
from sigap.triage import index
from sigap.triage.actions import PURPOSE_FEATURES
from sigap.triage.lib import minhash
from sigap.triage.lib.dedup import ENTITY_VERSION, SIGNATURE_VERSION, matter_text
from sigap.triage.lib.pipeline import EntityReading, reread_entities
from sigap.triage.models import TriageResult

SQLITE_CACHE_KIB = 512 * 1024
# A load at least this large, and at least as large as the index already is, drops the band
# indexes and builds them again at the end (an agency importing its history, a re-index).
REBUILD_FROM = 50_000


@dataclass
class BulkStats:
    reports: int = 0
    keys: int = 0


def text_features(texts: Sequence[str]) -> list[tuple[str, bytes, list[int], bytes]]:
    """(matter text, signature bytes, index band hashes, sketch) per text: pure and picklable
    for a worker pool."""
    norms = [matter_text(text) for text in texts]
    sigs = minhash.signatures(norms)
    bands = minhash.index_bands_batch(sigs)
    return [
        (
            norm,
            minhash.signature_to_bytes(sig),
            [] if minhash.is_empty(sig) else [int(v) for v in row],
            minhash.sketch(sig),
        )
        for norm, sig, row in zip(norms, sigs, bands, strict=True)
    ]


def read_entities(items: Sequence[tuple[str, str | None]]) -> list[EntityReading]:
    """The entities of (text, agency region) pairs, read again: pure and picklable for a worker pool."""
    return [reread_entities(text, region_hint=hint) for text, hint in items]


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _texts(rows: Loaded) -> list[str]:
    return [text for _, _, text in rows]


def index_reports(
    report_ids: Iterable[int], *, batch_size: int = 2000, workers: int | None = None
) -> BulkStats:
    """Indexes the given reports (skipping those already indexed)."""
    return _bulk(sorted(set(report_ids)), batch_size, workers, _new_rows, (_texts, text_features), _write)


def stale_ids() -> list[int]:
    """Reports whose stored signature an older signing version made."""
    return list(
        TriageResult.objects.filter(signature__isnull=False, signature_version__lt=SIGNATURE_VERSION)
        .order_by("report_id")
        .values_list("report_id", flat=True)
    )


def resign_stale(*, batch_size: int = 2000, workers: int | None = None) -> BulkStats:
    """Re-signs every report signed by an older version (see the module docstring)."""
    return _bulk(stale_ids(), batch_size, workers, _stale_rows, (_texts, text_features), _rewrite)


def stale_entity_ids() -> list[int]:
    """Fully triaged reports whose entities an older version of entity extraction read (a report
    still pending gets today's reading from its full triage)."""
    return list(
        TriageResult.objects.filter(
            entities_version__lt=ENTITY_VERSION, report__triage_status=TriageStatus.DONE
        )
        .order_by("report_id")
        .values_list("report_id", flat=True)
    )


def reread_stale(*, batch_size: int = 2000, workers: int | None = None) -> BulkStats:
    """Reads again the entities of every report read by an older version (see the module docstring)."""
    hints = dict(Instansi.objects.values_list("pk", "region_code"))

    def items(rows: Loaded) -> list[tuple[str, str | None]]:
        return [(text, hints.get(iid) or None) for _, iid, text in rows]

    return _bulk(stale_entity_ids(), batch_size, workers, _stale_rows, (items, read_entities), _rekey,
                 bands=False)


Loaded = list[tuple[int, int, str]]  # (report id, agency id, full text) of one batch
# What the worker processes do with a batch: the inputs taken from its rows, and the pure function
# that reads a slice of them.
Work = tuple[Callable[[Loaded], list], Callable[[Sequence[Any]], list]]
Writer = Callable[[Loaded, list, int, BulkStats], None]


def _bulk(ids: Sequence[int], batch_size: int, workers: int | None,
          load: Callable[[Sequence[int]], Loaded], work: Work, write: Writer, *,
          bands: bool = True) -> BulkStats:
    """Runs `work` over the reports of `ids` in batches and stores each with `write`. A load that
    writes band rows (`bands`) and is large enough builds the band indexes again at the end."""
    stats = BulkStats()
    index.ensure_band_indexes()  # a bulk load interrupted earlier may have left them out
    rebuild = bands and len(ids) >= max(REBUILD_FROM, index.size())
    if rebuild:
        index.drop_band_indexes()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # this connection's page cache: the band indexes
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")  # stay in memory while they grow
    try:
        _pipeline(ids, batch_size, workers, load, work, write, stats)
    finally:
        if rebuild:
            index.ensure_band_indexes()
    index.analyze()
    return stats


def _pipeline(ids: Sequence[int], batch_size: int, workers: int | None,
              load: Callable[[Sequence[int]], Loaded], work: Work, write: Writer, stats: BulkStats) -> None:
    """Loads batch n+1 and reads it on the worker processes while batch n is written."""
    workers = workers or max(1, (os.cpu_count() or 1))
    inputs, fn = work
    with ProcessPoolExecutor(max_workers=workers) if workers > 1 else _Inline() as pool:
        pending: tuple[Loaded, list] | None = None
        for chunk in _chunks(ids, batch_size):
            rows = load(chunk)
            items = inputs(rows)
            futures = [pool.submit(fn, items[i::workers]) for i in range(workers)]
            if pending is not None:
                write(*pending, workers, stats)
            pending = (rows, futures)
        if pending is not None:
            write(*pending, workers, stats)


def _new_rows(chunk: Sequence[int]) -> Loaded:
    return _contents(chunk, "NOT EXISTS (SELECT 1 FROM {results} t WHERE t.report_id = r.id)")


def _stale_rows(chunk: Sequence[int]) -> Loaded:
    return _contents(chunk)  # `_rewrite` and `_rekey` keep those still stale, under a lock


def _contents(chunk: Sequence[int], condition: str = "") -> Loaded:
    """(id, agency, full text) of the reports of `chunk` that meet `condition` (SQL on report `r`),
    if any. One array parameter on PostgreSQL rather than thousands: the ORM's IN list cost as much
    to build and plan as the rows took to read."""
    ids = [int(x) for x in chunk]
    params: list[Any] = ids
    if connection.vendor == "postgresql":
        where, params = "r.id = ANY(%s)", [ids]
    else:
        where = f"r.id IN ({', '.join(['%s'] * len(ids))})"
    if condition:
        where += " AND " + condition.format(results=TriageResult._meta.db_table)
    sql = f"SELECT r.id, r.instansi_id, r.content_sealed FROM {Report._meta.db_table} r WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(rid, iid, open_content(iid, bytes(sealed)).full_text) for rid, iid, sealed in rows]


def _results(rows: Loaded, futures: list, workers: int) -> list[Any]:
    """The workers' results back in the order of `rows` (worker w read rows w, w + workers, ...)."""
    results: list[Any] = [None] * len(rows)
    for w, future in enumerate(futures):
        for j, item in enumerate(future.result()):
            results[w + j * workers] = item
    assert all(item is not None for item in results)
    return results


RESULT_COLUMNS = (
    "instansi_id", "report_id", "features_sealed", "signature", "signature_version", "updated_at",
    # The plain fields at their model defaults; full triage fills them later.
    "index_keys", "entities_version", "category", "category_confidence", "sectors", "region_code",
    "kpk_competent", "competent_body", "completeness", "max_amount", "attempts", "last_error", "duration_ms",
)
RESULT_DEFAULTS = ("[]", 0, "", 0, "[]", "", None, "", 0, None, 0, "", 0)


def _write(rows: Loaded, futures: list, workers: int, stats: BulkStats) -> None:
    """Stores one batch with two bulk inserts (COPY on PostgreSQL): the ORM's per-object work, and
    then one INSERT per row, were most of the time of a bulk index."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    triage_rows: list[tuple[Any, ...]] = []
    band_rows: list[index.Row] = []
    for (report_id, instansi_id, _), (norm, sig, bands, sketch) in zip(
        rows, _results(rows, futures, workers), strict=True
    ):
        sealed = crypto.seal_json(instansi_id, {"normalized": norm}, purpose=PURPOSE_FEATURES)
        triage_rows.append((instansi_id, report_id, sealed, sig, SIGNATURE_VERSION, now, *RESULT_DEFAULTS))
        band_rows.append(index.Row(report_id, instansi_id, bands, sketch))
    with transaction.atomic():
        insert_rows(TriageResult._meta.db_table, RESULT_COLUMNS, triage_rows)
        index.add_many(band_rows)
    stats.keys += sum(len(r.bands) for r in band_rows)
    stats.reports += len(rows)


def _resealed(instansi_id: int, sealed: bytes | memoryview | None, changes: dict[str, Any]) -> bytes:
    """A result's sealed features with `changes` applied (the rest of what it stores kept)."""
    stored = crypto.open_json(instansi_id, bytes(sealed), purpose=PURPOSE_FEATURES) if sealed else {}
    stored.update(changes)
    return crypto.seal_json(instansi_id, stored, purpose=PURPOSE_FEATURES)


def _rewrite(rows: Loaded, futures: list, workers: int, stats: BulkStats) -> None:
    """Replaces the signature and the stored matter text of one batch of stale reports, and the
    band rows of those whose signature changed. Reports that a full triage re-signed meanwhile are
    left as that triage wrote them (the result row's lock orders the two on PostgreSQL; SQLite has
    one writer at a time)."""
    signed = dict(zip((rid for rid, _, _ in rows), _results(rows, futures, workers), strict=True))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    updates: list[tuple[Any, ...]] = []
    band_rows: list[index.Row] = []
    with transaction.atomic():
        current = (
            TriageResult.objects.select_for_update()
            .filter(report_id__in=list(signed), signature_version__lt=SIGNATURE_VERSION)
            .values_list("report_id", "instansi_id", "features_sealed", "signature")
        )
        for report_id, instansi_id, sealed, old_sig in current:
            norm, sig, bands, sketch = signed[report_id]
            updates.append((_resealed(instansi_id, sealed, {"normalized": norm}), sig, SIGNATURE_VERSION, now,
                            report_id))
            if bytes(old_sig or b"") != sig:  # the band rows follow from the signature alone
                band_rows.append(index.Row(report_id, instansi_id, bands, sketch))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {TriageResult._meta.db_table} SET features_sealed = %s, signature = %s, "  # noqa: S608
                "signature_version = %s, updated_at = %s WHERE report_id = %s",
                updates,
            )
        index.remove_bands([r.report_id for r in band_rows])
        index.add_many(band_rows)
    stats.keys += sum(len(r.bands) for r in band_rows)
    stats.reports += len(updates)


def _rekey(rows: Loaded, futures: list, workers: int, stats: BulkStats) -> None:
    """Replaces the stored entities and the entity keys of one batch of stale reports. Reports that
    a full triage read meanwhile are left as it wrote them (under the result row's lock, as in
    `_rewrite`)."""
    read: dict[int, EntityReading] = dict(
        zip((rid for rid, _, _ in rows), _results(rows, futures, workers), strict=True)
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    as_json = TriageResult._meta.get_field("index_keys").get_db_prep_value
    updates: list[tuple[Any, ...]] = []
    old_keys: list[tuple[int, int]] = []
    new_keys: list[tuple[int, int]] = []
    with transaction.atomic():
        current = (
            TriageResult.objects.select_for_update()
            .filter(report_id__in=list(read), entities_version__lt=ENTITY_VERSION)
            .values_list("report_id", "instansi_id", "features_sealed", "index_keys")
        )
        for report_id, instansi_id, sealed, keys in current:
            reading = read[report_id]
            sealed = _resealed(instansi_id, sealed, reading.fields)
            keys_json = as_json(reading.entity_keys, connection)
            updates.append((sealed, keys_json, reading.max_amount, ENTITY_VERSION, now, report_id))
            old_keys += [(int(k), report_id) for k in keys or ()]
            new_keys += [(k, report_id) for k in reading.entity_keys]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {TriageResult._meta.db_table} SET features_sealed = %s, index_keys = %s, "  # noqa: S608
                "max_amount = %s, entities_version = %s, updated_at = %s WHERE report_id = %s",
                updates,
            )
        index.replace_entity_keys(old_keys, new_keys)
    stats.keys += len(new_keys)
    stats.reports += len(updates)


class _Inline:
    """A pool of one: runs in this process (tests, one-core machines)."""

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        return _Done(fn(*args))


class _Done:
    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value
