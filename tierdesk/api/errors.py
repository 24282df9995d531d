"""RFC 9457 problem details: every error the API returns has the same shape and a stable code."""

import json
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tierdesk.cases.workflow import ConflictError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "/api/v1/problems/"

TITLES = {
    "validation_error": "Validation error",
    "not_found": "Not found",
    "permission_denied": "Permission denied",
    "conflict": "Conflict",
    "not_authenticated": "Not authenticated",
    "bad_request": "Bad request",
    "error": "Error",
}


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


def problem(status: int, code: str, detail: str = "", **extra) -> HttpResponse:
    body = {
        "type": PROBLEM_BASE + code.replace("_", "-"),
        "title": TITLES.get(code, TITLES["error"]),
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
    return ".".join(str(part) for part in path) or str(source)


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
