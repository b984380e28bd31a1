"""Triage speed with a large corpus indexed: duplicate check p95, indexing rate, index size, full
triage p95, and brute-force TF-IDF cosine over the same corpus side by side.

Run from the repository root:
    .venv/bin/python bench/bench_triage_speed.py [--reports N] [--db sqlite|postgres] [--keep DIR]
Default 1,000,000 reports (env SIGAP_BENCH_TRIAGE_REPORTS). The corpus is the demo-data corpus
(`sigap demo-data`), written into a fresh database; with --keep DIR an existing SQLite corpus in DIR
(from bench_demo_data.py --keep DIR) is reused. PostgreSQL uses a database it creates and drops;
with --keep DIR it is kept (its keys in DIR) and reused by the next run with the same DIR.

Targets (issue "Triage intelligence"): duplicate check p95 < 10 ms on SQLite and on PostgreSQL,
indexing >= 3,000 reports/s, index < 1 GB, >= 50x faster than brute-force TF-IDF at equal or better
recall on edited copies, full triage p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for extra in (REPO, REPO / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "sigap_bench_triage"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _pg(sql: str) -> bool:
    result = subprocess.run(["psql", PG_ADMIN, "-qAtc", sql], capture_output=True, text=True)
    return result.returncode == 0


def setup_database(kind: str, keep: Path | None) -> tuple[str, bool]:
    """Points Django at the benchmark database; returns (label, corpus already present)."""
    folder = keep or Path(tempfile.mkdtemp(prefix="sigap-bench-triage-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SIGAP_VAR_DIR"] = str(folder)
    if kind == "postgres":
        if not _pg("SELECT 1"):
            print("SKIP: PostgreSQL at 127.0.0.1:5432 does not answer")
            sys.exit(0)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        exists = subprocess.run(
            ["psql", PG_ADMIN, "-qAtc", f"SELECT 1 FROM pg_database WHERE datname = '{PG_DB}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if keep and exists == "1" and (keep / "master.key").exists():
            return f"PostgreSQL {PG_DB} (kept, keys in {keep})", True
        _pg(f"DROP DATABASE IF EXISTS {PG_DB}")
        _pg(f"CREATE DATABASE {PG_DB}")
        return f"PostgreSQL {PG_DB}", False
    db = folder / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    return f"SQLite {db}", db.exists()


def index_size_bytes() -> int:
    from sigap.triage import index

    size = index.bytes_on_disk()
    if size is None:  # SQLite without dbstat: a rough estimate from the row counts
        return index.size() * (8 + 16 * 12) + index.entity_rows() * 20
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reports", type=int, default=int(os.environ.get("SIGAP_BENCH_TRIAGE_REPORTS", "1000000"))
    )
    parser.add_argument(
        "--db", choices=("sqlite", "postgres"), default=os.environ.get("SIGAP_BENCH_DB", "sqlite")
    )
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--probes", type=int, default=500)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=0,
        help="brute force over this many reports (with every probe's original) and scale "
        "its time linearly to the whole corpus",
    )
    args = parser.parse_args()

    label, present = setup_database(args.db, args.keep)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    import django

    django.setup()
    from calibrate import line
    from django.core.management import call_command
    from perturb import perturb

    from sigap.cases.content import open_content
    from sigap.cases.models import Report
    from sigap.demo.agencies import ensure_demo_agencies
    from sigap.demo.writer import write_demo_reports
    from sigap.triage import index
    from sigap.triage.actions import find_duplicates
    from sigap.triage.bulk import index_reports
    from sigap.triage.lib.pipeline import triage_text

    print(line("before"))
    print(f"database: {label}")
    call_command("migrate", verbosity=0)
    have = Report.objects.count()
    if have < args.reports:
        if present and have:
            print(f"corpus has {have} reports; writing {args.reports - have} more")
        t0 = time.perf_counter()
        write_demo_reports(n=args.reports - have, seed=2026 + have)
        print(f"corpus written: {args.reports - have} reports in {time.perf_counter() - t0:.0f} s")
    ensure_demo_agencies()
    total = Report.objects.count()

    # Indexing: signature + band keys + database writes, every core.
    todo = list(Report.objects.filter(triage__isnull=True).values_list("pk", flat=True))
    t0 = time.perf_counter()
    stats = index_reports(todo)
    seconds = time.perf_counter() - t0
    rate = stats.reports / seconds if stats.reports else float("nan")
    size = index_size_bytes()
    print(
        f"indexed: {stats.reports} reports, {stats.keys} keys in {seconds:.0f} s = {rate:.0f} reports/s "
        f"(target >= 3000)"
        if stats.reports
        else "indexed: already"
    )
    print(
        f"index: {index.size()} band rows and {index.entity_rows()} entity keys for {total} reports, "
        f"{size / 2**20:.0f} MiB (target < 1024 MiB)"
    )

    # Probes: edited copies of random corpus reports (recall) — checked against the whole index.
    rng = random.Random(7)
    ids = (
        list(Report.objects.values_list("pk", flat=True).order_by("?")[: args.probes])
        if args.db == "postgres"
        else rng.sample(range(1, total + 1), args.probes)
    )
    originals = {r.pk: r for r in Report.objects.filter(pk__in=ids).select_related("instansi", "case")}
    probes = []
    for report in originals.values():
        text = open_content(report.instansi_id, bytes(report.content_sealed)).full_text
        probes.append((report, perturb(text, rng)))

    triage_ms, check_ms, found = [], [], 0
    entity_counts: list[int] = []
    warmed: set[str] = set()
    for report, text in probes:  # warm-up: the gazetteer and each region's fuzzy table are built once
        if report.instansi.region_code not in warmed:
            warmed.add(report.instansi.region_code)
            triage_text(text, region_hint=report.instansi.region_code or None)
    # A running server has the index's upper pages in memory: warm them with checks of other
    # reports (not the probes) and, on SQLite, move the bulk load's write-ahead log into the file.
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # This machine reclaims idle page cache: read the index once, as a running server has it.
        for column in index.BAND_COLUMNS:
            cursor.execute(
                f"SELECT COUNT(*) FROM triage_lsh WHERE {column} BETWEEN -2147483648 AND 2147483647"  # noqa: S608
            )
        cursor.execute("SELECT SUM(LENGTH(sketch)) FROM triage_lsh")
    print(f"index read once into memory in {time.perf_counter() - t0:.0f} s")
    other_ids = set(rng.sample(range(1, total + 1), 110)) - set(ids)
    others = Report.objects.filter(pk__in=other_ids).select_related("instansi")
    for report in others:
        text = open_content(report.instansi_id, bytes(report.content_sealed)).full_text
        features = triage_text(perturb(text, rng), region_hint=report.instansi.region_code or None)
        find_duplicates(Report(instansi=report.instansi, case_id=-1), features)
    for report, text in probes:
        t = time.perf_counter()
        features = triage_text(text, region_hint=report.instansi.region_code or None)
        triage_ms.append((time.perf_counter() - t) * 1000)
        entity_counts.append(len(features.entity_keys))
        probe = Report(instansi=report.instansi, case_id=-1)  # unsaved: a new report of the same agency
        t = time.perf_counter()
        matches = find_duplicates(probe, features)
        check_ms.append((time.perf_counter() - t) * 1000)
        found += any(stored.report_id == report.pk for stored, _ in matches)
    recall = found / len(probes)
    # Bulk indexing stores band rows only; full triage adds each report's entity keys later.
    per_row = 60 if args.db == "postgres" else 24  # bytes per entity key row with its index
    extra = statistics.mean(entity_counts) * total * per_row
    print(
        f"entity keys after full triage: {statistics.mean(entity_counts):.2f} per report on the probes, "
        f"about {extra / 2**20:.0f} MiB more at {total} reports "
        f"(index then about {(size + extra) / 2**20:.0f} MiB)"
    )
    print(
        f"duplicate check: p50 {pct(check_ms, 0.5):.2f} ms, p95 {pct(check_ms, 0.95):.2f} ms, "
        f"mean {statistics.mean(check_ms):.2f} ms (target p95 < 10 ms)"
    )
    print(f"recall on edited copies: {recall:.3f} ({found}/{len(probes)})")
    print(
        f"full triage of one report: p50 {pct(triage_ms, 0.5):.1f} ms, p95 {pct(triage_ms, 0.95):.1f} ms "
        "(target p95 < 50 ms)"
    )
    print(line("after the checks"))

    if args.no_baseline:
        return
    # Brute force: TF-IDF (word 1-2 grams, hashed to 2**21 features so that a million reports fit in
    # memory) cosine of each probe against every report of the corpus.

    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    from sigap.triage.lib.normalize import normalize_text

    t0 = time.perf_counter()
    corpus_ids, corpus_texts = [], []
    base_qs = Report.objects.only("pk", "instansi_id", "content_sealed")
    if args.baseline_sample and args.baseline_sample < total:
        keep = {r.pk for r, _ in probes} | set(
            random.Random(3).sample(range(1, total + 1), args.baseline_sample)
        )
        base_qs = base_qs.filter(pk__in=sorted(keep))
    for report in base_qs.iterator(chunk_size=5000):
        corpus_ids.append(report.pk)
        corpus_texts.append(
            normalize_text(open_content(report.instansi_id, bytes(report.content_sealed)).full_text)
        )
    hashing = HashingVectorizer(
        ngram_range=(1, 2), n_features=2**21, alternate_sign=False, norm=None, dtype=np.float32
    )
    tfidf = TfidfTransformer(sublinear_tf=True)
    matrix = tfidf.fit_transform(hashing.transform(corpus_texts)).astype(np.float32).tocsr()
    del corpus_texts
    print(
        f"baseline: TF-IDF of {matrix.shape[0]} reports x {matrix.shape[1]} features built in "
        f"{time.perf_counter() - t0:.0f} s"
    )
    position = {pk: i for i, pk in enumerate(corpus_ids)}
    brute_ms, brute_found = [], 0
    for report, text in probes:  # the same probes as ours: recall side by side
        t = time.perf_counter()
        scores = matrix @ tfidf.transform(hashing.transform([normalize_text(text)])).T
        dense = scores.toarray().ravel()
        best = dense.argmax()
        brute_ms.append((time.perf_counter() - t) * 1000)
        brute_found += int(best == position[report.pk])
    n = len(probes)
    print(
        f"brute-force TF-IDF cosine: p50 {pct(brute_ms, 0.5):.1f} ms, p95 {pct(brute_ms, 0.95):.1f} ms, "
        f"recall@1 {brute_found / n:.3f} on {n} probes"
    )
    scale = total / matrix.shape[0]
    if scale > 1.01:
        brute_ms = [ms * scale for ms in brute_ms]
        print(
            f"brute force scaled linearly from {matrix.shape[0]} to {total} reports: p50 "
            f"{pct(brute_ms, 0.5):.1f} ms, p95 {pct(brute_ms, 0.95):.1f} ms"
        )
    print(
        f"speed-up (mean): {statistics.mean(brute_ms) / statistics.mean(check_ms):.0f}x (target >= 50x); "
        f"recall ours {recall:.3f} vs brute force {brute_found / n:.3f}"
    )
    if args.db == "postgres" and not args.keep:
        from django.db import connections

        connections.close_all()
        _pg(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
