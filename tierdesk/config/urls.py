from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("tierdesk.api.urls")),
    path("cases/", include("tierdesk.cases.urls")),
    path("notifications/", include("tierdesk.notifications.urls")),
    path("webhooks/", include("tierdesk.webhooks.urls")),
    path("mail/", include("tierdesk.mailin.urls")),
    path("onsite/", include("tierdesk.onsite.urls")),
    path("follow-ups/", include("tierdesk.followups.urls")),
    path("quality/", include("tierdesk.quality.urls")),
    path("vendors/", include("tierdesk.vendors.urls")),
    path("knowledge/", include("tierdesk.knowledge.urls")),
    path("reports/", include("tierdesk.reports.urls")),
    path("assessment/", include("tierdesk.assessment.urls")),
    path("account/api-tokens/", include("tierdesk.api.web_urls")),
    path("audit/", include("tierdesk.audit.urls")),
    path("trainings/", include("tierdesk.trainings.urls")),
    path("transfer/", include("tierdesk.transfer.urls")),
    path("", include("tierdesk.web.urls")),
]
