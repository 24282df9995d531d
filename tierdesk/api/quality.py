"""Quality feedback forms to R&D test support: list, export, read, raise, evidence and steps."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, VERSIONED_ERRORS, WRITE_ERRORS, Problem
from tierdesk.api.pagination import PageParams, RecordId, page_of, paginate
from tierdesk.api.steps import StepOut
from tierdesk.cases import access as case_access
from tierdesk.organization.models import Product, Region, User
from tierdesk.quality import access, workflow
from tierdesk.quality.enums import Action, Frequency, Impact, State
from tierdesk.quality.exports import feedback_workbook
from tierdesk.quality.models import QualityFeedback
from tierdesk.quality.pdf import pdf_filename, render_feedback_pdf

router = Router(tags=["quality"])

StateCode = Literal[tuple(State.values)]
FrequencyCode = Literal[tuple(Frequency.values)]
ImpactCode = Literal[tuple(Impact.values)]
StepCode = Literal[tuple(a.value for a in workflow.STEP_INPUTS)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _without_nul(value):
    # PostgreSQL refuses NUL in text; say so as a field error rather than failing later.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


# --- schemas ----------------------------------------------------------------------------------


class FeedbackItem(Schema):
    id: int
    serial: str
    record_number: str
    state: str
    region: str
    product: str
    version_or_batch: str
    frequency: str
    impact: str
    raised_by: str
    fix_version: str
    created_at: datetime
    version: int

    @staticmethod
    def resolve_record_number(feedback: QualityFeedback) -> str:
        return feedback.RECORD_NUMBER

    @staticmethod
    def resolve_region(feedback: QualityFeedback) -> str:
        return feedback.region.code

    @staticmethod
    def resolve_product(feedback: QualityFeedback) -> str:
        return feedback.product.code

    @staticmethod
    def resolve_raised_by(feedback: QualityFeedback) -> str:
        return feedback.raised_by.username


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime

    @staticmethod
    def resolve_uploaded_by(evidence) -> str:
        return evidence.uploaded_by.username


class FeedbackDetail(FeedbackItem):
    fault_description: str
    case_ids: list[int]
    submitted_at: datetime | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    root_cause: str
    fix: str
    analysed_by: str | None
    analysed_at: datetime | None
    released_at: datetime | None
    verification_note: str
    verified_by: str | None
    closed_at: datetime | None
    updated_at: datetime
    available_actions: list[str]
    evidence: list[EvidenceOut]
    history: list[StepOut]

    @staticmethod
    def resolve_case_ids(feedback: QualityFeedback) -> list[int]:
        # Only the linked cases this reader may see: the form must not reveal the others.
        return getattr(feedback, "visible_case_ids", [])

    @staticmethod
    def resolve_acknowledged_by(feedback: QualityFeedback) -> str | None:
        return _username(feedback.acknowledged_by)

    @staticmethod
    def resolve_analysed_by(feedback: QualityFeedback) -> str | None:
        return _username(feedback.analysed_by)

    @staticmethod
    def resolve_verified_by(feedback: QualityFeedback) -> str | None:
        return _username(feedback.verified_by)

    @staticmethod
    def resolve_available_actions(feedback: QualityFeedback) -> list[str]:
        return getattr(feedback, "available_actions", [])

    @staticmethod
    def resolve_evidence(feedback: QualityFeedback) -> list:
        return list(feedback.evidence.select_related("uploaded_by"))

    @staticmethod
    def resolve_history(feedback: QualityFeedback) -> list:
        return list(feedback.steps.select_related("actor"))


class FeedbackFilters(Schema):
    state: list[StateCode] | None = Field(
        None,
        description="One or more states: repeat the parameter (`state=submitted&state=analysed`).",
    )
    product: str | None = Field(None, max_length=40, description="Product code.")
    region: str | None = Field(None, max_length=30, description="Region code.")
    case_id: RecordId | None = None
    created_after: date | None = Field(None, description="Created on or after this date.")
    created_before: date | None = Field(None, description="Created before this date.")

    @field_validator("product", "region")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)

    def apply(self, feedbacks):
        if self.state:
            feedbacks = feedbacks.filter(state__in=self.state)
        if self.product:
            feedbacks = feedbacks.filter(product__code=self.product)
        if self.region:
            feedbacks = feedbacks.filter(region__code=self.region)
        if self.case_id is not None:
            feedbacks = feedbacks.filter(cases=self.case_id)
        if self.created_after is not None:
            feedbacks = feedbacks.filter(created_at__date__gte=self.created_after)
        if self.created_before is not None:
            feedbacks = feedbacks.filter(created_at__date__lt=self.created_before)
        return feedbacks


class FeedbackCreate(Schema):
    region: str = Field(..., max_length=30, description="Region code.")
    product: str = Field(..., max_length=40, description="Product code.")
    version_or_batch: str = Field(..., max_length=100)
    fault_description: str
    frequency: FrequencyCode
    impact: ImpactCode
    case_ids: list[RecordId] = Field(default_factory=list, max_length=100)

    @field_validator("region", "product", "version_or_batch", "fault_description")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


class StepIn(Schema):
    """What the step needs: `root_cause`, `fix` and `fix_version` to analyse, a `note` to report
    a failed verification (optional elsewhere)."""

    version: int
    note: str = ""
    root_cause: str = ""
    fix: str = ""
    fix_version: str = Field("", max_length=100)

    @field_validator("*")
    @classmethod
    def refuse_nul(cls, value):
        return _without_nul(value)


# --- helpers ----------------------------------------------------------------------------------


def _detail(pk: int, user: User) -> QualityFeedback:
    """Loaded without the visibility filter: only called for one the person just read."""
    feedback = QualityFeedback.objects.select_related(*access.RELATIONS).get(pk=pk)
    feedback.available_actions = [
        t.action.value for t in workflow.available_transitions(feedback, user)
    ]
    feedback.visible_case_ids = list(
        case_access.cases_visible_to(user)
        .filter(quality_feedbacks=feedback)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return feedback


# --- endpoints --------------------------------------------------------------------------------


@router.get("", response={200: page_of(FeedbackItem), 400: Problem, 401: Problem, 422: Problem})
def list_feedbacks(
    request: HttpRequest, filters: Query[FeedbackFilters], page: Query[PageParams]
) -> dict:
    """Quality feedback forms this person may see, newest first."""
    user = current_user(request)
    feedbacks = access.feedbacks_visible_to(user).select_related("region", "product", "raised_by")
    return paginate(filters.apply(feedbacks), page)


@router.get(
    "/export.xlsx",
    response={200: None, 401: Problem, 422: Problem},
    openapi_extra={
        "responses": {
            200: {
                "description": "Every form matching the filters, one row each.",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_feedbacks(request: HttpRequest, filters: Query[FeedbackFilters]):
    """The filtered list as an Excel workbook, in the caller's language."""
    user = current_user(request)
    feedbacks = filters.apply(access.feedbacks_visible_to(user)).order_by("-id")
    response = HttpResponse(feedback_workbook(feedbacks), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="quality-feedback.xlsx"'
    return response


@router.post("", response={201: FeedbackDetail, **WRITE_ERRORS})
def create_feedback(request: HttpRequest, payload: FeedbackCreate):
    """Draft a form; regional support for its region, Engineering Service for any region."""
    user = current_user(request)
    errors = {}
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        errors["region"] = _("There is no such region.")
    product = Product.objects.filter(code=payload.product).first()
    if product is None:
        errors["product"] = _("There is no such product.")
    cases = list(access.linkable_cases(user).filter(pk__in=payload.case_ids))
    if len(cases) != len(set(payload.case_ids)):
        errors["case_ids"] = _("You may link only cases you can see.")
    if errors:
        raise ValidationError(errors)
    feedback = workflow.create_feedback(
        by=user,
        now=timezone.now(),
        region=region,
        product=product,
        version_or_batch=payload.version_or_batch,
        fault_description=payload.fault_description,
        frequency=payload.frequency,
        impact=payload.impact,
        cases=cases,
    )
    return HttpStatus(201, _detail(feedback.pk, user))


@router.get("/{int:feedback_id}", response={200: FeedbackDetail, **READ_ERRORS})
def get_feedback(request: HttpRequest, feedback_id: int):
    user = current_user(request)
    feedback = access.access_feedback(user, feedback_id)
    return _detail(feedback.pk, user)


@router.post(
    "/{int:feedback_id}/actions/{action}", response={200: FeedbackDetail, **VERSIONED_ERRORS}
)
def take_step(request: HttpRequest, feedback_id: int, action: StepCode, payload: StepIn):
    """Take one step (see `available_actions`): each asks for what it needs."""
    user = current_user(request)
    feedback = access.access_feedback(user, feedback_id)
    workflow.perform(
        feedback,
        action=Action(action),
        by=user,
        now=timezone.now(),
        inputs=payload.dict(exclude={"version"}),
        expected_version=payload.version,
    )
    return _detail(feedback.pk, user)


@router.post("/{int:feedback_id}/evidence", response={201: EvidenceOut, **WRITE_ERRORS})
def add_evidence(request: HttpRequest, feedback_id: int, file: File[UploadedFile]):
    """Upload a photo, log, PDF or archive as evidence (multipart: `file`)."""
    user = current_user(request)
    feedback = access.access_feedback(user, feedback_id)
    evidence = workflow.add_evidence(feedback, by=user, upload=file, now=timezone.now())
    return HttpStatus(201, evidence)


@router.get(
    "/{int:feedback_id}/pdf",
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
def download_pdf(request: HttpRequest, feedback_id: int):
    """The printable quality feedback form, in the caller's language."""
    user = current_user(request)
    feedback = access.access_feedback(user, feedback_id)
    response = HttpResponse(render_feedback_pdf(feedback), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(feedback)}"'
    return response
