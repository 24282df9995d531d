"""Who hears about which case event: the rules as data, and the one function that applies them.

Each rule names the history entries it reacts to and who is concerned. Then the same filter
applies to every rule: never the person who acted, never someone who cannot receive mail, partner
vendors only about what they may read, and nobody who switched the kind off.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tierdesk.cases import access
from tierdesk.cases.enums import Action, EventKind, Status
from tierdesk.cases.models import CaseEvent
from tierdesk.cases.workflow import GROUP_ROLES
from tierdesk.followups import services as follow_up_steps
from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification, NotificationPreference
from tierdesk.onsite.enums import Action as OnsiteAction
from tierdesk.onsite.workflow import case_event_action
from tierdesk.organization.models import RoleCode, User
from tierdesk.quality.enums import STATE_CHANGES as QUALITY_STATE_CHANGES
from tierdesk.quality.enums import case_event_action as quality_event_action

Recipients = Callable[[CaseEvent], Iterable[User | None]]


def owner(event: CaseEvent) -> list[User | None]:
    return [event.case.owner]


def new_owner(event: CaseEvent) -> list[User | None]:
    """The person the case was assigned to by this event."""
    return [event.subject]


def person_concerned(event: CaseEvent) -> list[User | None]:
    """The person a step is news for: the applicant of a decision, the engineer sent on site,
    the caller of a follow-up."""
    return [event.subject]


def owners(event: CaseEvent) -> list[User | None]:
    """Whoever is accountable for the case now: its owner and its line-2 owner."""
    return [event.case.owner, event.case.line2_owner]


def line2_owner(event: CaseEvent) -> list[User | None]:
    return [event.case.line2_owner]


def target_group(event: CaseEvent) -> Iterable[User | None]:
    """The people of the group the case was handed to."""
    case, target = event.case, Status(event.to_status)
    if target == Status.LINE2 and case.line2_owner is not None:
        # Line 2 is one accountable engineer once someone has taken the case.
        return [case.line2_owner]
    if target == Status.VENDOR:
        contacts = User.objects.filter(
            vendor_id=case.vendor_id, roles__code=RoleCode.VENDOR_CONTACT
        )
        return [*contacts, case.coordinator]
    people = User.objects.filter(roles__code__in=GROUP_ROLES[target])
    if target in (Status.FIELD, Status.REGIONAL):
        people = people.filter(region_id=case.region_id)
    return people.distinct()


def reporter_and_line1_owner(event: CaseEvent) -> list[User | None]:
    """Who raised the case and who last had it on line 1."""
    case = event.case
    if event.from_line == 1:
        line1_owner = case.owner  # resolving leaves the owner in place
    else:
        # The case left line 1 with the person who escalated it to line 2.
        escalation = (
            case.events.filter(kind=EventKind.TRANSITION, from_line=1, to_line=2)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        line1_owner = escalation.actor if escalation else None
    return [case.reporter, line1_owner]


def owners_and_supervisors(event: CaseEvent) -> list[User | None]:
    supervisors = User.objects.filter(roles__code=RoleCode.SUPERVISOR)
    return [event.case.owner, event.case.line2_owner, *supervisors]


ESCALATIONS = frozenset(
    {
        Action.ESCALATE,
        Action.TRANSFER_RD,
        Action.TRANSFER_PRESALES,
        Action.TRANSFER_PRODUCT,
        Action.TRANSFER_VENDOR,
    }
)


@dataclass(frozen=True)
class Rule:
    kind: NotificationKind
    event_kind: EventKind
    recipients: Recipients
    actions: frozenset[str] = field(default_factory=frozenset)  # empty: any action
    customer_visible_only: bool = False

    def applies(self, event: CaseEvent) -> bool:
        return (
            event.kind == self.event_kind
            and (not self.actions or event.action in self.actions)
            and not (self.customer_visible_only and event.is_internal)
        )


RULES: list[Rule] = [
    Rule(NotificationKind.ASSIGNED, EventKind.ASSIGNED, new_owner),
    Rule(NotificationKind.ESCALATED, EventKind.TRANSITION, target_group, ESCALATIONS),
    Rule(
        NotificationKind.HANDED_BACK,
        EventKind.TRANSITION,
        line2_owner,
        frozenset({Action.HAND_BACK}),
    ),
    Rule(
        NotificationKind.RESOLVED,
        EventKind.TRANSITION,
        reporter_and_line1_owner,
        frozenset({Action.RESOLVE}),
    ),
    Rule(NotificationKind.REOPENED, EventKind.TRANSITION, owner, frozenset({Action.REOPEN})),
    Rule(NotificationKind.SLA_WARNING, EventKind.SLA_WARNING, owners_and_supervisors),
    Rule(NotificationKind.SLA_BREACH, EventKind.SLA_BREACH, owners_and_supervisors),
    Rule(NotificationKind.COMMENT, EventKind.COMMENT, owner, customer_visible_only=True),
    Rule(
        NotificationKind.FORM_DECIDED,
        EventKind.ONSITE,
        person_concerned,
        frozenset(
            {case_event_action(OnsiteAction.APPROVE), case_event_action(OnsiteAction.REJECT)}
        ),
    ),
    Rule(
        NotificationKind.DISPATCHED,
        EventKind.ONSITE,
        person_concerned,
        frozenset({case_event_action(OnsiteAction.DISPATCH)}),
    ),
    Rule(
        NotificationKind.FOLLOW_UP_DUE,
        EventKind.FOLLOW_UP,
        person_concerned,
        frozenset({follow_up_steps.PLANNED, follow_up_steps.OVERDUE}),
    ),
    Rule(
        NotificationKind.QUALITY_CHANGED,
        EventKind.QUALITY_FEEDBACK,
        owners,
        frozenset(quality_event_action(action) for action in QUALITY_STATE_CHANGES),
    ),
]


def may_receive(user: User, event: CaseEvent) -> bool:
    if user.pk == event.actor_id:
        return False
    if not user.is_active or not user.email or user.is_service_account:
        return False
    if not access.sees_internal(user):
        # Partner vendors read only the customer-safe record, and the hand-over to their vendor.
        handed_to_them = (
            event.action == Action.TRANSFER_VENDOR and user.vendor_id == event.case.vendor_id
        )
        return not event.is_internal or handed_to_them
    return True


def recipients_for(rule: Rule, event: CaseEvent) -> list[User]:
    people = {user.pk: user for user in rule.recipients(event) if user is not None}
    switched_off = set(
        NotificationPreference.objects.filter(
            user_id__in=people, kind=rule.kind, enabled=False
        ).values_list("user_id", flat=True)
    )
    return [
        user
        for pk, user in sorted(people.items())
        if pk not in switched_off and may_receive(user, event)
    ]


def plan_notifications(event: CaseEvent, *, now: datetime) -> int:
    """Write the mail rows this event causes; safe to call again for the same event."""
    planned = [
        Notification(
            recipient=user,
            kind=rule.kind,
            case_id=event.case_id,
            event=event,
            next_attempt_at=now,
            created_at=now,
        )
        for rule in RULES
        if rule.applies(event)
        for user in recipients_for(rule, event)
    ]
    # A second fan-out of the same event (after a crash) meets the unique constraint and
    # writes nothing new.
    Notification.objects.bulk_create(planned, ignore_conflicts=True)
    return len(planned)
