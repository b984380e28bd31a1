"""Text normalisation for informal Indonesian complaint texts, and money amount parsing.

Pure functions, no Django. ``normalize_text`` is used for matching (dedup, classification,
gazetteer lookups); ``parse_amounts`` reads money amounts written in any common form.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterator
from decimal import Decimal, InvalidOperation

from lokal.rupiah import parse_rupiah

__all__ = [
    "ABBREVIATIONS",
    "addressee_spans",
    "addressee_words",
    "answer_amount",
    "normalize_text",
    "parse_amounts",
    "strip_courtesies",
    "tokens",
]

#: Informal abbreviation -> full form (applied per token after normalisation).
ABBREVIATIONS: dict[str, str] = {
    "yg": "yang",
    "yng": "yang",
    "tdk": "tidak",
    "tak": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "g": "tidak",
    "utk": "untuk",
    "untk": "untuk",
    "dgn": "dengan",
    "dg": "dengan",
    "dngn": "dengan",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "sudh": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "blum": "belum",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "kpd": "kepada",
    "dll": "dan lain lain",
    "dsb": "dan sebagainya",
    "dst": "dan seterusnya",
    "bpk": "bapak",
    "pak": "bapak",
    "bp": "bapak",
    "bu": "ibu",
    "ibu": "ibu",
    "ds": "desa",
    "kec": "kecamatan",
    "kab": "kabupaten",
    "kel": "kelurahan",
    "kelur": "kelurahan",
    "prov": "provinsi",
    "prop": "provinsi",
    "kot": "kota",
    "jl": "jalan",
    "jln": "jalan",
    "jal": "jalan",
    "gg": "gang",
    "dr": "dari",
    "sy": "saya",
    "sya": "saya",
    "aq": "aku",
    "tsb": "tersebut",
    "thn": "tahun",
    "th": "tahun",
    "bln": "bulan",
    "hr": "hari",
    "mgg": "minggu",
    "org": "orang",
    "kmrn": "kemarin",
    "kmarin": "kemarin",
    "skrg": "sekarang",
    "skrang": "sekarang",
    "sekarng": "sekarang",
    "tp": "tapi",
    "tpi": "tapi",
    "jg": "juga",
    "jga": "juga",
    "bs": "bisa",
    "bsa": "bisa",
    "sm": "sama",
    "sma": "sama",
    "dlm": "dalam",
    "dlu": "dulu",
    "lg": "lagi",
    "lgi": "lagi",
    "aja": "saja",
    "aj": "saja",
    "sj": "saja",
    "bgt": "banget",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "mhn": "mohon",
    "mohon": "mohon",
    "trs": "terus",
    "trus": "terus",
    "sbg": "sebagai",
    "sbgai": "sebagai",
    "pd": "pada",
    "spt": "seperti",
    "sprti": "seperti",
    "hrs": "harus",
    "hrus": "harus",
    "msh": "masih",
    "masi": "masih",
    "mrk": "mereka",
    "kmi": "kami",
    "km": "kami",
    "kt": "kita",
    "sblm": "sebelum",
    "stlh": "setelah",
    "ssdh": "sesudah",
    "jd": "jadi",
    "jdi": "jadi",
    "sdg": "sedang",
    "lbh": "lebih",
    "kurg": "kurang",
    "krg": "kurang",
    "bbrp": "beberapa",
    "smua": "semua",
    "smpai": "sampai",
    "smp": "sampai",
    "sampe": "sampai",
    "ttg": "tentang",
    "tgl": "tanggal",
    "wkt": "waktu",
    "dpt": "dapat",
    "dapet": "dapat",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "knp": "kenapa",
    "mks": "terima kasih",
    "makasih": "terima kasih",
    "trims": "terima kasih",
    "trmksh": "terima kasih",
    "tks": "terima kasih",
    "thx": "terima kasih",
    "mnt": "minta",
    "minta": "minta",
    "pdhl": "padahal",
    "emg": "memang",
    "emang": "memang",
    "bnyk": "banyak",
    "byk": "banyak",
    "rmh": "rumah",
    "ruma": "rumah",
    "sklh": "sekolah",
    "skolah": "sekolah",
    "pemkot": "pemerintah kota",
    "pemkab": "pemerintah kabupaten",
    "pemprov": "pemerintah provinsi",
    "kades": "kepala desa",
    "walkot": "wali kota",
    "walikota": "wali kota",
    "kadis": "kepala dinas",
    "kepsek": "kepala sekolah",
    "rb": "ribu",
    "jt": "juta",
    "jta": "juta",
    "milyar": "miliar",
    "uang": "uang",
    "duit": "uang",
    "ortu": "orang tua",
    "bpjs": "bpjs",
    "dprd": "dprd",
}

_SPACE_RE = re.compile(r"\s+")
# Anything that is not a letter, digit or space becomes a space; "." and "," survive only between
# two digits (1.200.000, 1,2). Each alternative starts with its character class: the engine skips
# ahead to candidates quickly.
_PUNCT_RE = re.compile(r"[^\w\s.,]|_|[.,](?:(?!\d)|(?<!\d[.,]))")
_DIGIT_SEPARATOR_RE = re.compile(r"[.,](?:(?!\d)|(?<!\d[.,]))")  # the last alternative alone
_ASCII_PUNCT = str.maketrans(  # what the pattern strips from ASCII text, but for "." and ","
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c.isspace() or c in ".,")}
)
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")
# Acronyms with a letter three times, which a run of letters must not shorten ("PPPK" is not "pk").
_TRIPLED = frozenset({"pppk"})
_UNIT_GLUE_RE = re.compile(r"(?<!\bp)(\d)(rb|ribu|jt|jta|juta|miliar|milyar|triliun|k)\b")  # not "p3k"
_REDUP_RE = re.compile(r"^([^\W\d_]{2,})2$")


_ASCII_CONTROLS_RE = re.compile(r"[\x00-\x1f\x7f]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _collapse(m: re.Match[str]) -> str:
    text, start = m.string, m.start()
    word_start = start == 0 or not text[start - 1].isalnum()
    if word_start:
        end = start
        while end < len(text) and text[end].isalnum():
            end += 1
        if text[start:end] in _TRIPLED:
            return m.group(0)
    return m.group(1)


def _non_ascii(match: re.Match[str]) -> str:
    ch = match.group(0)
    cat = unicodedata.category(ch)
    return " " if cat[0] in "CSZ" or cat == "Mn" and ord(ch) > 0x2000 else ch


def _strip_controls(text: str) -> str:
    """Replace control, format, symbol (emoji) and private-use characters by spaces."""
    text = _ASCII_CONTROLS_RE.sub(" ", text)
    return text if text.isascii() else _NON_ASCII_RE.sub(_non_ascii, text)


def _strip_punctuation(text: str) -> str:
    if text.isascii():  # most texts: a table for every mark but "." and ","
        return _DIGIT_SEPARATOR_RE.sub(" ", text.translate(_ASCII_PUNCT))
    return _PUNCT_RE.sub(" ", text)


def _expand(token: str) -> str:
    full = ABBREVIATIONS.get(token)
    if full is not None:
        return full
    m = _REDUP_RE.match(token) if token[-1] == "2" else None
    if m:  # "anak2" -> "anak anak"
        word = ABBREVIATIONS.get(m.group(1), m.group(1))
        return f"{word} {word}"
    return token


def normalize_text(text: str) -> str:
    """Lowercase, NFKC, drop emoji/punctuation, collapse letter runs, expand abbreviations."""
    if not text:
        return ""
    if len(text) <= _CACHE_MAX_CHARS:
        return _normalize_cached(text)
    return _normalize(text)


_CACHE_MAX_CHARS = 20_000


@functools.lru_cache(maxsize=256)
def _normalize_cached(text: str) -> str:
    # Triage reads one text several times (entities, classification, completeness, signature).
    return _normalize(text)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _strip_controls(text)
    text = _strip_punctuation(text)
    text = _REPEAT_RE.sub(_collapse, text)
    text = _UNIT_GLUE_RE.sub(r"\1 \2", text)
    toks = text.split()
    return " ".join([tok if tok in _UNITS and _beside_number(toks, i) else _expand(tok)
                     for i, tok in enumerate(toks)])


# Chat abbreviations that are also units: beside a number "km" is kilometres ("Jl. Kaliurang km 7",
# "jarak 5 km"), elsewhere "kami".
_UNITS = frozenset({"km"})


def _beside_number(toks: list[str], i: int) -> bool:
    return (i > 0 and toks[i - 1][:1].isdigit()) or (i + 1 < len(toks) and toks[i + 1][:1].isdigit())


def tokens(text: str) -> list[str]:
    """``normalize_text(text).split()``."""
    return normalize_text(text).split()


# --------------------------------------------------------------------------------------------
# Courtesies: greetings, forms of address and closings around the matter itself

# Phrases (normalised words) that open or close a message without telling anything about the
# matter. A chat message wraps the same complaint in other courtesies than a web form, and two
# unrelated short complaints share their "assalamualaikum selamat malam admin".
_GREETINGS: tuple[str, ...] = (
    "assalamualaikum warahmatullahi wabarakatuh", "assalamualaikum wr wb", "assalamualaikum",
    "asalamualaikum", "assalamu alaikum", "asslmkm", "ass wr wb", "askum", "salam sejahtera",
    "om swastiastu", "selamat pagi", "selamat siang", "selamat sore", "selamat malam",
    "halo", "hallo", "hai", "hi", "permisi", "punten", "mohon maaf mengganggu", "maaf mengganggu",
    "yth", "yang terhormat", "kepada yth", "dengan hormat",
)
_CLOSINGS: tuple[str, ...] = (
    "terima kasih banyak", "terima kasih", "makasih", "trims", "thanks", "thx", "tq", "matur nuwun",
    "nuwun", "sekian", "sekian dan terima kasih", "atas perhatiannya", "atas perhatian dan kerjasamanya",
    "atas perhatiannya terima kasih", "mohon dibantu", "mohon bantuannya", "tolong dibantu", "tolong",
    "wassalamualaikum warahmatullahi wabarakatuh", "wassalamualaikum wr wb", "wassalamualaikum",
    "wassalam", "salam",
)
# A chat's forms of address count as courtesies on their own; the family ones are dropped only next
# to a greeting or closing ("bapak saya" is the reporter's father, "kakak saya" a sibling).
_CHAT_ADDRESS = ("min", "admin", "mimin", "gan", "sis", "bro")
_GREETINGS += _CHAT_ADDRESS
# A chat often opens with a plea to the one reading it ("tolong min, ...", "mohon admin ..."): with
# the form of address it is a courtesy; without one ("tolong bantu tetangga saya") it is the matter.
_GREETINGS += tuple(f"{plea} {to}" for plea in ("tolong", "mohon") for to in (*_CHAT_ADDRESS, "kak"))
_CLOSINGS += _CHAT_ADDRESS
_ADDRESS = frozenset({"kak", "kakak", "pak", "bapak", "bu", "ibu", "bapak ibu", "bpk", "ya", "yah", "nya",
                      "wr", "wb"})
_MAX_COURTESY = 12  # words: a longer run is not a courtesy any more


_Phrases = dict[str, tuple[tuple[str, ...], ...]]


def _by_first_word(items: tuple[str, ...] | frozenset[str], *, reverse: bool = False) -> _Phrases:
    """Phrases as word tuples (reversed for matching from the end), longest first, by first word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in {tuple(p.split()[::-1] if reverse else p.split()) for p in items}:
        out.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(sorted(ps, key=len, reverse=True)) for w, ps in out.items()}


