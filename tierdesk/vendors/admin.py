"""Read-only admin: records change only through the services, so the case history is whole."""

from django.contrib import admin

from tierdesk.vendors.models import VendorCoordination, VendorEntry


class EntryInline(admin.TabularInline):
    model = VendorEntry
    fields = ["at", "author", "kind", "is_internal", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VendorCoordination)
class VendorCoordinationAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "vendor",
        "coordinator",
        "vendor_ticket",
        "response_due_at",
        "fix_due_at",
    ]
    list_filter = ["vendor"]
    search_fields = ["vendor_ticket", "vendor__name"]
    inlines = [EntryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
