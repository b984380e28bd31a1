"""Duplicate-report decisions: pairwise comparison and no-chaining grouping (pure, no Django).

A pair of reports is scored as::

    score = text + bonus - penalty        (clipped to 0..1)

* ``text``: estimated Jaccard of 5-character shingles (MinHash, see ``minhash``), or, when higher,
  the Jaccard of the two texts' word sets less ``WORD_OFFSET``, a word with one typo counting as
  shared: a copy edited by hand (typos, swapped, dropped or reordered words) keeps most of its words
  but loses many shingles, since one typo breaks five of them and every moved word two boundaries.
* ``bonus``: shared *specific* entities (same numbered address, same official, same website/URL,
  same ID number, same amount, same object at the same place ...), counted only when the texts are
  at least loosely related (``text >= MIN_TEXT_FOR_BONUS``): campaigns and follow-ups that tell
  one public matter in different words still reach the threshold.  A public matter is one object
  at one place: a shared address whose reports name different objects around it (the tree in
  front of no. 80, the drain in front of no. 80) is not an anchor.  A link names a website; on a
  shared platform (maps, shorteners, social media) it names only its own page.
* hard conflicts (different NIK, account/contract numbers, labelled identity numbers such as NISN
  or customer numbers, vehicle plates, RT/RW, numbered house addresses on one street, one house
  number on neighbouring streets whose names share a first word (Kenanga Raya Barat / Tengah), different
  streets, different spot labels such as "titik A"/"titik B", "blok C"/"blok D", "gang 4"/"gang 6")
  mark distinct cases: the score is capped below the threshold.  This is the template trap: a
  circulated text sent by many citizens, each with their own identity or their own case.
* soft conflicts (different personal names, also from form fields such as "Nama Siswa : ...", or
  phone numbers) are distinct cases too, unless the two reports share a strong subject anchor (same
  numbered address, official, website/URL, non-phone ID number or specific sum): many people
  reporting one broken road sign with their own names.
* a conflict needs evidence on both sides: each report must name a value that the other report
  never mentions (street names and person names up to a typo; house numbers and spot labels near
  the street or key word).  Extraction reads a moved word as a street or a courtesy word as a
  name; when both texts mention both values they were read differently, they do not disagree.

Masked identifiers ("[NIK]", "[NAMA]", ...) are unknown: removed before entity extraction, so
they are neither shared nor conflicting.

Grouping never chains: clusters merge along duplicate edges in descending score order, and a merge
is refused unless *every* cross pair scores at least ``link_floor`` and has no conflict (complete
linkage with a floor).  The default floor is the threshold less ``LINK_MARGIN``, about the
signature estimate's error: every member is (nearly) a duplicate of every other one.  A~B and B~C
therefore never pull in a C that is not itself close to A.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import minhash
from .entities import INSTITUTIONS, OBJECTS, POSITIONS, Entities, extract_entities
from .jsonl import read_objects, text_of
from .normalize import normalize_text, strip_courtesies

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENTITY_VERSION",
    "SIGNATURE_VERSION",
    "Group",
    "GroupStats",
    "Match",
    "ReportFeatures",
    "compare",
    "dedup_jsonl",
    "entity_keys",
    "features",
    "group_corpus",
    "matter_text",
    "text_similarity",
    "with_passages",
    "word_similarity",
]

log = logging.getLogger(__name__)

# What a text signs to: raise it whenever normalisation, the matter text or the MinHash and band
# parameters change, so that signatures stored by an older version are found and re-signed
# (`sigap triage index`). 1: normalised text; 2: matter text (courtesies stripped).
# 3: a chat's opening plea ("tolong min") is a courtesy; 4: "km" beside a number stays kilometres,
# "PPPK" stays "pppk" and "P3K" one word (not "pk", "p3 k").
SIGNATURE_VERSION = 4
# What entity extraction finds and which entity keys it writes: raise it whenever either changes, so
# that the entities and keys stored by an older version are read again (`sigap triage index`).
# 0: stored before versions were kept; 1: at most MAX_KEYS_PER_KIND keys of a kind, linear patterns;
# 2: English amounts ("IDR 1.5 billion", "2bn"), a letter's addressee is no position, official or person;
# 3: nor are those in its copy list ("Tembusan: 1. Bupati ..."); 4: nor the addressee's title after
# a comma ("Yth. Bapak Budi, Kepala Dinas PUPR"); 5: positions named in English ("village head",
# "regent", "police officer"), an RT or an RW named alone ("warga RW 02"), an official's title is
# no place unless marked ("Bendahara desa" is no kecamatan Bendahara); 6: amounts glued to "Rp." or
# written "nol koma lima miliar", "setengah miliar", "400 jutaan", and no phone number or NIK read as
# money before the next amount's "Rp"; kilometre posts ("km 7"); "Kota Medan" is the city, a verb after
# a title ("kades minta") no village; "kapanewon" and "kemantren" mark a kecamatan; a name in lowercase
# after a cue that only a name follows ("atas nama ahmad fauzi"); more positions (Kasatlantas, Kadus,
# Kasek, Kadinkes, direksi BUMD, the staff of a named office); "tgl 3/4/23", "sejak 2019".
ENTITY_VERSION = 6
DEFAULT_THRESHOLD = 0.6  # best F1 region of bench/bench_dedup_quality.py with recall >= 0.93
MIN_TEXT_FOR_BONUS = 0.08  # "moderate similarity": below this entities alone never decide
MIN_TOKENS = 4  # shorter texts ("lampu mati") carry too little to call anything a duplicate
# Word-set similarity counts this much less than shingle similarity: two reports that share most of
# their words are alike, but topic words ("jalan", "rusak", "mohon") make unrelated texts share some.
WORD_OFFSET = 0.10
WORD_TYPO_MIN = 5  # a word of this many letters or more matches another one edit (OSA) away
TYPO_MATCH_FROM = 0.3  # ... once the texts share this much of their words exactly (a retyped copy)
MAX_TYPO_PAIRS = 250_000  # word pairs compared for typos at most (long name lists: exact words only)
MAX_BONUS = 0.60
CONFLICT_CAP = 0.25  # score of a pair with a hard (or unanchored soft) conflict
MAX_BUCKET = 200  # larger LSH buckets are split by a second key, then skipped if still large
MAX_PASSAGE_WORDS = 3000
LINK_MARGIN = 0.05  # group members score at least threshold - this with each other
# Entity keys of one report: at most this many of each of the six kinds.  A report that lists hundreds of
# people or numbers (a payroll, a beneficiary list) keeps those of the smallest hash of each kind (a
# bottom-k sample: the same whatever order the list is in, and shared by two lists that share most
# items), so the candidate query keeps a bounded number of terms.
MAX_KEYS_PER_KIND = 8
MAX_ENTITY_KEYS = 6 * MAX_KEYS_PER_KIND
ENTITY_KEY_BASE = 100  # key band indexes 100.. are entity blocking keys (LSH uses 0..bands-1)

_MASK_RE = re.compile(r"\[\s*(?:nik|nomor|telepon|telp|email|nama|alamat|no\s*hp|hp|rekening)\s*\]",
                      re.IGNORECASE)
# A bare domain is tried only from the start of its dotted run (not from every label inside it), so
# a long run such as "a.a.a.a..." is read once, not once per label.
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|(?<![a-z0-9-])(?<![a-z0-9-]\.)[a-z0-9-]+"
                     r"(?:\.[a-z0-9-]+)*\.(?:go\.id|"
                     r"co\.id|ac\.id|sch\.id|or\.id|desa\.id|id|com|net|org)\b(?:/[^\s<>\"')\]]*)?",
                     re.IGNORECASE)
# Blanks between the parts are bounded: three unbounded runs in a row would split a long blank run
# every possible way (cubic time on "rekening" followed by spaces).
_ACCOUNT_RE = re.compile(r"\b(?:rekening|rek|no\.?\s{0,3}rek|norek|akun|va|virtual account)\b\.?\s{0,4}"
                         r"(?:[a-z]+\s{1,4})?(?:no\.?|nomor|nomer)?\s{0,4}:?\s{0,4}(\d[\d\s.-]{6,22}\d)",
                         re.IGNORECASE)
_NAME_CUE_RE = re.compile(
    r"\b(?:nama\s+saya|saya\s+bernama|atas\s+nama|a\.\s?n\.?|anak\s+saya(?:\s+bernama)?|"
    r"istri\s+saya(?:\s+bernama)?|suami\s+saya(?:\s+bernama)?|ibu\s+saya(?:\s+bernama)?|"
    r"ayah\s+saya(?:\s+bernama)?|nama|[Ss]aya)(?:\s*:)?\s+([A-Z][a-zA-Z']+(?:\s+[A-Z][a-zA-Z']+){0,2})")
# Cues that can only be followed by a name, so a name written in lowercase counts too ("atas nama ahmad
# fauzi", "nama saya dewi lestari"): a text sent by many, each with their own name, is many cases.
_NAME_CUE_ANY_CASE_RE = re.compile(
    r"\b(?:nama\s+saya|saya\s+bernama|atas\s+nama|a\.\s?n\.|(?:anak|istri|suami|ibu|ayah)\s+saya\s+bernama)"
    r"(?:\s*:)?\s+([a-z][a-z']+(?:\s+[a-z][a-z']+){0,2})", re.IGNORECASE)
# What follows "atas nama" when it names a group, not a person ("atas nama seluruh warga").
_NOT_A_NAME_AFTER_CUE = frozenset({
    "seluruh", "semua", "para", "segenap", "sekalian", "bersama", "beberapa", "banyak", "sejumlah", "rekan",
    "rekan2", "teman", "tetangga", "kelompok", "paguyuban", "komunitas", "forum", "ikatan", "himpunan",
    "perwakilan", "ketua", "pengurus", "umat", "jamaah", "penghuni", "orang", "pihak", "kawan", "sesama",
})
# Form fields "Nama [role] : Full Name" (any case) naming the person a report is about.  Fields of
# relatives, schools or officials ("nama ibu kandung", "nama sekolah") are not the report's subject.
_FORM_NAME_RE = re.compile(
    r"\bnama(?:[ \t]+(?P<role>[a-z]+(?:[ \t]+[a-z]+)?))?[ \t]*:[ \t]*(?:\n[ \t]*)?"
    r"(?P<name>[a-z][a-z'.]*(?:[ \t]+[a-z][a-z'.]*){0,3})", re.IGNORECASE)
_SUBJECT_ROLES = frozenset({
    "", "saya", "sy", "lengkap", "pelapor", "pengadu", "pemohon", "siswa", "murid", "anak", "anak saya",
    "mahasiswa", "pelanggan", "pel", "pemilik", "pasien", "peserta", "penerima", "wajib pajak", "warga",
})
# Labelled identity numbers ("NISN : 0012345678", "no. pelanggan 1234567"): each citizen's own number.
# A reference to an earlier complaint ("no pengaduan") is deliberately not one: follow-ups cite them.
_LABELLED_ID_RE = re.compile(
    r"\b(?P<label>nisn|nis|nip|nim|npwp|nop|no\.?\s*kk|nomor\s+kk|no\.?\s*kartu\s+keluarga|"
    r"(?:no\.?|nomor|nomer|id)\s*(?:pelanggan|pel|plg|meter|peserta|pendaftaran|registrasi|kartu|polis|sambungan)"
    r"|nopel|idpel)\b\.?\s{0,4}(?:[a-z]+\s{1,4})?:?\s{0,4}(?P<num>\d[\d\s.-]{4,22}\d)", re.IGNORECASE)
_ID_LABELS = {"nopel": "pelanggan", "idpel": "pelanggan", "pel": "pelanggan", "plg": "pelanggan",
              "kartu keluarga": "kk"}
_STREET_RE = re.compile(r"(?=\b(?:jalan|gang)\s+(?:raya\s+)?([a-z]+(?:\s+[a-z]+)?))")  # overlapping
_HOUSE_NO_RE = re.compile(r"\b(?:no|nomor|nomer|nmr)\s+(\d{1,4}[a-z]?)\b")
_NOT_STREET = frozenset({
    "rusak", "berlubang", "di", "ke", "yang", "menuju", "utama", "masuk", "tersebut", "ini", "itu",
    "depan", "mati", "umum", "kaki", "tol", "lingkungan", "protokol", "kampung", "desa", "kota", "rumah",
    "dan", "sudah", "tidak", "belum", "sering", "banyak", "sangat", "sekitar", "dekat", "arah", "sana",
    "sini", "ada", "banjir", "gelap", "licin", "macet", "sempit", "besar", "kecil", "baru", "lama", "dari",
    "sampai", "untuk", "dengan", "pada", "saja", "juga", "lagi", "terus", "nya", "kami", "saya", "warga",
    "aspal", "paving", "lubang", "penghubung", "alternatif", "poros", "setapak", "buntu", "pintas",
    # the state of a road or of its light ("lampu penerangan jalan padam", "jalan amblas")
    "padam", "amblas", "ambles", "retak", "bergelombang", "becek", "tergenang", "longsor", "putus",
    "mampet", "berdebu", "kotor", "sepi", "ramai", "hancur", "parah", "jadi", "menjadi",
    "jalan", "gang", "kelurahan", "kecamatan", "kabupaten", "provinsi", "no", "nomor", "nomer", "rt", "rw",
    "blok", "raya", "mohon", "tolong", "segera",
    # courtesy and chat words after a sentence ending in "jalan" ("... jalan. Terima kasih")
    "terima", "kasih", "terimakasih", "makasih", "trims", "matur", "maturnuwun", "nuwun", "salam", "wassalam",
    "min", "admin", "kak", "pak", "bu", "bapak", "ibu",
})
_GENERIC_ADDRESS = frozenset({"jalan", "jl", "gang", "gg", "no", "nomor", "di", "depan", "dekat", "raya",
                              "blok", "rt", "rw", "sebelah", "samping", "belakang", "dan", "yang"})
_NAME_STOP = frozenset({
    "saya", "kami", "bapak", "ibu", "pak", "bu", "dia", "beliau", "yang", "tersebut", "nik", "nama", "nomor",
    "telepon", "email", "ingin", "mau", "mohon", "warga", "sebagai", "sudah", "sangat", "tidak", "adalah",
    "selaku", "merupakan", "melaporkan", "minta", "hanya", "juga", "pernah", "sendiri", "orang", "pengguna",
    "pelanggan", "dan", "dengan", "di", "dari", "untuk", "belum", "akan", "bisa", "punya",
    # what follows "atas nama" when no person does ("atas nama warga", "atas nama desa ...")
    "desa", "pribadi", "perusahaan", "instansi", "lembaga", "yayasan", "pt", "cv", "ud", "koperasi",
    "pemerintah", "pemkot", "pemkab", "masyarakat", "keluarga", "anak", "istri", "suami", "ayah", "almarhum",
    "almarhumah", "alm", "yg", "tsb", "sy", "tdk", "blm", "sdh", "utk", "dgn", "dr", "kpd", "krn", "lalu",
    "tapi", "tetapi", "namun", "karena", "sejak", "pada", "ke", "ini", "itu",
})

# Weights of shared entities (summed, capped at MAX_BONUS).
W_ADDRESS_NUMBERED = 0.50
W_ADDRESS_STREET = 0.04
W_RTRW = 0.05
W_OFFICIAL = 0.30
W_LINK = 0.50
W_ID = 0.20
W_PHONE = 0.10
W_AMOUNT = 0.15
W_EXACT_SUM = 0.35  # a specific sum (see _specific_sum): nearly an identifier of the matter
W_OBJECT = 0.03
W_OBJECT_AT_PLACE = 0.10  # only at a shared numbered address
W_PLACE = 0.02
W_PERIOD = 0.03
W_PERSON = 0.10
P_PLACE_CONFLICT = 0.20
MIN_AMOUNT = 10_000
MIN_KEY_AMOUNT = 10_000_000  # exact sums from here on are blocking keys (not multiples of 100,000)


@dataclass(frozen=True, slots=True, eq=False)
class ReportFeatures:
    """Everything the duplicate decision needs about one report (cheap to compare)."""

    id: str
    text: str  # normalised text
    signature: npt.NDArray[np.uint32]
    entities: Entities
    title: str | None = None
    received_at: datetime | str | None = None
    instansi: str | None = None
    channel: str | None = None
    links: tuple[str, ...] = ()  # websites/URLs named in the report (host + path, lowercased)
    personal: tuple[str, ...] = ()  # extra personal identifiers: "name:...", "account:..."
    streets: frozenset[tuple[str, str | None]] = frozenset()  # (street name, house number)
    # False for texts too short or empty to be a duplicate of anything (set from text and signature).
    informative: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        long_enough = len(self.text.split(maxsplit=MIN_TOKENS)) >= MIN_TOKENS
        object.__setattr__(self, "informative", long_enough and not minhash.is_empty(self.signature))


@dataclass(frozen=True, slots=True)
class Match:
    """Result of comparing two reports."""

    a_id: str
    b_id: str
    score: float
    is_duplicate: bool
    text_similarity: float
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    passages: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    # The shingle part of text_similarity alone: the same text sent again, not the same words in
    # another order ("mobil, bukan obat" / "obat, bukan mobil"); automatic merges ask this one.
    shingle_similarity: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "a_id": self.a_id, "b_id": self.b_id, "score": round(self.score, 4),
            "is_duplicate": self.is_duplicate, "text_similarity": round(self.text_similarity, 4),
            "shingle_similarity": round(self.shingle_similarity, 4),
            "shared": {k: list(v) for k, v in self.shared.items()},
            "conflicts": {k: list(v) for k, v in self.conflicts.items()},
            "passages": list(self.passages), "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Group:
    """Reports judged to be one case: ids plus the scored pairs that justify it."""

    ids: tuple[str, ...]
    score: float  # minimum over the listed pairs
    pairs: tuple[tuple[str, str, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "score": round(self.score, 4),
                "pairs": [[a, b, round(s, 4)] for a, b, s in self.pairs]}


@dataclass(slots=True)
class GroupStats:
    """Counters of one ``group_corpus`` run (for logs and benchmarks)."""

    reports: int = 0
    units: int = 0  # after collapsing identical normalised texts
    candidate_pairs: int = 0
    scored_pairs: int = 0
    duplicate_edges: int = 0
    split_buckets: int = 0
    skipped_buckets: int = 0
    refused_merges: int = 0
    groups: int = 0  # groups of two or more reports, identical texts included
    grouped: int = 0  # reports in them


# ---------------------------------------------------------------------------------------------
# features


def _unmask(text: str) -> str:
    return _MASK_RE.sub(" ", text)


def _links(text: str) -> tuple[str, ...]:
    out = set()
    for m in _URL_RE.finditer(text):
        url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0).lower()).rstrip("/.,;:")
        if "." in url and len(url) >= 6:
            out.add(url)
    return tuple(sorted(out))


def _personal(text: str) -> tuple[str, ...]:
    """Personal identifiers: "account:<digits>", "id:<label>:<digits>" and "name:<name>"."""
    out = {"account:" + re.sub(r"\D", "", m.group(1)) for m in _ACCOUNT_RE.finditer(text)}
    for m in _LABELLED_ID_RE.finditer(text):
        label = re.sub(r"^(?:no|nomor|nomer|id)\b\.?\s*", "", " ".join(m.group("label").lower().split()))
        label = _ID_LABELS.get(label, label)
        digits = re.sub(r"\D", "", m.group("num"))
        if len(digits) >= 5:
            out.add(f"id:{label}:{digits}")
    for m in _NAME_CUE_RE.finditer(text):
        _add_name(out, m.group(1))
    for m in _NAME_CUE_ANY_CASE_RE.finditer(text):
        first = m.group(1).split()[0].lower()
        if not m.group(1)[:1].isupper() and first not in _NOT_A_NAME_AFTER_CUE:  # capitals were read above
            _add_name(out, m.group(1))
    for m in _FORM_NAME_RE.finditer(text):
        role = " ".join((m.group("role") or "").lower().split())
        if role in _SUBJECT_ROLES:
            _add_name(out, m.group("name").replace(".", " "))
    return tuple(sorted(out))


def _add_name(out: set[str], raw: str) -> None:
    words = []
    for w in raw.lower().split():
        if w in _NAME_STOP or w in _FIELD_WORDS:
            break
        words.append(w)
    if words and len("".join(words)) >= 3:
        out.add("name:" + " ".join(words))


_FIELD_WORDS = frozenset({
    "alamat", "nik", "no", "nomor", "umur", "usia", "kelas", "sekolah", "tempat", "tanggal", "tgl", "lahir",
    "rt", "rw", "kelurahan", "kecamatan", "telp", "telepon", "hp", "email", "nisn", "npsn", "jenis",
    "pekerjaan", "status",
})


def features(id: str, text: str, *, title: str | None = None, received_at: datetime | str | None = None,
             instansi: str | None = None, channel: str | None = None,
             region_hint: str | None = None) -> ReportFeatures:
    """Features of one report; ``text`` is the raw report text (title is matched along with it)."""
    raw = _clean_input(text)
    if title:
        raw = f"{_clean_input(title)}\n{raw}"
    unmasked = _unmask(raw)
    norm = matter_text(raw)
    return ReportFeatures(
        id=str(id), text=norm, signature=minhash.signature(norm),
        entities=_safe_entities(unmasked, region_hint), title=title, received_at=received_at,
        instansi=instansi, channel=channel, links=_links(unmasked), personal=_personal(unmasked),
        streets=frozenset(_sample(_streets(normalize_text(unmasked)))),
    )


def matter_text(text: str) -> str:
    """The text duplicates are judged on: normalised, without the greetings and closings around
    the matter (a chat wraps a complaint in other courtesies than a web form). The live index, the
    bulk index and corpus grouping all sign this text."""
    return strip_courtesies(normalize_text(_clean_input(text)))


def _clean_input(text: object) -> str:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return text.replace("\x00", " ")[:minhash._MAX_TEXT_CHARS]


def _safe_entities(text: str, region_hint: str | None) -> Entities:
    try:
        return extract_entities(text, region_hint=region_hint)
    except Exception:  # noqa: BLE001 - a bad input must never stop deduplication
        log.warning("entity extraction failed; continuing without entities", exc_info=True)
        return Entities()


# ---------------------------------------------------------------------------------------------
# entity comparison


def _id_kind(value: str) -> str:
    digits = value.isdigit()
    if digits and len(value) == 16:
        return "nik"
    if digits and value.startswith("62") and 10 <= len(value) <= 15:
        return "phone"
    if re.fullmatch(r"[a-z]{1,2}\d{1,4}[a-z]{1,3}", value):
        return "plate"
    return "number"


def _ids_by_kind(f: ReportFeatures) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for value in f.entities.id_numbers:
        out.setdefault(_id_kind(value), set()).add(value)
    for value in f.personal:
        if value.startswith("account:"):
            out.setdefault("number", set()).add(value.removeprefix("account:"))
        elif value.startswith("id:") and value.count(":") == 2:
            _, label, digits = value.split(":")
            out.setdefault(label, set()).add(digits)
    return out


# ---- mentions: a value "extracted" from one report may still be named in the other one's text


@functools.lru_cache(maxsize=32_768)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


@functools.lru_cache(maxsize=4_096)
def _token_list(text: str) -> tuple[str, ...]:
    return tuple(text.split()[:MAX_PASSAGE_WORDS])


def _word_in(word: str, tokens: frozenset[str]) -> bool:
    """``word`` occurs among ``tokens`` (up to one typo for words of 5+ letters)."""
    if word in tokens:
        return True
    if len(word) < 5:
        return False
    return process.extractOne(word, tokens, scorer=OSA.distance, score_cutoff=1) is not None


def _mentioned(value: str, tokens: frozenset[str]) -> bool:
    """Every word of ``value`` occurs in the text whose ``tokens`` are given."""
    words = normalize_text(value).split()
    return bool(words) and all(_word_in(w, tokens) for w in words)


def _mutually_absent(xa: Iterable[str], xb: Iterable[str], a: ReportFeatures, b: ReportFeatures) -> bool:
    """A conflict needs each report to name a value the other report never mentions.

    Extraction is noisy (a word read as a street or a name, a sentence moved away from its cue):
    when both texts mention both values they do not disagree, they only were read differently.
    """
    ta, tb = _token_set(a.text), _token_set(b.text)
    return any(not _mentioned(x, tb) for x in xa) and any(not _mentioned(y, ta) for y in xb)


def _streets(norm: str) -> set[tuple[str, str | None]]:
    """(street name, house number or None) mentioned in a normalised text."""
    out: set[tuple[str, str | None]] = set()
    for m in _STREET_RE.finditer(norm):
        words = [w for w in m.group(1).split() if w not in _NOT_STREET]
        if not words or m.group(1).split()[0] in _NOT_STREET:
            continue
        near = _HOUSE_NO_RE.search(norm, m.start(1), m.start(1) + 50) or _HOUSE_NO_RE.search(
            norm, max(0, m.start() - 30), m.start())
        out.add((words[0], near.group(1) if near else None))
    return out


def _same_name(a: str, b: str) -> bool:
    """Names equal up to one typo (names of 5+ letters; a swap of two letters is one typo)."""
    return a == b or (min(len(a), len(b)) >= 5 and OSA.distance(a, b, score_cutoff=1) <= 1)


def _number_near(tokens: tuple[str, ...], name: str, number: str) -> bool:
    """``number`` is written close to a mention of street ``name`` (any order)."""
    return any(_is_name(t, name) and number in tokens[max(0, i - 6) : i + 10] for i, t in enumerate(tokens))


def _is_name(token: str, name: str) -> bool:
    return token == name or (abs(len(token) - len(name)) <= 1 and _same_name(token, name))


# Words that end a street's written name ("Jalan Kenari depan rumah no. 53", "Jl. Kenari RT 02").
_STREET_NAME_END = (_GENERIC_ADDRESS - {"raya"}) | {
    "rumah", "kelurahan", "kecamatan", "kel", "kec", "kota", "kabupaten", "kab", "rt", "rw", "blok", "gang",
    "gg", "ke", "atau", "sampai", "hingga", "s", "d", "sd", "seberang", "pertigaan", "perempatan", "ujung",
    "sisi", "arah", "menuju", "kav", "kavling", "nomer", "nmr", "lokasi", "area", "wilayah", "mohon",
}
_STREET_NAME_SPAN = 4  # words after a street's first word that may still belong to its name


def _name_span(tokens: tuple[str, ...], i: int, number: str | None) -> tuple[str, ...]:
    end = i + 1
    while end < min(i + 1 + _STREET_NAME_SPAN, len(tokens)):
        if tokens[end] == number or tokens[end] in _STREET_NAME_END:
            break
        end += 1
    return tokens[i:end]


def _written_name(tokens: tuple[str, ...], name: str, number: str) -> tuple[str, ...]:
    """The words of street ``name``'s name where it is written with house number ``number``
    (first such mention): "kenanga raya barat" for "... jalan kenanga raya barat no 23 ..."."""
    for i, t in enumerate(tokens):
        if _is_name(t, name) and number in tokens[i + 1 : i + 3 + _STREET_NAME_SPAN]:
            return _name_span(tokens, i, number)
    return ()


def _name_words(tokens: tuple[str, ...], name: str) -> set[str]:
    """Every word written after any mention of street ``name`` (within a street name's span)."""
    return {w for i, t in enumerate(tokens) if _is_name(t, name) for w in _name_span(tokens, i, None)[1:]}


def _name_word_equal(x: str, y: str) -> bool:
    """Two words of a street name agree: equal, or (words of 4+ letters) one typo apart."""
    return x == y or (x.isalpha() and y.isalpha() and min(len(x), len(y)) >= 4
                      and OSA.distance(x, y, score_cutoff=1) <= 1)


def _other_street(a: ReportFeatures, b: ReportFeatures, name_a: str, name_b: str,
                  number: str) -> tuple[str, str] | None:
    """The two reports write one house number on streets that share a first word but not the rest
    of the name (Kenanga Raya Barat / Kenanga Raya Tengah / Kenanga Asri; Melati Utara 1 / 2): each
    name has a word that the other report never writes after that street's first word. The two
    addresses as written, or None."""
    ta, tb = _token_list(a.text), _token_list(b.text)
    wa, wb = _written_name(ta, name_a, number), _written_name(tb, name_b, number)
    if len(wa) < 2 or len(wb) < 2:
        return None
    in_a, in_b = _name_words(ta, name_a), _name_words(tb, name_b)
    extra_a = [x for x in wa[1:] if not any(_name_word_equal(x, y) for y in in_b)]
    extra_b = [y for y in wb[1:] if not any(_name_word_equal(y, x) for x in in_a)]
    if extra_a and extra_b:
        return f"jalan {' '.join(wa)} {number}", f"jalan {' '.join(wb)} {number}"
    return None


def _compare_addresses(a: ReportFeatures,
                       b: ReportFeatures) -> tuple[list[str], list[str], tuple[list[str], list[str]] | None]:
    """(shared numbered addresses, shared street names, the conflicting numbered addresses if any)."""
    sa, sb = a.streets, b.streets
    numbered_a = {(n, h) for n, h in sa if h}
    numbered_b = {(n, h) for n, h in sb if h}
    shared_num: set[str] = set()
    other: tuple[list[str], list[str]] = ([], [])
    for n, h in numbered_a:
        for m, k in numbered_b:
            if h != k or not _same_name(n, m):
                continue
            apart = _other_street(a, b, n, m, h)
            if apart is None:
                shared_num.add(f"jalan {n} {h}")
            else:
                other[0].append(apart[0])
                other[1].append(apart[1])
    shared_names = sorted({f"jalan {n}" for n, _ in sa for m, _ in sb if _same_name(n, m)})
    if shared_num:
        return sorted(shared_num), shared_names, None
    if other[0]:
        return [], shared_names, other
    # the same street, other house numbers, neither written near it in the other
    la, lb = _token_list(a.text), _token_list(b.text)
    if any(_same_name(n, m) and not _number_near(lb, n, h) and not _number_near(la, m, k)
           for n, h in numbered_a for m, k in numbered_b):
        return [], shared_names, (_fmt_streets(a), _fmt_streets(b))
    return [], shared_names, None


_RT_RW_PART = re.compile(r"^(?:rt(\d+))?(?:rw(\d+))?$")


def _rt_rw_parts(address: str) -> tuple[str | None, str | None] | None:
    """("3", "2") for "rt3rw2", ("3", None) for "rt3", (None, "2") for "rw2"; None for another address."""
    m = _RT_RW_PART.match(address) if address[:2] in ("rt", "rw") else None
    return (m.group(1), m.group(2)) if m and (m.group(1) or m.group(2)) else None


def _compare_rt_rw(a: Iterable[str], b: Iterable[str]) -> tuple[list[str], tuple[set[str], set[str]] | None]:
    """(the RTs with their RW both name, the two reports' RT/RWs when they name different ones).
    "RT 3 RW 2" and "RW 2" agree, without sharing a neighbourhood as specific as an RT (a whole RW
    is where a campaign happens); "RT 3" and "RW 2" say nothing of each other; "RW 2" and "RW 12"
    differ."""
    pa = {x: p for x in a if (p := _rt_rw_parts(x))}
    pb = {x: p for x in b if (p := _rt_rw_parts(x))}
    numbers_a = {n for p in pa.values() for n in p if n}
    numbers_b = {n for p in pb.values() for n in p if n}
    shared: set[str] = set()
    agree = clash = False
    for xa, (rt_a, rw_a) in pa.items():
        for xb, (rt_b, rw_b) in pb.items():
            known = [(u, v) for u, v in ((rt_a, rt_b), (rw_a, rw_b)) if u and v]
            if not known:
                continue
            if all(u == v for u, v in known):
                agree = True
                if xa == xb and all((rt_a, rw_a)):
                    shared.add(xa)
            elif not (all((rt_a, rw_a)) and all((rt_b, rw_b))) and (
                {rt_a, rw_a} & numbers_b or {rt_b, rw_b} & numbers_a
            ):
                continue  # "RT RW 01" beside "RT 01 RW 03": a word moved, not another neighbourhood
            else:
                clash = True
    if agree or not clash:
        return sorted(shared), None
    return [], (set(pa), set(pb))


def _other_matter_at(addresses: list[str], a: ReportFeatures, b: ReportFeatures) -> bool:
    """One public matter is one object at one place: at a shared address, reports about different
    objects (the tree in front of no. 80, the drain in front of no. 80) are different matters.

    Objects are read around each mention of the address; each side's must be absent from the other
    report (a report telling two matters still shares the one it tells about that address). Absent
    means not among the objects read from it: object names are matched exactly, so a typo-tolerant
    look would find "pohon" (tree) in every "mohon" (please)."""
    for address in addresses:
        _, name, number = address.split(" ", 2)
        oa, ob = _objects_near(a.text, name, number), _objects_near(b.text, name, number)
        if oa and ob and not oa & ob and oa - set(b.entities.objects) and ob - set(a.entities.objects):
            return True
    return False


_OBJECT_WORDS = max(len(k.split()) for k in OBJECTS)


def _objects_near(text: str, name: str, number: str) -> set[str]:
    tokens = _token_list(text)
    out: set[str] = set()
    for i, t in enumerate(tokens):
        if _is_name(t, name) and number in tokens[max(0, i - 6) : i + 10]:
            window = tokens[max(0, i - 15) : i + 25]
            for j in range(len(window)):
                for n in range(_OBJECT_WORDS, 0, -1):
                    key = OBJECTS.get(" ".join(window[j : j + n]))
                    if key:
                        out.add(key)
                        break
    return out


def _fmt_streets(f: ReportFeatures) -> list[str]:
    return [f"jalan {n} {h}" if h else f"jalan {n}" for n, h in sorted(f.streets, key=str)]


def _specific_places(e: Entities) -> set[str]:
    return {p for p in e.places if p.count(".") >= 2}  # kecamatan level or finer


def _places_compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _compare_places(a: Entities, b: Entities) -> tuple[list[str], bool]:
    pa, pb = _specific_places(a), _specific_places(b)
    shared = sorted(x for x in pa if any(_places_compatible(x, y) for y in pb))
    return shared, bool(pa and pb and not shared)


# Words that make a "name" a title, an office or a courtesy ("Pak Walikota", "Bu RT", "Pak. Terimakasih").
_NOT_NAME_WORDS = frozenset(
    {w for phrase in (*POSITIONS, *INSTITUTIONS) for w in phrase.split()}
    | {"walikota", "wakil", "selamat", "pagi", "siang", "sore", "malam", "terimakasih", "terima", "kasih",
       "makasih", "mohon", "tolong", "maaf", "demikian", "assalamualaikum", "salam", "hormat", "yth",
       "kepada", "pertanyaan", "dinas", "kantor", "staf", "staff", "petugas", "admin", "warga", "ketua",
       "pengurus"})


def _persons(f: ReportFeatures) -> set[str]:
    officials = {o.split(":", 1)[1] for o in f.entities.officials if ":" in o}
    names = {p for p in f.entities.persons if p not in officials}
    names |= {p.removeprefix("name:") for p in f.personal if p.startswith("name:")}
    return set(_sample({n for n in names if not set(n.split()) <= _NOT_NAME_WORDS}))


def _persons_overlap(a: set[str], b: set[str]) -> set[str]:
    """Names equal, or one name's words contained in the other ("budi" ~ "budi santoso"), up to a
    typo per word."""
    out = set()
    for x in a:
        for y in b:
            wx, wy = x.split(), y.split()
            small, big = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
            if all(any(_same_name(w, v) for v in big) for w in small):
                out.add(x)
    return out


# Short labels of a spot inside a street, building or area: "titik B", "blok K", "gang 4", "lantai 2".
_LOCATOR_KEYS = {"titik": "titik", "blok": "blok", "gang": "gang", "lantai": "lantai", "lt": "lantai",
                 "unit": "unit", "kios": "kios", "los": "los", "lapak": "lapak", "tiang": "tiang"}
_LOCATOR_VALUE_RE = re.compile(r"\d{1,4}[a-z]?|[a-z]\d{0,3}|([a-z])\1|[ivx]{2,4}")
_LOCATOR_JOIN = frozenset({"dan", "sampai", "hingga", "atau", "s", "d"})


def _labels_apart(key: str, va: Iterable[str], vb: Iterable[str], a: ReportFeatures,
                  b: ReportFeatures) -> bool:
    """Each report has a label for ``key`` that the other never writes next to that key."""
    ta, tb = _token_list(a.text), _token_list(b.text)
    return (any(not _label_near(tb, key, v) for v in va)
            and any(not _label_near(ta, key, v) for v in vb))


def _label_near(tokens: tuple[str, ...], key: str, value: str) -> bool:
    for i, t in enumerate(tokens):
        if _LOCATOR_KEYS.get(t) == key and any(
                (w.lstrip("0") or "0") == value for w in tokens[max(0, i - 6) : i + 10]):
            return True
    return False


@functools.lru_cache(maxsize=8_192)
def _locators(text: str) -> dict[str, frozenset[str]]:
    """Locator key -> labels ("titik" -> {"b"}) in a normalised text; lists ("blok j k dan bb") kept."""
    tokens = text.split()
    out: dict[str, set[str]] = {}
    for i, t in enumerate(tokens):
        key = _LOCATOR_KEYS.get(t)
        if key is None:
            continue
        values: list[str] = []
        for w in tokens[i + 1 : i + 8]:
            if w in _LOCATOR_JOIN and values:
                continue
            if not _LOCATOR_VALUE_RE.fullmatch(w):
                break
            values.append(w.lstrip("0") or "0")
        if values:
            out.setdefault(key, set()).update(values)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(slots=True)
class _Evidence:
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bonus: float = 0.0
    penalty: float = 0.0
    anchored: bool = False  # a strong subject anchor is shared
    hard: bool = False  # a hard identity conflict

    def add(self, kind: str, values: Iterable[str], weight: float, *, anchor: bool = False) -> None:
        vals = tuple(sorted(set(values)))
        if vals:
            self.shared[kind] = vals
            self.bonus += weight
            self.anchored = self.anchored or anchor

    def conflict(self, kind: str, a: Iterable[str], b: Iterable[str], *, hard: bool) -> None:
        self.conflicts[kind] = tuple(sorted(set(a) | set(b)))
        self.hard = self.hard or hard


def _shared_set(a: Iterable[Any], b: Iterable[Any]) -> set[Any]:
    return set(a) & set(b)


def _identity_evidence(ev: _Evidence, a: ReportFeatures, b: ReportFeatures) -> None:
    ia, ib = _ids_by_kind(a), _ids_by_kind(b)
    for kind in sorted(ia.keys() | ib.keys()):
        xa, xb = ia.get(kind, set()), ib.get(kind, set())
        same = xa & xb
        if same:
            ev.add(f"id_{kind}", same, W_PHONE if kind == "phone" else W_ID, anchor=kind != "phone")
        elif xa and xb:
            ev.conflict(f"id_{kind}", xa, xb, hard=kind != "phone")
    pa, pb = _persons(a), _persons(b)
    same_persons = _persons_overlap(pa, pb)
    if same_persons:
        ev.add("person", same_persons, W_PERSON)
    elif pa and pb and _mutually_absent(pa, pb, a, b):
        ev.conflict("person", pa, pb, hard=False)


def _location_evidence(ev: _Evidence, fa: ReportFeatures, fb: ReportFeatures) -> None:
    a, b = fa.entities, fb.entities
    shared_num, shared_plain, addr_conflict = _compare_addresses(fa, fb)
    objects = _shared_set(a.objects, b.objects)
    if shared_num and _other_matter_at(shared_num, fa, fb):
        ev.conflicts["object"] = tuple(sorted(set(a.objects) | set(b.objects)))
        ev.add("address", shared_num, W_ADDRESS_STREET)
    else:
        ev.add("address", shared_num, W_ADDRESS_NUMBERED, anchor=True)
    ev.add("street", [] if shared_num else shared_plain, W_ADDRESS_STREET)
    if addr_conflict:
        ev.conflict("address", *addr_conflict, hard=True)
    shared_rt, rt_conflict = _compare_rt_rw(a.addresses, b.addresses)
    if shared_rt:
        ev.add("rt_rw", shared_rt, W_RTRW)
    elif rt_conflict:
        ev.conflict("rt_rw", *rt_conflict, hard=True)
    places, place_conflict = _compare_places(a, b)
    ev.add("place", places, W_PLACE)
    if place_conflict:
        ev.conflicts["place"] = tuple(sorted(_specific_places(a) | _specific_places(b)))
        ev.penalty += P_PLACE_CONFLICT
    ev.add("object", objects, W_OBJECT)
    if objects and shared_num:
        ev.add("object_at_place", objects, W_OBJECT_AT_PLACE)
    names_a = {x[0] for x in fa.streets}
    names_b = {x[0] for x in fb.streets}
    if (names_a and names_b and not any(_same_name(x, y) for x in names_a for y in names_b)
            and _mutually_absent(names_a, names_b, fa, fb)):
        # Different streets, each never named in the other report: the template trap (one text,
        # everyone's own street).
        ev.conflict("street", names_a, names_b, hard=True)
    la, lb = _locators(fa.text), _locators(fb.text)
    for key in sorted(la.keys() & lb.keys()):
        if not la[key] & lb[key] and _labels_apart(key, la[key], lb[key], fa, fb):
            ev.conflict(f"locator_{key}", (f"{key} {v}" for v in la[key]), (f"{key} {v}" for v in lb[key]),
                        hard=True)


def _subject_evidence(ev: _Evidence, a: ReportFeatures, b: ReportFeatures) -> None:
    ea, eb = a.entities, b.entities
    ev.add("official", _shared_set(ea.officials, eb.officials), W_OFFICIAL, anchor=True)
    ev.add("link", _shared_links(a.links, b.links), W_LINK, anchor=True)
    shared_amounts = _shared_set(ea.amounts, eb.amounts)
    exact = {str(x) for x in shared_amounts if _specific_sum(x)}
    ev.add("exact_sum", exact, W_EXACT_SUM, anchor=True)
    ev.add("amount", {str(x) for x in shared_amounts if x >= MIN_AMOUNT and str(x) not in exact}, W_AMOUNT)
    ev.add("period", _shared_set(ea.periods, eb.periods) | _shared_set(ea.dates, eb.dates), W_PERIOD)


def _specific_sum(amount: int) -> bool:
    """A sum like Rp1.831.160.000 names one budget line or one payment; round sums (Rp5 juta, a
    tariff) are shared by unrelated cases."""
    return amount >= MIN_KEY_AMOUNT and amount % 100_000 != 0


def _host(url: str) -> str:
    return url.split("/", 1)[0]


# Hosts shared by unrelated content (platforms, link shorteners, maps): a page there names only itself,
# so two reports share the matter only when they give the same page, never just the same host.
_PLATFORM_HOSTS = frozenset({
    "goo.gl", "maps.app.goo.gl", "forms.gle", "bit.ly", "s.id", "tinyurl.com", "linktr.ee", "wa.me",
    "t.me", "youtu.be", "youtube.com", "m.youtube.com", "facebook.com", "m.facebook.com", "fb.com",
    "fb.watch", "instagram.com", "twitter.com", "x.com", "tiktok.com", "vt.tiktok.com", "vm.tiktok.com",
    "google.com",
    "maps.google.com", "drive.google.com", "docs.google.com", "whatsapp.com", "chat.whatsapp.com",
    "shopee.co.id", "tokopedia.com", "detik.com", "kompas.com", "tribunnews.com",
})


def _link_key(url: str) -> str:
    """What a link identifies: the website for an own site, the page on a platform."""
    host = _host(url)
    return url if host in _PLATFORM_HOSTS else host


def _shared_links(a: tuple[str, ...], b: tuple[str, ...]) -> set[str]:
    if not a or not b:
        return set()
    exact = set(a) & set(b)
    return exact or ({_link_key(x) for x in a} & {_link_key(x) for x in b})


def _evidence(a: ReportFeatures, b: ReportFeatures) -> _Evidence:
    ev = _Evidence()
    _identity_evidence(ev, a, b)
    _location_evidence(ev, a, b)
    _subject_evidence(ev, a, b)
    return ev


# ---------------------------------------------------------------------------------------------
# scoring


def _combine(text_sim: float, ev: _Evidence) -> tuple[float, bool]:
    """(score, distinct-case flag) from text similarity and entity evidence."""
    bonus = min(ev.bonus, MAX_BONUS) if text_sim >= MIN_TEXT_FOR_BONUS else 0.0
    score = min(1.0, max(0.0, text_sim + bonus - ev.penalty))
    distinct = ev.hard or (bool(ev.conflicts.keys() & {"person", "id_phone"}) and not ev.anchored)
    if distinct:
        score = min(score, CONFLICT_CAP)
    return score, distinct


UNCERTAIN = (0.02, 0.3)  # where a 128-slot estimate is too coarse for the entity gate


def text_similarity(a: ReportFeatures, b: ReportFeatures, estimate: float | None = None) -> float:
    """How alike two texts are: the shingle similarity, or the word similarity less WORD_OFFSET
    when that is higher (a copy edited by hand keeps its words better than its shingles)."""
    return _with_words(a, b, shingle_similarity(a, b, estimate))


def _with_words(a: ReportFeatures, b: ReportFeatures, chars: float) -> float:
    if chars >= 1.0:
        return chars
    return max(chars, word_similarity(a, b, floor=chars + WORD_OFFSET) - WORD_OFFSET)


def shingle_similarity(a: ReportFeatures, b: ReportFeatures, estimate: float | None = None) -> float:
    """Jaccard of the 5-character shingles: the signature estimate, made exact where it decides
    whether entities may count (near MIN_TEXT_FOR_BONUS), since the estimate's error there
    (about +-0.03) would turn a campaign report into a stranger or the reverse."""
    if estimate is None:
        estimate = minhash.estimate_jaccard(a.signature, b.signature)
    if not UNCERTAIN[0] <= estimate <= UNCERTAIN[1]:
        return estimate
    x = _shingle_set(a.text)
    y = _shingle_set(b.text)
    union = x.shape[0] + y.shape[0]
    if union == 0:
        return 0.0
    shared = np.intersect1d(x, y, assume_unique=True).shape[0]
    return float(shared) / float(union - shared)


def word_similarity(a: ReportFeatures, b: ReportFeatures, floor: float = 0.0) -> float:
    """Jaccard of the two normalised texts' word sets, where a word of WORD_TYPO_MIN+ letters with
    one typo (a letter dropped, doubled, swapped or changed) in the other text counts as shared
    (counted from the words that have such a match on either side: a little generous when one
    word is one letter from several),
    once the texts share TYPO_MATCH_FROM of their words exactly (unrelated texts, most candidate
    pairs, never get that far: the typo matching runs only on copies of one text).

    Returns 0.0 early when the result cannot exceed ``floor``."""
    x, y = _token_set(a.text), _token_set(b.text)
    if not x or not y:
        return 0.0
    shared = len(x & y)
    union = len(x) + len(y) - shared
    plain = shared / union
    if plain < TYPO_MATCH_FROM:  # not one text retyped: typos would not make it one
        return plain if plain > floor else 0.0
    # a word that lost a letter to a typo has one letter less: the longer of the two counts
    only_x = [w for w in x - y if len(w) >= WORD_TYPO_MIN - 1]
    only_y = [w for w in y - x if len(w) >= WORD_TYPO_MIN - 1]
    most = min(len(only_x), len(only_y))  # typo matches possible at best
    if (shared + most) / (union - most) <= floor:
        return 0.0
    if most and len(only_x) * len(only_y) <= MAX_TYPO_PAIRS:
        close = process.cdist(only_x, only_y, scorer=OSA.distance, score_cutoff=1, dtype=np.int8) <= 1
        matched_x: set[int] = set()
        matched_y: set[int] = set()
        for i, j in zip(*(side.tolist() for side in np.nonzero(close)), strict=True):
            if len(only_x[i]) >= WORD_TYPO_MIN or len(only_y[j]) >= WORD_TYPO_MIN:
                matched_x.add(i)
                matched_y.add(j)
        # each word pairs with at most one other: count the smaller side of the words with a match
        # (a bound on the one-to-one pairing, equal to it when the typos are few and far apart)
        typo = min(len(matched_x), len(matched_y))
        shared, union = shared + typo, union - typo
    return shared / union


@functools.lru_cache(maxsize=32_768)
def _shingle_set(text: str) -> npt.NDArray[np.uint64]:
    return np.unique(minhash.shingle_hashes(text))


def _score(a: ReportFeatures, b: ReportFeatures, text_sim: float | None = None) -> tuple[float, bool]:
    """Fast path used by grouping: (score, distinct-case flag)."""
    if not (a.informative and b.informative):
        return 0.0, False
    return _combine(text_similarity(a, b, text_sim), _evidence(a, b))


def _passages(a: str, b: str, *, min_words: int = 4, limit: int = 3) -> tuple[str, ...]:
    """The longest word runs (at least `min_words`) that two normalised texts share, in a's words.

    Runs grow from shared `min_words`-grams in one pass over a (linear, unlike a full alignment):
    at each position the longest run starting at any place in b where that gram occurs is taken,
    and the scan jumps past it.
    """
    wa, wb = a.split()[:MAX_PASSAGE_WORDS], b.split()[:MAX_PASSAGE_WORDS]
    starts: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(wb) - min_words + 1):
        starts.setdefault(tuple(wb[j : j + min_words]), []).append(j)
    runs: list[tuple[int, int]] = []  # (length, start in a)
    i = 0
    while i <= len(wa) - min_words:
        best = 0
        for j in starts.get(tuple(wa[i : i + min_words]), ())[:8]:
            n = min_words
            while i + n < len(wa) and j + n < len(wb) and wa[i + n] == wb[j + n]:
                n += 1
            best = max(best, n)
        if best:
            runs.append((best, i))
            i += best
        else:
            i += 1
    runs.sort(key=lambda r: (-r[0], r[1]))
    return tuple(" ".join(wa[i : i + n]) for n, i in runs[:limit])