_GREETING_WORDS, _ADDRESS_WORDS = _by_first_word(_GREETINGS), _by_first_word(_ADDRESS)
_CLOSING_REVERSED = _by_first_word(_CLOSINGS, reverse=True)
_ADDRESS_REVERSED = _by_first_word(_ADDRESS, reverse=True)


def _courtesy_run(words: list[str], main: _Phrases, address: _Phrases) -> int:
    """Length of the run of courtesies at the start of `words` (0 unless it holds a greeting or
    closing proper, not only forms of address)."""
    pos, proper, end = 0, False, 0
    while pos < len(words):
        for kind, phrases in ((True, main), (False, address)):
            found = (p for p in phrases.get(words[pos], ()) if tuple(words[pos : pos + len(p)]) == p)
            hit = next(found, None)
            if hit:
                pos += len(hit)
                proper = proper or kind
                if proper:
                    end = pos
                break
        else:
            break
    return end


def strip_courtesies(normalized: str) -> str:
    """A normalised text without the greetings and closings around its matter (and the forms of
    address next to them): "halo min jalan rusak tolong min" -> "jalan rusak"."""
    head_words = normalized.split(maxsplit=_MAX_COURTESY)
    head = _courtesy_run(head_words[:_MAX_COURTESY], _GREETING_WORDS, _ADDRESS_WORDS)
    text = " ".join(head_words[head:]) if head else normalized
    tail_words = text.rsplit(maxsplit=_MAX_COURTESY)
    tail = _courtesy_run(tail_words[::-1][:_MAX_COURTESY], _CLOSING_REVERSED, _ADDRESS_REVERSED)
    return " ".join(tail_words[: len(tail_words) - tail]) if tail else text


