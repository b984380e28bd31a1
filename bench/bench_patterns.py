"""Growth of every module-level regular expression on hostile input.

Run from the repository root:  .venv/bin/python bench/bench_patterns.py

A reporter controls the whole text of a report, and a pattern with nested repetition can take
exponential or quadratic time on a few crafted characters.  This benchmark imports every module of
the ``sigap`` package, and runs each compiled pattern it finds (``search`` and ``finditer``) on
texts made by repeating a short fragment 300 and 3,000 times, behind several prefixes and behind
each word the pattern itself names (a blank run after "rekening" reaches parts a generic prefix
never does).  It prints
the patterns whose time at 3,000 repetitions passes 20 ms, with the growth factor from 300 to 3,000
(about 10 is linear, about 100 quadratic).

``search`` from every position is the worst way a pattern can be used: a pattern listed here is
safe when the code only applies it with ``match`` at one position or to a bounded slice (the
"after this number" checks of ``normalize``), and the list says which those are.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAGMENTS = (
    "a", "1", "a.", "1.", "1 ", "a ", "a-", "1/", "A", "A ", "a,", "Jl. a ", "no ", "08", ".", " ",
    "rt 1 ", "http://a", "www.", "@a", "Rp1.", "RT ", "Bapak A ", "x/", "aa1", "\n", "a\n", "- ", "1,",
    "jalan ", "Aa ", "kel a ", ".a", "a@", "a.b ", "0", "  a", "<a", '"a', "ab",
)
PREFIXES = ("", "1", "Jl. ", "Rp ", "https://", "Bapak ")
# After each of a pattern's own words (its keywords: "rekening", "rp", "jalan"), runs of blanks and
# punctuation: where a pattern's optional parts meet, unbounded repeats can split one run many ways.
KEYWORD_FRAGMENTS = (" ", "\n", ".", ":", ". ", "a ", "1 ", "1", "a", "/")
MAX_KEYWORDS = 12
REPEATS = (300, 3000)
REPORT_S = 0.02
# Patterns applied only with ``match`` at one position or to a slice of a few characters.
BOUNDED_USE = {
    "sigap.triage.lib.normalize._NOT_MONEY_AFTER_RE", "sigap.triage.lib.normalize._CURRENCY_AFTER_RE",
    "sigap.triage.lib.dedup._LOCATOR_VALUE_RE",
    "sigap.triage.lib.entities._CONTRACT_RE",  # only on runs of at most 120 characters
}


def patterns() -> dict[str, re.Pattern[str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    import django  # noqa: PLC0415

    django.setup()
    import sigap  # noqa: PLC0415

    found: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(sigap.__path__, "sigap."):
        if ".migrations" in info.name:
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as exc:  # noqa: BLE001 - a module that needs a service is reported, not fatal
            print(f"  (not imported: {info.name}: {type(exc).__name__})")
            continue
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and id(value) not in seen:
                seen.add(id(value))
                found[f"{info.name}.{name}"] = value
    return found


def keyword_prefixes(pattern: re.Pattern[str]) -> list[str]:
    words = dict.fromkeys(re.findall(r"[a-z]{2,}", pattern.pattern.lower()))
    return [w for w in words if w not in ("s", "d")][:MAX_KEYWORDS]


def cases(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """(prefix, fragment) pairs to repeat."""
    out = [(prefix, fragment) for fragment in FRAGMENTS for prefix in PREFIXES]
    out += [(word, fragment) for word in keyword_prefixes(pattern) for fragment in KEYWORD_FRAGMENTS]
    return out


def timed(pattern: re.Pattern[str], text: str) -> float:
    started = time.perf_counter()
    pattern.search(text)
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - started


def main() -> int:
    found = patterns()
    print(f"{len(found)} patterns, {len(FRAGMENTS)} fragments x {len(PREFIXES)} prefixes, "
          f"repeated {REPEATS[0]} and {REPEATS[1]} times")
    slow = []
    for name, pattern in found.items():
        worst = (0.0, 0.0, "")
        for prefix, fragment in cases(pattern):
            small, large = (timed(pattern, prefix + fragment * n + "!") for n in REPEATS)
            if large > worst[0]:
                worst = (large, small, prefix + fragment)
        if worst[0] > REPORT_S:
            slow.append((name, *worst))
    print(f"\npatterns over {REPORT_S * 1000:.0f} ms at {REPEATS[1]} repetitions: {len(slow)}")
    for name, large, small, fragment in sorted(slow, key=lambda s: -s[1]):
        growth = large / small if small else float("inf")
        use = "bounded use" if name in BOUNDED_USE else "searched"
        print(f"  {name}: {large * 1000:.0f} ms, growth x{growth:.0f} on {fragment!r} ({use})")
    unbounded = [s for s in slow if s[0] not in BOUNDED_USE and s[1] / max(s[2], 1e-9) > 30]
    print(f"searched patterns growing faster than the text (x30 or more): {len(unbounded)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
