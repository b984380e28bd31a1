"""Which body is competent for a report: KPK (UU 19/2019 pasal 11), APIP, police, prosecutors,
Ombudsman or the agency itself. A first-pass suggestion for the analyst, never a decision."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import Entities
from .normalize import normalize_text

__all__ = [
    "KPK_LOSS_THRESHOLD",
    "LAW_ENFORCERS",
    "PENYELENGGARA_NEGARA",
    "Jurisdiction",
    "assess_jurisdiction",
]

KPK_LOSS_THRESHOLD = 1_000_000_000  # Rp1 miliar, UU 19/2019 pasal 11 ayat (1) huruf b

#: Aparat penegak hukum.
LAW_ENFORCERS: frozenset[str] = frozenset({"polisi", "jaksa", "hakim"})
#: Penyelenggara negara per UU 28/1999 pasal 2 and its elucidation (strategic officials included).
PENYELENGGARA_NEGARA: frozenset[str] = frozenset(
    {
        "menteri",
        "gubernur",
        "bupati",
        "wali_kota",
        "hakim",
        "jaksa",
        "direksi_bumn",
        "direksi_bumd",
        "anggota_dpr",
        "anggota_dprd",
        "anggota_bpk",
        "pejabat_eselon_i",
        "rektor",
        "panitera",
        "ppk",
    }
)
#: Government officials and employees whose misconduct the agency's inspectorate (APIP) examines.
GOVERNMENT_STAFF: frozenset[str] = frozenset(
    {
        "asn",
        "kepala_dinas",
        "kepala_badan",
        "kepala_bidang",
        "kepala_seksi",
        "kepala_kantor",
        "kepala_uptd",
        "camat",
        "lurah",
        "kepala_desa",
        "perangkat_desa",
        "sekda",
        "kepala_sekolah",
        "guru",
        "dosen",
        "kepala_puskesmas",
        "bendahara",
        "pejabat_pengadaan",
        "kepala_bpn",
        "petugas_pajak",
        "petugas_bea_cukai",
        "satpol_pp",
        "pejabat_eselon",
        "direktur_rs",
        "dokter",
        "bidan",
        "perawat",
        "inspektur",
        "petugas_lapas",
        "pendamping_desa",
        "pendamping_sosial",
    }
)
_CORRUPTION = re.compile(
    r"\b(korupsi|suap|menyuap|disuap|sogok\w*|pungli|pungutan liar|pungutan|dipungut|memungut|gratifikasi|"
    r"pemerasan|memeras|diperas|penggelapan|menggelapkan|digelapkan|mark ?up|penyelewengan|menyelewengkan|"
    r"diselewengkan|penyalahgunaan|menyalahgunakan|disalahgunakan|fiktif|kerugian negara|kerugian keuangan|"
    r"minta uang|meminta uang|diminta uang|menerima uang|uang pelicin|uang rokok|uang damai|fee|komisi|"
    r"setoran|upeti|dipotong|potongan|memotong|jual beli jabatan|kolusi|nepotisme|kkn|kickback|"
    r"mengarahkan pemenang|pengaturan tender|persekongkolan|bagi bagi|tidak disalurkan|mangkrak)\b"
)
_MALADMIN = re.compile(
    r"\b(lambat|berlarut|dipersulit|mempersulit|tidak dilayani|tidak ditanggapi|tidak direspon|diskriminasi|"
    r"tidak sesuai prosedur|penyimpangan prosedur|tidak kompeten|sewenang wenang|penundaan|diabaikan|"
    r"tidak ada kejelasan|tidak jelas|dilempar|ditolak)\b"
)
_STATE_FUNDS = re.compile(
    r"\b(dana desa|anggaran|apbd|apbn|proyek|pengadaan|tender|lelang|bansos|bantuan|hibah|dana bos|"
    r"keuangan negara|kas desa|kas daerah)\b"
)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Suggested competent body with the reasons behind it."""

    kpk_competent: bool
    competent_body: str  # "kpk", "apip", "kepolisian", "kejaksaan", "ombudsman" or "instansi"
    reasons: tuple[str, ...]
    max_amount: int


def _rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def _words(positions: list[str]) -> str:
    """Position keys as an officer reads them: "kepala_desa" -> "kepala desa"."""
    return ", ".join(p.replace("_", " ") for p in positions)