# --------------------------------------------------------------------------------------------
# The addressee: whom a letter is written to ("Kepada Yth. Bapak Gubernur Lampung, ...")

# Where an addressee is named: "Yth.", "Kepada Yth.", "Yang terhormat", "Ditujukan kepada"
# anywhere; "Kepada ..." opening the text or a line; "Dengan hormat, Bapak/Ibu ..." (a vocative).
# Every blank run is bounded, and no two optional parts meet on blanks.
_ADDRESSEE_RE = re.compile(
    r"(?P<to>(?:\b(?:kepada|kpd)\.?[ \t]{1,3})?\b(?:yth|ykh|yang[ \t]{1,3}terhormat"
    r"|yang[ \t]{1,3}kami[ \t]{1,3}hormati)\b\.?"
    r"|\bditujukan[ \t]{1,3}(?:kepada|kpd)\b\.?"
    r"|^[ \t>*-]{0,4}(?:kepada|kpd)\b\.?:?)"
    r"|(?P<vocative>\bdengan[ \t]{1,3}hormat\b[ \t,.:]{0,4}(?=(?:bapak|bpk|bp|pak|ibu|bu|sdr|saudara)\b))",
    re.IGNORECASE | re.MULTILINE,
)
# The addressee ends at a line end, a comma or colon (not between digits), a full stop after a
# word that is not an abbreviation, or where the letter's own words begin.
_ADDRESSEE_END_RE = re.compile(
    r"\n|[;:!?]|,(?!\d)|(?<!\w)(?P<abbr>[a-z]{1,6})\.(?=\s|$|[a-z]\.)|\.(?=\s|$)"
    r"|\b(?:saya|sy|kami|aku|mohon|mhn|tolong|ingin|mau|melaporkan|melapor|lapor|bahwa|perihal|hal"
    r"|terkait|tentang|di[ \t]?tempat|dengan[ \t]{1,3}hormat|assalamualaikum|selamat)\b",
    re.IGNORECASE,
)
_ADDRESS_ABBREVIATIONS = frozenset(
    {"yth", "ykh", "kpd", "bpk", "bp", "pak", "bu", "sdr", "sdri", "kab", "kec", "kel", "ds", "prov",
     "prop", "jl", "jln", "no", "drs", "dr", "ir", "hj", "st", "sh", "se", "mm", "msi", "mt", "mh", "ssos",
     "spd", "cq", "qq", "up"}
)
_ADDRESSEE_MAX_CHARS = 160  # an addressee is a name and a title, not a paragraph
_ADDRESSEE_MAX_SPANS = 4


