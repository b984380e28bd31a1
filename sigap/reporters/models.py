"""Reporters: who sent a report, as little of them as the mode allows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    anonymity = models.CharField(
        _("anonymity"), max_length=20, choices=Anonymity.choices, default=Anonymity.ANONYMOUS
    )
    receipt_hash = models.CharField(max_length=200, blank=True)
    receipt_lookup = models.CharField(max_length=64, blank=True, db_index=True)
    identity_sealed = models.BinaryField(null=True, blank=True)
    contact_sealed = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")
        indexes = [models.Index(fields=["instansi", "created_at"])]
        constraints = [
            # One reporter per receipt prefix, across all agencies: a mailbox login costs one lookup
            # and one Argon2 verification (docs/security/receipts.md).
            models.UniqueConstraint(
                fields=["receipt_lookup"],
                condition=~Q(receipt_lookup=""),
                name="reporter_unique_receipt_lookup",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Direction(models.TextChoices):
    OFFICER_TO_REPORTER = "to_reporter", _("Officer to reporter")
    REPORTER_TO_OFFICER = "to_officer", _("Reporter to officer")
    SYSTEM = "system", _("Automatic")


class MessageKind(models.TextChoices):
    ACK = "ack", _("Acknowledgement of receipt")
    QUESTION = "question", _("Question")
    ANSWER = "answer", _("Answer")
    TRANSCRIPT = "transcript", _("Transcript of an oral report")
    TRANSCRIPT_CONFIRMATION = "transcript_confirmation", _("Transcript confirmed or corrected")
    RETALIATION = "retaliation", _("Retaliation reported")
    EVIDENCE = "evidence", _("Evidence added")
    STATUS = "status", _("Status update")


class Message(TenantOwned):
    """One message of a reporter's mailbox. The body is sealed with the agency's data key
    (purpose "mailbox.message"); officers see the reporter only by pseudonym."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("cases.Report", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(Reporter, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=12, choices=Direction.choices)
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    body_sealed = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    deadline = models.ForeignKey(
        "cases.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A message SIGAP wrote itself: its code and values (`sigap.reporters.texts`), shown in each
    # reader's language; the sealed body keeps it in the report's language.
    text_code = models.CharField(max_length=40, blank=True, default="")
    text_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mailbox message")
        verbose_name_plural = _("mailbox messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["instansi", "reporter", "created_at"]),
            models.Index(fields=["instansi", "case", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class SubmissionToken(models.Model):
    """One portal form, submitted once: a second POST of the same form finds this row instead of
    storing a second report. Only a hash of the form's token is kept. Until the receipt page is
    shown, the receipt waits here sealed with the agency's key (bound to the token hash)."""

    token_hash = models.CharField(max_length=64, unique=True)
    instansi = models.ForeignKey("tenants.Instansi", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        "cases.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    receipt_sealed = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"SubmissionToken({self.pk})"


class ThrottleCounter(models.Model):
    """A hit counter per scope, key and fixed time window; never keyed by a network address."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    window = models.BigIntegerField()  # epoch seconds // window length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window"], name="throttle_unique_window")
        ]
        indexes = [models.Index(fields=["window"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.window}={self.count}"


class SpentToken(models.Model):
    """Single-use tokens already used (proof-of-work challenges), kept until they expire."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"SpentToken({self.pk})"
