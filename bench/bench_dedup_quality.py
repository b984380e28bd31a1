"""Duplicate-detection quality and speed on real complaints plus seeded edited copies.

Run from the repository root:  .venv/bin/python bench/bench_dedup_quality.py [--sample 1500]

Data: surabaya_complaints_2022_2023.csv in ../shared/data (or $SIGAP_SHARED_DATA), read at run
time; nothing from it is printed except counts and figures.  Skips (exit 0) when absent.

Ground truth: rows with identical text (whitespace-stripped) form groups; edited copies (see
bench/perturb.py) of a seeded sample of rows belong to their original's group.  Every other pair
is a negative, but predicted pairs whose texts are near-identical (exact 5-shingle Jaccard > 0.9)
without being labelled are reported separately (and all false positives by Jaccard band): they
are real follow-ups/templates the labels miss, and a reader should judge them rather than count
them blindly as false positives.  False positives are also broken down by the evidence behind them
(shared specific entity, near-identical, same area, wording only, grouped through others) and false
negatives by whether a text was too short to judge; see ``fp_breakdown`` and ``fn_breakdown``.
Finally the pairs are checked against the kelurahan and topic columns that the data itself files
each complaint under (the grouping never reads them): false positives that share both are most
likely one matter reported twice in other words, which identical-text labels cannot see.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.perturb import perturb  # noqa: E402
from sigap.triage.lib import minhash  # noqa: E402
from sigap.triage.lib.dedup import (  # noqa: E402
    DEFAULT_THRESHOLD,
    GroupStats,
    ReportFeatures,
    compare,
    features,
    group_corpus,
)
from sigap.triage.lib.normalize import normalize_text  # noqa: E402

FILE_NAME = "surabaya_complaints_2022_2023.csv"
Pair = tuple[str, str]


def data_path() -> Path:
    base = os.environ.get("SIGAP_SHARED_DATA")
    folder = Path(base) if base else ROOT.parent / "shared" / "data"
    return folder / FILE_NAME


def load_rows(path: Path) -> tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """(id, text) of every complaint, and id -> (kelurahan, topic) as the data files each complaint:
    columns the grouping never reads."""
    csv.field_size_limit(1 << 30)
    rows, filing = [], {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append((row["id"], row["keluhan"].replace("\\n", "\n").strip()))
            filing[row["id"]] = (row["kelurahan_id"], row["topik_id"])
    return rows, filing


def filing_check(pairs: set[Pair], filing: dict[str, tuple[str, str]]) -> dict[str, int]:
    """How many pairs of two different complaints (an edited copy counts as its original) the data
    files under the same kelurahan, the same topic, and both: an independent look at whether a
    pair is one matter (two random complaints share a kelurahan well under 1% of the time)."""
    out = {"pairs": 0, "same kelurahan": 0, "same topic": 0, "both": 0}
    for a, b in pairs:
        base_a, base_b = a.split("~")[0], b.split("~")[0]
        if base_a == base_b:
            continue
        fa, fb = filing[base_a], filing[base_b]
        kel, topic = bool(fa[0]) and fa[0] == fb[0], bool(fa[1]) and fa[1] == fb[1]
        out["pairs"] += 1
        out["same kelurahan"] += kel
        out["same topic"] += topic
        out["both"] += kel and topic
    return out


def random_pairs(ids: list[str], n: int, seed: int) -> set[Pair]:
    rng = random.Random(seed)
    out: set[Pair] = set()
    while len(out) < n:
        a, b = rng.sample(ids, 2)
        out.add((a, b) if a < b else (b, a))
    return out


# Edits of the copies: "light" (one to three kinds at the default rates), "heavy" (three to six kinds,
# twice as many swapped and dropped words and typos: a copy retyped in a hurry).
EDITS = {"light": {"min_kinds": 1, "max_kinds": 3, "strength": 1.0},
         "heavy": {"min_kinds": 3, "max_kinds": 6, "strength": 2.0}}


def build_corpus(rows: list[tuple[str, str]], sample: int, seed: int,
                 edits: str = "light") -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(id, text) of originals + copies, and id -> true group label."""
    first_by_text: dict[str, str] = {}
    label = {}
    for rid, text in rows:
        label[rid] = first_by_text.setdefault(text, rid)
    rng = random.Random(seed)
    corpus = list(rows)
    for rid, text in rng.sample(rows, min(sample, len(rows))):
        for k in range(rng.randint(1, 3)):
            cid = f"{rid}~copy{k}"
            corpus.append((cid, perturb(text, rng, **EDITS[edits])))  # type: ignore[arg-type]
            label[cid] = label[rid]
    return corpus, label