def _addressee_end(text: str, start: int) -> tuple[int, bool]:
    """Where the addressee that starts at `start` ends, and whether a mark (line end, comma, full
    stop) closes it rather than the letter's own words or the length cap."""
    limit = min(len(text), start + _ADDRESSEE_MAX_CHARS)
    for m in _ADDRESSEE_END_RE.finditer(text, start, limit):
        abbr = m.group("abbr")
        if abbr is not None and (len(abbr) == 1 or abbr.lower() in _ADDRESS_ABBREVIATIONS):
            continue  # "Kab. Lampung Selatan", "Bpk. Budi", "c.q."
        if abbr is not None:
            return m.end() - 1, True
        return m.start(), m.group(0)[:1] in "\n;:!?,."
    if limit == len(text):
        return limit, True
    blank = text.rfind(" ", start, limit)  # never cut a word
    return (blank if blank > start else limit), False


# A letter's copy list closes it: "Tembusan:" (or "Tembusan Yth.", "cc:") at the start of a line,
# then one addressee a line ("1. Bupati Lampung Selatan", "- Inspektorat") until a blank line.
# A heading, not a sentence: "Tembusan surat sudah saya kirim ke camat" and "CC TV rusak" are none.
_CC_RE = re.compile(r"^[ \t>*-]{0,4}(?:tembusan[ \t]{0,3}:|tembusan[ \t]{1,3}(?:yth|kepada)\b\.?[ \t]{0,3}:?"
                    r"|tembusan[ \t]{0,3}$|c\.?c\.?[ \t]{0,3}:)", re.IGNORECASE | re.MULTILINE)
_CC_ITEM_RE = re.compile(r"[ \t]*(?P<mark>\d{1,2}[.)]|[-*•]|(?:yth|kepada)\b\.?)?[ \t]*"
                         r"(?:(?:yth|kepada)\b\.?[ \t]*)?", re.IGNORECASE)
_CC_MAX_LINES = 10
_CC_MAX_SPANS = 20
CC_MAX_WORDS = 8  # an addressee is a title and a name ("Kepala Dinas Sosial Kabupaten Lampung Selatan")


def _copy_list_spans(text: str) -> list[tuple[int, int]]:
    """The addressees of a letter's copy list ("Tembusan: 1. Bupati ... 2. Inspektorat ..."): those
    it is sent to for their information, not those it reports.

    The list is read as it is written: after a heading with an addressee on its own line, or after
    a numbered or bulleted first item, only further items marked the same way; after an unmarked
    first line under the heading, lines up to a blank one. A line may hold several addressees
    between commas. Each addressee ends like a letter's addressee (`_addressee_end`) and is at most
    CC_MAX_WORDS words: where a line goes on with anything else ("cc: Inspektorat. Bupati X meminta
    fee ...") the letter has resumed, and the list ends there. Reading an accused official as a
    copy's addressee would hide them, so a doubtful line is left to the letter."""
    m = _CC_RE.search(text)
    if m is None:
        return []
    spans: list[tuple[int, int]] = []
    pos, line_no, marked_only = m.end(), 0, True
    while len(spans) < _CC_MAX_LINES and pos <= len(text):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        item = _CC_ITEM_RE.match(text, pos, line_end)
        start = item.end() if item else pos
        marked = bool(item and item.group("mark"))
        content = bool(text[start:line_end].strip())
        if not content:
            if line_no > 0:
                break  # a blank line: the list is over
        elif line_no == 1 and not spans:  # the first item under the heading sets the style
            marked_only = marked
        elif line_no > 0 and marked_only and not marked:
            break
        if content and not _copy_line(text, start, line_end, spans):
            break
        line_no += 1
        pos = line_end + 1
    return spans


