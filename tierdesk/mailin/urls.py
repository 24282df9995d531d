from django.urls import path

from tierdesk.mailin import views

app_name = "mailin"

urlpatterns = [
    path("triage/", views.triage, name="triage"),
    path("<int:pk>/", views.message, name="message"),
    path("<int:pk>/convert/", views.convert, name="convert"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/original/", views.original, name="original"),
]
