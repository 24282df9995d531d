from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("tierdesk.api.urls")),
    path("cases/", include("tierdesk.cases.urls")),
    path("", include("tierdesk.web.urls")),
]