_SOFT_PLACE = ("place", "object")


def _reasons(text_sim: float, ev: _Evidence, distinct: bool) -> tuple[str, ...]:
    out = [f"text similarity {text_sim:.2f}"]
    out += [f"same {kind}: {', '.join(vals[:3])}" for kind, vals in ev.shared.items()]
    if distinct:
        out += [f"different {kind}: distinct cases" for kind in ev.conflicts if kind not in _SOFT_PLACE]
    else:
        out += [f"different {kind}" for kind in _SOFT_PLACE if kind in ev.conflicts]
    return tuple(out)


def compare(a: ReportFeatures, b: ReportFeatures, *, threshold: float = DEFAULT_THRESHOLD,
            evidence: bool = True) -> Match:
    """Compare two reports: score in 0..1, duplicate decision, shared passages and entities.

    ``evidence=False`` skips the (slower) shared-passage search.
    """
    estimate = minhash.estimate_jaccard(a.signature, b.signature)
    if not (a.informative and b.informative):
        return Match(a.id, b.id, 0.0, False, estimate, reasons=("text too short or empty",),
                     shingle_similarity=estimate)
    chars = shingle_similarity(a, b, estimate)
    text_sim = _with_words(a, b, chars)
    ev = _evidence(a, b)
    score, distinct = _combine(text_sim, ev)
    match = Match(a_id=a.id, b_id=b.id, score=score, is_duplicate=score >= threshold and not distinct,
                  text_similarity=text_sim, shared=dict(ev.shared), conflicts=dict(ev.conflicts),
                  reasons=_reasons(text_sim, ev, distinct), shingle_similarity=chars)
    return with_passages(match, a, b) if evidence else match


