from django.urls import path

from tierdesk.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("new/", views.token_create, name="new"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
