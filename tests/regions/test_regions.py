"""Kemendagri regions from the registry package, with the regulation recorded."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sigap.regions.models import CURRENT_REGULATION, Region
from sigap.regions.selectors import region_path

pytestmark = pytest.mark.django_db


def test_counts_of_the_current_regulation() -> None:
    qs = Region.objects.filter(regulation=CURRENT_REGULATION)
    assert qs.filter(level=1).count() == 38
    assert qs.filter(level=2).count() == 514
    assert qs.filter(level=2, kind="kota").count() == 98
    assert qs.filter(level=2, kind="kabupaten").count() == 416
    assert qs.filter(level=3).count() == 7285


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("18", "Lampung"),
        ("16", "Sumatera Selatan"),
        ("18.71", "Kota Bandar Lampung"),
        ("35.78", "Kota Surabaya"),
        ("32", "Jawa Barat"),
        ("35", "Jawa Timur"),
    ],
)
def test_known_codes(code: str, name: str) -> None:
    assert Region.objects.get(code=code).name == name


def test_new_papua_provinces_exist() -> None:
    assert set(Region.objects.filter(code__in=["93", "94", "95", "96"]).values_list("code", flat=True)) == {
        "93",
        "94",
        "95",
        "96",
    }


def test_parents_and_path() -> None:
    kec = Region.objects.filter(parent_code="18.71").first()
    assert kec is not None and kec.level == 3
    assert [r.code for r in region_path(kec.code)] == ["18", "18.71", kec.code]


def test_matches_the_reference_list_when_present() -> None:
    ref = (
        Path(__file__).resolve().parents[3]
        / "shared"
        / "data"
        / "wilayah"
        / "wilayah_kepmendagri_2025_all.csv"
    )
    if not ref.exists():
        pytest.skip("reference list not present on this machine")
    with ref.open(newline="", encoding="utf-8") as handle:
        expected = {row["kode"]: row["nama"] for row in csv.DictReader(handle) if row["kode"].count(".") <= 2}
    ours = dict(Region.objects.values_list("code", "name"))
    assert set(ours) == set(expected)
    different = [c for c in expected if expected[c].lower() != ours[c].lower()]
    assert len(different) <= len(expected) * 0.01