def with_passages(match: Match, a: ReportFeatures, b: ReportFeatures) -> Match:
    """`match` (of `a` and `b`, from ``compare(..., evidence=False)``) with its shared passages."""
    if match.text_similarity <= 0:
        return match
    return replace(match, passages=_passages(a.text, b.text))


# ---------------------------------------------------------------------------------------------
# blocking keys (LSH bands + specific entities)


def _stable_hash(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "little")


# Streets and names compared pairwise, each against the other report's words: a report that lists
# hundreds of them (a beneficiary list, a payroll) is compared on a bounded sample, the values of
# smallest hash (the same in any order; two lists that share most values share most of the sample).
# Real complaints name a few.
MAX_COMPARED = 16


def _sample(values: Iterable[Any], k: int = MAX_COMPARED) -> list[Any]:
    """At most ``k`` of ``values``: those of smallest hash (a bottom-k sample)."""
    values = list(values)
    if len(values) <= k:  # the usual case, read on every comparison: no hashing
        return values
    return sorted(values, key=lambda v: _stable_hash(v if isinstance(v, str) else repr(v)))[:k]


def entity_keys(f: ReportFeatures) -> list[int]:
    """Blocking keys for specific entities (band indexes ENTITY_KEY_BASE+): campaign candidates.

    Stored in the index's entity key table: reports sharing a numbered address, an official, a
    website/URL, a non-phone ID number, a person's full name or an exact sum become candidates
    even when their wording differs too much for LSH (``compare`` still decides).
    """
    if not f.informative:
        return []
    values: list[tuple[int, str]] = []
    values += [(0, f"{name} {number}") for name, number in f.streets if number]
    values += [(1, o) for o in f.entities.officials]
    values += [(2, _link_key(u)) for u in f.links]
    values += [(3, v) for kind, vs in _ids_by_kind(f).items() if kind != "phone" for v in vs]
    # Reworded reports of one matter (another channel, another agency) name the same person or the
    # same exact sum: full names only, and only sums too specific to be a common tariff.
    values += [(4, name) for name in _persons(f) if len(name.split()) >= 2]
    values += [(5, str(a)) for a in f.entities.amounts if _specific_sum(a)]
    by_kind: dict[int, set[str]] = defaultdict(set)
    for kind, value in values:
        by_kind[kind].add(value)
    return sorted({minhash.key_for(ENTITY_KEY_BASE + kind, _stable_hash(v)) for kind, vs in by_kind.items()
                   for v in _sample(vs, MAX_KEYS_PER_KIND)})


