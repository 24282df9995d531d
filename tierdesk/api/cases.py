"""Cases, their history, comments, attachments and the problems behind them."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from tierdesk.api.errors import (
    READ_ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    Problem,
    rename_fields,
)
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.cases import access, attachments, problems, workflow
from tierdesk.cases.enums import (
    Action,
    Channel,
    Classification,
    Priority,
    Source,
    Status,
)
from tierdesk.cases.models import Attachment, Case, CaseEvent
from tierdesk.cases.models import Problem as ProblemRecord
from tierdesk.organization import permissions
from tierdesk.organization.models import (
    Contact,
    Customer,
    Product,
    ProductVersion,
    Site,
    User,
    Vendor,
)

router = Router(tags=["cases"])
problems_router = Router(tags=["problems"])

# Request enums come from the models' choices, so the schema always lists the valid codes.
StatusCode = Literal[tuple(Status.values)]
PriorityCode = Literal[tuple(Priority.values)]
SourceCode = Literal[tuple(Source.values)]
ChannelCode = Literal[tuple(Channel.values)]
ClassificationCode = Literal[tuple(Classification.values)]
ActionCode = Literal[tuple(Action.values)]

CASE_RELATIONS = [
    "customer",
    "contact",
    "site",
    "region",
    "product",
    "product_version",
    "owner",
    "line2_owner",
    "reporter",
    "vendor",
    "coordinator",
    "problem",
    "updated_by",
]


def current_user(request: HttpRequest) -> User:
    """The authenticated person, whichever auth (session now, tokens later) let them in."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else request.user


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


# --- schemas ---------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class CaseItem(Schema):
    id: int
    reference: str
    title: str
    status: str
    line: int
    priority: str
    region: str
    product: str
    owner: str | None
    opened_at: datetime
    resolve_due_at: datetime | None
    breached_at: datetime | None
    version: int

    @staticmethod
    def resolve_region(case: Case) -> str:
        return case.region.code

    @staticmethod
    def resolve_product(case: Case) -> str:
        return case.product.code

    @staticmethod
    def resolve_owner(case: Case) -> str | None:
        return _username(case.owner)


class CaseDetail(CaseItem):
    description: str
    classification: str
    source: str
    channel: str
    customer: Ref
    site: Ref
    contact: Ref | None
    product_version: str | None
    vendor: Ref | None
    coordinator: str | None
    line2_owner: str | None
    reporter: str
    problem: int | None = Field(description="Id of the linked problem.")
    resolution: str
    waiting_on: str
    response_due_at: datetime | None
    warn_due_at: datetime | None
    warned_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    updated_by: str | None
    available_actions: list[str]

    @staticmethod
    def resolve_product_version(case: Case) -> str | None:
        return case.product_version.version if case.product_version else None

    @staticmethod
    def resolve_coordinator(case: Case) -> str | None:
        return _username(case.coordinator)

    @staticmethod
    def resolve_line2_owner(case: Case) -> str | None:
        return _username(case.line2_owner)

    @staticmethod
    def resolve_reporter(case: Case) -> str:
        return case.reporter.username

    @staticmethod
    def resolve_updated_by(case: Case) -> str | None:
        return _username(case.updated_by)

    @staticmethod
    def resolve_problem(case: Case) -> int | None:
        return case.problem_id

    @staticmethod
    def resolve_available_actions(case: Case) -> list[str]:
        return getattr(case, "available_actions", [])


class CaseFilters(Schema):
    status: StatusCode | None = None
    line: int | None = Field(None, ge=1, le=3)
    region: str | None = Field(None, description="Region code.")
    owner: str | None = Field(None, description="Owner's username.")
    priority: PriorityCode | None = None
    product: str | None = Field(None, description="Product code.")
    opened_after: datetime | None = None
    opened_before: datetime | None = None
    breached: bool | None = None
    q: str | None = Field(None, description="Text the title contains.")