def _copy_line(text: str, start: int, line_end: int, spans: list[tuple[int, int]]) -> bool:
    """Add the addressees of one copy-list line to ``spans``; False where the letter goes on."""
    pos = start
    while pos < line_end:
        if len(spans) >= _CC_MAX_SPANS:
            return False
        end, _ = _addressee_end(text, pos)
        end = min(end, line_end)
        words = len(text[pos:end].split())
        if words > CC_MAX_WORDS:
            return False
        if words:
            spans.append((pos, end))
        rest = text[end:line_end]
        if rest[:1] == ",":
            pos = end + 1
            continue
        return not rest.strip(" \t.;:")  # only closing marks after it, or the letter resumes
    return True


# Words of a title written in a letter's style that may stay lower case ("Kepala Dinas Sosial dan
# Pemberdayaan Masyarakat", "Bupati c.q. Inspektur").
_TITLE_JOINS = frozenset({"dan", "serta", "atau", "di", "c.q.", "cq", "qq", "u.p.", "up"})


# A title ends the addressee's line or is set off again: at a line end, the text's end, a comma or
# semicolon, or "di tempat". One that runs into a full stop or into other words may be the
# sentence that reports the official ("KEPALA DINAS PUPR MEMINTA FEE 10 PERSEN."): left to the letter.
_TITLE_END_RE = re.compile(r"[ \t]*(?:$|\n|[,;]|di[ \t]?tempat\b)", re.IGNORECASE)


def _is_title(segment: str, titles: Collection[str]) -> bool:
    """Whether `segment` (the words after an addressee's comma) is the addressee's title, as a
    letter writes it: "Kepala Dinas PUPR Kabupaten Lampung Selatan". It starts with one of `titles`
    (normalised), has at most CC_MAX_WORDS words, and every word of three letters or more but the
    joining ones is capitalised; a sentence ("Kepala Dinas PUPR meminta fee") is not a title."""
    words = segment.split()
    if not 0 < len(words) <= CC_MAX_WORDS:
        return False
    for word in words:
        letters = word.strip("().,")
        if len(letters) >= 3 and letters[0].isalpha() and not letters[0].isupper() \
                and word.lower() not in _TITLE_JOINS:
            return False
    head = _normalize(segment).split()[:3]
    return any(" ".join(head[:n]) in titles for n in range(1, len(head) + 1))


def addressee_spans(text: str, titles: Collection[str] = ()) -> list[tuple[int, int]]:
    """Character spans of `text` that name whom a letter is written to: "Bapak Gubernur Lampung" in
    "Kepada Yth. Bapak Gubernur Lampung, di Bandar Lampung. Dengan hormat, ...", and the lines of
    its copy list ("Tembusan: ..."). What they name is the reader, not the reported.

    A title set off by a comma after the addressee's name ("Yth. Bapak Budi, Kepala Dinas PUPR")
    is a span of its own when it starts with one of `titles` (normalised phrases) and is written as
    a title (`_is_title`)."""
    copies = _copy_list_spans(text)
    copy_from = copies[0][0] if copies else len(text) + 1
    spans: list[tuple[int, int]] = []
    pos = 0
    while len(spans) < _ADDRESSEE_MAX_SPANS:
        m = _ADDRESSEE_RE.search(text, pos)
        if m is None or m.start() >= copy_from:
            break
        end, closed = _addressee_end(text, m.end())
        end = min(end, copy_from)
        # a vocative is set off by a mark: "Dengan hormat, Bapak Camat kami minta uang" is the matter
        vocative_open = m.group("vocative") is not None and not closed
        if text[m.end() : end].strip() and not vocative_open:
            spans.append((m.end(), end))
            while titles and text[end : end + 1] == "," and len(spans) < _ADDRESSEE_MAX_SPANS:
                title_end, _ = _addressee_end(text, end + 1)
                title_end = min(title_end, copy_from)
                closed = _TITLE_END_RE.match(text, title_end) is not None
                if not (closed and _is_title(text[end + 1 : title_end], titles)):
                    break
                spans.append((end + 1, title_end))
                end = title_end
        pos = max(end, m.end())
    return spans + copies


def addressee_words(text: str, spans: list[tuple[int, int]] | None = None) -> list[range]:
    """The addressee spans (`addressee_spans`, or `spans` found before) as ranges of indexes into
    ``tokens(text)``."""
    out: list[range] = []
    read, count = 0, 0  # words before `read`: spans start and end where no word is cut
    for start, end in addressee_spans(text) if spans is None else spans:
        first = count + len(_normalize(text[read:start]).split())
        count = first + len(_normalize(text[start:end]).split())
        out.append(range(first, count))
        read = end
    return out


# --------------------------------------------------------------------------------------------
# Money amounts
# --------------------------------------------------------------------------------------------