# ---------------------------------------------------------------------------------------------
# grouping


@dataclass(slots=True)
class _Unit:
    """Reports with identical normalised text: compared once."""

    rep: ReportFeatures
    ids: list[str]


def _units(items: Iterable[ReportFeatures], stats: GroupStats) -> list[_Unit]:
    by_text: dict[str, _Unit] = {}
    for f in items:
        stats.reports += 1
        if not f.informative:
            continue
        unit = by_text.get(f.text)
        if unit is None:
            by_text[f.text] = _Unit(f, [f.id])
        else:
            unit.ids.append(f.id)
    stats.units = len(by_text)
    return list(by_text.values())


def _key_table(units: list[_Unit], bands: int) -> tuple[npt.NDArray[np.int64], ...]:
    """(keys, unit index, secondary key) for every band key and entity key of every unit."""
    sigs = np.stack([u.rep.signature for u in units]) if units else np.zeros((0, minhash.DEFAULT_NUM_PERM),
                                                                               dtype=np.uint32)
    band = minhash.band_keys_batch(sigs, bands) if units else np.zeros((0, bands), dtype=np.int64)
    n = len(units)
    keys = [band.ravel()]
    owners = [np.repeat(np.arange(n, dtype=np.int64), bands)]
    secondary = [np.roll(band, -1, axis=1).ravel()]  # next band's key splits huge buckets
    ent_keys, ent_owner = [], []
    for i, u in enumerate(units):
        for k in entity_keys(u.rep):
            ent_keys.append(k)
            ent_owner.append(i)
    if ent_keys:
        eo = np.array(ent_owner, dtype=np.int64)
        keys.append(np.array(ent_keys, dtype=np.int64))
        owners.append(eo)
        secondary.append(band[eo, 0])  # the first band key: split by text too
    return np.concatenate(keys), np.concatenate(owners), np.concatenate(secondary)


