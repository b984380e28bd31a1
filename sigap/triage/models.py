"""What triage stores: per-report results (sealed where they quote the report) and the duplicate index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TenantOwned


class TriageResult(TenantOwned):
    """Triage of one report. Entities, regions, evidence words and questions quote the report and
    are sealed; the rest is the few plain fields that queues, statistics and routing need."""

    report = models.OneToOneField("cases.Report", on_delete=models.CASCADE, related_name="triage")
    features_sealed = models.BinaryField(null=True)
    signature = models.BinaryField(null=True)  # MinHash over normalised text: not reversible to text
    # The dedup.SIGNATURE_VERSION that signed it (0: never signed); older ones are re-signed.
    signature_version = models.PositiveSmallIntegerField(default=0)
    # The dedup.ENTITY_VERSION that read the entities and wrote the entity keys (0: before versions
    # were kept, or not fully triaged yet); older ones are read again.
    entities_version = models.PositiveSmallIntegerField(default=0)
    index_keys = models.JSONField(null=True)  # the entity keys written to the index (to remove them again)
    category = models.CharField(_("suggested category"), max_length=40, blank=True)
    category_confidence = models.FloatField(default=0)
    sectors = models.JSONField(default=list)
    region_code = models.CharField(max_length=13, blank=True)
    kpk_competent = models.BooleanField(null=True)
    competent_body = models.CharField(max_length=20, blank=True)
    completeness = models.FloatField(default=0)
    max_amount = models.BigIntegerField(null=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    duration_ms = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["instansi", "category"])]


class DuplicateSuggestion(TenantOwned):
    """A likely duplicate found for a report (the instansi is the new report's). When the other
    report belongs to another agency, only its agency and case number are shown, never its content."""

    class Decision(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed duplicate")
        REJECTED = "rejected", _("Not a duplicate")
        AUTO_MERGED = "auto_merged", _("Merged automatically")

    report = models.ForeignKey("cases.Report", on_delete=models.CASCADE, related_name="duplicate_suggestions")
    other_report = models.ForeignKey("cases.Report", on_delete=models.CASCADE, related_name="+")
    other_instansi = models.ForeignKey("tenants.Instansi", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    evidence_sealed = models.BinaryField(null=True)  # shared passages and entities (same agency only)
    shared_kinds = models.JSONField(default=list)  # e.g. ["official", "place", "amount"]: no content
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.OPEN)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "other_report"], name="dup_unique_pair")]
        indexes = [models.Index(fields=["instansi", "decision"])]


class ClassifierModel(TenantOwned):
    """A category model trained from the labels an agency's officers confirmed."""

    kind = models.CharField(max_length=20, default="category")
    data = models.BinaryField()
    trained_on = models.PositiveIntegerField()
    macro_f1 = models.FloatField(null=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
