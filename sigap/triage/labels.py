"""Words for the codes that triage stores (categories, sectors, 5W2H elements, kinds of shared
evidence), in the page's language: an officer reads "Suap-menyuap" or "Bribery", never "suap"."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sigap.triage.lib.taxonomy import CATEGORIES, SECTORS, Category, Sector

ELEMENTS = {
    "apa": _("what"),
    "siapa": _("who"),
    "di_mana": _("where"),
    "kapan": _("when"),
    "bagaimana": _("how"),
    "berapa": _("how much"),
    "bukti": _("evidence"),
}

# What two reports share (`dedup.compare`'s evidence kinds); ID kinds are "id_<kind>".
SHARED = {
    "address": _("numbered address"),
    "street": _("street"),
    "rt_rw": _("RT/RW"),
    "place": _("place"),
    "object": _("object"),
    "object_at_place": _("same object at the same place"),
    "official": _("official"),
    "person": _("person"),
    "link": _("website"),
    "exact_sum": _("exact sum"),
    "amount": _("amount"),
    "period": _("period"),
}
ID_KINDS = {
    "nik": _("NIK"),
    "phone": _("phone number"),
    "plate": _("number plate"),
    "number": _("ID or account number"),
}


def _english() -> bool:
    return (get_language() or "id").startswith("en")


def _taxonomy_label(entries: Mapping[str, Category | Sector], key: str) -> str:
    found = entries.get(key)
    if found is None:
        return key
    return found.label_en if _english() else found.label_id


def category_label(key: str) -> str:
    return _taxonomy_label(CATEGORIES, key)


def sector_label(key: str) -> str:
    return _taxonomy_label(SECTORS, key)


def element_label(key: str) -> str:
    return str(ELEMENTS.get(key, key))


def shared_label(kind: str) -> str:
    if kind.startswith("id_"):
        label = kind.removeprefix("id_")
        known = ID_KINDS.get(label)
        return str(known) if known is not None else str(_("ID number ({label})")).format(label=label)
    return str(SHARED.get(kind, kind))
