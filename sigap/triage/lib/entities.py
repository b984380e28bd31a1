"""Entity extraction from complaint texts: amounts, positions, officials, institutions, persons, IDs,
addresses, places, dates, periods and salient public objects. Pure library, no Django."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from typing import Any

from .gazetteer import locate
from .normalize import addressee_spans, addressee_words, normalize_text, parse_amounts

__all__ = ["OBJECTS", "POSITIONS", "Entities", "extract_entities"]


@dataclass(frozen=True, slots=True)
class Entities:
    """Entities of one report; every field is a sorted, deduplicated tuple (places: best first)."""

    amounts: tuple[int, ...] = ()
    positions: tuple[str, ...] = ()
    officials: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, list[Any]]:
        """JSON-serialisable form."""
        return {k: list(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entities:
        """Inverse of ``to_dict``; unknown keys are ignored, missing ones are empty. Objects stored
        under a name that is now a synonym ("lampu jalan") are read under today's key ("pju"), so
        stored and new reports about one object still share it."""
        names = {f.name for f in fields(cls)}
        values = {k: tuple(v or ()) for k, v in data.items() if k in names}
        if "objects" in values:
            values["objects"] = tuple(sorted({OBJECTS.get(o, o) for o in values["objects"]}))
        return cls(**values)

    @property
    def max_amount(self) -> int:
        return max(self.amounts, default=0)


# Normalised phrase -> canonical position key. Matched on normalize_text output (abbreviations expanded).
POSITIONS: dict[str, str] = {
    "kepala dinas": "kepala_dinas",
    "kadis": "kepala_dinas",
    # heads of a dinas by its short name ("Kadinkes", "Kadisdik", "Kadishub")
    "kadinkes": "kepala_dinas",
    "kadisdik": "kepala_dinas",
    "kadishub": "kepala_dinas",
    "kadinsos": "kepala_dinas",
    "kadisdukcapil": "kepala_dinas",
    "kadispenduk": "kepala_dinas",
    "kadisnaker": "kepala_dinas",
    "kadisperkim": "kepala_dinas",
    "kadispora": "kepala_dinas",
    "kadisbud": "kepala_dinas",
    "kadistan": "kepala_dinas",
    "kepala badan": "kepala_badan",
    "kepala bidang": "kepala_bidang",
    "kabid": "kepala_bidang",
    "kepala seksi": "kepala_seksi",
    "kasi": "kepala_seksi",
    "kepala kantor": "kepala_kantor",
    "kepala uptd": "kepala_uptd",
    "camat": "camat",
    "lurah": "lurah",
    "kepala kelurahan": "lurah",
    "kepala desa": "kepala_desa",
    "kades": "kepala_desa",
    "kuwu": "kepala_desa",
    "perangkat desa": "perangkat_desa",
    "sekretaris desa": "perangkat_desa",
    "sekdes": "perangkat_desa",
    "kadus": "perangkat_desa",
    "kepala dusun": "perangkat_desa",
    "kaur": "perangkat_desa",
    "bupati": "bupati",
    "wakil bupati": "bupati",
    "wabup": "bupati",
    "wali kota": "wali_kota",
    "wakil wali kota": "wali_kota",
    "wawali": "wali_kota",
    "gubernur": "gubernur",
    "wakil gubernur": "gubernur",
    "wagub": "gubernur",
    "bapak gub": "gubernur",
    "bapak gubernur": "gubernur",
    "ppk": "ppk",
    "pejabat pembuat komitmen": "ppk",
    "kepala sekolah": "kepala_sekolah",
    "kasek": "kepala_sekolah",
    "asn": "asn",
    "pns": "asn",
    "pegawai negeri": "asn",
    "aparatur sipil negara": "asn",
    "pppk": "asn",
    "p3k": "asn",
    # a public office's staff named by the office ("petugas dukcapil minta uang")
    "petugas dukcapil": "asn",
    "pegawai dukcapil": "asn",
    "petugas kelurahan": "asn",
    "pegawai kelurahan": "asn",
    "petugas kecamatan": "asn",
    "pegawai kecamatan": "asn",
    "petugas dishub": "asn",
    "pegawai dishub": "asn",
    "pegawai bpn": "asn",
    "petugas bpn": "asn",
    "pegawai dinas": "asn",
    "petugas samsat": "asn",
    "polisi": "polisi",
    "polantas": "polisi",
    "polisi lalu lintas": "polisi",
    "oknum polisi": "polisi",
    "polres": "polisi",
    "polsek": "polisi",
    "polda": "polisi",
    "kapolsek": "polisi",
    "kapolres": "polisi",
    "kapolda": "polisi",
    "kanit": "polisi",
    "kasat": "polisi",
    "kasatlantas": "polisi",
    "kasatreskrim": "polisi",
    "kasatreskoba": "polisi",
    "kasatsabhara": "polisi",
    "penyidik": "polisi",
    "brimob": "polisi",
    "bhabinkamtibmas": "polisi",
    "jaksa": "jaksa",
    "kajari": "jaksa",
    "kajati": "jaksa",
    "kepala kejaksaan": "jaksa",
    "hakim": "hakim",
    "ketua pengadilan": "hakim",
    "direksi bumn": "direksi_bumn",
    "direktur utama": "direksi_bumn",
    "dirut": "direksi_bumn",
    "direktur bumn": "direksi_bumn",
    "direktur bumd": "direksi_bumd",
    "direksi bumd": "direksi_bumd",
    "anggota dprd": "anggota_dprd",
    "dprd": "anggota_dprd",
    "anggota dewan": "anggota_dprd",
    "ketua dprd": "anggota_dprd",
    "anggota dpr": "anggota_dpr",
    "menteri": "menteri",
    "wakil menteri": "menteri",
    "sekda": "sekda",
    "sekretaris daerah": "sekda",
    "kepala bpn": "kepala_bpn",
    "kepala kantor pertanahan": "kepala_bpn",
    "pejabat pengadaan": "pejabat_pengadaan",
    "pokja": "pejabat_pengadaan",
    "ulp": "pejabat_pengadaan",
    "panitia lelang": "pejabat_pengadaan",
    "bendahara": "bendahara",
    "kepala puskesmas": "kepala_puskesmas",
    "kapus": "kepala_puskesmas",
    "guru": "guru",
    "dosen": "dosen",
    "rektor": "rektor",
    "panitera": "panitera",
    "petugas pajak": "petugas_pajak",
    "pegawai pajak": "petugas_pajak",
    "fiskus": "petugas_pajak",
    "petugas bea cukai": "petugas_bea_cukai",
    "bea cukai": "petugas_bea_cukai",
    "tni": "tni",
    "oknum tni": "tni",
    "tentara": "tni",
    "babinsa": "tni",
    "danramil": "tni",
    "satpol pp": "satpol_pp",
    "rt": "ketua_rt",
    "ketua rt": "ketua_rt",
    "ketua rw": "ketua_rw",
    "pendamping pkh": "pendamping_sosial",
    "pendamping desa": "pendamping_desa",
    "inspektur": "inspektur",
    "kepala rumah sakit": "direktur_rs",
    "direktur rsud": "direktur_rs",
    "dokter": "dokter",
    "bidan": "bidan",
    "perawat": "perawat",
    "kontraktor": "kontraktor",
    "pemborong": "kontraktor",
    "rekanan": "kontraktor",
    "konsultan pengawas": "konsultan",
    "notaris": "notaris",
    "ppat": "notaris",
    "juru sita": "panitera",
    "sipir": "petugas_lapas",
    "kalapas": "petugas_lapas",
    "kepala lapas": "petugas_lapas",
    "pejabat eselon": "pejabat_eselon",
    "eselon i": "pejabat_eselon_i",
    "dirjen": "pejabat_eselon_i",
    "direktur jenderal": "pejabat_eselon_i",
    "sekjen": "pejabat_eselon_i",
    "irjen": "pejabat_eselon_i",
    "inspektur jenderal": "pejabat_eselon_i",
    "anggota bpk": "anggota_bpk",
    # The same in English (a report written in English or half in it): names that are only titles.
    "village head": "kepala_desa",
    "head of the village": "kepala_desa",
    "regent": "bupati",
    "deputy regent": "bupati",
    # not "mayor" alone: an Indonesian army rank and part of street names (Jalan Tambak Mayor)
    "the mayor": "wali_kota",
    "city mayor": "wali_kota",
    "deputy mayor": "wali_kota",
    "governor": "gubernur",
    "deputy governor": "gubernur",
    "minister": "menteri",
    "police officer": "polisi",
    "police officers": "polisi",
    "policeman": "polisi",
    "policemen": "polisi",
    "traffic police": "polisi",
    "prosecutor": "jaksa",
    "prosecutors": "jaksa",
    # not "judge" alone: slang for judging someone ("di-judge")
    "the judge": "hakim",
    "a judge": "hakim",
    "the judges": "hakim",
    "school principal": "kepala_sekolah",
    "headmaster": "kepala_sekolah",
    "civil servant": "asn",
    "civil servants": "asn",
    "treasurer": "bendahara",
    "head of the agency": "kepala_dinas",
    "head of department": "kepala_dinas",
    "head of the department": "kepala_dinas",
    "tax officer": "petugas_pajak",
    "customs officer": "petugas_bea_cukai",
    "commitment making officer": "ppk",
}
# Names of institutions (normalised) -> canonical institution name.
INSTITUTIONS: dict[str, str] = {
    "dinas pendidikan": "dinas pendidikan",
    "disdik": "dinas pendidikan",
    "diknas": "dinas pendidikan",
    "dinas kesehatan": "dinas kesehatan",
    "dinkes": "dinas kesehatan",
    "dinas pupr": "dinas pupr",
    "dinas pu": "dinas pupr",
    "dinas pekerjaan umum": "dinas pupr",
    "pupr": "dinas pupr",
    "dinas sosial": "dinas sosial",
    "dinsos": "dinas sosial",
    "dinas perhubungan": "dinas perhubungan",
    "dishub": "dinas perhubungan",
    "dinas kependudukan": "dinas dukcapil",
    "dispendukcapil": "dinas dukcapil",
    "dukcapil": "dinas dukcapil",
    "disdukcapil": "dinas dukcapil",
    "dinas lingkungan hidup": "dinas lingkungan hidup",
    "dlh": "dinas lingkungan hidup",
    "dkrth": "dinas lingkungan hidup",
    "bpn": "bpn",
    "badan pertanahan": "bpn",
    "kantor pertanahan": "bpn",
    "atr bpn": "bpn",
    "polres": "polres",
    "polresta": "polres",
    "polrestabes": "polres",
    "polsek": "polsek",
    "polda": "polda",
    "polri": "polri",
    "kejaksaan negeri": "kejaksaan negeri",
    "kejari": "kejaksaan negeri",
    "kejaksaan tinggi": "kejaksaan tinggi",
    "kejati": "kejaksaan tinggi",
    "kejaksaan": "kejaksaan negeri",
    "pengadilan negeri": "pengadilan negeri",
    "rsud": "rsud",
    "rumah sakit umum daerah": "rsud",
    "rumah sakit": "rumah sakit",
    "puskesmas": "puskesmas",
    "sekolah": "sekolah",
    "sd": "sekolah",
    "smp": "sekolah",
    "sma": "sekolah",
    "smk": "sekolah",
    "sdn": "sekolah",
    "smpn": "sekolah",
    "sman": "sekolah",
    "smkn": "sekolah",
    "madrasah": "madrasah",
    "universitas": "universitas",
    "pemerintah kabupaten": "pemkab",
    "pemerintah kota": "pemkot",
    "pemerintah provinsi": "pemprov",
    "pemerintah desa": "pemerintah desa",
    "kantor desa": "pemerintah desa",
    "balai desa": "pemerintah desa",
    "kantor kecamatan": "kecamatan",
    "kantor kelurahan": "kelurahan",
    "bpbd": "bpbd",
    "bappeda": "bappeda",
    "bpkad": "bpkad",
    "bapenda": "bapenda",
    "samsat": "samsat",
    "kantor pajak": "kantor pajak",
    "kpp": "kantor pajak",
    "bea cukai": "bea cukai",
    "imigrasi": "imigrasi",
    "kua": "kua",
    "kemenag": "kementerian agama",
    "kementerian agama": "kementerian agama",
    "bpjs": "bpjs",
    "bpjs kesehatan": "bpjs",
    "pln": "pln",
    "pdam": "pdam",
    "pertamina": "pertamina",
    "satpol pp": "satpol pp",
    "inspektorat": "inspektorat",
    "dprd": "dprd",
    "kpu": "kpu",
    "bawaslu": "bawaslu",
    "lapas": "lapas",
    "rutan": "lapas",
    "kodim": "tni",
    "koramil": "tni",
    "pelindo": "pelindo",
    "telkom": "telkom",
    "bank": "bank",
    "bumdes": "bumdes",
    "koperasi": "koperasi",
}
# Salient public objects (normalised phrase -> key).
OBJECTS: dict[str, str] = {
    k: k
    for k in (
        "website",
        "aplikasi",
        "jalan rusak",
        "jalan berlubang",
        "sampah",
        "jembatan",
        "lampu jalan",
        "lampu penerangan",
        "pju",
        "saluran",
        "got",
        "drainase",
        "selokan",
        "pohon",
        "parkir",
        "parkir liar",
        "bansos",
        "bantuan sosial",
        "blt",
        "pkh",
        "dana desa",
        "add",
        "pppk",
        "ppdb",
        "zonasi",
        "beasiswa",
        "kip",
        "bos",
        "dana bos",
        "bpjs",
        "kis",
        "ktp",
        "e ktp",
        "kk",
        "kartu keluarga",
        "akta kelahiran",
        "sertifikat",
        "sertifikat tanah",
        "imb",
        "pbg",
        "izin",
        "perizinan",
        "pajak",
        "pbb",
        "retribusi",
        "banjir",
        "genangan",
        "trotoar",
        "pedagang kaki lima",
        "pkl",
        "air pdam",
        "air bersih",
        "listrik",
        "pasar",
        "terminal",
        "angkot",
        "bus",
        "rumah sakit",
        "ambulans",
        "obat",
        "vaksin",
        "stunting",
        "posyandu",
        "pengadaan",
        "tender",
        "lelang",
        "proyek",
        "anggaran",
        "honor",
        "gaji",
        "tunjangan",
        "seragam",
        "buku",
        "pungutan",
        "pungli",
        "sumbangan",
        "uang komite",
        "raskin",
        "beras",
        "pupuk",
        "subsidi",
        "solar",
        "lpg",
        "gas",
        "tanah",
        "lahan",
        "rumah dinas",
        "mobil dinas",
        "kendaraan dinas",
        "perjalanan dinas",
        "spj",
        "kwitansi",
        "tilang",
        "sim",
        "stnk",
        "rekrutmen",
        "cpns",
        "mutasi",
        "promosi jabatan",
        "jual beli jabatan",
        "gratifikasi",
        "suap",
        "kolam",
        "taman",
        "makam",
        "bau",
        "limbah",
        "polusi",
        "kebisingan",
        "asap",
        "tower",
        "reklame",
        "baliho",
        "kabel",
        "tiang listrik",
        "sungai",
        "tanggul",
        "irigasi",
        "sumur",
        "toilet",
        "wc",
        "masjid",
        "balai desa",
        "gedung sekolah",
        "atap",
        "plafon",
        "bangunan liar",
        "kios",
        "jalan tol",
        "bedah rumah",
        "rutilahu",
        "sembako",
        "pmks",
    )
}
# Names of one object (the key the others map to): a street light reported as "PJU" and as "lampu
# jalan" is one object, so is a drain called "got", "selokan" or "saluran".
_OBJECT_SYNONYMS = {
    "pju": ("lampu jalan", "lampu penerangan"),
    "saluran": ("got", "drainase", "selokan", "gorong gorong"),
    "jalan rusak": ("jalan berlubang", "aspal", "paving"),
    # persons with social welfare problems (PMKS), the social agency's matter
    "pmks": ("odgj", "gelandangan", "pengemis", "anak jalanan", "anjal", "manusia gerobak"),
    "parkir": ("parkir liar",),
    "bansos": ("bantuan sosial",),
    "pkl": ("pedagang kaki lima",),
    "kk": ("kartu keluarga",),
    "ktp": ("e ktp",),
    "bos": ("dana bos",),
    "izin": ("perizinan",),
    "pbg": ("imb",),
    "air bersih": ("air pdam",),
    "mobil dinas": ("kendaraan dinas",),
}
OBJECTS.update({name: key for key, names in _OBJECT_SYNONYMS.items() for name in names})

_MAX_PHRASE = 4
_PERSON_TITLES = frozenset(
    {
        "bapak",
        "ibu",
        "sdr",
        "sdri",
        "saudara",
        "saudari",
        "an",
        "atas nama",
        "pak",
        "bu",
        "bpk",
        "tuan",
        "nyonya",
        "mas",
        "mbak",
        "haji",
        "hj",
        "h",
        "dr",
        "ir",
        "drs",
    }
)
_NAME_STOP = frozenset(
    {
        "Kepala",
        "Dinas",
        "Camat",
        "Lurah",
        "Desa",
        "Kota",
        "Kabupaten",
        "Kecamatan",
        "Kelurahan",
        "Jalan",
        "Jl",
        "Rp",
        "Yth",
        "Dengan",
        "Hormat",
        "Saya",
        "Kami",
        "Yang",
        "Di",
        "Dan",
        "Ke",
        "Dari",
        "Pada",
        "Tidak",
        "Bapak",
        "Ibu",
        "Pak",
        "Bu",
        "Sdr",
        "Oknum",
        "Polisi",
        "Guru",
        "Ketua",
        "Sekolah",
        "Pemkab",
        "Pemkot",
        "Mohon",
        "Tolong",
        "Bupati",
        "Gubernur",
        "Selaku",
        "Sebagai",
        "Adalah",
        "Itu",
        "Ini",
        "Tersebut",
        "Untuk",
    }
)
_NAME_RE = re.compile(
    r"\b(?:Bapak|Bpk|Pak|Ibu|Bu|Sdr|Sdri|Saudara|Saudari|[Aa]\.?[Nn]\.?|[Aa]tas [Nn]ama)\.?\s+"
    r"((?:(?:H|Hj|Dr|Ir|Drs)\.\s*)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})"
)
_NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")
_NPWP_RE = re.compile(r"(?<!\d)\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?!\d)")
_PHONE_RE = re.compile(r"(?<![\d.])(?:\+?62|0)[\s-]?8\d{1,3}(?:[\s-]?\d{2,4}){2,3}(?![\d.])")
_PLATE_RE = re.compile(r"\b([A-Z]{1,2})\s?(\d{1,4})\s?([A-Z]{1,3})\b")
# A contract or decree number ("027/SPK/2023", "12.3/PL-X/BAST/DINKES/2024"): "/"-separated parts
# with a document kind among them and a year last.  It is looked for only inside runs of the
# characters it can hold, and runs longer than any real number are skipped, so the time spent on it
# stays proportional to the text's length whatever a reporter types.
_CONTRACT_RUN_RE = re.compile(r"[A-Za-z0-9./-]+")
_CONTRACT_MAX_LEN = 120
_CONTRACT_RE = re.compile(
    r"\b\d{1,4}[A-Za-z0-9.-]*(?:/[A-Za-z0-9.-]+)*?/(?:SPK|SPMK|KONTRAK|SP|PPK|SK|BAST|SPJ|PL)"
    r"(?:/[A-Za-z0-9.-]+)*/(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
_STREET_RE = re.compile(
    r"\b(?:jalan|jl|jln|gang|gg)\.?\s+([a-z][a-z ]{1,40}?)(?:\s+(?:no|nomor)\.?\s*(\d+\w?))?"
    r"(?=[,.;\n]|\s+(?:rt|rw|no|kel|kec|desa|kelurahan|kecamatan|kota|kab)\b|$)",
    re.IGNORECASE,
)
_RTRW_RE = re.compile(r"\brt\.?\s*0*(\d{1,3})\s*(?:/|,|\s)\s*(?:rw\.?\s*)?0*(\d{1,3})\b", re.IGNORECASE)
# An RT or an RW named alone ("kerja bakti warga RW 02"): "rt3" or "rw2".
_RT_OR_RW_RE = re.compile(r"\b(rt|rw)\.?\s*0*(\d{1,3})\b(?!\s*[/.,]\s*\d)", re.IGNORECASE)
_BLOK_RE = re.compile(r"\bblok\s+([a-z]{0,2}\s?\d{0,3}[a-z]?)\b", re.IGNORECASE)
_MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agust": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_WORDS_RE = re.compile(rf"\b(?:(\d{{1,2}})\s+)?({_MONTH_ALT})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_DATE_NUM_RE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?![\d/])")
_DATE_ISO_RE = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
_PERIOD_RANGE_RE = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|s/d|sd|sampai|hingga)\s*((?:19|20)\d{2})\b")
_PERIOD_YEAR_RE = re.compile(
    r"\b(?:tahun anggaran|ta|tahun|thn|th|anggaran|sejak|semenjak|mulai)\.?\s*((?:19|20)\d{2})\b"
    r"(?!\s*(?:rupiah|ribu|rb|juta|jt|perak|,-|\.-))",  # "tarif mulai 2000 rupiah" is a price
    re.IGNORECASE,
)
_THIS_YEAR = __import__("datetime").date.today().year
# "tgl 3/4/23": a two-digit year, read only after a word for date
_DATE_SHORT_YEAR_RE = re.compile(
    r"\b(?:tgl|tanggal|tangal|tg)\.?\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})(?![\d/])(?![.-]\d)", re.IGNORECASE
)


def _phrase_hits(words: list[str], table: dict[str, str]) -> set[str]:
    """Longest-match lookup of 1..4-word phrases of ``words`` in ``table``."""
    out: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            if key in table:
                out.add(table[key])
                i += n
                break
        else:
            i += 1
    return out


_TITLES = frozenset(POSITIONS)  # a title after the addressee's name is the addressee's (normalize)

# Between two positions named in the addressee, a word that joins them: both are addressed
# ("Bapak Bupati dan Ketua DPRD", "Kepala Dinas c.q. Kepala Bidang").
_ADDRESSEE_JOINS = frozenset({"dan", "serta", "atau", "cq", "qq", "up", "q", "p", "selaku"})


def _positions(
    words: list[str], addressed: list[range] | None = None
) -> tuple[set[str], list[tuple[int, str]]]:
    """Position keys and (end index, key) of every position mention, but those naming a letter's
    addressee (`addressed`: word ranges): in "Kepada Yth. Bapak Gubernur Lampung, ..." the
    governor is who reads the report, not who is reported."""
    found: set[str] = set()
    spans: list[tuple[int, str]] = []
    ranges = iter(addressed or ())
    current = next(ranges, None)
    joined_from = -1  # in the current addressee, where the last addressed position ended
    i = 0
    while i < len(words):
        while current is not None and i >= current.stop:
            current, joined_from = next(ranges, None), -1
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            pos = POSITIONS.get(key)
            if pos and not (key == "rt" and i + 1 < len(words) and words[i + 1].isdigit()):
                if current is not None and i in current and (
                    joined_from < 0 or _ADDRESSEE_JOINS.intersection(words[joined_from:i])
                ):
                    joined_from = i + n  # the addressee (the first position in it, and those joined)
                else:
                    found.add(pos)
                    spans.append((i + n, pos))
                i += n
                break
        else:
            i += 1
    return found, spans


# A title before a name, or alone after "Pak", is nobody's name ("Pak Kadus minta duit", "Pak Kades
# Budi": Budi). Not titles that are given names too ("Lukman Hakim", "Pak Guru" may be Mr Guru).
_TITLE_ABBREVIATIONS = frozenset({
    "kadus", "kades", "kasek", "kepsek", "kadis", "camat", "lurah", "sekdes", "kapolsek", "kapolres",
    "kapolda",
    "kasat", "kasatlantas", "kasatreskrim", "kanit", "kasi", "kabid", "sekda", "wabup", "wagub", "wawali",
    "kuwu", "kaur", "kapus", "kajari", "kajati", "kalapas", "dirut", "dirjen", "sekjen", "irjen",
} | {k for k in POSITIONS if k.startswith("kadi") and " " not in k})


def _persons(text: str, addressed: list[tuple[int, int]] | None = None) -> set[str]:
    """Names after a title ("Bapak Budi Santoso"), but those named only as a letter's addressee
    (`addressed`: character spans)."""
    out: set[str] = set()
    for m in _NAME_RE.finditer(text):
        at = m.start(1)
        in_addressee = any(start <= at < end for start, end in addressed or ())
        parts = [p for p in m.group(1).replace(".", " ").split() if p not in _NAME_STOP]
        parts = [p for p in parts if p.lower() not in _PERSON_TITLES]
        while parts and parts[0].lower() in _TITLE_ABBREVIATIONS:
            parts = parts[1:]  # "Pak Kades Budi": Budi
        if parts and not any(p in _NAME_STOP for p in parts[:1]) and not in_addressee:
            out.add(" ".join(parts).lower())
    return out


def _officials(words: list[str], spans: list[tuple[int, str]], persons: set[str]) -> set[str]:
    """Position + following name ("kepala_desa:budi santoso") when a known person name follows."""
    out: set[str] = set()
    by_first: dict[str, list[tuple[str, list[str]]]] = {}  # looked up by word: linear in a long list
    for person in persons:
        p = person.split()
        by_first.setdefault(p[0], []).append((person, p))
    for end, pos in spans:
        tail = words[end : end + 7]
        for k, word in enumerate(tail):
            for person, p in by_first.get(word, ()):
                if tail[k : k + len(p)] == p:
                    out.add(f"{pos}:{person}")
    return out


def _id_numbers(text: str) -> set[str]:
    out: set[str] = {m.group(0) for m in _NIK_RE.finditer(text)}
    out |= {re.sub(r"\D", "", m.group(0)) for m in _NPWP_RE.finditer(text)}
    for m in _PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        digits = "62" + digits[1:] if digits.startswith("0") else digits
        if 10 <= len(digits) <= 15:
            out.add(digits)
    for m in _PLATE_RE.finditer(text):
        if m.group(1) not in ("RT", "RW", "NO", "RP", "KM", "SD", "SK") and not m.group(3).isdigit():
            out.add(f"{m.group(1)}{m.group(2)}{m.group(3)}".lower())
    for run in _CONTRACT_RUN_RE.finditer(text):
        if "/" in run.group(0) and len(run.group(0)) <= _CONTRACT_MAX_LEN:
            out |= {m.group(0).upper() for m in _CONTRACT_RE.finditer(run.group(0))}
    return out


def _addresses(text: str) -> set[str]:
    out: set[str] = set()
    for m in _STREET_RE.finditer(text):
        name = " ".join(m.group(1).lower().split())
        out.add(f"jalan {name} {m.group(2).lower()}" if m.group(2) else f"jalan {name}")
    paired = []
    for m in _RTRW_RE.finditer(text):
        out.add(f"rt{int(m.group(1))}rw{int(m.group(2))}")
        paired.append(m.span())
    for m in _RT_OR_RW_RE.finditer(text):
        if not any(start <= m.start() < end for start, end in paired):
            out.add(f"{m.group(1).lower()}{int(m.group(2))}")
    for m in _BLOK_RE.finditer(text):
        block = m.group(1).replace(" ", "").lower()
        if block:
            out.add(f"blok {block}")
    return out


def _valid(year: int, month: int, day: int = 1) -> bool:
    import datetime as _dt  # noqa: PLC0415

    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _dates(text: str) -> set[str]:
    out: set[str] = set()
    for m in _DATE_WORDS_RE.finditer(text):
        month, year = _MONTHS[m.group(2).lower()], int(m.group(3))
        if m.group(1) and _valid(year, month, int(m.group(1))):
            out.add(f"{year:04d}-{month:02d}-{int(m.group(1)):02d}")
        elif _valid(year, month):
            out.add(f"{year:04d}-{month:02d}")
    for m in _DATE_NUM_RE.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(year, month, day):
            out.add(f"{year:04d}-{month:02d}-{day:02d}")
    for m in _DATE_SHORT_YEAR_RE.finditer(text):
        day, month, short = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = 2000 + short if short <= _THIS_YEAR % 100 + 1 else 1900 + short  # "98" is 1998
        if _valid(year, month, day):
            out.add(f"{year:04d}-{month:02d}-{day:02d}")
    for m in _DATE_ISO_RE.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(year, month, day):
            out.add(f"{year:04d}-{month:02d}-{day:02d}")
    return out


def _periods(text: str) -> set[str]:
    out = {f"{a}-{b}" for a, b in _PERIOD_RANGE_RE.findall(text) if a < b}
    out |= set(_PERIOD_YEAR_RE.findall(text))
    return out


def extract_entities(text: str, *, region_hint: str | None = None) -> Entities:
    """All entities of a complaint text. ``region_hint`` is the agency's region code (e.g. "35.78")."""
    if not text:
        return Entities()
    text = unicodedata.normalize("NFKC", text)
    words = normalize_text(text).split()
    addressed = addressee_spans(text, titles=_TITLES)
    positions, spans = _positions(words, addressee_words(text, addressed))
    persons = _persons(text, addressed)
    try:
        places = tuple(dict.fromkeys(h.code for h in locate(text, region_hint=region_hint)))
    except Exception:  # noqa: BLE001 - a bad region hint must not break extraction
        places = ()
    return Entities(
        amounts=tuple(sorted(set(parse_amounts(text)))),
        positions=tuple(sorted(positions)),
        officials=tuple(sorted(_officials(words, spans, persons))),
        institutions=tuple(sorted(_institutions(words))),
        persons=tuple(sorted(persons)),
        id_numbers=tuple(sorted(_id_numbers(text))),
        addresses=tuple(sorted(_addresses(text))),
        places=places,
        dates=tuple(sorted(_dates(text))),
        periods=tuple(sorted(_periods(text))),
        objects=tuple(sorted(_phrase_hits(words, OBJECTS))),
    )


_PT_RE = re.compile(r"\b(pt|cv|bumn|bumd|ud)\s+([a-z0-9]+(?:\s+[a-z0-9]+)?)")


def _institutions(words: list[str]) -> set[str]:
    found = _phrase_hits(words, INSTITUTIONS)
    joined = " ".join(words)
    for m in _PT_RE.finditer(joined):
        name = " ".join(w for w in m.group(2).split() if w not in ("yang", "di", "dan", "ke", "dari"))
        if name:
            found.add(f"{m.group(1)} {name}")
    return found
