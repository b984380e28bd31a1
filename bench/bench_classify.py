"""Benchmark: complaint classification (rules + trained model) against a plain TF-IDF baseline.

Run from the repository root:  .venv/bin/python bench/bench_classify.py

Uses the real Surabaya complaints (../shared/data/surabaya_complaints_2022_2023.csv, or the folder
in SIGAP_SHARED_DATA) as a category-learning proxy: the taxonomy labels do not exist there, so the
tasks are routing (label = handling agency, the 15 most frequent, others dropped) and topic type
(label = jenis_topik). For each task: our macro-F1 and the baseline's on the same stratified split,
the per-class table for the agency task, and classify() latency (rules only, and with the model).
Prints aggregate figures only: no row and no text of the data. Skips (exit 0) when the file is absent.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sigap.triage.lib.classify import EvaluationReport, classify, evaluate, train  # noqa: E402

FILE_NAME = "surabaya_complaints_2022_2023.csv"


def data_file() -> Path:
    env = os.environ.get("SIGAP_SHARED_DATA")
    base = Path(env) if env else ROOT.parent / "shared" / "data"
    return base / FILE_NAME


def load(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {"text": row.get("keluhan") or "", "instansi": row.get("instansi") or "",
             "jenis_topik": row.get("jenis_topik") or ""}
            for row in csv.DictReader(fh)
        ]


def task_instansi(rows: list[dict[str, str]], top: int) -> tuple[list[str], list[str]]:
    counts = Counter(r["instansi"] for r in rows if r["instansi"] and r["text"].strip())
    keep = {label for label, _ in counts.most_common(top)}
    pairs = [(r["text"], r["instansi"]) for r in rows if r["instansi"] in keep and r["text"].strip()]
    return [t for t, _ in pairs], [label for _, label in pairs]


def task_jenis(rows: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    pairs = [(r["text"], r["jenis_topik"]) for r in rows if r["jenis_topik"] and r["text"].strip()]
    return [t for t, _ in pairs], [label for _, label in pairs]


def latency(texts: list[str], **kwargs: object) -> tuple[float, float]:
    times = []
    for text in texts:
        start = time.perf_counter()
        classify(text, **kwargs)  # type: ignore[arg-type]
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def summary(name: str, report: EvaluationReport) -> str:
    delta = report.ours.macro_f1 - report.baseline.macro_f1
    return (
        f"{name}: ours macro-F1 {report.ours.macro_f1:.4f} (acc {report.ours.accuracy:.4f}, "
        f"{report.ours.train_seconds:.0f}s)  baseline macro-F1 {report.baseline.macro_f1:.4f} "
        f"(acc {report.baseline.accuracy:.4f}, {report.baseline.train_seconds:.0f}s)  delta {delta:+.4f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="number of most frequent agencies kept")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency-n", type=int, default=500)
    args = parser.parse_args()

    path = data_file()
    if not path.is_file():
        print(f"SKIP bench_classify: {path} not found (set SIGAP_SHARED_DATA)")
        return 0
    rows = load(path)
    print(f"rows: {len(rows)}")

    texts, labels = task_instansi(rows, args.top)
    print(f"\n== task 1: routing to agency (top {args.top}; {len(texts)} items) ==")
    report = evaluate(texts, labels, seed=args.seed, kind="instansi")
    print(report.format_table())
    results = [summary("instansi", report)]

    j_texts, j_labels = task_jenis(rows)
    print(f"\n== task 2: jenis_topik ({len(j_texts)} items) ==")
    j_report = evaluate(j_texts, j_labels, seed=args.seed, kind="jenis_topik")
    print(j_report.format_table())
    results.append(summary("jenis_topik", j_report))

    print("\n== classify() latency ==")
    sample = texts[: args.latency_n]
    model = train(texts[args.latency_n:], labels[args.latency_n:], kind="instansi")
    p50, p95 = latency(sample)
    print(f"rules only:            p50 {p50:.2f} ms  p95 {p95:.2f} ms  (n={len(sample)})")
    p50, p95 = latency(sample, model=model)
    print(f"with model (instansi): p50 {p50:.2f} ms  p95 {p95:.2f} ms  (n={len(sample)})")
    blob = model.to_bytes()
    print(f"model size: {len(blob) / 1e6:.1f} MB serialised, {len(model.word_vocab)} word + "
          f"{len(model.char_vocab)} char features")

    print("\n== summary ==")
    for line in results:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