def _runs(sorted_keys: npt.NDArray[np.int64]) -> Iterator[tuple[int, int]]:
    if sorted_keys.shape[0] == 0:
        return
    starts = np.flatnonzero(np.diff(sorted_keys)) + 1
    bounds = np.concatenate(([0], starts, [sorted_keys.shape[0]]))
    sizes = np.diff(bounds)
    for i in np.flatnonzero(sizes > 1):
        yield int(bounds[i]), int(bounds[i + 1])


def _bucket_pairs(members: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.int64]:
    members = np.unique(members)
    i, j = np.triu_indices(members.shape[0], 1)
    return members[i] * n + members[j]


def _candidate_pairs(units: list[_Unit], bands: int, max_bucket: int,
                     stats: GroupStats) -> npt.NDArray[np.int64]:
    """Encoded candidate pairs (i * n + j, i < j), unique."""
    n = len(units)
    keys, owners, secondary = _key_table(units, bands)
    valid = keys >= 0
    keys, owners, secondary = keys[valid], owners[valid], secondary[valid]
    order = np.argsort(keys, kind="stable")
    keys, owners, secondary = keys[order], owners[order], secondary[order]
    chunks: list[npt.NDArray[np.int64]] = []
    pending = 0
    for lo, hi in _runs(keys):
        for part in _split_bucket(owners[lo:hi], secondary[lo:hi], max_bucket, stats):
            chunks.append(_bucket_pairs(part, n))
            pending += chunks[-1].shape[0]
        if pending > 2_000_000:  # bound memory: deduplicate as we go
            chunks, pending = [np.unique(np.concatenate(chunks))], 0
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    pairs = np.unique(np.concatenate(chunks))
    stats.candidate_pairs = int(pairs.shape[0])
    return pairs