class CaseCreate(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    customer_id: int
    site_id: int
    contact_id: int | None = None
    product_id: int
    product_version_id: int | None = None
    source: SourceCode
    channel: ChannelCode = Channel.API.value
    priority: PriorityCode


class CaseUpdate(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1)
    priority: PriorityCode | None = None
    classification: ClassificationCode | Literal[""] | None = None


class ActionIn(Schema):
    version: int
    text: str = ""
    classification: ClassificationCode | None = None
    vendor_id: int | None = None
    coordinator_username: str | None = None


class AssignIn(Schema):
    version: int
    username: str


class Event(Schema):
    id: int
    kind: str
    action: str
    actor: str | None
    at: datetime
    from_status: str
    to_status: str
    from_line: int | None
    to_line: int | None
    text: str
    internal: bool
    field: str
    old_value: str
    new_value: str

    @staticmethod
    def resolve_actor(event: CaseEvent) -> str | None:
        return _username(event.actor)

    @staticmethod
    def resolve_internal(event: CaseEvent) -> bool:
        return event.is_internal


class CommentIn(Schema):
    text: str = Field(min_length=1)
    internal: bool = True


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    internal: bool
    uploaded_by: str
    uploaded_at: datetime

    @staticmethod
    def resolve_name(attachment: Attachment) -> str:
        return attachment.original_name

    @staticmethod
    def resolve_internal(attachment: Attachment) -> bool:
        return attachment.is_internal

    @staticmethod
    def resolve_uploaded_by(attachment: Attachment) -> str:
        return attachment.uploaded_by.username


class LinkProblemIn(Schema):
    problem_id: int


class ProblemOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    product: str | None
    state: str
    root_cause: str
    workaround: str
    resolution: str
    created_by: str
    created_at: datetime
    resolved_at: datetime | None

    @staticmethod
    def resolve_product(problem: ProblemRecord) -> str | None:
        return problem.product.code if problem.product else None

    @staticmethod
    def resolve_created_by(problem: ProblemRecord) -> str:
        return problem.created_by.username


class ProblemCreate(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    product_id: int | None = None


class ProblemResolve(Schema):
    resolution: str = Field(min_length=1)
    case_ids: list[int] = []


# --- helpers ---------------------------------------------------------------------------------


def _detail(case_id: int, user: User) -> Case:
    """The case as the detail response shows it, with what this person may do next.

    Loaded without the visibility filter: it is only called for a case the person just read
    or changed through `access.access_case`.
    """
    case = Case.objects.select_related(*CASE_RELATIONS).get(pk=case_id)
    case.available_actions = [t.action.value for t in workflow.available_transitions(case, user)]
    return case


def _user_named(username: str, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({field: _("No active person has this username.")})
    return user


def require_internal(user: User) -> None:
    if not access.sees_internal(user):
        raise PermissionDenied(_("Partner vendors cannot use this."))


# --- cases -----------------------------------------------------------------------------------


@router.get("", response={200: page_of(CaseItem), 400: Problem, 401: Problem, 422: Problem})
def list_cases(request: HttpRequest, filters: Query[CaseFilters], page: Query[PageParams]) -> dict:
    """Cases this person may see, newest first."""
    cases = access.cases_visible_to(current_user(request)).select_related(
        "region", "product", "owner"
    )
    lookups = {
        "status": "status",
        "line": "line",
        "region": "region__code",
        "owner": "owner__username",
        "priority": "priority",
        "product": "product__code",
        "opened_after": "opened_at__gte",
        "opened_before": "opened_at__lt",
        "q": "title__icontains",
    }
    for name, lookup in lookups.items():
        value = getattr(filters, name)
        if value is not None and value != "":
            cases = cases.filter(**{lookup: value})
    if filters.breached is not None:
        cases = cases.filter(breached_at__isnull=not filters.breached)
    return paginate(cases, page)


@router.post("", response={201: CaseDetail, **WRITE_ERRORS})
def create_case(request: HttpRequest, payload: CaseCreate):
    """Open a case; line 1 and line 2 record cases."""
    user = current_user(request)
    if not (permissions.is_line1(user) or permissions.is_line2(user)):
        raise PermissionDenied(_("Only line-1 and line-2 engineers open cases."))
    lookups = {
        "customer": (Customer.objects.all(), payload.customer_id),
        "site": (Site.objects.select_related("region"), payload.site_id),
        "contact": (Contact.objects.all(), payload.contact_id),
        "product": (Product.objects.filter(is_active=True), payload.product_id),
        "product_version": (ProductVersion.objects.all(), payload.product_version_id),
    }
    fields, missing = {}, {}
    for name, (queryset, pk) in lookups.items():
        if pk is None:
            fields[name] = None
            continue
        fields[name] = queryset.filter(pk=pk).first()
        if fields[name] is None:
            missing[f"{name}_id"] = _("There is no such record.")
    if missing:
        raise ValidationError(missing)
    try:
        case = workflow.open_case(
            by=user,
            now=timezone.now(),
            title=payload.title,
            description=payload.description,
            source=payload.source,
            channel=payload.channel,
            priority=payload.priority,
            **fields,
        )
    except ValidationError as error:
        raise rename_fields(error, {name: f"{name}_id" for name in lookups}) from None
    return 201, _detail(case.pk, user)


@router.get("/{int:case_id}", response={200: CaseDetail, **READ_ERRORS})
def get_case(request: HttpRequest, case_id: int):
    user = current_user(request)
    case = access.access_case(user, case_id)
    return _detail(case.pk, user)


@router.patch("/{int:case_id}", response={200: CaseDetail, **VERSIONED_ERRORS})
def update_case(request: HttpRequest, case_id: int, payload: CaseUpdate):
    """Change title, description, priority or classification; each change is recorded."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    require_internal(user)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {name: value for name, value in changes.items() if value is not None}
    workflow.update_case(
        case, by=user, changes=changes, now=timezone.now(), expected_version=payload.version
    )
    return _detail(case.pk, user)


@router.post("/{int:case_id}/actions/{action}", response={200: CaseDetail, **VERSIONED_ERRORS})
def perform_action(request: HttpRequest, case_id: int, action: ActionCode, payload: ActionIn):
    """Take one step of the three-line workflow (see `available_actions` on the case)."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    vendor = coordinator = None
    if payload.vendor_id is not None:
        vendor = Vendor.objects.filter(pk=payload.vendor_id).first()
        if vendor is None:
            raise ValidationError({"vendor_id": _("There is no such record.")})
    if payload.coordinator_username:
        coordinator = _user_named(payload.coordinator_username, "coordinator_username")
    try:
        workflow.perform(
            case,
            action=Action(action),
            by=user,
            now=timezone.now(),
            text=payload.text,
            classification=payload.classification,
            vendor=vendor,
            coordinator=coordinator,
            expected_version=payload.version,
        )
    except ValidationError as error:
        names = {"vendor": "vendor_id", "coordinator": "coordinator_username"}
        raise rename_fields(error, names) from None
    return _detail(case.pk, user)


@router.post("/{int:case_id}/assign", response={200: CaseDetail, **VERSIONED_ERRORS})
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn):
    """Give the case to a person of its handling group (or take it yourself)."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    to = _user_named(payload.username, "username")
    try:
        workflow.assign(case, by=user, to=to, now=timezone.now(), expected_version=payload.version)
    except ValidationError as error:
        raise rename_fields(error, {"to": "username"}) from None
    return _detail(case.pk, user)


@router.get("/{int:case_id}/events", response={200: page_of(Event), 400: Problem, **READ_ERRORS})
def list_events(request: HttpRequest, case_id: int, page: Query[PageParams]) -> dict:
    """The case's history, oldest first; partner vendors see only the customer-safe part."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    if not access.sees_internal(user):
        events = events.customer_safe()
    return paginate(events, page, descending=False)


@router.post("/{int:case_id}/comments", response={201: Event, **WRITE_ERRORS})
def add_comment(request: HttpRequest, case_id: int, payload: CommentIn):
    """Add a note; partner vendors' notes are always customer-visible."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    event = workflow.comment(
        case, by=user, text=payload.text, internal=payload.internal, now=timezone.now()
    )
    return 201, event


@router.get(
    "/{int:case_id}/attachments",
    response={200: page_of(AttachmentOut), 400: Problem, **READ_ERRORS},
)
def list_attachments(request: HttpRequest, case_id: int, page: Query[PageParams]) -> dict:
    user = current_user(request)
    case = access.access_case(user, case_id)
    files = Attachment.objects.filter(case=case).select_related("uploaded_by")
    if not access.sees_internal(user):
        files = files.filter(is_internal=False)
    return paginate(files, page, descending=False)


@router.post("/{int:case_id}/attachments", response={201: AttachmentOut, **WRITE_ERRORS})
def add_attachment(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    internal: Form[bool] = True,
):
    """Upload a photo, log, PDF or archive (multipart: `file` and `internal`)."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    attachment = attachments.add_attachment(
        case, by=user, upload=file, internal=internal, now=timezone.now()
    )
    return 201, attachment


@router.post("/{int:case_id}/problem", response={200: CaseDetail, **WRITE_ERRORS})
def link_problem(request: HttpRequest, case_id: int, payload: LinkProblemIn):
    """Link the case to the problem behind it."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    require_internal(user)
    problem = ProblemRecord.objects.filter(pk=payload.problem_id).first()
    if problem is None:
        raise ValidationError({"problem_id": _("There is no such record.")})
    problems.link_case(case, problem=problem, by=user, now=timezone.now())
    return _detail(case.pk, user)


# --- problems --------------------------------------------------------------------------------


def _problems():
    return ProblemRecord.objects.select_related("product", "created_by")


@problems_router.get(
    "", response={200: page_of(ProblemOut), 400: Problem, 401: Problem, 403: Problem}
)
def list_problems(request: HttpRequest, page: Query[PageParams]) -> dict:
    require_internal(current_user(request))
    return paginate(_problems(), page)


@problems_router.post("", response={201: ProblemOut, **WRITE_ERRORS})
def create_problem(request: HttpRequest, payload: ProblemCreate):
    user = current_user(request)
    require_internal(user)
    product = None
    if payload.product_id is not None:
        product = Product.objects.filter(pk=payload.product_id).first()
        if product is None:
            raise ValidationError({"product_id": _("There is no such record.")})
    problem = problems.open_problem(
        by=user,
        title=payload.title,
        description=payload.description,
        product=product,
        now=timezone.now(),
    )
    return 201, _problems().get(pk=problem.pk)


@problems_router.get("/{int:problem_id}", response={200: ProblemOut, 403: Problem, **READ_ERRORS})
def get_problem(request: HttpRequest, problem_id: int):
    require_internal(current_user(request))
    problem = _problems().filter(pk=problem_id).first()
    if problem is None:
        raise Http404
    return problem


@problems_router.post("/{int:problem_id}/resolve", response={200: ProblemOut, **WRITE_ERRORS})
def resolve_problem(request: HttpRequest, problem_id: int, payload: ProblemResolve):
    """Resolve the problem and, if asked, each listed open case (each gets its own history)."""
    user = current_user(request)
    require_internal(user)
    problem = _problems().filter(pk=problem_id).first()
    if problem is None:
        raise Http404
    cases = list(access.cases_visible_to(user).filter(pk__in=payload.case_ids))
    unseen = set(payload.case_ids) - {case.pk for case in cases}
    if unseen:
        raise ValidationError(
            {"case_ids": _("No such case: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unseen)))}}
        )
    try:
        problems.resolve_problem(
            problem, by=user, resolution=payload.resolution, now=timezone.now(), cases=cases
        )
    except ValidationError as error:
        raise rename_fields(error, {"cases": "case_ids"}) from None
    return _problems().get(pk=problem.pk)
