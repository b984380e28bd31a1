"""The audit trail: append-only, one HMAC hash chain per agency (and one for global events)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are never deleted")


class AuditEvent(models.Model):
    chain = models.BigIntegerField(_("chain"))  # instansi id, or 0 for global events
    seq = models.BigIntegerField(_("sequence"))
    instansi = models.ForeignKey(
        "tenants.Instansi", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"))
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_unique_seq")]
        indexes = [models.Index(fields=["chain", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are never deleted")


class AuditChainHead(models.Model):
    """The last link of each chain: lets `verify` notice rows deleted from the end."""

    chain = models.BigIntegerField(primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain {self.chain} at {self.last_seq}"
