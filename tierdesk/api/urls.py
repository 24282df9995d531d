from django.urls import path, re_path

from tierdesk.api.errors import unknown_endpoint
from tierdesk.api.main import api

urlpatterns = [
    path("", api.urls),
    # Anything else under /api/v1/ (e.g. /cases/-1, which no route matches) is still a
    # problem+json 404, never Django's HTML page. A bare "^" matches every path, even one
    # holding a newline, which ".*" would not.
    re_path(r"^", unknown_endpoint),
]
