from django.contrib import admin

from sigap.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "regulation")
    list_filter = ("level", "regulation")
    search_fields = ("code", "name")
