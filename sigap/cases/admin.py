from django.contrib import admin

from sigap.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Metadata only: contents are sealed and read in the officer workspace, through access checks."""

    list_display = ("number", "instansi", "status", "category", "priority", "received_at")
    list_filter = ("status", "instansi")
    search_fields = ("number",)
    exclude = ("summary_sealed",)
    readonly_fields = ("status",)