_MAGNITUDES: dict[str, int] = {
    "ribu": 10**3,
    "rb": 10**3,
    "rbu": 10**3,
    "rebu": 10**3,
    "ewu": 10**3,
    "k": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "jta": 10**6,
    "jeti": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "milliar": 10**9,
    "milyard": 10**9,
    "miliard": 10**9,
    "m": 10**9,
    "em": 10**9,
    "triliun": 10**12,
    "trilyun": 10**12,
    "t": 10**12,
    # English, as the English portal suggests ("about 2 billion", "IDR 1.5 billion", "2bn")
    "thousand": 10**3,
    "million": 10**6,
    "mln": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
_ENGLISH_MAGS = {"thousand", "million", "mln", "billion", "bn", "trillion"}
_SHORT_MAGS = {"m", "t"}  # ambiguous with metres/tonnes: need a currency marker or capital letter
_MAG_ALT = "|".join(sorted(_MAGNITUDES, key=len, reverse=True))
_NUM_RE = re.compile(
    # "Rp.2.500.000": after a currency marker the number may follow a full stop; elsewhere a number
    # starts at no separator ("1.200" is not read from "21.200"). Not \s*[.:]?\s*: two ways to split
    # blanks.
    r"(?:(?P<cur>(?<![a-z])(?:rp|idr)(?:\s*[.:])?\s*)|(?<![\d.,/]))"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d+)?)"
    rf"(?:\s*(?P<mag>{_MAG_ALT})(?:(?<=[a-z]{{2}})an)?(?![a-z]))?"  # "400 jutaan": about 400 juta
    r"(?P<tail>,-|,00\b|\.-)?",
    re.IGNORECASE,
)
_MONEY_WORDS_RE = re.compile(
    r"\b(?:bayar\w*|dibayar\w*|membayar|biaya\w*|uang|dana|setor\w*|disetor\w*|pungut\w*|dipungut"
    r"|pungli|minta|diminta|meminta|sebesar|senilai|kerugian|rugi|anggaran|harga|tarif|nilai|sejumlah"
    r"|total|rupiah|imbalan|suap|sogok\w*|fee|upeti|setoran|tagih\w*|ditagih|denda|iuran|gaji|honor\w*"
    r"|pay|paid|payment|bribe\w*|cost\w*|loss|losses|budget|price|charged)\b",
    re.IGNORECASE,
)
_NOT_MONEY_AFTER_RE = re.compile(
    r"\s*(?:orang|warga|jiwa|kk|unit|ekor|meter|km|ha|hektar\w*|ton|kg|liter|buah|rumah|kepala|siswa"
    r"|murid|peserta|pegawai|penduduk|pelanggan|hari|tahun|bulan|jam"
    r"|people|persons|residents|citizens|families|households|students|employees|units|meters|metres"
    r"|hectares|tons|tonnes|liters|litres|days|weeks|months|years|hours)\b",
    re.IGNORECASE,
)
# "5.000 rupiah", "5.000 rp": not the "Rp" of the next amount ("WA 0812... Rp 5jt")
_CURRENCY_AFTER_RE = re.compile(r"\s*(?:rupiah|(?:rp|idr)\b(?!\s*\.?\s*\d))", re.IGNORECASE)

