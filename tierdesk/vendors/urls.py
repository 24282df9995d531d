from django.urls import path

from tierdesk.vendors import views

app_name = "vendors"

urlpatterns = [
    path("", views.record_list, name="records"),
    path("cases/<int:case_pk>/", views.record, name="record"),
    path("cases/<int:case_pk>/targets/", views.set_targets, name="set_targets"),
    path("cases/<int:case_pk>/entries/", views.add_entry, name="add_entry"),
]
