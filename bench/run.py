"""`make bench`: runs every bench/bench_*.py in turn and prints their figures.

Each benchmark is a standalone script that prints its own figures and exits 0, or prints a SKIP
line when what it needs (shared data, PostgreSQL) is absent. BENCH=name runs just one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    only = os.environ.get("BENCH")
    scripts = sorted(p for p in (ROOT / "bench").glob("bench_*.py") if not only or only in p.stem)
    failed = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(script)], cwd=ROOT, env=env)
        print(f"--- {script.stem}: exit {code} in {time.monotonic() - started:.1f} s", flush=True)
        if code:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
