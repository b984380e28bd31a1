"""Reads of the region table."""

from __future__ import annotations

from functools import lru_cache

from sigap.regions.models import CURRENT_REGULATION, Region


@lru_cache(maxsize=4096)
def region_name(code: str, regulation: str = CURRENT_REGULATION) -> str | None:
    row = Region.objects.filter(regulation=regulation, code=code).values_list("name", flat=True).first()
    return row


def region_path(code: str) -> list[Region]:
    """The region and its parents, province first."""
    parts = code.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    found = {r.code: r for r in Region.objects.filter(regulation=CURRENT_REGULATION, code__in=codes)}
    return [found[c] for c in codes if c in found]


def children(code: str | None) -> list[Region]:
    return list(Region.objects.filter(regulation=CURRENT_REGULATION, parent_code=code or ""))
