"""The fixed complaint taxonomy: categories (the seven corruption groups of UU 31/1999 jo. UU 20/2001
plus the non-corruption complaints agencies still handle) and sectors (for the titik-rawan map).

Pure data, no Django. Keys are stable identifiers stored in the database; labels are for display.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CATEGORIES",
    "CATEGORY_KEYS",
    "CORRUPTION_CATEGORY_KEYS",
    "OFFENCE_CATEGORY_KEYS",
    "DEFAULT_CATEGORY",
    "SECTORS",
    "SECTOR_KEYS",
    "Category",
    "Sector",
    "category",
    "sector",
]


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label_id: str
    label_en: str
    is_corruption: bool
    #: Articles of UU 31/1999 jo. UU 20/2001 (empty for non-corruption classes).
    articles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sector:
    key: str
    label_id: str
    label_en: str


_CATEGORY_LIST: tuple[Category, ...] = (
    Category(
        "kerugian_keuangan_negara", "Kerugian keuangan negara", "State financial loss", True, ("2", "3")
    ),
    Category(
        "suap", "Suap-menyuap", "Bribery", True,
        ("5", "6", "11", "12a", "12b", "12c", "12d", "13"),
    ),
    Category(
        "penggelapan_jabatan", "Penggelapan dalam jabatan", "Embezzlement in office", True, ("8", "9", "10")
    ),
    Category("pemerasan", "Pemerasan", "Extortion", True, ("12e", "12f", "12g")),
    Category("perbuatan_curang", "Perbuatan curang", "Fraud", True, ("7", "12h")),
    Category(
        "benturan_kepentingan_pengadaan",
        "Benturan kepentingan dalam pengadaan",
        "Conflict of interest in procurement",
        True,
        ("12i",),
    ),
    Category("gratifikasi", "Gratifikasi", "Gratuities", True, ("12B", "12C")),
    Category("pungli", "Pungutan liar", "Illegal levies", False),
    Category("maladministrasi", "Maladministrasi", "Maladministration", False),
    Category("etik_disiplin", "Pelanggaran etik dan disiplin", "Ethics and discipline violation", False),
    Category("pelayanan_publik", "Pengaduan pelayanan publik", "Public-service complaint", False),
    Category("permintaan_informasi", "Permintaan informasi", "Information request", False),
    Category("aspirasi", "Aspirasi", "Suggestion / aspiration", False),
)

_SECTOR_LIST: tuple[Sector, ...] = (
    Sector("pengadaan", "Pengadaan barang dan jasa", "Public procurement"),
    Sector("perizinan", "Perizinan", "Licensing and permits"),
    Sector("dana_desa", "Dana desa", "Village funds"),
    Sector("bansos", "Bantuan sosial", "Social assistance"),
    Sector("pendidikan", "Pendidikan", "Education"),
    Sector("kesehatan", "Kesehatan", "Health"),
    Sector("infrastruktur", "Infrastruktur", "Infrastructure"),
    Sector("adminduk", "Administrasi kependudukan", "Civil registry"),
    Sector("pertanahan", "Pertanahan", "Land"),
    Sector("pajak_bea_cukai", "Pajak, bea dan cukai", "Taxes and customs"),
    Sector("bumn_bumd", "BUMN / BUMD", "State- and region-owned enterprises"),
    Sector("penegakan_hukum", "Penegakan hukum", "Law enforcement"),
    Sector("kepegawaian", "Kepegawaian", "Civil-service personnel"),
    Sector("lingkungan", "Lingkungan hidup", "Environment"),
)

#: key -> Category, in display order.
CATEGORIES: dict[str, Category] = {c.key: c for c in _CATEGORY_LIST}
#: key -> Sector, in display order.
SECTORS: dict[str, Sector] = {s.key: s for s in _SECTOR_LIST}

CATEGORY_KEYS: tuple[str, ...] = tuple(CATEGORIES)
SECTOR_KEYS: tuple[str, ...] = tuple(SECTORS)
CORRUPTION_CATEGORY_KEYS: tuple[str, ...] = tuple(c.key for c in _CATEGORY_LIST if c.is_corruption)
#: Categories that name an offence: the corruption groups and illegal levies.
OFFENCE_CATEGORY_KEYS: frozenset[str] = frozenset(CORRUPTION_CATEGORY_KEYS) | {"pungli"}
#: What the rules answer when a text carries no evidence at all (with a low confidence).
DEFAULT_CATEGORY = "pelayanan_publik"


def category(key: str) -> Category:
    """The category for ``key``; KeyError for an unknown key."""
    return CATEGORIES[key]


def sector(key: str) -> Sector:
    """The sector for ``key``; KeyError for an unknown key."""
    return SECTORS[key]
