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

from django.db import transaction

from sigap.cases.content import open_content
from sigap.cases.models import Report
from sigap.core import crypto
from sigap.triage import index
from sigap.triage.actions import PURPOSE_FEATURES
from sigap.triage.lib import minhash
from sigap.triage.lib.normalize import normalize_text
from sigap.triage.models import TriageResult


@dataclass
class BulkStats:
    reports: int = 0
    keys: int = 0


def text_features(texts: Sequence[str]) -> list[tuple[str, bytes, list[int]]]:
    """(normalised text, signature bytes, band keys) per text: pure and picklable for a worker pool."""
    out = []
    for text in texts:
        norm = normalize_text(text)
        sig = minhash.signature(norm)
        keys = [] if minhash.is_empty(sig) else [int(k) for k in minhash.band_keys(sig)]
        out.append((norm, minhash.signature_to_bytes(sig), keys))
    return out


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_reports(
    report_ids: Iterable[int], *, batch_size: int = 2000, workers: int | None = None
) -> BulkStats:
    """Indexes the given reports (skipping those already indexed)."""
    ids = sorted(set(report_ids))
    stats = BulkStats()
    workers = workers or max(1, (os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) if workers > 1 else _Inline() as pool:
        pending = None
        for chunk in _chunks(ids, batch_size):
            rows = list(
                Report.objects.filter(pk__in=chunk, triage__isnull=True).only(
                    "pk", "instansi_id", "content_sealed"
                )
            )
            texts = [open_content(r.instansi_id, bytes(r.content_sealed)).full_text for r in rows]
            parts = [texts[i::workers] for i in range(workers)]
            future = [pool.submit(text_features, part) for part in parts]
            if pending is not None:
                _write(*pending, stats)
            pending = (rows, future, workers)
        if pending is not None:
            _write(*pending, stats)
    return stats


def _write(rows: list[Report], futures: list, workers: int, stats: BulkStats) -> None:
    results: list[tuple[str, bytes, list[int]] | None] = [None] * len(rows)
    for w, future in enumerate(futures):
        for j, item in enumerate(future.result()):
            results[w + j * workers] = item
    triage_rows: list[TriageResult] = []
    band_rows: list[tuple[int, int]] = []
    for report, item in zip(rows, results, strict=True):
        assert item is not None
        norm, sig, keys = item
        triage_rows.append(
            TriageResult(
                instansi_id=report.instansi_id,
                report_id=report.pk,
                signature=sig,
                index_keys=keys,
                features_sealed=crypto.seal_json(
                    report.instansi_id, {"normalized": norm}, purpose=PURPOSE_FEATURES
                ),
            )
        )
        band_rows.extend((k, report.pk) for k in keys)
    with transaction.atomic():
        TriageResult.objects.bulk_create(triage_rows, batch_size=1000)
        stats.keys += index.add_rows(band_rows)
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
