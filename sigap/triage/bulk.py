"""Bulk duplicate indexing of stored reports (history imports, re-indexing after a parameter change).

The per-report task (`actions.triage_report`) reads everything in a report; this path computes only
what the duplicate index needs — normalised text, MinHash signature, band keys — for many reports at
once, spreading the signatures over processes. Reports indexed here stay "triage pending" so that
the full triage still runs on them; it then refreshes their index keys with entity keys.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sigap.cases.content import open_content
from sigap.cases.models import Report
from sigap.core import crypto
from sigap.triage import index
from sigap.triage.actions import PURPOSE_FEATURES
from sigap.triage.lib import minhash
from sigap.triage.lib.dedup import matter_text
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


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_reports(
    report_ids: Iterable[int], *, batch_size: int = 2000, workers: int | None = None
) -> BulkStats:
    """Indexes the given reports (skipping those already indexed)."""
    ids = sorted(set(report_ids))
    stats = BulkStats()
    index.ensure_band_indexes()  # a bulk load interrupted earlier may have left them out
    rebuild = len(ids) >= max(REBUILD_FROM, index.size())
    if rebuild:
        index.drop_band_indexes()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # this connection's page cache: the band indexes
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")  # stay in memory while they grow
    workers = workers or max(1, (os.cpu_count() or 1))
    try:
        with ProcessPoolExecutor(max_workers=workers) if workers > 1 else _Inline() as pool:
            pending = None
            for chunk in _chunks(ids, batch_size):
                rows = list(
                    Report.objects.filter(pk__in=chunk, triage__isnull=True).values_list(
                        "pk", "instansi_id", "content_sealed"
                    )
                )
                texts = [open_content(iid, bytes(sealed)).full_text for _, iid, sealed in rows]
                parts = [texts[i::workers] for i in range(workers)]
                future = [pool.submit(text_features, part) for part in parts]
                if pending is not None:
                    _write(*pending, stats)
                pending = ([(rid, iid) for rid, iid, _ in rows], future, workers)
            if pending is not None:
                _write(*pending, stats)
    finally:
        if rebuild:
            index.ensure_band_indexes()
    index.analyze()
    return stats


def _insert_results_sql() -> str:
    # The plain fields at their model defaults; full triage fills them later.
    return (
        f"INSERT INTO {TriageResult._meta.db_table} (instansi_id, report_id, features_sealed, "  # noqa: S608
        "signature, index_keys, category, category_confidence, sectors, region_code, kpk_competent, "
        "competent_body, completeness, max_amount, attempts, last_error, duration_ms, updated_at) "
        "VALUES (%s, %s, %s, %s, '[]', '', 0, '[]', '', NULL, '', 0, NULL, 0, '', 0, %s)"
    )


def _write(rows: list[tuple[int, int]], futures: list, workers: int, stats: BulkStats) -> None:
    """Stores one batch with two plain INSERT statements (the ORM's per-object work was most of the
    time of a bulk index)."""
    results: list[tuple[str, bytes, list[int], bytes] | None] = [None] * len(rows)
    for w, future in enumerate(futures):
        for j, item in enumerate(future.result()):
            results[w + j * workers] = item
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    triage_rows: list[tuple[Any, ...]] = []
    band_rows: list[index.Row] = []
    for (report_id, instansi_id), item in zip(rows, results, strict=True):
        assert item is not None
        norm, sig, bands, sketch = item
        sealed = crypto.seal_json(instansi_id, {"normalized": norm}, purpose=PURPOSE_FEATURES)
        triage_rows.append((instansi_id, report_id, sealed, sig, now))
        band_rows.append(index.Row(report_id, instansi_id, bands, sketch))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_insert_results_sql(), triage_rows)
        index.add_many(band_rows)
    stats.keys += sum(len(r.bands) for r in band_rows)
    stats.reports += len(rows)


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
