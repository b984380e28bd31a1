"""A fixed pure-Python workload timed before and after a benchmark, so that figures taken on a
shared or throttled machine can be read against its speed at the time (a benchmark's figures grow
with this reference when the machine is slower)."""

from __future__ import annotations

import time


def _work() -> int:
    total = 0
    for i in range(1_000_000):
        total += i * i % 7
    return total


def reference_ms(repeats: int = 3) -> float:
    """Fastest of `repeats` runs of the workload, in milliseconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        _work()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best


def line(when: str) -> str:
    return f"machine reference ({when}): a fixed pure-Python loop takes {reference_ms():.0f} ms"
