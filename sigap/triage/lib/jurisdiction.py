"""Which body is competent for a report: KPK (UU 19/2019 pasal 11), APIP, police, prosecutors,
Ombudsman or the agency itself. A first-pass suggestion for the analyst, never a decision."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import Entities
from .normalize import normalize_text, parse_amounts
from .taxonomy import OFFENCE_CATEGORY_KEYS

__all__ = [
    "BODIES",
    "KPK_LOSS_THRESHOLD",
    "LAW_ENFORCERS",
    "PENYELENGGARA_NEGARA",
    "REASON_CODES",
    "Jurisdiction",
    "Reason",
    "assess_jurisdiction",
]

#: The bodies a report can be suggested for.
BODIES = ("kpk", "apip", "kepolisian", "kejaksaan", "ombudsman", "instansi")
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
    r"mengarahkan pemenang|pengaturan tender|persekongkolan|bagi bagi|tidak disalurkan|mangkrak|"
    # the same in English (a report written in English, or half in it)
    # not "corrupt" alone: a damaged file is "corrupt" in Indonesian too
    r"corruption|corrupt (?:officials?|practices?)|bribe\w*|briber\w*|kickbacks?|embezzle\w*|extort\w*|"
    r"marked up|illegal lev\w*|illegal fees?|misappropriat\w*|bid rigging|rigged)\b"
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


# Why a body is suggested: the codes of `Reason`, put into words in the reader's language by the
# application (`sigap.triage.labels.reason_text`), never here.
LAW_ENFORCER = "law_enforcer"  # positions: an aparat penegak hukum is involved (pasal 11 (1) a)
STATE_OFFICIAL = "state_official"  # positions: a penyelenggara negara is involved (pasal 11 (1) a)
LOSS_AT_THRESHOLD = "loss_at_threshold"  # amount: at least Rp1 miliar (pasal 11 (1) b)
BELOW_THRESHOLD = "below_threshold"  # amount: no enforcer or official and the sum is below Rp1 miliar
SAID_BELOW_THRESHOLD = "said_below_threshold"  # amount: "kurang dari 1 M", "hampir Rp1 miliar"
NO_AMOUNT = "no_amount"  # no enforcer or official and no sum named: outside, to be reviewed
GOVERNMENT_STAFF_INVOLVED = "government_staff"  # positions: the agency's inspectorate (APIP) first
STATE_FUNDS = "state_funds"  # corruption of state or regional funds without an official: prosecutors
CRIME_WITHOUT_OFFICIAL = "crime_without_official"  # an offence naming no official: police
MALADMINISTRATION = "maladministration"  # no corruption, a public-service maladministration: Ombudsman
SERVICE_COMPLAINT = "service_complaint"  # no corruption: the agency providing the service
REASON_CODES = frozenset({LAW_ENFORCER, STATE_OFFICIAL, LOSS_AT_THRESHOLD, BELOW_THRESHOLD,
                          SAID_BELOW_THRESHOLD, NO_AMOUNT, GOVERNMENT_STAFF_INVOLVED, STATE_FUNDS,
                          CRIME_WITHOUT_OFFICIAL, MALADMINISTRATION, SERVICE_COMPLAINT})


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind the suggestion: a code, and the positions (keys such as "kepala_desa") or
    the amount (integer rupiah) it is about."""

    code: str
    positions: tuple[str, ...] = ()
    amount: int = 0

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code}
        if self.positions:
            out["positions"] = list(self.positions)
        if self.amount:
            out["amount"] = self.amount
        return out


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Suggested competent body with the reasons behind it."""

    kpk_competent: bool
    competent_body: str  # "kpk", "apip", "kepolisian", "kejaksaan", "ombudsman" or "instansi"
    reasons: tuple[Reason, ...]
    max_amount: int


def _kpk_reasons(ent: Entities, corruption: bool, loss: int) -> list[Reason]:
    if not corruption:
        return []
    reasons: list[Reason] = []
    enforcers = tuple(sorted(set(ent.positions) & LAW_ENFORCERS))
    officials = tuple(sorted((set(ent.positions) & PENYELENGGARA_NEGARA) - LAW_ENFORCERS))
    if enforcers:
        reasons.append(Reason(LAW_ENFORCER, positions=enforcers))
    if officials:
        reasons.append(Reason(STATE_OFFICIAL, positions=officials))
    if loss >= KPK_LOSS_THRESHOLD:
        reasons.append(Reason(LOSS_AT_THRESHOLD, amount=loss))
    return reasons


def _outside_kpk(loss: int, bound: int) -> Reason:
    """Why the commission is not competent: below the threshold only when an amount was read."""
    if bound >= KPK_LOSS_THRESHOLD and bound > loss:
        return Reason(SAID_BELOW_THRESHOLD, amount=bound)
    return Reason(BELOW_THRESHOLD, amount=loss) if loss > 0 else Reason(NO_AMOUNT)


def _other_body(ent: Entities, words: str, corruption: bool, loss: int,
                bound: int) -> tuple[str, list[Reason]]:
    staff = tuple(sorted(set(ent.positions) & GOVERNMENT_STAFF))
    limit = _outside_kpk(loss, bound)
    if corruption and staff:
        return "apip", [limit, Reason(GOVERNMENT_STAFF_INVOLVED, positions=staff)]
    if corruption:
        if _STATE_FUNDS.search(words):
            return "kejaksaan", [limit, Reason(STATE_FUNDS)]
        return "kepolisian", [limit, Reason(CRIME_WITHOUT_OFFICIAL)]
    if _MALADMIN.search(words):
        return "ombudsman", [Reason(MALADMINISTRATION)]
    return "instansi", [Reason(SERVICE_COMPLAINT)]


_MONEY_ASKED = re.compile(
    r"\b(uang|duit|bayar|bayaran|membayar|dibayar|biaya|dana|kerugian|anggaran|minta|meminta|diminta|"
    r"dimintai|setor|menyetor|disetor|setoran|narik|menarik|ditarik)\b"
)
# "kurang dari 1 M", "hampir Rp 1 miliar": the sum named is an upper bound, not the amount
_UPPER_BOUND = re.compile(
    r"\b(?:kurang dari|kurang dr|dibawah|di bawah|tidak sampai|tdk sampai|gak sampai|ga sampai|nggak sampai|"
    r"belum sampai|belum mencapai|tidak mencapai|hampir|nyaris|less than|under|almost|nearly)"
    r"\s+(?:(?:sekitar|kira kira|kurang lebih|\+/?-)\s+)?"
    r"(?=(?:rp|idr)\b|\d|(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|"
    r"seratus|seribu|sejuta|semiliar|semilyar|setengah)\b)",
    re.IGNORECASE,
)


def _bounded_amounts(text: str) -> set[int]:
    """Sums the report says the amount stays under ("kurang dari 1 M", "hampir Rp1 miliar")."""
    bounded: set[int] = set()
    for m in _UPPER_BOUND.finditer(text):
        bounded.update(parse_amounts(text[m.end() : m.end() + 40])[:1])
    return bounded


def assess_jurisdiction(entities: Entities, text: str = "", *, category: str | None = None) -> Jurisdiction:
    """Suggest the competent body for a report from its entities and text. `category`, the
    classification's reading, counts as an offence when it names one (a bribe worded without any of
    the words above: "kasih amplop ke PPK supaya menang")."""
    words = normalize_text(text)
    max_amount = entities.max_amount
    corruption = (
        category in OFFENCE_CATEGORY_KEYS  # the classification's reading counts beside the words
        or bool(_CORRUPTION.search(words))
        or (
            max_amount > 0
            and bool(set(entities.positions) & (PENYELENGGARA_NEGARA | GOVERNMENT_STAFF | LAW_ENFORCERS))
            and bool(_MONEY_ASKED.search(words))
        )
    )
    bounded = _bounded_amounts(text)
    loss = max((a for a in entities.amounts if a not in bounded), default=0)
    bound = max(bounded & set(entities.amounts), default=0)
    reasons = _kpk_reasons(entities, corruption, loss)
    if reasons:
        return Jurisdiction(True, "kpk", tuple(reasons), max_amount)
    body, other = _other_body(entities, words, corruption, loss, bound)
    return Jurisdiction(False, body, tuple(other), max_amount)
