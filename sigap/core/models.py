"""Shared model pieces: the tenant-owned base and the agencies' wrapped data keys."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantOwned(models.Model):
    """A row that belongs to one agency. Child rows copy `instansi` so that every query and index
    can start with it (ARCHITECTURE rule 1)."""

    instansi = models.ForeignKey(
        "tenants.Instansi", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )

    class Meta:
        abstract = True


class DataKey(models.Model):
    """One version of an agency's data key, wrapped by the deployment key."""

    instansi = models.ForeignKey("tenants.Instansi", on_delete=models.PROTECT, related_name="data_keys")
    version = models.PositiveIntegerField()
    wrapped = models.BinaryField()
    master_key_id = models.CharField(max_length=32)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instansi", "version"], name="datakey_unique_version")]

    def __str__(self) -> str:
        return f"DataKey({self.instansi_id} v{self.version})"
