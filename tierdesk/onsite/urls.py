from django.urls import path

from tierdesk.onsite import views

app_name = "onsite"

urlpatterns = [
    path("", views.application_list, name="applications"),
    path("new/<int:case_pk>/", views.new_application, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
]