def pairs_of(groups: list[list[str]]) -> set[Pair]:
    out: set[Pair] = set()
    for ids in groups:
        out.update((a, b) if a < b else (b, a) for a, b in combinations(ids, 2))
    return out


def true_pairs(label: dict[str, str]) -> set[Pair]:
    by_label: dict[str, list[str]] = defaultdict(list)
    for rid, lab in label.items():
        by_label[lab].append(rid)
    return pairs_of([ids for ids in by_label.values() if len(ids) > 1])


def shingle_set(text: str) -> set[str]:
    return {text[i : i + 5] for i in range(max(1, len(text) - 4))}


def jaccard_bands(fp: set[Pair], feats: dict[str, ReportFeatures]) -> dict[str, int]:
    """Counts of false-positive pairs by exact 5-shingle Jaccard of their normalised texts."""
    bands = {">0.9": 0, "0.7-0.9": 0, "0.5-0.7": 0, "<0.5": 0}
    for a, b in fp:
        sa, sb = shingle_set(feats[a].text), shingle_set(feats[b].text)
        j = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
        key = ">0.9" if j > 0.9 else "0.7-0.9" if j > 0.7 else "0.5-0.7" if j > 0.5 else "<0.5"
        bands[key] += 1
    return bands


# Shared kinds that name one public matter or one person (not just a neighbourhood or a topic).
ANCHOR_KINDS = frozenset({"address", "object_at_place", "person", "link", "official", "amount"})
AREA_KINDS = frozenset({"street", "rt_rw", "place"})
SHORT_WORDS = 12  # "short" texts in the breakdown: fewer normalised words than this


def fp_breakdown(fp: set[Pair], feats: dict[str, ReportFeatures], threshold: float) -> dict[str, int]:
    """False-positive pairs by the evidence behind them (a reader's guide, not a verdict).

    via-group: the pair itself is not a duplicate, its reports were grouped through others;
    anchor: they share a specific entity (numbered address, person, ID, website, official, amount):
    mostly follow-ups on one matter that identical-text labels cannot see; near-identical: exact
    5-shingle Jaccard > 0.9 (resends); same area: they share only a street, RT/RW or kelurahan;
    wording only (short/long texts): nothing but wording and topic links them (formulaic texts,
    undecidable from the text alone).
    """
    out = dict.fromkeys(("via-group", "anchor", "near-identical", "same area", "wording only, short",
                         "wording only, long"), 0)
    for a, b in fp:
        fa, fb = feats[a], feats[b]
        m = compare(fa, fb, threshold=threshold, evidence=False)
        sa, sb = shingle_set(fa.text), shingle_set(fb.text)
        if not m.is_duplicate:
            key = "via-group"
        elif ANCHOR_KINDS & m.shared.keys() or any(k.startswith("id_") for k in m.shared):
            key = "anchor"
        elif len(sa & sb) / len(sa | sb) > 0.9:
            key = "near-identical"
        elif AREA_KINDS & m.shared.keys():
            key = "same area"
        elif min(len(fa.text.split()), len(fb.text.split())) < SHORT_WORDS:
            key = "wording only, short"
        else:
            key = "wording only, long"
        out[key] += 1
    return out


def fn_breakdown(fn: set[Pair], feats: dict[str, ReportFeatures]) -> dict[str, int]:
    """Missed pairs: with a text too short to judge (fewer than MIN_TOKENS words: never grouped, by
    design, even when identical), or between judgeable texts."""
    out = {"too short to judge": 0, "judgeable": 0}
    for a, b in fn:
        out["judgeable" if feats[a].informative and feats[b].informative else "too short to judge"] += 1
    return out


def prf(pred: set[Pair], truth: set[Pair]) -> tuple[float, float, float, int, int, int]:
    tp = len(pred & truth)
    fp, fn = len(pred) - tp, len(truth) - tp
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn


