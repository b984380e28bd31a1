"""Texts crafted to make a regular expression backtrack must still be read in linear time.

A reporter (or a bot) controls the whole text; one pattern with nested repetition can hold a worker
for hours on a few dozen characters.  Each case runs in its own process with a generous deadline
(a hang guard, not a speed target: the cases take about a second, the old patterns took from
minutes to hours). bench/bench_patterns.py looks for such patterns across the code base."""

from __future__ import annotations

import multiprocessing

import pytest

from sigap.triage.lib.dedup import compare, features
from sigap.triage.lib.entities import extract_entities
from sigap.triage.lib.pipeline import triage_text

DEADLINE_S = 30

HOSTILE = {
    # Digit-led words: the old contract-number pattern split them every possible way (2^n).
    "digit-led word": "Kontrak nomor 1" + "ab" * 20 + " belum dibayar",
    "digit-led dotted word": "nomor 1" + "a." * 30 + " x",
    "many digit-led words": ("nomor 1" + "ab" * 10 + " ") * 2_000,
    # Dotted runs: the old domain pattern restarted at every label (quadratic: minutes at 100 kB).
    "dotted run": "situs " + "a." * 50_000,
    "dotted digits and currency": "1Rp1." * 20_000,
    "slashed run": "1/" * 50_000,
    # Long blank runs where a pattern's optional parts meet: "\s*:?\s*" splits n blanks n^2 ways.
    "blanks after rp": "bayar Rp" + "\n" * 60_000 + "!",
    "blanks after rekening": "rekening" + " " * 60_000 + "!",
    "blanks after a customer-number label": "nopel" + " " * 60_000 + "!",
    "blanks after saya": "saya" + " " * 60_000 + "!",
    "blanks after a name field": "nama :" + " " * 60_000 + "!",
    # A letter's addressee is looked for a few times, each over a bounded stretch of text.
    "blanks after kepada yth": "Kepada" + " " * 60_000 + "Yth" + " " * 60_000 + "Bapak",
    "many addressees": "Yth. Bapak Gubernur, " * 5_000 + "dengan hormat bapak " * 5_000,
    "an addressee at the end": "dana desa dipotong " * 5_000 + "Ditujukan kepada Bapak Bupati",
}
_SYLLABLES = ("ba", "di", "ko", "ru", "se", "ta", "mi", "no", "pe", "lu", "ga", "he")
_WORDS = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]
# Long lists (a beneficiary list, a payroll): every item is an entity, compared with every item of
# the other report and looked up among its words (quadratic before: 39 s for 100 kB of streets).
_PAIRS = [(_WORDS[i % 1728].capitalize(), _WORDS[(i // 1728 * 5 + i * 7) % 1728].capitalize())
          for i in range(6_000)]
HOSTILE |= {
    "a list of streets": " ".join(f"Jl. {a} {b} No {i % 300 + 1}," for i, (a, b) in enumerate(_PAIRS))[:100_000],
    "a list of officials": " ".join(f"kepala desa Bapak {a} {b} camat Ibu {a}x," for a, b in _PAIRS)[:100_000],
    "a list of names": " ".join(f"nama saya {a} {b}, atas nama {b} {a}," for a, b in _PAIRS)[:100_000],
}


def _read_all(text: str) -> None:
    triage_text(text)
    first, resent = features("hostile", text), features("resent", text + " mohon segera")
    compare(first, resent)
    compare(resent, first)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_is_read_in_bounded_time(text: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_read_all, args=(text,))
    proc.start()
    proc.join(DEADLINE_S)
    hung = proc.is_alive()
    if hung:
        proc.kill()
        proc.join()
    assert not hung, f"reading the text took over {DEADLINE_S} s"
    assert proc.exitcode == 0


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Kontrak nomor 027/SPK/2023 ditandatangani", "027/SPK/2023"),
        ("No.12.3/PL-X/BAST/DINKES/2024. Bukti terlampir", "12.3/PL-X/BAST/DINKES/2024"),
        ("nomor 02/PL-X/spk/2023, nilai Rp 2 miliar", "02/PL-X/SPK/2023"),
        ("SK 5/SK/KEC/1999 dicabut", "5/SK/KEC/1999"),
    ],
)
def test_contract_numbers_still_found(text: str, number: str) -> None:
    assert number in extract_entities(text).id_numbers
    assert number in features("r", text).entities.id_numbers  # long numbers too, not cut in pieces


def test_overlong_slashed_run_is_not_a_contract_number() -> None:
    run = "1/" + "x/" * 100 + "SPK/2023"
    assert not any("SPK" in n for n in extract_entities(f"nomor {run} ok").id_numbers)


def test_the_same_long_list_in_another_order_is_still_one_matter() -> None:
    items = [f"Jl. {a} {b} No {i % 300 + 1}" for i, (a, b) in enumerate(_PAIRS[:400])]
    head = "Daftar rumah penerima bedah rumah fiktif tahun 2025 yang dananya dipotong lurah: "
    first, reordered = features("a", head + ", ".join(items)), features("b", head + ", ".join(reversed(items)))
    assert first.streets == reordered.streets  # the same sample, whatever the order
    match = compare(first, reordered)
    assert match.is_duplicate
    assert "address" in match.shared