_WORD_DIGITS: dict[str, int] = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_WORD_SPECIAL: dict[str, int] = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_WORD_SCALE: dict[str, int] = {
    "ribu": 10**3,
    "juta": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "triliun": 10**12,
}
_WORD_SE_SCALE: dict[str, int] = {"seribu": 10**3, "sejuta": 10**6, "semiliar": 10**9, "setriliun": 10**12}
_WORD_ALL = (
    set(_WORD_DIGITS)
    | set(_WORD_SPECIAL)
    | set(_WORD_SCALE)
    | set(_WORD_SE_SCALE)
    | {"puluh", "belas", "ratus", "koma", "setengah"}
)
_WORD_SEQ_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted(_WORD_ALL, key=len, reverse=True))
    + r")(?:\s+(?:"
    + "|".join(sorted(_WORD_ALL, key=len, reverse=True))
    + r"))*\b",
    re.IGNORECASE,
)
_MAX_AMOUNT = 10**16
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _to_decimal(num: str, has_mag: bool, english: bool = False) -> Decimal | None:
    """Read "1.200.000", "1,2", "2.5", "1,200,000", "1.200.000,50" with Indonesian conventions; the
    digit groups decide ("1,500,000" is grouped, "1,5" a decimal comma). Before an English scale word
    one separator is read the English way: "1,500 million" is grouped, "1.500 million" a decimal."""
    dots, commas = num.count("."), num.count(",")
    if english and dots + commas == 1:
        whole, _, after = num.replace(",", ".").partition(".")
        plain = whole + after if commas and len(after) == 3 else f"{whole}.{after}"
        return Decimal(plain)
    if dots and commas:
        dec = "," if num.rfind(",") > num.rfind(".") else "."
        thou = "." if dec == "," else ","
        plain = num.replace(thou, "").replace(dec, ".")
    elif dots + commas > 1:
        plain = num.replace(".", "").replace(",", "")
    elif dots + commas == 1:
        sep = "." if dots else ","
        after = num.split(sep)[1]
        thousands = len(after) == 3 and (not has_mag or sep == ".")
        plain = num.replace(sep, "") if thousands else num.replace(sep, ".")
    else:
        plain = num
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def _word_value(words: list[str]) -> tuple[int, bool]:
    """Value of a sequence of Indonesian number words and whether it had a money scale: "dua ratus
    lima puluh juta", "satu koma dua miliar", "nol koma lima miliar", "dua setengah juta",
    "setengah miliar", "sejuta setengah"."""
    total = Decimal(0)
    small = digit = 0
    fraction: str | None = None  # the digits after "koma"
    half = scaled = False
    last_scale = 0  # the scale word just read, for "sejuta setengah"
    for w in words:
        if w == "koma":
            fraction = fraction if fraction is not None else ""
        elif w in _WORD_DIGITS and fraction is not None:
            fraction += str(_WORD_DIGITS[w])
        elif w in _WORD_DIGITS:
            digit = _WORD_DIGITS[w]
        elif w == "setengah":
            if last_scale:
                total += Decimal(last_scale) / 2
            else:
                half = True
        elif w in _WORD_SPECIAL:
            small += _WORD_SPECIAL[w]
        elif w == "belas":
            small += digit + 10
            digit = 0
        elif w == "puluh":
            small += digit * 10
            digit = 0
        elif w == "ratus":
            small += digit * 100
            digit = 0
        elif w in _WORD_SE_SCALE:
            total += _WORD_SE_SCALE[w]
            scaled = True
        elif w in _WORD_SCALE:
            base = Decimal(small + digit) + Decimal(f"0.{fraction}" if fraction else 0) + Decimal(half) / 2
            total += (base if base or fraction is not None else 1) * _WORD_SCALE[w]
            small = digit = 0
            fraction, half = None, False
            scaled = True
        last_scale = _WORD_SCALE.get(w) or _WORD_SE_SCALE.get(w) or 0
    return int(total) + small + digit, scaled


_NUMBER_BEFORE_RE = re.compile(r"(?:^|\s)[\d.,]+$")  # "2 juta": a numeral, not "kira2"


def _word_amounts(text: str) -> Iterator[tuple[int, int]]:
    for m in _WORD_SEQ_RE.finditer(text):
        words = m.group(0).lower().split()
        if words[0] == "koma" or not any(w not in _WORD_SCALE for w in words):
            continue
        if _NUMBER_BEFORE_RE.search(text[max(0, m.start() - 40) : m.start()].rstrip()):
            continue
        value, scaled = _word_value(words)
        after = text[m.end() : m.end() + 12]
        is_money = value > 0 and (scaled or _CURRENCY_AFTER_RE.match(after))
        if is_money and not _NOT_MONEY_AFTER_RE.match(after):
            yield m.start(), value


# Words that tell an English text from an Indonesian one: "5M" is five million in the first and
# five miliar in the second.
_ENGLISH_WORDS = frozenset({
    "the", "and", "was", "were", "are", "for", "that", "with", "this", "they", "she", "our", "from",
    "has", "have", "had", "been", "his", "her", "their", "which", "who", "asked", "paid", "would",
})
_INDONESIAN_WORDS = frozenset({
    "yang", "dan", "di", "ke", "dari", "untuk", "tidak", "tdk", "saya", "sy", "ini", "itu", "dengan",
    "dgn", "kami", "ada", "sudah", "sdh", "akan", "pada", "oleh", "atau", "juga", "kepada", "kpd",
    "karena", "krn", "minta", "meminta", "nilai", "proyek", "anggaran", "kades", "hari",
})


def _is_english(text: str) -> bool:
    """Whether `text` is written in English: at least four English function words of three letters
    or more (two-letter ones are common loans in Indonesian texts: "IT", "on site", "to do"), three
    times as many as the Indonesian ones. A mixed text is read the Indonesian way."""
    english = indonesian = 0
    for word in re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower()):
        english += word in _ENGLISH_WORDS
        indonesian += word in _INDONESIAN_WORDS
    return english >= 4 and english >= 3 * indonesian


