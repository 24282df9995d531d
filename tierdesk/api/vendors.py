"""Line-3 vendor coordination records: list, read, targets and ticket number, entries."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus
from pydantic import Field, field_validator

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, VERSIONED_ERRORS, Problem
from tierdesk.api.pagination import PageParams, RecordId, page_of, paginate
from tierdesk.cases.models import Case
from tierdesk.organization.models import User
from tierdesk.vendors import access, services
from tierdesk.vendors.enums import EntryKind
from tierdesk.vendors.models import VendorCoordination

router = Router(tags=["vendors"])

EntryKindCode = Literal[tuple(EntryKind.values)]


def _without_nul(value):
    # PostgreSQL refuses NUL in text; say so as a field error rather than failing later.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


class EntryOut(Schema):
    id: int
    kind: str
    author: str
    at: datetime
    text: str
    is_internal: bool

    @staticmethod
    def resolve_author(entry) -> str:
        return entry.author.username


class RecordItem(Schema):
    """`id` and `version` are null until the first change opens the record."""

    id: int | None
    case_id: int
    vendor: str
    coordinator: str
    vendor_ticket: str
    response_due_at: datetime | None
    fix_due_at: datetime | None
    first_answer_at: datetime | None
    fixed_at: datetime | None
    response_state: str
    fix_state: str
    version: int | None

    @staticmethod
    def resolve_vendor(record: VendorCoordination) -> str:
        return record.vendor.name

    @staticmethod
    def resolve_coordinator(record: VendorCoordination) -> str:
        return record.coordinator.username

    @staticmethod
    def resolve_response_state(record: VendorCoordination) -> str:
        return record.response_state(timezone.now()).value

    @staticmethod
    def resolve_fix_state(record: VendorCoordination) -> str:
        return record.fix_state(timezone.now()).value

    @staticmethod
    def resolve_version(record: VendorCoordination) -> int | None:
        return record.version if record.pk else None


class RecordDetail(RecordItem):
    entries: list[EntryOut]
    entry_kinds_allowed: list[str]
    may_set_targets: bool
    may_set_ticket: bool

    @staticmethod
    def resolve_entries(record: VendorCoordination) -> list:
        return record.visible_entries

    @staticmethod
    def resolve_entry_kinds_allowed(record: VendorCoordination) -> list[str]:
        return record.allowed_kinds


class RecordFilters(Schema):
    vendor: str | None = Field(None, max_length=120, description="The partner vendor's name.")
    overdue: bool | None = Field(
        None, description="Only records whose vendor missed its response or fix target."
    )

    @field_validator("vendor")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


class TargetsIn(Schema):
    """Left out or null: unchanged. The vendor contact may set only `vendor_ticket`."""

    version: int | None = None
    vendor_ticket: str | None = Field(None, max_length=60)
    response_due_at: datetime | None = None
    fix_due_at: datetime | None = None

    @field_validator("vendor_ticket")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


class EntryIn(Schema):
    version: int | None = None
    kind: EntryKindCode
    text: str = Field(..., min_length=1)

    @field_validator("text")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


def _detail(case: Case, user: User) -> VendorCoordination:
    record = VendorCoordination.objects.select_related("vendor", "coordinator").filter(case=case)
    record = record.first() or VendorCoordination(
        case=case, vendor=case.vendor, coordinator=case.coordinator, vendor_ticket=""
    )
    record.visible_entries = list(services.entries_visible_to(record, user)) if record.pk else []
    record.allowed_kinds = [k.value for k in access.entry_kinds_for(case, user)]
    record.may_set_targets = access.may_set_targets(case, user)
    record.may_set_ticket = access.may_set_ticket(case, user)
    return record


@router.get("", response={200: page_of(RecordItem), 400: Problem, 401: Problem, 422: Problem})
def list_records(
    request: HttpRequest, filters: Query[RecordFilters], page: Query[PageParams]
) -> dict:
    """Coordination records of the cases this person may see, newest first."""
    user = current_user(request)
    records = access.records_visible_to(user).select_related("vendor", "coordinator")
    if filters.vendor:
        records = records.filter(vendor__name=filters.vendor)
    if filters.overdue:
        records = records.overdue(timezone.now())
    return paginate(records, page)


@router.get("/cases/{int:case_id}", response={200: RecordDetail, **READ_ERRORS})
def get_record(request: HttpRequest, case_id: RecordId):
    """The coordination record of one line-3 case (empty until its first entry or target)."""
    user = current_user(request)
    case = access.access_line3_case(user, case_id)
    return _detail(case, user)


@router.patch("/cases/{int:case_id}", response={200: RecordDetail, **VERSIONED_ERRORS})
def set_targets(request: HttpRequest, case_id: RecordId, payload: TargetsIn):
    """Set the vendor's ticket number and the response and fix targets."""
    user = current_user(request)
    case = access.access_line3_case(user, case_id)
    services.set_targets(
        case,
        by=user,
        now=timezone.now(),
        vendor_ticket=payload.vendor_ticket,
        response_due_at=payload.response_due_at,
        fix_due_at=payload.fix_due_at,
        expected_version=payload.version,
    )
    return _detail(case, user)


@router.post("/cases/{int:case_id}/entries", response={201: EntryOut, **VERSIONED_ERRORS})
def add_entry(request: HttpRequest, case_id: RecordId, payload: EntryIn):
    """Add a request (coordinator, line 2), an answer or fix (vendor contact, or the coordinator
    for the vendor), or an internal note; requests and answers are visible to the vendor."""
    user = current_user(request)
    case = access.access_line3_case(user, case_id)
    entry = services.add_entry(
        case,
        by=user,
        kind=EntryKind(payload.kind),
        text=payload.text,
        now=timezone.now(),
        expected_version=payload.version,
    )
    return HttpStatus(201, entry)
