"""Kemendagri region codes, versioned by the regulation that issued them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CURRENT_REGULATION = "Kepmendagri 300.2.2-2138/2025"


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABUPATEN_KOTA = 2, _("Regency / city")
    KECAMATAN = 3, _("District (kecamatan)")
    DESA = 4, _("Village (desa / kelurahan)")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=13)  # dotted: 18, 18.71, 18.71.01, 18.71.01.1001
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=20)  # provinsi, kabupaten, kota, kecamatan, distrik, ...
    parent_code = models.CharField(max_length=13, blank=True)
    regulation = models.CharField(_("regulation"), max_length=60, default=CURRENT_REGULATION)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["regulation", "code"], name="region_unique_code")]
        indexes = [models.Index(fields=["regulation", "parent_code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