def timed_features(corpus: list[tuple[str, str]]) -> tuple[list[ReportFeatures], float, float]:
    norm = [normalize_text(t) for _, t in corpus]
    t0 = time.perf_counter()
    minhash.signatures(norm)
    sig_rate = len(norm) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    feats = [features(rid, text, region_hint="35.78") for rid, text in corpus]
    feat_rate = len(feats) / (time.perf_counter() - t0)
    return feats, sig_rate, feat_rate


def evaluate(feats: list[ReportFeatures], truth: set[Pair], threshold: float,
             by_id: dict[str, ReportFeatures]) -> tuple[tuple[float, ...], dict[str, int], float, GroupStats,
                                                        set[Pair]]:
    stats = GroupStats()
    t0 = time.perf_counter()
    groups = group_corpus(feats, threshold=threshold, stats=stats)
    elapsed = time.perf_counter() - t0
    pred = pairs_of([list(g.ids) for g in groups])
    scores = prf(pred, truth)
    return scores, jaccard_bands(pred - truth, by_id), elapsed, stats, pred


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1500, help="originals that get edited copies")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--edits", choices=sorted(EDITS), default="light",
                        help="how hard the copies are edited (heavy: a copy retyped in a hurry)")
    args = parser.parse_args()
    path = data_path()
    if not path.exists():
        print(f"SKIP: {path} not found (set SIGAP_SHARED_DATA to the folder holding {FILE_NAME})")
        return 0
    rows, filing = load_rows(path)
    corpus, label = build_corpus(rows, args.sample, args.seed, args.edits)
    truth = true_pairs(label)
    print(f"rows {len(rows)}, edited copies ({args.edits}) {len(corpus) - len(rows)}, corpus {len(corpus)}, "
          f"true duplicate pairs {len(truth)}")
    feats, sig_rate, feat_rate = timed_features(corpus)
    print(f"signatures/s (normalised text): {sig_rate:,.0f}; full features/s (normalise + entities "
          f"+ signature): {feat_rate:,.0f}")
    by_id = {f.id: f for f in feats}
    (p, r, f1, tp, fp, fn), bands, elapsed, stats, pred = evaluate(feats, truth, DEFAULT_THRESHOLD, by_id)
    unl = bands[">0.9"]
    print(f"\nthreshold {DEFAULT_THRESHOLD}: precision {p:.4f} recall {r:.4f} F1 {f1:.4f} "
          f"(tp {tp}, fp {fp}, fn {fn}); grouping {elapsed:.2f}s")
    adj_p = tp / (tp + fp - unl) if tp + fp - unl else 1.0
    print(f"  predicted pairs that are unlabelled near-identical (Jaccard>0.9): {unl}; precision "
          f"counting them as correct {adj_p:.4f}")
    print(f"  false-positive pairs by exact 5-shingle Jaccard of the two texts: {bands}")
    print(f"  false-positive pairs by evidence: {fp_breakdown(pred - truth, by_id, DEFAULT_THRESHOLD)}")
    print(f"  false-negative pairs: {fn_breakdown(truth - pred, by_id)}")
    fp_filed = filing_check(pred - truth, filing)
    print("  how the data files the two complaints of a pair (kelurahan and topic columns, which the "
          "grouping never reads):")
    print(f"    false positives:                  {fp_filed}")
    print(f"    true pairs of two complaints:     {filing_check(pred & truth, filing)}")
    baseline = filing_check(random_pairs([r for r, _ in rows], 5000, args.seed), filing)
    print(f"    random pairs, for comparison:     {baseline}")
    right = tp + fp_filed["both"]
    print(f"  precision counting false positives filed under the same kelurahan and topic as right: "
          f"{right / (tp + fp):.4f}; F1 {2 * right / (2 * right + fp - fp_filed['both'] + fn):.4f}")
    print(f"  stats: {stats}")
    if not args.no_sweep:
        print("\nthreshold  precision  recall   F1      fp    unlabelled>0.9  seconds")
        for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            (p, r, f1, _, fp, _), bands, elapsed, _, _ = evaluate(feats, truth, t, by_id)
            print(f"{t:9.1f}  {p:9.4f}  {r:6.4f}  {f1:6.4f}  {fp:5d}  {bands['>0.9']:14d}  {elapsed:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
