"""tierdesk's URLs and the trivial page that measures what Django itself costs per request."""

from django.http import HttpResponse
from django.urls import include, path


def ping(request):
    # Passes through the whole middleware stack (sessions, auth, CSP ...) like every page,
    # renders nothing and asks the database nothing beyond the session.
    return HttpResponse(b"pong", content_type="text/plain")


urlpatterns = [
    path("bench/ping/", ping),
    path("", include("tierdesk.config.urls")),
]
