"""Completeness of a report against 5W2H + evidence, with polite follow-up questions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .entities import Entities, extract_entities
from .normalize import normalize_text

__all__ = ["APPLICABLE", "ELEMENTS", "QUESTIONS", "Completeness", "assess_completeness"]

#: Elements in the order they are reported: what, who, where, when, how (modus), how much, evidence.
ELEMENTS: tuple[str, ...] = ("apa", "siapa", "di_mana", "kapan", "bagaimana", "berapa", "bukti")
WEIGHTS: dict[str, float] = {
    "apa": 0.2,
    "siapa": 0.2,
    "di_mana": 0.15,
    "kapan": 0.1,
    "bagaimana": 0.15,
    "berapa": 0.1,
    "bukti": 0.1,
}
QUESTIONS: dict[str, str] = {
    "apa": "Mohon jelaskan peristiwa atau perbuatan apa yang Anda laporkan.",
    "siapa": "Siapa nama dan jabatan pihak yang Anda laporkan?",
    "di_mana": (
        "Di mana peristiwa tersebut terjadi (nama instansi, desa/kelurahan, kecamatan, kabupaten/kota)?"
    ),
    "kapan": "Kapan peristiwa tersebut terjadi (tanggal, bulan, atau tahun)?",
    "bagaimana": "Bagaimana cara atau modus perbuatan tersebut dilakukan?",
    "berapa": "Berapa perkiraan nilai uang atau kerugian yang terkait dengan peristiwa tersebut?",
    "bukti": (
        "Apakah Anda memiliki bukti awal (dokumen, foto, rekaman, kuitansi, atau saksi) "
        "yang dapat dilampirkan?"
    ),
}


#: The elements that a report of a category can be asked for: a request for information, a suggestion
#: or a complaint about a public service names no culprit, sum or modus; every other category (an
#: offence, a breach of ethics, an unknown one) is asked for all of them.
APPLICABLE: dict[str, tuple[str, ...]] = {
    "permintaan_informasi": ("apa", "di_mana"),
    "aspirasi": ("apa", "di_mana"),
    "pelayanan_publik": ("apa", "di_mana", "kapan", "bukti"),
    "maladministrasi": ("apa", "siapa", "di_mana", "kapan", "bukti"),
}


@dataclass(frozen=True, slots=True)
class Completeness:
    """Score 0..1 and the present/missing 5W2H elements with follow-up questions for the missing ones."""

    score: float
    present: tuple[str, ...]
    missing: tuple[str, ...]
    questions: tuple[str, ...]


_ACTS = re.compile(
    r"\b(korupsi|suap\w*|disuap|menyuap|sogok\w*|pungli|pungutan|pungut\w*|dipungut|memungut|gratifikasi|"
    r"pemerasan|memeras|diperas|penggelapan|menggelapkan|digelapkan|mark up|markup|penyelewengan|"
    r"menyelewengkan|diselewengkan|penyalahgunaan|menyalahgunakan|disalahgunakan|fiktif|manipulasi|"
    r"memanipulasi|dipotong|memotong|potongan|meminta uang|minta uang|diminta|menerima uang|rusak|"
    r"tidak (?:dibangun|dikerjakan|diberikan|disalurkan|dilayani|sesuai)|mangkrak|kolusi|nepotisme|"
    r"curang|kecurangan|pemalsuan|dipalsukan|menipu|penipuan|tidak transparan|dijual|jual beli|setoran|"
    r"kerugian|mencuri|pencurian|lambat|dipersulit|mempersulit|pelayanan|banjir|sampah|macet|bocor)\b"
)
_MODUS = re.compile(
    r"\b(dengan cara|caranya|modus\w*|melalui|lewat|memaksa|dipaksa|mengancam|diancam|ditransfer|transfer|"
    r"rekening|kwitansi fiktif|kuitansi fiktif|spj fiktif|mark up|markup|tanpa (?:kwitansi|kuitansi|bukti|"
    r"tender|lelang)|menunjuk langsung|penunjukan langsung|titip\w*|dititipkan|diberikan kepada|"
    r"diserahkan|menyerahkan|dibagi|bagi hasil|potong|dipotong|memotong|dengan alasan|beralasan|supaya|"
    r"agar|jika tidak|kalau tidak|harus membayar|wajib membayar|diminta membayar|meminta|minta)\b"
)
_WHEN = re.compile(
    r"\b(kemarin|tadi|minggu lalu|bulan lalu|tahun lalu|sejak|pada tanggal|tanggal|pagi|siang|sore|malam|"
    r"senin|selasa|rabu|kamis|jumat|sabtu|minggu|hari ini|beberapa hari|(?:19|20)\d{2})\b"
)
_EVIDENCE = re.compile(
    r"\b(bukti|foto|video|rekaman|dokumen|kwitansi|kuitansi|nota|struk|tangkapan layar|screenshot|"
    r"ss|terlampir|lampiran|dilampirkan|saksi|surat|transfer|mutasi rekening|chat|percakapan|salinan|"
    r"fotokopi)\b"
)
_WHO_WORDS = re.compile(r"\b(oknum|pegawai|petugas|pejabat|staf|staff|pengurus|panitia|aparat|pihak)\b")
_WHERE_WORDS = re.compile(
    r"\b(jalan|gang|rt \d+|rw \d+|desa|kelurahan|kecamatan|kabupaten|kota|kantor|dinas)\b"
)


_NEGATED = re.compile(
    r"\b(?:tidak ada|tidak punya|tidak memiliki|belum ada|tanpa|tidak diberi|tidak diberikan)"
    r"(?:\s+\w+){0,2}\s*$"
)


def _has_evidence(words: str) -> bool:
    """An evidence word that is not negated ("tidak ada kwitansi" is no evidence)."""
    return any(
        not _NEGATED.search(words[max(0, m.start() - 40) : m.start()]) for m in _EVIDENCE.finditer(words)
    )


def _present(text: str, words: str, ent: Entities, fields: dict[str, Any]) -> set[str]:
    present: set[str] = set()
    if _ACTS.search(words) or ent.objects:
        present.add("apa")
    if ent.positions or ent.persons or ent.officials or _WHO_WORDS.search(words) or fields.get("who"):
        present.add("siapa")
    if ent.places or ent.addresses or ent.institutions or _WHERE_WORDS.search(words) or fields.get("where"):
        present.add("di_mana")
    if ent.dates or ent.periods or _WHEN.search(words) or fields.get("when"):
        present.add("kapan")
    if _MODUS.search(words):
        present.add("bagaimana")
    if ent.amounts or fields.get("amount"):
        present.add("berapa")
    if _has_evidence(words) or int(fields.get("evidence_count") or 0) > 0:
        present.add("bukti")
    return present


def assess_completeness(
    text: str,
    entities: Entities | None = None,
    *,
    fields: dict[str, Any] | None = None,
    category: str | None = None,
) -> Completeness:
    """Which 5W2H + evidence elements a report carries; ``fields`` are structured form answers
    (keys who, where, when, amount, evidence_count) that count as present. With a ``category``,
    only the elements that apply to it are scored and asked for (`APPLICABLE`)."""
    text = text or ""
    ent = entities if entities is not None else extract_entities(text)
    words = normalize_text(text)
    applicable = APPLICABLE.get(category or "", ELEMENTS)
    present = _present(text, words, ent, fields or {}) & set(applicable)
    if not words.strip() and not fields:
        present = set()
    ordered = tuple(e for e in ELEMENTS if e in present)
    missing = tuple(e for e in ELEMENTS if e in applicable and e not in present)
    score = round(sum(WEIGHTS[e] for e in ordered) / sum(WEIGHTS[e] for e in applicable), 4)
    return Completeness(
        score=min(score, 1.0),
        present=ordered,
        missing=missing,
        questions=tuple(QUESTIONS[e] for e in missing),
    )
