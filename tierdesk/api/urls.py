from django.urls import path

from tierdesk.api.main import api

urlpatterns = [path("", api.urls)]
