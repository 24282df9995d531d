from django.contrib import admin

from tierdesk.followups.models import FollowUp, FollowUpAttempt, FollowUpRule


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(admin.ModelAdmin):
    """The rules are data: administrators change who calls back, how fast and how often."""

    list_display = [
        "__str__",
        "assignee_role",
        "due_within_hours",
        "calendar",
        "max_failed_attempts",
        "link_valid_days",
    ]
    list_select_related = ["region", "calendar"]


class ReadOnlyAttemptInline(admin.TabularInline):
    model = FollowUpAttempt
    extra = 0
    can_delete = False
    fields = ["at", "caller", "reached", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """Read-only: follow-ups change through their pages, which also close or reopen the case."""

    list_display = ["__str__", "assignee", "state", "due_at", "satisfaction", "closed_at"]
    list_filter = ["state", "satisfaction", "region"]
    list_select_related = ["case", "assignee"]
    inlines = [ReadOnlyAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
