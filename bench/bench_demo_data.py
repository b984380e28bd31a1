"""Benchmark of the demo-data writer: N reports into a fresh SQLite database (default 1,000,000).

Run from the repository root: ``.venv/bin/python bench/bench_demo_data.py [--reports N] [--keep DIR]``
(env SIGAP_BENCH_DEMO_REPORTS overrides the default). Prints reports written, seconds, reports/s,
database size, peak RSS and whether the 10-minute target for 1,000,000 reports is met. With --keep
the database stays in DIR (DATABASE_URL printed) so that other benchmarks can reuse it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGET_SECONDS_PER_MILLION = 600.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reports", type=int, default=int(os.environ.get("SIGAP_BENCH_DEMO_REPORTS", "1000000"))
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--audit", choices=("auto", "per-object", "per-batch"), default="auto")
    parser.add_argument("--workers", type=int, default=None, help="1: prepare batches in a forked process")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the database in this directory.")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="sigap-bench-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["SIGAP_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")

    import django

    django.setup()
    from django.core.management import call_command

    from sigap.demo.writer import write_demo_reports

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {db} (migrated in {time.perf_counter() - t0:.1f} s)")

    def progress(done: int, total: int, seconds: float) -> None:
        if done % 100_000 == 0 or done == total:
            print(f"  {done:>9,} / {total:,}  {seconds:7.1f} s  {done / seconds:8,.0f} reports/s", flush=True)

    stats = write_demo_reports(
        n=args.reports,
        seed=args.seed,
        batch_size=args.batch_size,
        truth_path=folder / "truth.jsonl",
        progress=progress,
        audit=args.audit,
        workers=args.workers,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    size_mb = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    projected = stats.seconds / max(stats.reports, 1) * 1_000_000
    print(
        f"reports written : {stats.reports:,} ({stats.merged:,} merged, {stats.duplicate_groups:,} duplicate "
        f"groups, {stats.template_groups:,} template groups, {stats.audit_events:,} audit events)"
    )
    print(
        f"seconds         : {stats.seconds:.1f} (waiting for batches {stats.generate_seconds:.1f}, "
        f"inserts {stats.insert_seconds:.1f}, audit {stats.audit_seconds:.1f})"
    )
    print(f"reports/s       : {stats.per_second:,.0f}")
    print(f"database size   : {size_mb:,.0f} MB")
    print(f"peak RSS        : {peak_mb:,.0f} MB (worker {child_mb:,.0f} MB)")
    print(f"load average    : {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    met = projected <= TARGET_SECONDS_PER_MILLION
    print(f"1M target (10 min): {'met' if met else 'NOT met'} ({projected:,.0f} s per million)")
    if args.keep:
        print(f"kept: DATABASE_URL=sqlite:///{db} SIGAP_VAR_DIR={folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
