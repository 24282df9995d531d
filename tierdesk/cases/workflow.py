"""The three-line workflow: the transition table and the one place every change to a case happens.

Web views, the API, the admin and background jobs call these functions; each writes its history
rows in the same transaction as the change, and checks the case's version so that two people
acting at once cannot silently overwrite each other.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import access, clocks
from tierdesk.cases.enums import (
    LINE_OF_STATUS,
    Action,
    Classification,
    EventKind,
    Status,
)
from tierdesk.cases.models import Case, CaseEvent, CaseParticipation
from tierdesk.organization import permissions
from tierdesk.organization.models import LINE3_CATEGORIES, RoleCode, User, Vendor

LINE1 = frozenset({RoleCode.FIELD_ENGINEER, RoleCode.REGIONAL_SUPPORT})
REGIONAL = frozenset({RoleCode.REGIONAL_SUPPORT})
LINE2 = permissions.LINE2_ROLES
FOLLOW_UP = frozenset({RoleCode.REGIONAL_SUPPORT, RoleCode.SUPERVISOR})


@dataclass(frozen=True)
class Transition:
    """One arrow of the process chart: who may take it and what it needs."""

    source: Status
    action: Action
    target: Status | None  # None: back to the line the case was resolved at
    roles: frozenset[str]
    needs: str = ""  # the text the actor must give: "findings", "resolution" or "reason"
    classifications: frozenset[str] = field(default_factory=frozenset)
    needs_vendor: bool = False

    @property
    def role_labels(self) -> list[str]:
        return [str(RoleCode(code).label) for code in RoleCode.values if code in self.roles]

    @property
    def requirement_labels(self) -> list[str]:
        labels = []
        if self.needs:
            labels.append(str(NEED_LABELS[self.needs]))
        if self.classifications:
            allowed = " / ".join(str(Classification(c).label) for c in sorted(self.classifications))
            labels.append(str(_("classification: %(allowed)s") % {"allowed": allowed}))
        if self.needs_vendor:
            labels.append(str(_("a vendor covering the product's category and a coordinator")))
        return labels


NEED_LABELS = {"findings": _("Findings"), "resolution": _("Resolution"), "reason": _("Reason")}

TRANSITIONS: list[Transition] = [
    Transition(Status.FIELD, Action.ESCALATE, Status.REGIONAL, LINE1, "findings"),
    Transition(Status.FIELD, Action.RESOLVE, Status.RESOLVED, LINE1, "resolution"),
    Transition(Status.REGIONAL, Action.ESCALATE, Status.LINE2, REGIONAL, "findings"),
    Transition(Status.REGIONAL, Action.RESOLVE, Status.RESOLVED, REGIONAL, "resolution"),
    Transition(Status.LINE2, Action.RESOLVE, Status.RESOLVED, LINE2, "resolution"),
    Transition(
        Status.LINE2,
        Action.TRANSFER_RD,
        Status.RD,
        LINE2,
        "findings",
        frozenset({Classification.PRODUCT_DEFECT}),
    ),
    Transition(
        Status.LINE2,
        Action.TRANSFER_PRESALES,
        Status.PRESALES,
        LINE2,
        "findings",
        frozenset({Classification.SOLUTION_DEFECT, Classification.INTEGRATION_PRODUCT}),
    ),
    Transition(
        Status.LINE2,
        Action.TRANSFER_PRODUCT,
        Status.PRODUCT,
        LINE2,
        "findings",
        frozenset({Classification.REQUIREMENT, Classification.INTEGRATION_PRODUCT}),
    ),
    Transition(
        Status.LINE2,
        Action.TRANSFER_VENDOR,
        Status.VENDOR,
        LINE2,
        "findings",
        frozenset({Classification.PARTNER_PRODUCT}),
        needs_vendor=True,
    ),
    Transition(
        Status.RD, Action.HAND_BACK, Status.LINE2, frozenset({RoleCode.RD_ENGINEER}), "findings"
    ),
    Transition(
        Status.PRESALES,
        Action.HAND_BACK,
        Status.LINE2,
        frozenset({RoleCode.PRESALES_ENGINEER}),
        "findings",
    ),
    Transition(
        Status.PRODUCT,
        Action.HAND_BACK,
        Status.LINE2,
        frozenset({RoleCode.PRODUCT_MANAGER, RoleCode.INTEGRATION_PRODUCT_MANAGER}),
        "findings",
    ),
    Transition(
        Status.VENDOR,
        Action.HAND_BACK,
        Status.LINE2,
        frozenset({RoleCode.VENDOR_CONTACT, *permissions.COORDINATOR_ROLES, *LINE2}),
        "findings",
    ),
    Transition(Status.RESOLVED, Action.CLOSE, Status.CLOSED, FOLLOW_UP),
    Transition(Status.RESOLVED, Action.REOPEN, None, FOLLOW_UP, "reason"),
]

TRANSITION_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


class ConflictError(Exception):
    """Someone else changed the case since the actor loaded it."""

    def __init__(self, case: Case):
        self.case = case
        self.changed_by = case.updated_by
        self.changed_at = case.updated_at
        super().__init__(
            _("Changed by %(who)s at %(when)s; reload the case and try again.")
            % {
                "who": case.updated_by or _("the system"),
                "when": f"{timezone.localtime(case.updated_at):%Y-%m-%d %H:%M:%S}",
            }
        )


def available_transitions(case: Case, user: User) -> list[Transition]:
    """The arrows out of the case's state that this person may take."""
    return [t for t in TRANSITIONS if t.source == case.status and _may_take(t, case, user)]


