from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Metadata only, and read only: contents are sealed and read in the officer workspace, through
    access checks, and a case changes only through its workflow, which audits every step (an edit
    here could move a case to another agency, or mark it merged, with no trace)."""

    list_display = ("number", "instansi", "status", "category", "priority", "received_at")
    list_filter = ("status", "instansi")
    search_fields = ("number",)
    exclude = ("summary_sealed",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
