"""Evidence files: encrypted on disk, described (never named in clear) in the database."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.core.models import TenantOwned


class Evidence(TenantOwned):
    """One file sent with a report. The file itself is stored encrypted under a random name; its
    per-file key and original name are sealed with the agency's data key."""

    report = models.ForeignKey("cases.Report", on_delete=models.PROTECT, related_name="evidence_files")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    name_sealed = models.BinaryField()
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))  # of the stored (sanitised) content
    original_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(_("SHA-256 of the stored file"), max_length=64)
    original_sha256 = models.CharField(_("SHA-256 of the file as sent"), max_length=64)
    metadata_removed = models.BooleanField(_("metadata removed"), default=False)
    keep_metadata = models.BooleanField(_("reporter asked to keep the original"), default=False)
    storage_key = models.CharField(max_length=64, unique=True)
    file_key_sealed = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["instansi", "report"])]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Evidence({self.pk} {self.mime_type})"

    @property
    def is_image(self) -> bool:
        return self.mime_type in {"image/jpeg", "image/png", "image/webp", "image/gif"}
