from django.contrib import admin

from tierdesk.mailin.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Read-only: mail is changed only by the mail-in services and the triage pages."""

    list_display = ["received_at", "from_address", "subject", "state", "reason", "case"]
    list_filter = ["state", "reason"]
    search_fields = ["message_id", "from_address", "subject"]
    date_hierarchy = "received_at"
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
