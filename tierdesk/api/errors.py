"""RFC 9457 problem details: every error the API returns has the same shape and a stable code."""

import json
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tierdesk.cases.workflow import ConflictError

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Each problem's `type` resolves to the description of its code (GET /api/v1/errors/<code>).
PROBLEM_BASE = "/api/v1/errors/"

# code: (status, title, what it means and what the client should do)
CODES = {
    "validation_error": (
        422,
        gettext_lazy("Validation error"),
        gettext_lazy(
            "A field of the request is missing or has a value that is not allowed. "
            "`errors` lists each field with its message; correct them and send again."
        ),
    ),
    "bad_request": (
        400,
        gettext_lazy("Bad request"),
        gettext_lazy(
            "The request cannot be understood, for example a damaged pagination cursor. "
            "Start again from the first page."
        ),
    ),
    "not_authenticated": (
        401,
        gettext_lazy("Not authenticated"),
        gettext_lazy(
            "No valid session or API token came with the request, or the token was revoked "
            "or has expired. Send `Authorization: Bearer <token>`."
        ),
    ),
    "permission_denied": (
        403,
        gettext_lazy("Permission denied"),
        gettext_lazy(
            "You are signed in but your roles do not allow this action on this record; "
            "the same rules apply as in the web pages."
        ),
    ),
    "not_found": (
        404,
        gettext_lazy("Not found"),
        gettext_lazy(
            "The record does not exist or you may not see it; tierdesk does not say which."
        ),
    ),
    "conflict": (
        409,
        gettext_lazy("Conflict"),
        gettext_lazy(
            "Someone changed the case after you read it. `changed_by`, `changed_at` and "
            "`current_version` say who, when and which version: reload the case, check the "
            "change, and repeat with the new version."
        ),
    ),
    "service_unavailable": (
        503,
        gettext_lazy("Service unavailable"),
        gettext_lazy(
            "tierdesk cannot reach its database for a moment. Nothing from the request was "
            "saved; send it again after the number of seconds in `Retry-After`."
        ),
    ),
    "error": (
        500,
        gettext_lazy("Error"),
        gettext_lazy("Something unexpected went wrong on the server."),
    ),
}

# The code each framework-raised status stands for, to document those responses.
CODES_BY_STATUS = {str(status): code for code, (status, _title, _doc) in CODES.items()}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem document (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str = ""
    code: str
    errors: list[FieldError] | None = None
    changed_by: str | None = None
    changed_at: datetime | None = None
    current_version: int | None = None


# The error responses most operations can give, to merge into an operation's `response=`.
READ_ERRORS = {401: Problem, 404: Problem}
WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
VERSIONED_ERRORS = {**WRITE_ERRORS, 409: Problem}


class BadRequest(ValueError):
    """The request cannot be understood (for example a damaged cursor)."""


def type_uri(code: str) -> str:
    return PROBLEM_BASE + code.replace("_", "-")


def problem(status: int, code: str, detail: str = "", **extra) -> HttpResponse:
    body = {
        "type": type_uri(code),
        "title": str(CODES.get(code, CODES["error"])[1]),
        "status": status,
        "detail": str(detail),
        "code": code,
        **extra,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def field_errors(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "__all__", "message": str(message)} for message in error.messages]


def rename_fields(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """Name the fields as the request body does (`site` -> `site_id`)."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(field, field): messages for field, messages in error.error_dict.items()}
    )


def _ninja_field(loc: tuple) -> str:
    source, *path = loc or ("",)
    if source == "body" and len(path) > 1:
        path = path[1:]  # drop the name of the view's payload argument
    elif len(path) > 1 and isinstance(path[1], str):
        # Query fields are flat, yet ninja names a list field with its schema argument too:
        # ("query", "filters", "status", 0) is the first `status` value.
        path = path[1:]
    return ".".join(str(part) for part in path) or str(source)


@csrf_exempt  # it changes nothing; a 404 must not turn into a CSRF 403 HTML page
def unknown_endpoint(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """A URL under the API that no operation answers."""
    return problem(404, "not_found", _("No API operation has this address."))


def on_django_validation(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
    errors = field_errors(error)
    return problem(422, "validation_error", errors[0]["message"] if errors else "", errors=errors)


def on_ninja_validation(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _ninja_field(tuple(e.get("loc", ()))), "message": e.get("msg", "")}
        for e in error.errors
    ]
    return problem(422, "validation_error", _("The request has invalid fields."), errors=errors)


def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(404, "not_found", _("Not found."))


def on_permission_denied(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem(403, "permission_denied", str(error) or _("You may not do this."))


def on_not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem(401, "not_authenticated", _("Log in first."))


def on_conflict(request: HttpRequest, error: ConflictError) -> HttpResponse:
    by = error.changed_by
    return problem(
        409,
        "conflict",
        str(error),
        changed_by=by.username if by is not None else "",
        changed_at=error.changed_at.isoformat() if error.changed_at else None,
        current_version=error.case.version,
    )


def on_bad_request(request: HttpRequest, error: ValueError) -> HttpResponse:
    return problem(400, "bad_request", str(error))


def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        409: "conflict",
        422: "validation_error",
    }
    return problem(error.status_code, codes.get(error.status_code, "error"), str(error))


def install(api: NinjaAPI) -> None:
    handlers = [
        (HttpError, on_http_error),
        (DjangoValidationError, on_django_validation),
        (NinjaValidationError, on_ninja_validation),
        (Http404, on_not_found),
        (PermissionDenied, on_permission_denied),
        (AuthorizationError, on_permission_denied),
        (AuthenticationError, on_not_authenticated),
        (ConflictError, on_conflict),
        (ValueError, on_bad_request),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


# --- the pages the problem `type` URIs point at -----------------------------------------------

router = Router(tags=["errors"], auth=None)


class ErrorCode(Schema):
    code: str
    type: str
    status: int
    title: str
    description: str


def _describe(code: str) -> dict:
    status, title, description = CODES[code]
    return {
        "code": code,
        "type": type_uri(code),
        "status": status,
        "title": str(title),
        "description": str(description),
    }


@router.get("", response={200: list[ErrorCode]})
def list_error_codes(request: HttpRequest) -> list[dict]:
    """Every stable error code the API returns, with what it means."""
    return [_describe(code) for code in CODES]


@router.get("/{slug}", response={200: ErrorCode, 404: Problem})
def describe_error_code(request: HttpRequest, slug: str) -> dict:
    """What one error code means; this is where a problem's `type` URI leads."""
    code = slug.replace("-", "_")
    if code not in CODES:
        raise Http404
    return _describe(code)
