"""Cases, their history, comments, attachments and the problems behind them."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile
from pydantic import Field

from tierdesk.api.errors import (
    READ_ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    Problem,
    rename_fields,
)
from tierdesk.api.fields import PlainText, RecordId
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
    """The authenticated person, whether a browser session or a personal API token let them in."""
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
    status: list[StatusCode] | None = Field(
        None, description="One or more states: repeat the parameter (`status=field&status=line2`)."
    )
    line: int | None = Field(None, ge=1, le=3)
    region: PlainText | None = Field(None, max_length=30, description="Region code.")
    owner: PlainText | None = Field(
        None, max_length=150, description="The owner's username, or `me` for the caller."
    )
    priority: PriorityCode | None = None
    product: PlainText | None = Field(None, max_length=40, description="Product code.")
    classification: ClassificationCode | None = None
    opened_after: datetime | None = Field(
        None,
        description="ISO 8601 date or date-time, inclusive; a date or a time without offset "
        "is read in the server's time zone.",
    )
    opened_before: datetime | None = Field(
        None, description="ISO 8601 date or date-time, exclusive (`opened_before=2026-03-02`)."
    )
    breached: bool | None = Field(None, description="Whether a resolution target was missed.")
    waiting: bool | None = Field(None, description="Whether the clock is paused for someone.")
    q: PlainText | None = Field(None, max_length=200, description="Text the title contains.")

    def apply(self, cases: QuerySet[Case], *, user: User) -> QuerySet[Case]:
        """Narrow `cases`; paging still seeks on the id (or status, owner, region) indexes."""
        if self.status:
            cases = cases.filter(status__in=self.status)
        exact = {
            "line": "line",
            "region": "region__code",
            "priority": "priority",
            "product": "product__code",
            "classification": "classification",
        }
        for name, lookup in exact.items():
            value = getattr(self, name)
            if value is not None and value != "":
                cases = cases.filter(**{lookup: value})
        if self.owner == "me":
            cases = cases.filter(owner=user)
        elif self.owner:
            cases = cases.filter(owner__username=self.owner)
        if self.opened_after is not None:
            cases = cases.filter(opened_at__gte=_aware(self.opened_after))
        if self.opened_before is not None:
            cases = cases.filter(opened_at__lt=_aware(self.opened_before))
        if self.breached is not None:
            cases = cases.filter(breached_at__isnull=not self.breached)
        if self.waiting is not None:
            cases = cases.exclude(waiting_on="") if self.waiting else cases.filter(waiting_on="")
        if self.q:
            cases = cases.filter(title__icontains=self.q)
        return cases


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class CaseCreate(Schema):
    title: PlainText = Field(min_length=1, max_length=200)
    description: PlainText = Field(min_length=1)
    customer_id: RecordId
    site_id: RecordId
    contact_id: RecordId | None = None
    product_id: RecordId
    product_version_id: RecordId | None = None
    source: SourceCode
    channel: ChannelCode = Channel.API.value
    priority: PriorityCode


class CaseUpdate(Schema):
    version: int
    title: PlainText | None = Field(None, min_length=1, max_length=200)
    description: PlainText | None = Field(None, min_length=1)
    priority: PriorityCode | None = None
    classification: ClassificationCode | Literal[""] | None = None


class ActionIn(Schema):
    version: int
    text: PlainText = ""
    classification: ClassificationCode | None = None
    vendor_id: RecordId | None = None
    coordinator_username: PlainText | None = None


class AssignIn(Schema):
    version: int
    username: PlainText


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
    text: PlainText = Field(min_length=1)
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
    problem_id: RecordId
    version: int | None = None


class WaitIn(Schema):
    waiting_on: Literal["customer", "vendor"]
    note: PlainText = ""
    version: int | None = None


class ResumeIn(Schema):
    note: PlainText = ""
    version: int | None = None


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
    title: PlainText = Field(min_length=1, max_length=200)
    description: PlainText = ""
    product_id: RecordId | None = None


class ProblemResolve(Schema):
    resolution: PlainText = Field(min_length=1)
    case_ids: list[RecordId] = Field(default_factory=list, max_length=500)


# --- helpers ---------------------------------------------------------------------------------


def _detail(case_id: int, user: User) -> Case:
    """The case as the detail response shows it, with what this person may do next.

    Loaded without the visibility filter: it is only called for a case the person just read
    or changed through `access.access_case`.
    """
    case = Case.objects.select_related(*CASE_RELATIONS).get(pk=case_id)
    case.available_actions = [t.action.value for t in workflow.available_transitions(case, user)]
    return case


def _shown(case: Case, user: User, *, read: Case | None = None) -> Case:
    """The detail response from the case in hand, as a service just left it.

    Relations this request has already read (on `read`, the case as access_case loaded it) are
    reused where they still match; any other relation loads on its own when the response asks.
    """
    if read is not None and read is not case:
        for name in CASE_RELATIONS:
            field = Case._meta.get_field(name)
            if not field.is_cached(read) or field.is_cached(case):
                continue
            related = field.get_cached_value(read)
            if getattr(case, field.attname) == (related.pk if related is not None else None):
                field.set_cached_value(case, related)
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
    user = current_user(request)
    cases = access.cases_visible_to(user).select_related("region", "product", "owner")
    cases = filters.apply(cases, user=user)
    return paginate(cases, page)


@router.post("", response={201: CaseDetail, **WRITE_ERRORS})
def create_case(request: HttpRequest, payload: CaseCreate):
    """Open a case; line 1 and line 2 record cases."""
    user = current_user(request)
    if not (permissions.is_line1(user) or permissions.is_line2(user)):
        raise PermissionDenied(_("Only line-1 and line-2 engineers open cases."))
    lookups = {
        "site": (Site.objects.select_related("region", "customer"), payload.site_id),
        "customer": (Customer.objects.all(), payload.customer_id),
        "contact": (Contact.objects.all(), payload.contact_id),
        "product": (Product.objects.filter(is_active=True), payload.product_id),
        "product_version": (ProductVersion.objects.all(), payload.product_version_id),
    }
    fields, missing = {}, {}
    for name, (queryset, pk) in lookups.items():
        if pk is None:
            fields[name] = None
            continue
        site = fields.get("site")
        if name == "customer" and site is not None and site.customer_id == pk:
            fields[name] = site.customer  # read with the site
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
    return HttpStatus(201, _shown(case, user))


@router.get("/{int:case_id}", response={200: CaseDetail, **READ_ERRORS})
def get_case(request: HttpRequest, case_id: int):
    user = current_user(request)
    return _shown(access.access_case(user, case_id), user)


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
        event = workflow.perform(
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
    return _shown(event.case, user, read=case)


@router.post("/{int:case_id}/assign", response={200: CaseDetail, **VERSIONED_ERRORS})
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn):
    """Give the case to a person of its handling group (or take it yourself)."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    to = _user_named(payload.username, "username")
    try:
        event = workflow.assign(
            case, by=user, to=to, now=timezone.now(), expected_version=payload.version
        )
    except ValidationError as error:
        raise rename_fields(error, {"to": "username"}) from None
    return _shown(event.case, user, read=case)


