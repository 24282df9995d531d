from django.contrib import admin

from tierdesk.jobs.models import PeriodicJob, WorkerHeartbeat


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "last_enqueued_at"]
    readonly_fields = ["name", "last_enqueued_at", "last_result_id"]

    def has_add_permission(self, request):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen_at"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False
