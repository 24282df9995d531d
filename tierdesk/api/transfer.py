"""Imports from spreadsheets (check, then confirm) and exports of the lists a person can see."""

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem, problem
from tierdesk.api.fields import RecordId
from tierdesk.transfer import access, exports, services
from tierdesk.transfer.models import ImportBatch, ImportKind
from tierdesk.transfer.reading import ENCODING_CHOICES, UnreadableFile

router = Router(tags=["transfer"])

KindCode = Literal[tuple(ImportKind.values)]
EncodingCode = Literal[tuple(ENCODING_CHOICES)]


class RowErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    state: str
    file_name: str
    encoding: str
    source: str
    rows: int
    new: int
    unchanged: int
    errors: list[RowErrorOut]
    created_at: datetime
    imported_at: datetime | None


def _out(batch: ImportBatch) -> dict:
    counts = batch.counts or {}
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "state": batch.state,
        "file_name": batch.original_name,
        "encoding": batch.encoding,
        "source": batch.source,
        "rows": counts.get("rows", 0),
        "new": counts.get("new", 0),
        "unchanged": counts.get("unchanged", 0),
        "errors": batch.errors,
        "created_at": batch.created_at,
        "imported_at": batch.imported_at,
    }


def _rejected(errors: list[dict], batch: ImportBatch | None = None) -> HttpResponse:
    """422 problem+json listing each error by row and column."""
    listed = [
        {
            "field": f"row {error['row']}: {error['column']}" if error["row"] else "file",
            **error,
        }
        for error in errors
    ]
    extra = {"import_id": batch.pk} if batch is not None else {}
    return problem(
        422,
        "validation_error",
        _("The file has %(count)s errors; nothing was imported.") % {"count": len(errors)},
        errors=listed,
        **extra,
    )


@router.post("/imports", response={201: ImportOut, **WRITE_ERRORS})
def upload_import(
    request: HttpRequest,
    kind: Form[KindCode],
    file: File[UploadedFile],
    encoding: Form[EncodingCode] = "auto",
    source: Form[str] = "",
):
    """Upload a CSV or XLSX file (multipart: `kind`, `file`, optional `encoding` and `source`)
    and check every row. 201 with the counts when it can be imported; 422 listing every error
    by row and column otherwise (`import_id` names the kept upload). Nothing is saved until
    `POST /imports/{id}/confirm`."""
    user = current_user(request)
    try:
        batch = services.upload(
            kind=kind,
            upload_file=file,
            encoding=encoding,
            source=source.strip(),
            by=user,
            now=timezone.now(),
        )
    except UnreadableFile as error:
        return problem(
            422,
            "validation_error",
            str(error),
            errors=[{"field": "file", "message": str(error)}],
        )
    if batch.errors:
        return _rejected(batch.errors, batch)
    return HttpStatus(201, _out(batch))


@router.get("/imports/{int:import_id}", response={200: ImportOut, **READ_ERRORS})
def get_import(request: HttpRequest, import_id: RecordId):
    """One upload: its state, counts and errors."""
    return _out(access.access_batch(current_user(request), import_id))


@router.post("/imports/{int:import_id}/confirm", response={200: ImportOut, **WRITE_ERRORS})
def confirm_import(request: HttpRequest, import_id: RecordId):
    """Import a checked upload in one transaction: every row, or (422) none."""
    user = current_user(request)
    batch = access.access_batch(user, import_id)
    try:
        services.confirm(batch, by=user, now=timezone.now())
    except services.ImportRejected:
        return _rejected(batch.errors, batch)
    return _out(batch)


@router.get(
    "/exports/{name}.{fmt}",
    response={200: None, 401: Problem, 403: Problem, 404: Problem},
    openapi_extra={
        "responses": {
            200: {
                "description": "Every row of the list the caller can see, with the list's "
                "filters given as query parameters (the same as the web page's).",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    exports.XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_list(request: HttpRequest, name: str, fmt: str):
    """A list as CSV (streamed) or XLSX: `cases` (query `view`, `status`, `priority`, `region`,
    `product`, `q` as on the queue), `problems`, `articles`, `follow-ups`, `onsite`, `quality`,
    `vendors`."""
    if name not in exports.LISTS or fmt not in exports.FORMATS:
        raise Http404
    return exports.export_response(
        exports.LISTS[name],
        user=current_user(request),
        params=request.GET,
        fmt=fmt,
        now=timezone.now(),
    )
