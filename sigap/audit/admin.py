from django.contrib import admin

from sigap.audit.models import AuditEvent
from sigap.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("chain", "seq", "created_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