def _may_take(transition: Transition, case: Case, user: User) -> bool:
    if not user.has_role(*transition.roles):
        return False
    if case.status == Status.VENDOR and transition.action == Action.HAND_BACK:
        # On line 3, the vendor's own contacts, the case's coordinator and line 2 answer.
        if user.has_role(RoleCode.VENDOR_CONTACT):
            return user.vendor_id == case.vendor_id
        if user.has_role(*LINE2):
            return True
        return user.pk == case.coordinator_id
    # Line 1 and the follow-up belong to the case's region; the supervisor may step in.
    in_region = permissions.sees_everything(user) or user.region_id == case.region_id
    if transition.source in (Status.FIELD, Status.REGIONAL, Status.RESOLVED) and not in_region:
        return user.has_role(RoleCode.SUPERVISOR)
    return True


def lock_case(case: Case, *, by: User, expected_version: int | None = None) -> Case:
    """The case as it is now, locked for this transaction, if this person may see it."""
    # Lock the row: two engineers may act on the same case at once. Visibility is judged in
    # the same statement, under the lock.
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to updated_by.
    locked = (
        access.cases_visible_to(by)
        .select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(pk=case.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You may not see this case."))
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(locked)
    return locked


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this on this case."))


def record_change(case: Case, *, by: User | None, now: datetime, fields: list[str]) -> None:
    """Save the changed fields and count a new version, so stale forms are refused."""
    case.version += 1
    case.updated_at = now
    case.updated_by = by
    case.save(update_fields=[*fields, "version", "updated_at", "updated_by"])


def involve(case: Case, *, group: str, now: datetime) -> None:
    """Let a handling group see the case from now on, as if the case had reached it."""
    # One statement whether or not the group was reached before (the first time is kept).
    CaseParticipation.objects.bulk_create(
        [CaseParticipation(case=case, group=group, first_reached_at=now)],
        ignore_conflicts=True,
    )


# open_case's own relations: the site's region, and the person opening the case.
_OWN_RELATIONS = ["region", "owner", "reporter", "updated_by"]


@transaction.atomic
def open_case(*, by: User, now: datetime, **fields) -> Case:
    """Record a new case; it starts with the line-1 person who reported it."""
    if not access.may_open_cases(by):
        raise PermissionDenied(_("Only line-1 and line-2 engineers open cases."))
    site = fields["site"]
    starts_at = (
        Status.REGIONAL
        if by.has_role(RoleCode.REGIONAL_SUPPORT) and not by.has_role(RoleCode.FIELD_ENGINEER)
        else Status.FIELD
    )
    case = Case(
        **fields,
        region=site.region,
        status=starts_at,
        line=LINE_OF_STATUS[starts_at],
        owner=by if permissions.is_line1(by) else None,
        reporter=by,
        opened_at=now,
        updated_at=now,
        updated_by=by,
    )
    if case.site.customer_id != case.customer_id:
        raise ValidationError({"site": _("This site belongs to another customer.")})
    if case.product_version and case.product_version.product_id != case.product_id:
        raise ValidationError({"product_version": _("This version belongs to another product.")})
    if case.contact and case.contact.customer_id != case.customer_id:
        raise ValidationError({"contact": _("This contact belongs to another customer.")})
    # Records the caller has just read need no second look to prove they exist.
    given = [name for name, value in fields.items() if isinstance(value, Model) and value.pk]
    case.full_clean(exclude=[*given, *_OWN_RELATIONS])
    # The due times go into the case's own INSERT.
    span = clocks.plan_start(case, line=case.line, now=now)
    case.save()
    span.case = case
    span.save()
    involve(case, group=starts_at, now=now)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.CREATED,
        actor=by,
        at=now,
        to_status=starts_at,
        to_line=case.line,
        text=case.description,
    )
    return case


@transaction.atomic
def perform(
    case: Case,
    *,
    action: Action,
    by: User,
    now: datetime,
    text: str = "",
    classification: str | None = None,
    vendor: Vendor | None = None,
    coordinator: User | None = None,
    expected_version: int | None = None,
) -> CaseEvent:
    """Take one arrow of the chart, checking who may and what it needs."""
    case = lock_case(case, by=by, expected_version=expected_version)
    transition = TRANSITION_BY_KEY.get((case.status, action))
    if transition is None:
        raise ValidationError(
            {
                "action": _("“%(action)s” is not possible while the case is “%(status)s”.")
                % {"action": Action(action).label, "status": case.get_status_display()}
            }
        )
    if not _may_take(transition, case, by):
        raise PermissionDenied(_("You may not do this on this case."))
    text = (text or "").strip()
    if transition.needs and not text:
        raise ValidationError(
            {"text": _("%(what)s is required.") % {"what": NEED_LABELS[transition.needs]}}
        )
    changed = ["status", "line", "owner"]
    if classification is not None and classification != case.classification:
        _record_field(case, by=by, now=now, name="classification", new=classification)
        case.classification = classification
        changed.append("classification")
    if transition.classifications and case.classification not in transition.classifications:
        raise ValidationError(
            {
                "classification": _("This hand-over needs the classification: %(allowed)s.")
                % {
                    "allowed": ", ".join(
                        str(Classification(c).label) for c in sorted(transition.classifications)
                    )
                }
            }
        )
    if transition.needs_vendor:
        _check_vendor(case, vendor=vendor, coordinator=coordinator)
        case.vendor, case.coordinator = vendor, coordinator
        case.line3_category = case.product.category
        changed += ["vendor", "coordinator", "line3_category"]

    source, from_line = case.status, case.line
    target = transition.target or _status_before_resolution(case)
    case.status = target
    if target == Status.RESOLVED:
        case.resolution = text
        case.resolved_at = now
        changed += ["resolution", "resolved_at"]
    elif target == Status.CLOSED:
        case.closed_at = now
        changed.append("closed_at")
    else:
        case.line = LINE_OF_STATUS[target]
        if source == Status.RESOLVED:
            case.resolved_at = None
            changed.append("resolved_at")
        _route_owner(case, source=source, target=target, by=by)
        # Line 2 stays accountable: whoever of line 2 receives the case or sends it on to a
        # specialist or a vendor without taking it first becomes its line-2 owner.
        line2_acts = target == Status.LINE2 or source == Status.LINE2
        if line2_acts and case.line2_owner_id is None and by.has_role(*LINE2):
            case.line2_owner = by
            changed.append("line2_owner")
        involve(case, group=target, now=now)
    clocks.move(case, from_line=from_line, to_status=target, now=now)
    record_change(case, by=by, now=now, fields=[*changed, *clocks.CASE_FIELDS])
    return CaseEvent.objects.create(
        case=case,
        kind=EventKind.TRANSITION,
        action=action,
        actor=by,
        at=now,
        from_status=source,
        to_status=target,
        from_line=from_line,
        to_line=case.line,
        text=text,
        is_internal=action not in (Action.RESOLVE, Action.CLOSE),
    )


def _check_vendor(case: Case, *, vendor: Vendor | None, coordinator: User | None) -> None:
    errors = {}
    if case.product.category not in LINE3_CATEGORIES:
        errors["vendor"] = _("Only partner products go to line 3; this is our own product.")
    elif vendor is None:
        errors["vendor"] = _("Choose the partner vendor.")
    elif not vendor.covers(case.product.category):
        errors["vendor"] = _("%(vendor)s does not cover %(category)s.") % {
            "vendor": vendor,
            "category": case.product.get_category_display(),
        }
    if coordinator is None or not permissions.can_coordinate_vendors(coordinator):
        errors["coordinator"] = _(
            "Choose a coordinator: a pre-sales engineer or an integration product manager."
        )
    if errors:
        raise ValidationError(errors)


def _status_before_resolution(case: Case) -> Status:
    """Reopen at the line that resolved the case."""
    resolved = (
        case.events.filter(kind=EventKind.TRANSITION, to_status=Status.RESOLVED)
        .order_by("-at", "-id")
        .values_list("from_status", flat=True)
        .first()
    )
    return Status(resolved) if resolved else Status.FIELD


def _route_owner(case: Case, *, source: Status, target: Status, by: User) -> None:
    if target == Status.LINE2:
        # Line 2 is the single interface: a case coming back lands with its accountable engineer.
        case.owner = case.line2_owner
    elif target == Status.VENDOR:
        case.owner = case.line2_owner or by
    elif source != Status.RESOLVED:
        # A new group picks the case up from its queue; a reopened case keeps its owner.
        case.owner = None


def _record_field(case: Case, *, by: User, now: datetime, name: str, new) -> CaseEvent:
    old = getattr(case, name)
    return CaseEvent.objects.create(
        case=case,
        kind=EventKind.FIELD_CHANGED,
        actor=by,
        at=now,
        field=name,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
    )


# Who may pick up or be given a case in each state: the people of its handling group.
GROUP_ROLES: dict[Status, frozenset[str]] = {
    Status.FIELD: LINE1,
    Status.REGIONAL: REGIONAL,
    Status.LINE2: LINE2,
    Status.RD: frozenset({RoleCode.RD_ENGINEER}),
    Status.PRESALES: frozenset({RoleCode.PRESALES_ENGINEER}),
    Status.PRODUCT: frozenset({RoleCode.PRODUCT_MANAGER, RoleCode.INTEGRATION_PRODUCT_MANAGER}),
    Status.VENDOR: LINE2,
}


def may_assign(case: Case, user: User) -> bool:
    if not case.is_open:
        return False
    outside_region = not permissions.sees_everything(user) and user.region_id != case.region_id
    if case.status in (Status.FIELD, Status.REGIONAL) and outside_region:
        return False
    return user.has_role(*GROUP_ROLES[Status(case.status)]) or user.has_role(
        RoleCode.SERVICE_MANAGER
    )


def assignable_people(case: Case):
    roles = GROUP_ROLES.get(Status(case.status), frozenset())
    people = User.objects.filter(is_active=True, roles__code__in=roles).distinct()
    if case.status in (Status.FIELD, Status.REGIONAL):
        people = people.filter(region_id=case.region_id)
    return people.order_by("username")


@transaction.atomic
def assign(
    case: Case, *, by: User, to: User, now: datetime, expected_version: int | None = None
) -> CaseEvent:
    """Give the case to a person of its handling group (or take it yourself)."""
    case = lock_case(case, by=by, expected_version=expected_version)
    if not may_assign(case, by):
        raise PermissionDenied(_("You may not assign this case."))
    if not assignable_people(case).filter(pk=to.pk).exists():
        raise ValidationError(
            {"to": _("%(person)s does not work in this case's handling group.") % {"person": to}}
        )
    old_owner = case.owner
    case.owner = to
    fields = ["owner"]
    if case.status == Status.LINE2:
        case.line2_owner = to
        fields.append("line2_owner")
    clocks.record_response(case, now=now)
    record_change(case, by=by, now=now, fields=[*fields, *clocks.CASE_FIELDS])
    return CaseEvent.objects.create(
        case=case,
        kind=EventKind.ASSIGNED,
        actor=by,
        at=now,
        subject=to,
        field="owner",
        old_value=str(old_owner or ""),
        new_value=str(to),
    )


@transaction.atomic
def comment(
    case: Case,
    *,
    by: User,
    text: str,
    internal: bool,
    now: datetime,
    expected_version: int | None = None,
) -> CaseEvent:
    """Add a note; customer-visible notes are also what partner vendors may read."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    case = lock_case(case, by=by, expected_version=expected_version)
    internal = access.keeps_internal(by, internal)
    if by.pk != case.reporter_id:
        clocks.record_response(case, now=now)
    record_change(case, by=by, now=now, fields=clocks.CASE_FIELDS)
    return CaseEvent.objects.create(
        case=case, kind=EventKind.COMMENT, actor=by, at=now, text=text, is_internal=internal
    )


EDITABLE_FIELDS = [
    "title",
    "description",
    "priority",
    "classification",
    "contact",
    "product_version",
]


@transaction.atomic
def update_case(
    case: Case, *, by: User, changes: dict, now: datetime, expected_version: int | None = None
) -> list[CaseEvent]:
    """Change descriptive fields; each changed field gets its own history row (old and new)."""
    case = lock_case(case, by=by, expected_version=expected_version)
    _require(access.may_edit(case, by))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    events = []
    for name, new in changes.items():
        if getattr(case, name) != new:
            events.append(_record_field(case, by=by, now=now, name=name, new=new))
            setattr(case, name, new)
    if not events:
        return []
    case.full_clean()
    priority_changed = "priority" in changes and any(e.field == "priority" for e in events)
    if priority_changed and case.is_open and not case.waiting_on:
        clocks.resume(case, now=now)  # recompute due times under the new priority's targets
    record_change(case, by=by, now=now, fields=[*changes, *clocks.CASE_FIELDS])
    return events


@transaction.atomic
def wait_for(
    case: Case,
    *,
    by: User,
    waiting_on: str,
    now: datetime,
    note: str = "",
    expected_version: int | None = None,
) -> CaseEvent:
    """Pause the clocks while the customer or the vendor owes an answer."""
    case = lock_case(case, by=by, expected_version=expected_version)
    _require(access.may_pause(case, by))
    if not case.is_open or case.waiting_on:
        raise ValidationError({"waiting_on": _("The case is not running; nothing to pause.")})
    clocks.pause(case, waiting_on=waiting_on, now=now)
    record_change(case, by=by, now=now, fields=clocks.CASE_FIELDS)
    return CaseEvent.objects.create(
        case=case, kind=EventKind.PAUSED, actor=by, at=now, new_value=waiting_on, text=note
    )


@transaction.atomic
def stop_waiting(
    case: Case, *, by: User, now: datetime, note: str = "", expected_version: int | None = None
) -> CaseEvent:
    case = lock_case(case, by=by, expected_version=expected_version)
    _require(access.may_pause(case, by))
    if not case.waiting_on:
        raise ValidationError({"waiting_on": _("The case is not waiting.")})
    old = case.waiting_on
    clocks.resume(case, now=now)
    record_change(case, by=by, now=now, fields=clocks.CASE_FIELDS)
    return CaseEvent.objects.create(
        case=case, kind=EventKind.RESUMED, actor=by, at=now, old_value=old, text=note
    )
