from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tierdesk.assessment.models import AssessmentComment, QuarterlyAssessment, ReportDispatch


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: the supervisor comments and signs off on the assessment pages, through the
    services that lock a signed-off quarter; an edit here would bypass that lock."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentInline(admin.TabularInline):
    model = AssessmentComment
    extra = 0
    can_delete = False
    fields = ["item", "person", "text", "written_by", "written_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuarterlyAssessment)
class QuarterlyAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "signed_off_by", "signed_off_at"]
    list_select_related = ["signed_off_by"]
    fields = ["year", "quarter", "conclusion", "signed_off_by", "signed_off_at", "created_at"]
    inlines = [CommentInline]

    @admin.display(description=_("state"))
    def state(self, assessment: QuarterlyAssessment) -> str:
        return str(_("Signed off") if assessment.is_locked else _("Open for review"))


@admin.register(AssessmentComment)
class AssessmentCommentAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "item", "person", "written_by", "written_at"]
    list_filter = ["item", "assessment"]
    list_select_related = ["assessment", "person", "written_by"]
    search_fields = ["text", "person__username", "person__last_name"]


@admin.register(ReportDispatch)
class ReportDispatchAdmin(ReadOnlyAdmin):
    list_display = ["region", "period", "sent_at", "recipients"]
    list_filter = ["region"]
    list_select_related = ["region"]