@router.get("/{int:case_id}/events", response={200: page_of(Event), 400: Problem, **READ_ERRORS})
def list_events(request: HttpRequest, case_id: int, page: Query[PageParams]) -> dict:
    """The case's history, oldest first; partner vendors see only the customer-safe part."""
    user = current_user(request)
    case = access.access_case(user, case_id, related=False)
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    if not access.sees_internal(user):
        events = events.customer_safe()
    return paginate(events, page, descending=False)


@router.post("/{int:case_id}/comments", response={201: Event, **WRITE_ERRORS})
def add_comment(request: HttpRequest, case_id: int, payload: CommentIn):
    """Add a note; partner vendors' notes are always customer-visible."""
    user = current_user(request)
    case = access.access_case(user, case_id, related=False)
    event = workflow.comment(
        case, by=user, text=payload.text, internal=payload.internal, now=timezone.now()
    )
    return HttpStatus(201, event)


@router.get(
    "/{int:case_id}/attachments",
    response={200: page_of(AttachmentOut), 400: Problem, **READ_ERRORS},
)
def list_attachments(request: HttpRequest, case_id: int, page: Query[PageParams]) -> dict:
    user = current_user(request)
    case = access.access_case(user, case_id, related=False)
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
    return HttpStatus(201, attachment)


@router.post("/{int:case_id}/problem", response={200: CaseDetail, **VERSIONED_ERRORS})
def link_problem(request: HttpRequest, case_id: int, payload: LinkProblemIn):
    """Link the case to the problem behind it."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    require_internal(user)
    problem = ProblemRecord.objects.filter(pk=payload.problem_id).first()
    if problem is None:
        raise ValidationError({"problem_id": _("There is no such record.")})
    problems.link_case(
        case, problem=problem, by=user, now=timezone.now(), expected_version=payload.version
    )
    return _detail(case.pk, user)


@router.post("/{int:case_id}/wait", response={200: CaseDetail, **VERSIONED_ERRORS})
def wait(request: HttpRequest, case_id: int, payload: WaitIn):
    """Pause the clocks while the customer or the partner vendor owes an answer."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    event = workflow.wait_for(
        case,
        by=user,
        waiting_on=payload.waiting_on,
        note=payload.note,
        now=timezone.now(),
        expected_version=payload.version,
    )
    return _shown(event.case, user, read=case)


@router.post("/{int:case_id}/resume", response={200: CaseDetail, **VERSIONED_ERRORS})
def resume(request: HttpRequest, case_id: int, payload: ResumeIn):
    """The awaited answer came: the clocks run again, with the due times moved on."""
    user = current_user(request)
    case = access.access_case(user, case_id)
    event = workflow.stop_waiting(
        case, by=user, note=payload.note, now=timezone.now(), expected_version=payload.version
    )
    return _shown(event.case, user, read=case)


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
    return HttpStatus(201, _problems().get(pk=problem.pk))


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
