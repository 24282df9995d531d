from django.contrib import admin

from tierdesk.transfer.models import ImportBatch, ImportedCaseReference


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: uploads are checked and imported through the import pages, the API or the
    command, which apply the rules."""

    list_display = ["pk", "kind", "original_name", "state", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["original_name", "created_by__username"]
    list_select_related = ["created_by"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportedCaseReference)
class ImportedCaseReferenceAdmin(admin.ModelAdmin):
    list_display = ["source", "reference", "case"]
    search_fields = ["reference", "source"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
