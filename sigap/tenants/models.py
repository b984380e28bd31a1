"""Agencies (instansi), their units (satker) and who works in them with which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.tenants.permissions import Role


class InstansiKind(models.TextChoices):
    HUB = "hub", _("Hub (anti-corruption commission)")
    KEMENTERIAN = "kementerian", _("Ministry")
    LEMBAGA = "lembaga", _("State agency")
    PROVINSI = "provinsi", _("Province")
    KABUPATEN_KOTA = "kabupaten_kota", _("Regency / city")
    BUMN = "bumn", _("State-owned enterprise (BUMN)")
    BUMD = "bumd", _("Regional enterprise (BUMD)")
    APIP = "apip", _("Inspectorate (APIP)")
    APH = "aph", _("Law enforcement")


class TimeZoneName(models.TextChoices):
    WIB = "WIB", "WIB (UTC+7)"
    WITA = "WITA", "WITA (UTC+8)"
    WIT = "WIT", "WIT (UTC+9)"


class Instansi(models.Model):
    """An agency: a tenant. The hub is an Instansi of kind HUB."""

    kind = models.CharField(_("kind"), max_length=20, choices=InstansiKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    code = models.CharField(
        _("number prefix"),
        max_length=12,
        unique=True,
        help_text=_("Prefix of tracking and case numbers, e.g. LPG."),
    )
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    timezone = models.CharField(
        _("time zone"), max_length=4, choices=TimeZoneName.choices, default=TimeZoneName.WIB
    )
    connected_to_hub = models.BooleanField(_("connected to the hub"), default=True)
    agreement_number = models.CharField(_("cooperation agreement number"), max_length=100, blank=True)
    agreement_valid_from = models.DateField(_("agreement valid from"), null=True, blank=True)
    agreement_valid_until = models.DateField(_("agreement valid until"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    state_labels = models.JSONField(_("own names for workflow states"), default=dict, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hub(self) -> bool:
        return self.kind == InstansiKind.HUB


class Unit(models.Model):
    """A work unit (satuan kerja) inside an agency."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["instansi", "name"]
        constraints = [models.UniqueConstraint(fields=["instansi", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one agency. A person may hold several roles, in several agencies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "instansi", "role"], name="membership_unique_role")
        ]
        indexes = [models.Index(fields=["instansi", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.instansi} ({self.role})"
