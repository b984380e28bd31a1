from django.contrib import admin

from sigap.tenants.models import Instansi, Membership, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug", "code", "region_code", "timezone", "connected_to_hub", "active")
    list_filter = ("kind", "timezone", "connected_to_hub", "active")
    search_fields = ("name", "slug", "code")
    inlines = [UnitInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "instansi", "role", "unit", "active")
    list_filter = ("role", "instansi")
    search_fields = ("user__username",)
