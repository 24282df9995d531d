"""On-site technical-support applications (appendix A): list, read, create, edit and each step."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus
from pydantic import Field, field_validator

from tierdesk.api.cases import current_user
from tierdesk.api.errors import (
    READ_ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    Problem,
    rename_fields,
)
from tierdesk.api.pagination import PageParams, RecordId, page_of, paginate
from tierdesk.api.steps import StepOut
from tierdesk.cases import access as case_access
from tierdesk.onsite import access, workflow
from tierdesk.onsite.enums import Action, Result, State, Urgency
from tierdesk.onsite.models import OnsiteApplication
from tierdesk.onsite.pdf import pdf_filename, render_application_pdf
from tierdesk.organization.models import ProductVersion, User

router = Router(tags=["onsite"])

StateCode = Literal[tuple(State.values)]
UrgencyCode = Literal[tuple(Urgency.values)]
ResultCode = Literal[tuple(Result.values)]
StepCode = Literal[tuple(a.value for a in workflow.STEP_FUNCTIONS)]


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _without_nul(value):
    # PostgreSQL refuses NUL in text; say so as a field error rather than failing later.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


# --- schemas ----------------------------------------------------------------------------------


class ApplicationItem(Schema):
    id: int
    serial: str
    record_number: str
    case_id: int
    state: str
    region: str
    customer: str
    urgency: str
    wished_date: date | None
    applicant: str
    engineer: str | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_record_number(application: OnsiteApplication) -> str:
        return application.RECORD_NUMBER

    @staticmethod
    def resolve_region(application: OnsiteApplication) -> str:
        return application.region.code

    @staticmethod
    def resolve_customer(application: OnsiteApplication) -> str:
        return application.customer.name

    @staticmethod
    def resolve_applicant(application: OnsiteApplication) -> str:
        return application.applicant.username

    @staticmethod
    def resolve_engineer(application: OnsiteApplication) -> str | None:
        return _username(application.engineer)


class ApplicationDetail(ApplicationItem):
    applicant_phone: str
    site: str
    site_address: str
    site_contact: str
    site_contact_phone: str
    project: str
    product: str
    product_version: str | None
    fault_description: str
    measures_taken: str
    skills_needed: str
    submitted_at: datetime | None
    approver: str | None
    decision: str
    decision_reason: str
    decided_at: datetime | None
    planned_start: date | None
    planned_end: date | None
    dispatched_by: str | None
    dispatched_at: datetime | None
    arrived_at: datetime | None
    findings: str
    work_done: str
    result: str
    customer_signoff_name: str
    reported_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    updated_at: datetime
    available_actions: list[str]
    history: list[StepOut]

    @staticmethod
    def resolve_site(application: OnsiteApplication) -> str:
        return application.site.name

    @staticmethod
    def resolve_product(application: OnsiteApplication) -> str:
        return application.product.code

    @staticmethod
    def resolve_product_version(application: OnsiteApplication) -> str | None:
        version = application.product_version
        return version.version if version else None

    @staticmethod
    def resolve_approver(application: OnsiteApplication) -> str | None:
        return _username(application.approver)

    @staticmethod
    def resolve_dispatched_by(application: OnsiteApplication) -> str | None:
        return _username(application.dispatched_by)

    @staticmethod
    def resolve_available_actions(application: OnsiteApplication) -> list[str]:
        return getattr(application, "available_actions", [])

    @staticmethod
    def resolve_history(application: OnsiteApplication) -> list:
        return list(application.steps.select_related("actor"))


class ApplicationFilters(Schema):
    state: list[StateCode] | None = Field(
        None,
        description="One or more states: repeat the parameter (`state=submitted&state=approved`).",
    )
    region: str | None = Field(None, max_length=30, description="Region code.")
    case_id: RecordId | None = None
    engineer: str | None = Field(
        None, max_length=150, description="The dispatched engineer's username, or `me`."
    )
    created_after: date | None = Field(None, description="Created on or after this date.")
    created_before: date | None = Field(None, description="Created before this date.")

    @field_validator("region", "engineer")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)

    def apply(self, applications, *, user: User):
        if self.state:
            applications = applications.filter(state__in=self.state)
        if self.region:
            applications = applications.filter(region__code=self.region)
        if self.case_id is not None:
            applications = applications.filter(case_id=self.case_id)
        if self.engineer == "me":
            applications = applications.filter(engineer=user)
        elif self.engineer:
            applications = applications.filter(engineer__username=self.engineer)
        if self.created_after is not None:
            applications = applications.filter(created_at__date__gte=self.created_after)
        if self.created_before is not None:
            applications = applications.filter(created_at__date__lt=self.created_before)
        return applications


class ApplicationFields(Schema):
    """The applicant's part of appendix A; what is left out keeps its value (or the case's)."""

    applicant_phone: str | None = Field(None, max_length=40)
    site_address: str | None = Field(None, max_length=300)
    site_contact: str | None = Field(None, max_length=100)
    site_contact_phone: str | None = Field(None, max_length=40)
    project: str | None = Field(None, max_length=200)
    product_version_id: RecordId | None = None
    fault_description: str | None = None
    measures_taken: str | None = None
    urgency: UrgencyCode | None = None
    wished_date: date | None = None
    skills_needed: str | None = None

    @field_validator("*")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


class ApplicationCreate(ApplicationFields):
    case_id: RecordId


class ApplicationUpdate(ApplicationFields):
    version: int


class StepIn(Schema):
    """What the step needs: `reason` to reject (optional to approve or withdraw), `engineer_username`
    and the planned dates to dispatch, the four report fields to report."""

    version: int
    reason: str = ""
    engineer_username: str | None = Field(None, max_length=150)
    planned_start: date | None = None
    planned_end: date | None = None
    findings: str = ""
    work_done: str = ""
    result: ResultCode | Literal[""] = ""
    customer_signoff_name: str = Field("", max_length=100)

    @field_validator("*")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


# --- helpers ----------------------------------------------------------------------------------


def _detail(pk: int, user: User) -> OnsiteApplication:
    """Loaded without the visibility filter: only called for one the person just read."""
    application = OnsiteApplication.objects.select_related(*access.RELATIONS).get(pk=pk)
    application.available_actions = [
        t.action.value for t in workflow.available_transitions(application, user)
    ]
    return application


def _fields(payload: ApplicationFields, *, product_id: int) -> dict:
    fields = payload.dict(exclude_unset=True, exclude={"case_id", "version"})
    fields = {name: value for name, value in fields.items() if value is not None}
    if "product_version_id" in fields:
        version = ProductVersion.objects.filter(
            pk=fields.pop("product_version_id"), product_id=product_id
        ).first()
        if version is None:
            raise ValidationError(
                {"product_version_id": _("There is no such version of the case's product.")}
            )
        fields["product_version"] = version
    return fields


# Service field names as the request bodies name them.
FIELD_NAMES = {"product_version": "product_version_id", "engineer": "engineer_username"}


# --- endpoints --------------------------------------------------------------------------------


@router.get("", response={200: page_of(ApplicationItem), 400: Problem, 401: Problem, 422: Problem})
def list_applications(
    request: HttpRequest, filters: Query[ApplicationFilters], page: Query[PageParams]
) -> dict:
    """On-site applications this person may see, newest first."""
    user = current_user(request)
    applications = access.applications_visible_to(user).select_related(
        "region", "customer", "applicant", "engineer"
    )
    return paginate(filters.apply(applications, user=user), page)


@router.post("", response={201: ApplicationDetail, **WRITE_ERRORS})
def create_application(request: HttpRequest, payload: ApplicationCreate):
    """Draft an application for a case; regional support of the case's region applies."""
    user = current_user(request)
    case = case_access.access_case(user, payload.case_id)
    try:
        application = workflow.create_application(
            case=case, by=user, now=timezone.now(), **_fields(payload, product_id=case.product_id)
        )
    except ValidationError as error:
        raise rename_fields(error, FIELD_NAMES) from None
    return HttpStatus(201, _detail(application.pk, user))


