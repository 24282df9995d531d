from django.urls import path

from tierdesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<slug:region>/<str:period>/", views.region_report, name="region"),
    path(
        "<slug:region>/<str:period>/rebuild/",
        views.region_report_rebuild,
        name="region_rebuild",
    ),
    path("<slug:region>/<str:period>/pdf/", views.region_report_pdf, name="region_pdf"),
    path("<slug:region>/<str:period>/xlsx/", views.region_report_xlsx, name="region_xlsx"),
]
