"""Indonesian formatting of money and time in templates."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats
from django.utils.translation import get_language
from lokal.rupiah import format_rupiah

from sigap.audit.labels import action_label, actor_label
from sigap.cases import workflow
from sigap.core import clock

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """1200000000 -> "Rp1.200.000.000" (the Indonesian way; English pages too, it is rupiah)."""
    if value is None or value == "":
        return "–"
    return format_rupiah(int(value))


@register.filter
def local_time(value: dt.datetime | None, tz: str = "WIB") -> str:
    """An aware datetime in the agency's zone: "28 November 2026 14.05 WIB"."""
    if value is None:
        return "–"
    local = value.astimezone(clock.zone(tz))
    time_sep = "." if (get_language() or "id").startswith("id") else ":"
    date_part = formats.date_format(local, "j F Y")
    return f"{date_part} {local:%H}{time_sep}{local:%M} {tz}"


@register.filter
def local_date(value: dt.datetime | dt.date | None, tz: str = "WIB") -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.zone(tz)).date()
    return formats.date_format(value, "j F Y")


@register.simple_tag
def state_label(state: str, instansi: object = None) -> str:
    labels = getattr(instansi, "state_labels", None)
    return workflow.state_label(state, labels)


@register.filter
def get_item(mapping: object, key: str) -> object:
    getter = getattr(mapping, "get", None)
    return getter(key) if getter else None


register.filter("action_label", action_label)
register.filter("actor_label", actor_label)
register.filter("field_label", workflow.field_label)
