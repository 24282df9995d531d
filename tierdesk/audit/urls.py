from django.urls import path

from tierdesk.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.changes, name="changes"),
    path("sign-ins/", views.sign_ins, name="sign_ins"),
]
