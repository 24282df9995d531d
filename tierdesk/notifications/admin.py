from django.contrib import admin

from tierdesk.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: rows are written by the fan-out and changed only by the delivery job."""

    list_display = ["pk", "recipient", "kind", "case", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient__username", "recipient__email"]
    list_select_related = ["recipient", "case"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
