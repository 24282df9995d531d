"""Read-only admin: sessions change through the services, which check who may change them."""

from django.contrib import admin

from tierdesk.trainings.models import Attendance, Material, TrainingSession


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["person", "status", "score", "note", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "region", "trainer", "state"]
    list_filter = ["state", "region", "online"]
    search_fields = ["title", "topics", "trainer__username", "trainer__last_name"]
    date_hierarchy = "held_on"
    list_select_related = ["region", "trainer"]
    inlines = [AttendanceInline, MaterialInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
