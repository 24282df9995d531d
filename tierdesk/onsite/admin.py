"""Read-only admin: applications change only through the workflow, so their history is whole."""

from django.contrib import admin

from tierdesk.onsite.models import OnsiteApplication, OnsiteStep


class StepInline(admin.TabularInline):
    model = OnsiteStep
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OnsiteApplication)
class OnsiteApplicationAdmin(admin.ModelAdmin):
    list_display = ["serial", "case", "state", "region", "customer", "applicant", "engineer"]
    list_filter = ["state", "region", "urgency"]
    search_fields = ["serial", "customer__name", "project"]
    inlines = [StepInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
