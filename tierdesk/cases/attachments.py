"""Photos and logs on a case: size and type limits, stored through Django's storage API."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import access, workflow
from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import Attachment, Case, CaseEvent
from tierdesk.organization.models import User

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Checked against the file's first bytes, not its name: a renamed executable is refused.
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/zip",
    b"\x1f\x8b": "application/gzip",
}


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample.
        if error.start < len(head) - 4:
            return None
    return "text/plain"


def checked_content_type(upload) -> str:
    """The content type of an uploaded file, told by its first bytes; refuses an empty, a too
    large or an unknown kind of file. Every upload (case files, evidence, materials) goes
    through it."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"file": _("Files may be at most %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // 2**20}}
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    head = upload.read(2048)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            {"file": _("Only images, PDF, text logs and zip or gzip archives can be attached.")}
        )
    return content_type


@transaction.atomic
def add_attachment(
    case: Case,
    *,
    by: User,
    upload,
    internal: bool,
    now: datetime,
    expected_version: int | None = None,
) -> Attachment:
    content_type = checked_content_type(upload)
    case = workflow.lock_case(case, by=by, expected_version=expected_version)
    internal = access.keeps_internal(by, internal)
    attachment = Attachment(
        case=case,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        is_internal=internal,
        uploaded_by=by,
        uploaded_at=now,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    workflow.record_change(case, by=by, now=now, fields=[])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.ATTACHMENT,
        actor=by,
        at=now,
        text=attachment.original_name,
        is_internal=internal,
    )
    return attachment