@router.get("/{int:application_id}", response={200: ApplicationDetail, **READ_ERRORS})
def get_application(request: HttpRequest, application_id: int):
    user = current_user(request)
    application = access.access_application(user, application_id)
    return _detail(application.pk, user)


@router.patch("/{int:application_id}", response={200: ApplicationDetail, **VERSIONED_ERRORS})
def update_application(request: HttpRequest, application_id: int, payload: ApplicationUpdate):
    """Change a draft; only its applicant may."""
    user = current_user(request)
    application = access.access_application(user, application_id)
    try:
        workflow.update_draft(
            application,
            by=user,
            changes=_fields(payload, product_id=application.product_id),
            now=timezone.now(),
            expected_version=payload.version,
        )
    except ValidationError as error:
        raise rename_fields(error, FIELD_NAMES) from None
    return _detail(application.pk, user)


@router.post(
    "/{int:application_id}/actions/{action}", response={200: ApplicationDetail, **VERSIONED_ERRORS}
)
def take_step(request: HttpRequest, application_id: int, action: StepCode, payload: StepIn):
    """Take one step (see `available_actions`): each asks for what it needs."""
    user = current_user(request)
    application = access.access_application(user, application_id)
    inputs = payload.dict(exclude={"version", "engineer_username"})
    if payload.engineer_username:
        inputs["engineer"] = User.objects.filter(
            username=payload.engineer_username, is_active=True
        ).first()
        if inputs["engineer"] is None:
            raise ValidationError({"engineer_username": _("No active person has this username.")})
    try:
        workflow.perform(
            application,
            action=Action(action),
            by=user,
            now=timezone.now(),
            inputs=inputs,
            expected_version=payload.version,
        )
    except ValidationError as error:
        raise rename_fields(error, FIELD_NAMES) from None
    return _detail(application.pk, user)


@router.get(
    "/{int:application_id}/pdf",
    response={200: None, **READ_ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The printable form (A4 PDF).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_pdf(request: HttpRequest, application_id: int):
    """The printable appendix A, in the caller's language."""
    user = current_user(request)
    application = access.access_application(user, application_id)
    response = HttpResponse(render_application_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(application)}"'
    return response
