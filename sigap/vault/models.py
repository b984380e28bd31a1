"""The identity vault: personal keys, disclosure requests and each agency's disclosure policy.

No row here, nor the deployment key, reveals a reporter's identity: identities are sealed to the
custodians' public keys, whose private keys are locked by the custodians' own passphrases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TenantOwned


class PersonalKey(models.Model):
    """One person's X25519 key pair. The private key is stored only locked by a key derived from
    the person's passphrase (Argon2id); the server never stores the passphrase."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_key"
    )
    public_key = models.BinaryField()
    locked_private_key = models.BinaryField()
    fingerprint = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personal key")
        verbose_name_plural = _("personal keys")

    def __str__(self) -> str:
        return f"PersonalKey({self.user_id} {self.fingerprint})"


class VaultPolicy(TenantOwned):
    """How an agency handles identity disclosure."""

    inform_reporter = models.BooleanField(
        _("inform the reporter when their identity is disclosed"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity disclosure policy")
        verbose_name_plural = _("identity disclosure policies")
        constraints = [models.UniqueConstraint(fields=["instansi"], name="vaultpolicy_one_per_instansi")]


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a custodian")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class IdentityRequest(TenantOwned):
    """An officer's reasoned request to learn who sent a report. On approval a custodian re-seals
    the identity's content key to the officer's own public key (`grant_sealed`)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey("cases.Report", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason_sealed = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_sealed = models.BinaryField(null=True, blank=True)
    grant_sealed = models.BinaryField(null=True, blank=True)
    grant_fingerprint = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity disclosure request")
        verbose_name_plural = _("identity disclosure requests")
        indexes = [
            models.Index(fields=["instansi", "status", "created_at"]),
            models.Index(fields=["instansi", "requested_by", "created_at"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"IdentityRequest({self.pk} {self.status})"
