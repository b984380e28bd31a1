"""Reports (one submission through one channel) and cases (one matter an agency handles)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.cases.workflow import State
from sigap.core.models import TenantOwned
from sigap.reporters.models import Anonymity


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    WALK_IN = "walk_in", _("Walk-in")
    API = "api", _("Partner API")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    REFERRAL = "referral", _("Referral from another agency")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class TriageStatus(models.TextChoices):
    PENDING = "pending", _("Triage pending")
    DONE = "done", _("Triaged")
    FAILED = "failed", _("Triage failed, will retry")


class Case(TenantOwned):
    """One matter. Groups one or more reports; duplicates merge into it."""

    number = models.CharField(_("case number"), max_length=40)
    unit = models.ForeignKey(
        "tenants.Unit", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("unit")
    )
    summary_sealed = models.BinaryField()
    category = models.CharField(_("category"), max_length=40, blank=True)
    sector = models.CharField(_("sector"), max_length=40, blank=True)
    category_confirmed = models.BooleanField(_("category confirmed by an officer"), default=False)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=30, choices=State.choices, default=State.RECEIVED)
    status_changed_at = models.DateTimeField()
    received_at = models.DateTimeField(_("received"))
    region_code = models.CharField(_("region"), max_length=13, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    referred_to = models.ForeignKey(
        "tenants.Instansi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred to"),
    )
    retaliation_reported = models.BooleanField(default=False)
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Assignment", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["instansi", "number"], name="case_unique_number")]
        indexes = [
            models.Index(fields=["instansi", "status", "received_at"]),
            models.Index(fields=["instansi", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class Report(TenantOwned):
    """One submission, through one channel, by one reporter. Its contents are sealed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey("reporters.Reporter", on_delete=models.PROTECT, related_name="reports")
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"))
    language = models.CharField(_("language"), max_length=8, default="id")
    anonymity = models.CharField(
        _("anonymity"), max_length=20, choices=Anonymity.choices, default=Anonymity.ANONYMOUS
    )
    content_sealed = models.BinaryField()  # title, what, who, where, when, how, evidence: see cases.content
    region_code = models.CharField(_("region"), max_length=13, blank=True)
    occurred_from = models.DateField(_("from"), null=True, blank=True)
    occurred_to = models.DateField(_("until"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"), null=True, blank=True)
    evidence_count = models.PositiveIntegerField(default=0)
    external_ref = models.CharField(max_length=80, blank=True)
    triage_status = models.CharField(
        max_length=10, choices=TriageStatus.choices, default=TriageStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "tracking_number"], name="report_unique_tracking"),
            # a channel's message id, stored once: a webhook delivered twice is one report
            models.UniqueConstraint(
                fields=["instansi", "channel", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="report_unique_external_ref",
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "case"]),
            models.Index(fields=["instansi", "received_at"]),
            models.Index(fields=["instansi", "triage_status"]),
        ]

    def __str__(self) -> str:
        return self.tracking_number


class Assignment(TenantOwned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="assignment_unique")]


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge receipt (7 days)")
    VERIFY = "verify", _("Finish verification (30 days)")
    ANSWER = "answer", _("Answer the reporter (30 working days)")
    FEEDBACK = "feedback", _("Feedback to the reporter (3 months)")


class Deadline(TenantOwned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(_("met"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["instansi", "met_at", "due_at"])]
        ordering = ["due_at"]


class Counter(models.Model):
    """Per-agency, per-year counters for tracking and case numbers (no race: row lock)."""

    instansi = models.ForeignKey("tenants.Instansi", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instansi", "kind", "year"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.value}"


class CaseNote(TenantOwned):
    """A sealed free text written by an officer with a step: reason, note, questions, feedback."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transition = models.CharField(max_length=40, blank=True)
    field = models.CharField(max_length=20)
    text_sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["instansi", "case", "created_at"])]
        ordering = ["created_at"]