def _split_bucket(owners: npt.NDArray[np.int64], secondary: npt.NDArray[np.int64], max_bucket: int,
                  stats: GroupStats) -> Iterator[npt.NDArray[np.int64]]:
    if owners.shape[0] <= max_bucket:
        yield owners
        return
    stats.split_buckets += 1
    order = np.argsort(secondary, kind="stable")
    sec, own = secondary[order], owners[order]
    for lo, hi in _runs(sec):
        if hi - lo <= max_bucket:
            yield own[lo:hi]
        else:
            stats.skipped_buckets += 1
            log.debug("skipping an LSH bucket of %d reports after splitting", hi - lo)  # counted in stats


def _text_similarities(units: list[_Unit], i: npt.NDArray[np.int64],
                       j: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    sigs = np.stack([u.rep.signature for u in units])
    out = np.empty(i.shape[0], dtype=np.float64)
    step = 50_000
    for s in range(0, i.shape[0], step):
        out[s : s + step] = (sigs[i[s : s + step]] == sigs[j[s : s + step]]).mean(axis=1)
    return out


class _PairScores:
    """Scores of unit pairs: the candidate edges plus lazily computed pairs for merge checks.

    Millions of pairs are scored in a large corpus: each is kept as one float under one int key
    (a distinct-case pair as -1 - score), about half the memory of tuples."""

    def __init__(self, units: list[_Unit]) -> None:
        self.units = units
        self._n = len(units)
        self._cache: dict[int, float] = {}

    def put(self, i: int, j: int, score: float, distinct: bool) -> None:
        key = i * self._n + j if i < j else j * self._n + i
        self._cache[key] = -1.0 - score if distinct else score

    def known(self, i: int, j: int) -> tuple[float, bool] | None:
        value = self._cache.get(i * self._n + j if i < j else j * self._n + i)
        if value is None:
            return None
        return (-1.0 - value, True) if value < 0 else (value, False)

    def get(self, i: int, j: int) -> tuple[float, bool]:
        hit = self.known(i, j)
        if hit is None:
            a, b = (i, j) if i < j else (j, i)
            hit = _score(self.units[a].rep, self.units[b].rep)
            self.put(a, b, *hit)
        return hit


# Scoring the candidate pairs is most of grouping a corpus once it is read (about 50 µs a pair, and
# millions of pairs in 100,000 reports). It runs on several processes when the corpus is large
# enough to pay for starting them, and only by fork: the workers then share the parent's features
# instead of each receiving a copy. Forking a process that runs other threads is unsafe, so such a
# caller (a web or task process) scores in its own process.
PARALLEL_SCORING_FROM = 200_000  # candidate pairs
_SCORE_CHUNK = 20_000
_FORKED_UNITS: list[_Unit] = []  # what the forked scoring workers read


def _score_chunk(chunk: tuple[list[int], list[int], list[float]]) -> list[tuple[float, bool]]:
    units = _FORKED_UNITS
    return [_score(units[a].rep, units[b].rep, t) for a, b, t in zip(*chunk, strict=True)]


def _pair_scores(units: list[_Unit], a: list[int], b: list[int], t: list[float],
                 workers: int) -> Iterator[tuple[float, bool]]:
    """(score, distinct) of each pair (a[k], b[k]) with text similarity t[k], in order."""
    if (workers > 1 and len(a) >= PARALLEL_SCORING_FROM and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()):
        global _FORKED_UNITS
        _FORKED_UNITS = units
        try:
            chunks = [(a[s : s + _SCORE_CHUNK], b[s : s + _SCORE_CHUNK], t[s : s + _SCORE_CHUNK])
                      for s in range(0, len(a), _SCORE_CHUNK)]
            fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=fork) as pool:
                for part in pool.map(_score_chunk, chunks):
                    yield from part
        finally:
            _FORKED_UNITS = []
        return
    for x, y, s in zip(a, b, t, strict=True):
        yield _score(units[x].rep, units[y].rep, s)


