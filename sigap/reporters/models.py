"""Reporters: who sent a report, as little of them as the mode allows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TenantOwned


class Anonymity(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    CONFIDENTIAL = "confidential", _("Confidential")
    IDENTIFIED = "identified", _("Identified")


class Reporter(TenantOwned):
    """One reporter as one agency knows them. Officers see only the pseudonym; the identity, when
    given, is sealed (see docs/security/keys.md)."""

    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    anonymity = models.CharField(_("anonymity"), max_length=20, choices=Anonymity.choices,
                                 default=Anonymity.ANONYMOUS)
    receipt_hash = models.CharField(max_length=200, blank=True)
    receipt_lookup = models.CharField(max_length=64, blank=True, db_index=True)
    identity_sealed = models.BinaryField(null=True, blank=True)
    contact_sealed = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporter")
        indexes = [models.Index(fields=["instansi", "created_at"])]

    def __str__(self) -> str:
        return self.pseudonym
