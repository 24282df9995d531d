from django.urls import path

from tierdesk.notifications import views

app_name = "notifications"

urlpatterns = [path("", views.preferences, name="preferences")]