def _kpk_reasons(ent: Entities, corruption: bool, max_amount: int) -> list[str]:
    reasons: list[str] = []
    if not corruption:
        return reasons
    enforcers = sorted(set(ent.positions) & LAW_ENFORCERS)
    officials = sorted((set(ent.positions) & PENYELENGGARA_NEGARA) - LAW_ENFORCERS)
    if enforcers:
        reasons.append(
            "Melibatkan aparat penegak hukum (" + _words(enforcers) + "): KPK berwenang menurut "
            "UU 19/2019 pasal 11 ayat (1) huruf a."
        )
    if officials:
        reasons.append(
            "Melibatkan penyelenggara negara menurut UU 28/1999 ("
            + _words(officials)
            + "): KPK berwenang "
            "menurut UU 19/2019 pasal 11 ayat (1) huruf a."
        )
    if max_amount >= KPK_LOSS_THRESHOLD:
        reasons.append(
            f"Nilai yang disebut ({_rupiah(max_amount)}) mencapai paling sedikit Rp1.000.000.000: "
            "KPK berwenang menurut UU 19/2019 pasal 11 ayat (1) huruf b."
        )
    return reasons


def _outside_kpk(max_amount: int) -> str:
    """Why the commission is not competent: below the threshold only when an amount was read."""
    if max_amount > 0:
        return (
            f"Tidak ada aparat penegak hukum atau penyelenggara negara yang disebut dan nilai yang disebut "
            f"({_rupiah(max_amount)}) di bawah Rp1.000.000.000, sehingga di luar kewenangan KPK menurut "
            "UU 19/2019 pasal 11."
        )
    return (
        "Tidak ada aparat penegak hukum atau penyelenggara negara yang disebut dan laporan tidak menyebut "
        "nilai kerugian, sehingga menurut isinya di luar kewenangan KPK menurut UU 19/2019 pasal 11 "
        "(ditinjau kembali bila nilainya ternyata mencapai Rp1.000.000.000)."
    )


def _other_body(ent: Entities, words: str, corruption: bool, max_amount: int) -> tuple[str, list[str]]:
    staff = sorted(set(ent.positions) & GOVERNMENT_STAFF)
    limit = _outside_kpk(max_amount)
    if corruption and staff:
        return "apip", [
            limit,
            "Melibatkan aparatur pemerintah (" + _words(staff) + "): ditangani terlebih "
            "dahulu oleh APIP (inspektorat) instansi terkait, yang dapat meneruskan ke kejaksaan.",
        ]
    if corruption:
        if _STATE_FUNDS.search(words):
            return "kejaksaan", [
                limit,
                "Dugaan tindak pidana korupsi atas keuangan negara/daerah: kejaksaan.",
            ]
        return "kepolisian", [limit, "Dugaan tindak pidana tanpa pejabat yang disebut: kepolisian."]
    if _MALADMIN.search(words):
        return "ombudsman", [
            "Tidak ada indikasi tindak pidana korupsi; dugaan maladministrasi pelayanan "
            "publik menjadi kewenangan Ombudsman RI (UU 37/2008)."
        ]
    return "instansi", [
        "Tidak ada indikasi tindak pidana korupsi: keluhan pelayanan publik ditangani "
        "instansi penyelenggara layanan."
    ]


def assess_jurisdiction(entities: Entities, text: str = "") -> Jurisdiction:
    """Suggest the competent body for a report from its entities and text."""
    words = normalize_text(text)
    max_amount = max(entities.amounts, default=0)
    corruption = bool(_CORRUPTION.search(words)) or (
        max_amount > 0
        and bool(set(entities.positions) & (PENYELENGGARA_NEGARA | GOVERNMENT_STAFF | LAW_ENFORCERS))
        and bool(re.search(r"\b(uang|bayar|membayar|dibayar|biaya|dana|kerugian|anggaran)\b", words))
    )
    reasons = _kpk_reasons(entities, corruption, max_amount)
    if reasons:
        return Jurisdiction(True, "kpk", tuple(reasons), max_amount)
    body, other = _other_body(entities, words, corruption, max_amount)
    return Jurisdiction(False, body, tuple(other), max_amount)
