"""503 Service Unavailable while the database cannot be reached, instead of a 500.

A request that meets a lost database (PostgreSQL restarting, a fail-over, a network cut) gets
a short page, or a problem+json document under /api/, that tells the person or program to try
again shortly, with a Retry-After header. The database errors are caught wherever they are
raised, in a view or in a middleware further down (sessions, sign-in, the user's language), so
this middleware sits above all of those; the page it renders needs no database and no user.
The broken connection is replaced by Django itself: it is closed at the end of the request
(an error occurred on it) and CONN_HEALTH_CHECKS tests a kept one before reuse.
"""

import json
import logging
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tierdesk.api.errors import PROBLEM_CONTENT_TYPE, type_uri

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# The flag a failed request carries from the exception signal to the middleware's response.
FLAG = "_tierdesk_database_unavailable"


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether the error says the database cannot be reached, not that a query was wrong."""
    if isinstance(error, InterfaceError):
        return True  # the connection is closed or broken
    if not isinstance(error, OperationalError):
        return False
    # SQLite's "database is locked" is contention, not an outage; a bad query is a bug (500).
    message = str(error).lower()
    return "locked" not in message


def _note_database_error(sender, request=None, **kwargs) -> None:
    # Django turns an exception into a 500 response in the layer where it was raised, so the
    # middleware only sees the response; the signal fires inside the except block and can
    # still look at the exception.
    if request is not None and is_database_unavailable(sys.exception()):
        setattr(request, FLAG, True)


got_request_exception.connect(_note_database_error, dispatch_uid="tierdesk-database-unavailable")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        detail = _(
            "tierdesk cannot reach its database at the moment. Nothing from this request was "
            "saved; try again in a few seconds."
        )
        if request.path.startswith("/api/"):
            body = {
                "type": type_uri("service_unavailable"),
                "title": _("Service unavailable"),
                "status": 503,
                "detail": detail,
                "code": "service_unavailable",
            }
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=503,
                content_type=PROBLEM_CONTENT_TYPE,
            )
        else:
            html = render_to_string(
                "503.html",
                {"detail": detail, "retry_after": RETRY_AFTER_SECONDS, "LANGUAGE_CODE": language},
            )
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DatabaseError as error:  # raised outside any layer that converts it
            if not is_database_unavailable(error):
                raise
            response = None
            setattr(request, FLAG, True)
        if getattr(request, FLAG, False):
            logger.warning(
                "Database unavailable: answered %s %s with 503", request.method, request.path
            )
            return unavailable_response(request)
        return response
