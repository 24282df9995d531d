from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tierdesk.cases.models import (
    BusinessCalendar,
    CalendarDay,
    Case,
    CaseEvent,
    Problem,
    SlaTarget,
)


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(SimpleHistoryAdmin):
    list_display = ["name", "time_zone", "weekdays", "day_start", "day_end", "round_the_clock"]
    inlines = [CalendarDayInline]


@admin.register(SlaTarget)
class SlaTargetAdmin(SimpleHistoryAdmin):
    list_display = ["clock", "priority", "response_minutes", "resolution_minutes", "calendar"]
    list_filter = ["clock", "priority"]
    list_editable = ["response_minutes", "resolution_minutes"]


class ReadOnlyEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "from_status", "to_status", "text", "is_internal"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases are read here; every change goes through the case page so the workflow applies."""

    list_display = ["reference", "title", "status", "priority", "region", "owner", "opened_at"]
    list_filter = ["status", "line", "priority", "region", "classification"]
    search_fields = ["title", "customer__name", "site__name"]
    list_select_related = ["region", "owner"]
    show_full_result_count = False
    inlines = [ReadOnlyEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Case._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "actor", "at", "from_status", "to_status"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "product", "created_at"]
    list_filter = ["state"]
    search_fields = ["title", "root_cause"]
