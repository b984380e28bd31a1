"""Deterministic perturbations of Indonesian complaint texts: edited copies for benchmarks.

Every function takes the text and a ``random.Random`` and returns a new text; the same seed gives
the same copy.  ``perturb(text, rng, kinds=...)`` applies a random selection of kinds.

Kinds: swap (adjacent words), drop (words), typo (character swap/drop/duplicate), abbreviate
(yang -> yg ...), reorder (sentences), whatsapp (lowercase, no punctuation, elongations, "min",
"kak" greetings).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

__all__ = ["ABBREVIATE", "KINDS", "abbreviate", "drop_words", "perturb", "reorder_sentences",
           "swap_words", "typos", "whatsapp"]

ABBREVIATE: dict[str, str] = {
    "yang": "yg", "tidak": "tdk", "untuk": "utk", "dengan": "dgn", "sudah": "sdh", "belum": "blm",
    "karena": "krn", "kepada": "kpd", "jalan": "jl", "kecamatan": "kec", "kelurahan": "kel",
    "bapak": "pak", "saya": "sy", "tersebut": "tsb", "tahun": "thn", "bulan": "bln", "dari": "dr",
    "juga": "jg", "lagi": "lg", "sekarang": "skrg", "tapi": "tp", "mohon": "mhn", "dalam": "dlm",
    "orang": "org", "rumah": "rmh", "banyak": "byk", "sama": "sm", "bisa": "bs", "terus": "trs",
}

_WORD_RE = re.compile(r"\S+")
_SENT_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_GREETINGS = ("min", "kak", "admin", "pak", "bu", "halo min", "permisi kak", "tolong min")
_CLOSINGS = ("min", "kak", "tolong", "makasih", "mohon dibantu", "trims")


SWAP_RATE, DROP_RATE, TYPO_RATE = 0.06, 0.06, 0.05


def swap_words(text: str, rng: random.Random, rate: float = SWAP_RATE) -> str:
    """Swap about ``rate`` of adjacent word pairs."""
    words = text.split()
    for i in range(len(words) - 1):
        if rng.random() < rate:
            words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def drop_words(text: str, rng: random.Random, rate: float = DROP_RATE) -> str:
    """Drop about ``rate`` of the words (never all of them)."""
    words = text.split()
    kept = [w for w in words if rng.random() >= rate]
    return " ".join(kept or words[:1])


def _typo_word(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    op = rng.randrange(3)
    if op == 0:  # swap two characters
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:  # drop a character
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]  # duplicate a character


def typos(text: str, rng: random.Random, rate: float = TYPO_RATE) -> str:
    """Introduce a character-level typo into about ``rate`` of the words."""
    return " ".join(_typo_word(w, rng) if rng.random() < rate else w for w in text.split())


def abbreviate(text: str, rng: random.Random, rate: float = 0.8) -> str:
    """Replace common words by their informal abbreviation (each occurrence with ``rate``)."""
    def repl(match: re.Match[str]) -> str:
        word = match.group(0)
        short = ABBREVIATE.get(word.lower())
        return short if short and rng.random() < rate else word

    return re.sub(r"[A-Za-z]+", repl, text)


def reorder_sentences(text: str, rng: random.Random) -> str:
    """Shuffle the order of sentences (a text with one sentence is returned unchanged)."""
    parts = [p for p in _SENT_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return text
    order = list(range(len(parts)))
    while order == sorted(order):
        rng.shuffle(order)
    return " ".join(parts[i] for i in order)


def _elongate(word: str, rng: random.Random) -> str:
    if not word[-1:].isalpha():
        return word
    return word + word[-1] * rng.randint(2, 4)


def whatsapp(text: str, rng: random.Random) -> str:
    """Chat style: lowercase, punctuation gone, a few elongations, a greeting and a closing."""
    plain = re.sub(r"[^\w\s]", " ", text.lower())
    words = plain.split()
    words = [_elongate(w, rng) if rng.random() < 0.04 else w for w in words]
    head = rng.choice(_GREETINGS) if rng.random() < 0.7 else ""
    tail = rng.choice(_CLOSINGS) if rng.random() < 0.5 else ""
    return " ".join(x for x in (head, " ".join(words), tail) if x)


Perturbation = Callable[[str, random.Random], str]

KINDS: dict[str, Perturbation] = {
    "swap": swap_words,
    "drop": drop_words,
    "typo": typos,
    "abbreviate": abbreviate,
    "reorder": reorder_sentences,
    "whatsapp": whatsapp,
}
_ORDER = ("reorder", "swap", "drop", "typo", "abbreviate", "whatsapp")


_RATED = {"swap": SWAP_RATE, "drop": DROP_RATE, "typo": TYPO_RATE}  # the kinds that take a rate


def perturb(text: str, rng: random.Random, kinds: Sequence[str] | None = None,
            *, min_kinds: int = 1, max_kinds: int = 3, strength: float = 1.0) -> str:
    """An edited copy of ``text``.

    With ``kinds`` given, exactly those are applied; otherwise ``min_kinds..max_kinds`` kinds are
    drawn at random.  Kinds are applied in a fixed order (sentence reorder first, chat style
    last) so results are stable for a seed.  ``strength`` multiplies the rates of swapped and
    dropped words and of typos.
    """
    if kinds is None:
        count = rng.randint(min_kinds, max_kinds)
        kinds = rng.sample(list(_ORDER), count)
    unknown = set(kinds) - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown perturbation kinds: {sorted(unknown)}")
    out = text
    for kind in _ORDER:
        if kind in kinds:
            if kind in _RATED and strength != 1.0:
                out = KINDS[kind](out, rng, _RATED[kind] * strength)  # type: ignore[call-arg]
            else:
                out = KINDS[kind](out, rng)
    return out
