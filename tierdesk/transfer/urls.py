from django.urls import path

from tierdesk.transfer import views

app_name = "transfer"

urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.batch, name="batch"),
    path("imports/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("templates/<slug:kind>.xlsx", views.template, name="template"),
    path("exports/<slug:name>.<slug:fmt>", views.export, name="export"),
]