def _numeric_amounts(text: str, *, money: bool = False) -> Iterator[tuple[int, int, int, int]]:
    """Yield (start, end, value, magnitude) for each numeric money amount (`money`: the text is
    about money, so a number needs no marker)."""
    english: bool | None = None  # read once, at the first "M"
    for m in _NUM_RE.finditer(text):
        cur, num, mag_raw = m.group("cur"), m.group("num"), m.group("mag")
        if not cur and m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # "rt05", plate "b1234"
        mag_key = mag_raw.lower() if mag_raw else None
        if mag_key in _SHORT_MAGS and not cur and mag_raw and mag_raw.islower():
            mag_key = None  # "5 m" is metres unless written "5 M" or "Rp 5 m"
        if mag_key == "m" and not (cur and cur.strip(" .").lower() == "rp"):  # "Rp 5M" is miliar everywhere
            english = _is_english(text) if english is None else english
            mag_key = "million" if english else mag_key  # "IDR 5M" from an English writer
        after = text[m.end() : m.end() + 14]
        if mag_key is None and mag_raw:
            after = text[m.end("num") : m.end("num") + 14]
        if _NOT_MONEY_AFTER_RE.match(after) and not cur:
            continue
        marked = cur or mag_key or _CURRENCY_AFTER_RE.match(after)
        if money and not marked and _YEAR_RE.fullmatch(num):
            continue  # "Rp 150.000 per bulan sejak 2023"
        marked = marked or money
        if not marked and not _grouped_near_money_word(text, m.start("num"), num):
            continue
        value = _to_decimal(num, mag_key is not None, english=mag_key in _ENGLISH_MAGS)
        if value is None:
            continue
        end = m.end() if mag_key else m.end("num")
        if cur and not mag_raw and len(num) <= 3 and num.isdigit():
            groups = _SPACED_GROUPS_RE.match(text, end)  # "Rp 1 000 000 000"
            if groups and not _NOT_MONEY_AFTER_RE.match(text, groups.end()):  # "Rp 200 100 orang"
                value, end = Decimal(num + groups.group(0).replace(" ", "")), groups.end()
        mult = _MAGNITUDES[mag_key] if mag_key else 1
        amount = int(value * mult)
        if 0 < amount < _MAX_AMOUNT:
            yield m.start(), end, amount, mult


# "Rp 1 000 000 000": digit groups set apart by spaces, all of them (not a run cut short), ending the
# number ("Rp 5 000 000,-" too), and no magnitude word after them ("Rp 2 500 ribu" is not 2,500).
_SPACED_GROUPS_RE = re.compile(
    rf"(?: \d{{3}})+(?! \d)(?![\d.])(?!,\d{{3}})(?!\s*(?:{_MAG_ALT})(?![a-z]))", re.IGNORECASE
)


def _grouped_near_money_word(text: str, start: int, num: str) -> bool:
    digits = sum(ch.isdigit() for ch in num)
    grouped = re.fullmatch(r"\d{1,3}(?:([.,])\d{3})+(?:[.,]\d{1,2})?", num) is not None
    if not grouped or digits < 5:
        return False
    window = text[max(0, start - 40) : start]
    return _MONEY_WORDS_RE.search(window) is not None


def parse_amounts(text: str, *, money: bool = False) -> list[int]:
    """Every money amount in ``text`` as integer rupiah, in order of appearance.

    Needs a currency marker (Rp, IDR, rupiah), a magnitude word (ribu, rb, jt, juta, M, miliar,
    T, triliun) or a thousands-grouped number of >= 5 digits near a money word (bayar, biaya,
    uang, dana, sebesar...). Years, dates, phone numbers, NIK and RT/RW numbers are ignored.
    English scale words and IDR are read too ("IDR 1.5 billion", "about 2 billion", "2bn", "500
    thousand"). "Rp 2 juta 500 ribu" is read as one amount. ``money=True`` is for a text that is
    all about money (the answer to "how much?"): a plain number counts as rupiah there.
    """
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, int]] = []
    prev_end, prev_mult = -10, 0
    for start, end, amount, mult in _numeric_amounts(text, money=money):
        gap = text[prev_end:start]
        if found and mult > 1 and prev_mult > mult and len(gap) <= 2 and not gap.strip(" "):
            found[-1] = (found[-1][0], found[-1][1] + amount)  # "2 juta 500 ribu"
        else:
            found.append((start, amount))
        prev_end, prev_mult = end, mult
    found.extend(_word_amounts(text))
    found.sort(key=lambda item: item[0])
    return [amount for _, amount in found]


def answer_amount(answer: str) -> int | None:
    """The amount in a reporter's answer to "how much money is involved?", in whole rupiah, or None.

    A whole answer in the Indonesian ways, slang and approximations included ("Rp 150.000", "2jtan",
    "sejuta setengah", "sekitar dua ratus jutaan"), is read by lokal-id's parser, which refuses any
    other answer; anything else as `parse_amounts` reads a text about money ("about 2 billion",
    "IDR 1,500,000", "Rp 2 juta per bulan"): the largest amount in it.
    """
    answer = (answer or "").strip()
    if not answer:
        return None
    whole = None if _SPACED_GROUPS_RE.search(answer) else parse_rupiah(answer)  # it reads "Rp 1 000" as 1
    if whole is not None and whole.amount >= 1:
        return int(whole.amount)
    return max(parse_amounts(answer, money=True), default=None)