def _score_candidates(units: list[_Unit], pairs: npt.NDArray[np.int64], scores: _PairScores,
                      threshold: float, stats: GroupStats, workers: int = 1) -> list[tuple[float, int, int]]:
    n = len(units)
    i, j = pairs // n, pairs % n
    text = _text_similarities(units, i, j) if pairs.shape[0] else np.zeros(0)
    keep = text >= MIN_TEXT_FOR_BONUS - 0.03  # refined to exact Jaccard in _score near the gate
    edges = []
    a_list, b_list = i[keep].tolist(), j[keep].tolist()
    scored = _pair_scores(units, a_list, b_list, text[keep].tolist(), workers)
    for a, b, (score, distinct) in zip(a_list, b_list, scored, strict=True):
        scores.put(a, b, score, distinct)
        stats.scored_pairs += 1
        if score >= threshold and not distinct:
            edges.append((score, a, b))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    stats.duplicate_edges = len(edges)
    return edges


# Pairs checked when two clusters merge: every pair up to this many (a report joining a campaign of
# thousands is checked against each of them), a sample of the smaller side beyond it (merging two
# campaigns of hundreds: checking every pair would make a corpus of reworded campaigns quadratic).
_MAX_CROSS_PAIRS = 5_000


def _can_merge(x: list[int], y: list[int], scores: _PairScores, floor: float) -> bool:
    """Whether every member of `x` is a duplicate of every member of `y` (no chaining)."""
    small, big = (x, y) if len(x) <= len(y) else (y, x)
    big = big[:_MAX_CROSS_PAIRS]
    small = small[: max(1, _MAX_CROSS_PAIRS // len(big))]
    for a in small:
        for b in big:
            score, distinct = scores.get(a, b)
            if distinct or score < floor:
                return False
    return True


def _cluster(n: int, edges: list[tuple[float, int, int]], scores: _PairScores, floor: float,
             stats: GroupStats) -> list[list[int]]:
    owner = list(range(n))
    members: dict[int, list[int]] = {}
    for _, a, b in edges:
        ca, cb = owner[a], owner[b]
        if ca == cb:
            continue
        xa, xb = members.get(ca, [ca]), members.get(cb, [cb])
        if not _can_merge(xa, xb, scores, floor):
            stats.refused_merges += 1
            continue
        if len(xa) < len(xb):
            ca, cb, xa, xb = cb, ca, xb, xa
        merged = xa + xb
        for m in xb:
            owner[m] = ca
        members[ca] = merged
        members.pop(cb, None)
    return [sorted(ms) for ms in members.values()]


def _group_of(units: list[_Unit], cluster: list[int], scores: _PairScores) -> Group:
    ids: list[str] = []
    pairs: list[tuple[str, str, float]] = []
    for u in cluster:
        unit = units[u]
        ids.extend(unit.ids)
        pairs.extend((unit.ids[0], other, 1.0) for other in unit.ids[1:])
    for pos, u in enumerate(cluster):
        for v in cluster[pos + 1 :]:
            hit = scores.known(u, v)
            if hit is not None:
                pairs.append((units[u].ids[0], units[v].ids[0], hit[0]))
    return Group(ids=tuple(ids), score=min((p[2] for p in pairs), default=1.0), pairs=tuple(pairs))


def group_corpus(items: Iterable[ReportFeatures], *, threshold: float = DEFAULT_THRESHOLD,
                 link_floor: float | None = None, bands: int = minhash.DEFAULT_BANDS,
                 max_bucket: int = MAX_BUCKET, stats: GroupStats | None = None,
                 workers: int = 1) -> list[Group]:
    """Groups (two or more reports) of duplicates in a corpus, without chaining.

    Candidates come from in-memory LSH band buckets plus entity blocking keys; a bucket larger
    than ``max_bucket`` is split by a second key (the next band, or the text's first band for
    entity buckets) and skipped if still too large (counted in ``stats.skipped_buckets``).
    Identical normalised texts are collapsed first and always grouped together. Candidate pairs
    are scored on ``workers`` processes when there are many (see ``PARALLEL_SCORING_FROM``).
    """
    stats = stats if stats is not None else GroupStats()
    floor = threshold - LINK_MARGIN if link_floor is None else link_floor
    units = _units(items, stats)
    scores = _PairScores(units)
    pairs = _candidate_pairs(units, bands, max_bucket, stats)
    edges = _score_candidates(units, pairs, scores, threshold, stats, workers)
    clusters = _cluster(len(units), edges, scores, floor, stats)
    singles = [[i] for i, u in enumerate(units) if len(u.ids) > 1]
    clustered = {i for c in clusters for i in c}
    groups = [_group_of(units, c, scores) for c in clusters]
    groups += [_group_of(units, c, scores) for c in singles if c[0] not in clustered]
    groups.sort(key=lambda g: (-len(g.ids), g.ids))
    stats.groups, stats.grouped = len(groups), sum(len(g.ids) for g in groups)
    return groups


# ---------------------------------------------------------------------------------------------
# JSONL batch


def _id_key(value: object) -> str | None:
    """A report id as the grouping keys it (None for an id that cannot be one): a string as it is,
    an integer as its digits (1 and "1" are one report)."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _rows_jsonl(path: Path, bad: list[tuple[int, str]], ids: dict[str, object]) -> Iterator[dict[str, Any]]:
    """The reports of a JSON-lines corpus with their line numbers. Lines that are no JSON object,
    have no usable id, or repeat an earlier line's id go to ``bad`` with the reason; ``ids`` maps
    each id's key to the id as the file wrote it."""
    for lineno, row in read_objects(path):
        if row is None:
            bad.append((lineno, "not a JSON object"))
            continue
        key = _id_key(row.get("id"))
        if key is None:
            bad.append((lineno, "no id (a string or an integer)"))
        elif key in ids:
            bad.append((lineno, f"id {key!r} repeats an earlier line's"))
        else:
            ids[key] = row["id"]
            yield {**row, "_key": key, "_line": lineno}


def _row_features(row: dict[str, Any]) -> ReportFeatures | int:
    """Features of one corpus line, or its line number when its fields are unusable."""
    try:
        return features(row["_key"], text_of(row), title=row.get("title"),
                        received_at=row.get("received_at"), instansi=row.get("instansi"),
                        channel=row.get("channel"), region_hint=row.get("region_hint"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return int(row["_line"])


def _corpus_features(rows: Iterable[dict[str, Any]], bad: list[tuple[int, str]],
                     workers: int) -> Iterator[ReportFeatures]:
    """Features of every row in order, read on ``workers`` processes (entities and places cost
    about 2 ms a report: most of a corpus run)."""
    if workers > 1:
        # forkserver: a caller may run threads (a web or task process), and forking one is unsafe
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results: Iterable[ReportFeatures | int] = pool.map(_row_features, rows, chunksize=256)
            yield from _split_bad(results, bad)
    else:
        yield from _split_bad(map(_row_features, rows), bad)


def _split_bad(results: Iterable[ReportFeatures | int],
               bad: list[tuple[int, str]]) -> Iterator[ReportFeatures]:
    """The features among ``results``; the line numbers of unusable lines go to ``bad``."""
    for item in results:
        if isinstance(item, int):
            bad.append((item, "fields that cannot be read"))
        else:
            yield item


def dedup_jsonl(input_path: str | Path, output_path: str | Path, *,
                threshold: float = DEFAULT_THRESHOLD, workers: int | None = None,
                problems: list[tuple[int, str]] | None = None) -> GroupStats:
    """Read reports ({id, text, title?, received_at?, instansi?, channel?} per line) and write one
    JSON line per duplicate group: {"ids": [...], "score": min pair score, "pairs": [[a, b, s]]},
    each id as the input wrote it (a string or an integer). ``-`` reads standard input or writes
    standard output.

    Reports are read, and their candidate pairs scored, on ``workers`` processes (default: one
    per core). Lines that are not a JSON object, lack an id or repeat one are skipped and listed
    in ``problems`` (line number, reason) when given, else logged. Returns the run's counters.
    """
    cores = max(1, os.cpu_count() or 1)
    # more processes than cores only cost memory (each holds its share of the corpus)
    workers = cores if not workers else max(1, min(workers, cores))
    stats = GroupStats()
    bad: list[tuple[int, str]] = []
    ids: dict[str, object] = {}
    items = _corpus_features(_rows_jsonl(Path(input_path), bad, ids), bad, workers)
    groups = group_corpus(items, threshold=threshold, stats=stats, workers=workers)
    bad.sort()
    if problems is not None:
        problems.extend(bad)
    elif bad:
        log.warning("skipped %d malformed lines (first: %s)", len(bad), [line for line, _ in bad[:5]])
    if str(output_path) == "-":
        _write_groups(sys.stdout, groups, ids)
        return stats
    # A regular file is written beside itself and moved over it at the end: a run that fails leaves
    # the groups of the last run that did not. A link is followed; a pipe or a device is written to.
    target = Path(os.path.realpath(output_path))
    if target.exists() and not target.is_file():
        with target.open("w", encoding="utf-8") as out:
            _write_groups(out, groups, ids)
        return stats
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            _write_groups(out, groups, ids)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return stats


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets (the umask's)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _write_groups(out: Any, groups: list[Group], ids: dict[str, object]) -> None:
    for g in groups:
        line = g.to_dict()
        line["ids"] = [ids.get(k, k) for k in line["ids"]]
        line["pairs"] = [[ids.get(a, a), ids.get(b, b), score] for a, b, score in line["pairs"]]
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
