"""Words for the codes that triage stores (categories, sectors, 5W2H elements, kinds of shared
evidence, competent bodies and the reasons for them), in the page's language: an officer
reads "Suap-menyuap" or "Bribery", never "suap"."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from lokal.rupiah import format_rupiah

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


# What a report names (`Entities`), in the order an officer reads it.
ENTITY_KINDS = {
    "positions": _("positions"),
    "officials": _("officials named"),
    "institutions": _("institutions"),
    "persons": _("persons"),
    "amounts": _("sums"),
    "dates": _("dates"),
    "periods": _("periods"),
    "id_numbers": _("ID numbers"),
    "addresses": _("addresses"),
}
MAX_ENTITY_VALUES = 8


_RT_RW = re.compile(r"^rt(\d+)rw(\d+)$")


def _entity_value(kind: str, value: object) -> str:
    text = str(value)
    if kind == "amounts" and isinstance(value, int):
        return format_rupiah(value)
    if kind == "positions":
        return text.replace("_", " ")
    if kind == "officials":  # "camat:budi santoso" -> "Budi Santoso (camat)"
        position, _sep, name = text.partition(":")
        return f"{name.title()} ({position.replace('_', ' ')})" if name else text.replace("_", " ")
    if kind == "persons":
        return text.title()
    if kind == "addresses":
        rt_rw = _RT_RW.match(text)
        return f"RT {rt_rw[1]} RW {rt_rw[2]}" if rt_rw else text
    return text


def entity_rows(entities: object) -> list[tuple[str, list[str]]]:
    """(kind in words, values) for each kind of thing a report names: what the officer checks the
    text for, and what a duplicate check compares."""
    if not isinstance(entities, Mapping):
        return []
    rows = []
    for kind, label in ENTITY_KINDS.items():
        values = [_entity_value(kind, v) for v in (entities.get(kind) or ())[:MAX_ENTITY_VALUES]]
        if values:
            rows.append((str(label), values))
    return rows


def shared_rows(shared: object) -> list[tuple[str, list[str]]]:
    """(kind in words, values) of what two reports of one agency share (their stored evidence)."""
    from sigap.triage.lib.gazetteer import region_name

    if not isinstance(shared, Mapping):
        return []
    rows = []
    for kind, values in shared.items():
        shown = [region_name(str(v)) or str(v) if kind == "place" else
                 format_rupiah(int(v)) if kind in ("amount", "exact_sum") and str(v).isdigit() else str(v)
                 for v in (values or ())[:MAX_ENTITY_VALUES]]
        if shown:
            rows.append((shared_label(str(kind)), shown))
    return rows


# The bodies `jurisdiction.assess_jurisdiction` suggests.
BODIES = {
    "kpk": _("KPK (the Corruption Eradication Commission)"),
    "apip": _("APIP (the agency's inspectorate)"),
    "kepolisian": _("Police"),
    "kejaksaan": _("Public prosecutor"),
    "ombudsman": _("Ombudsman RI"),
    "instansi": _("The agency providing the service"),
}

# Why a body is suggested (`jurisdiction.Reason` codes); %(positions)s and %(amount)s are filled in.
REASONS = {
    "law_enforcer": _("A law enforcer is involved (%(positions)s): the commission is competent under "
                      "Law 19/2019 art. 11(1)(a)."),
    "state_official": _("A state official under Law 28/1999 is involved (%(positions)s): the commission is "
                        "competent under Law 19/2019 art. 11(1)(a)."),
    "loss_at_threshold": _("The sum named (%(amount)s) is at least Rp1.000.000.000: the commission is "
                           "competent under Law 19/2019 art. 11(1)(b)."),
    "below_threshold": _("No law enforcer or state official in the sense of Law 28/1999 is named and the sum "
                         "named (%(amount)s) is below Rp1.000.000.000: outside the commission's jurisdiction "
                         "under Law 19/2019 art. 11."),
    "said_below_threshold": _("No law enforcer or state official in the sense of Law 28/1999 is named "
                              "and the report puts the sum under %(amount)s: outside the commission's "
                              "jurisdiction under Law 19/2019 art. 11."),
    "no_amount": _("No law enforcer or state official in the sense of Law 28/1999 is named and the report "
                   "names no loss: on its content, "
                   "outside the commission's jurisdiction under Law 19/2019 art. 11 (to be reviewed if the "
                   "loss turns out to reach Rp1.000.000.000)."),
    "government_staff": _("Government officials are involved (%(positions)s): first handled by the agency's "
                          "inspectorate (APIP), which can pass it on to the prosecutors."),
    "state_funds": _("A suspected corruption offence involving state or regional funds: the prosecutors."),
    "crime_without_official": _("A suspected offence naming no official: the police."),
    "maladministration": _("No sign of a corruption offence; suspected maladministration in a public service "
                           "is for the Ombudsman RI (Law 37/2008)."),
    "service_complaint": _("No sign of a corruption offence: a public-service complaint is handled by the "
                           "agency providing the service."),
}


def body_label(key: str) -> str:
    return str(BODIES.get(key, key.upper()))


def reason_text(reason: object) -> str:
    """A stored reason in words: a code with its positions or amount; a text as it was stored (results
    triaged before the reasons became codes)."""
    if isinstance(reason, str):
        return reason
    if not isinstance(reason, Mapping) or str(reason.get("code")) not in REASONS:
        return ""
    positions = ", ".join(str(p).replace("_", " ") for p in reason.get("positions") or ())
    amount = reason.get("amount")
    return str(REASONS[str(reason["code"])]) % {
        "positions": positions,
        "amount": format_rupiah(int(amount)) if isinstance(amount, int) else "",
    }
