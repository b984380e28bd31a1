from django.contrib import admin

from sigap.cases.models import Case
from sigap.core.admin import ReadOnlyAdmin


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Metadata only, and read only: contents are sealed and read in the officer workspace, through
    access checks, and a case changes only through its workflow, which audits every step (an edit
    here could move a case to another agency, or mark it merged, with no trace)."""

    list_display = ("number", "instansi", "status", "category", "priority", "received_at")
    list_filter = ("status", "instansi")
    search_fields = ("number",)
    exclude = ("summary_sealed",)
