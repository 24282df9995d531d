"""Read-only admin: forms change only through the workflow, so their history is whole."""

from django.contrib import admin

from tierdesk.quality.models import QualityFeedback, QualityStep


class StepInline(admin.TabularInline):
    model = QualityStep
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QualityFeedback)
class QualityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["serial", "state", "region", "product", "version_or_batch", "raised_by"]
    list_filter = ["state", "region", "impact"]
    search_fields = ["serial", "version_or_batch", "fault_description"]
    inlines = [StepInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
