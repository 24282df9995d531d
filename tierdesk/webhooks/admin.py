from django.contrib import admin

from tierdesk.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Subscriptions are managed on the webhooks pages, where the secret is shown once."""

    list_display = ["name", "target_url", "is_active", "created_by", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "target_url"]
    fields = ["name", "target_url", "event_types", "is_active", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["started_at", "succeeded", "status_code", "duration_ms", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log, read-only: sending again goes through the webhooks pages."""

    list_display = [
        "id",
        "subscription",
        "event_type",
        "state",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["state", "event_type", "subscription"]
    list_select_related = ["subscription"]
    inlines = [ReadOnlyAttemptInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
