"""The on-site application's transition table and the one place an application changes.

Web pages, the API and the admin call these functions. Each locks the row, checks who may act
and what the step needs, counts a new version (so a stale form is refused), and writes the
application's own history step and its row on the case's timeline in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import workflow as case_workflow
from tierdesk.cases.enums import EventKind, Status
from tierdesk.cases.models import Case, CaseEvent
from tierdesk.cases.workflow import ConflictError
from tierdesk.onsite import access
from tierdesk.onsite.enums import SERIAL_PREFIX, Action, Decision, Result, State
from tierdesk.onsite.models import OnsiteApplication, OnsiteStep, SerialCounter
from tierdesk.organization.models import RoleCode, User


class Party(StrEnum):
    """Who takes a step: a role, or the one person the application names."""

    APPLICANT = "applicant"
    MANAGER = "manager"
    ENGINEER = "engineer"


PARTY_LABELS = {
    Party.APPLICANT: _("The applicant (regional support)"),
    Party.MANAGER: _("An Engineering Service manager"),
    Party.ENGINEER: _("The dispatched engineer"),
}

# What a step needs from the actor, by input name.
NEED_LABELS = {
    "reason": _("Reason"),
    "engineer": _("On-site engineer"),
    "planned_start": _("Planned start"),
    "planned_end": _("Planned end"),
    "findings": _("Findings"),
    "work_done": _("Work done"),
    "result": _("Result"),
    "customer_signoff_name": _("Customer sign-off"),
}


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    parties: frozenset[Party]
    needs: tuple[str, ...] = ()

    @property
    def party_labels(self) -> list[str]:
        return [str(PARTY_LABELS[party]) for party in Party if party in self.parties]

    @property
    def requirement_labels(self) -> list[str]:
        return [str(NEED_LABELS[need]) for need in self.needs]


APPLICANT = frozenset({Party.APPLICANT})
MANAGER = frozenset({Party.MANAGER})
ENGINEER = frozenset({Party.ENGINEER})

TRANSITIONS: list[Transition] = [
    Transition(State.DRAFT, Action.SUBMIT, State.SUBMITTED, APPLICANT),
    Transition(State.DRAFT, Action.CANCEL, State.CANCELLED, APPLICANT),
    Transition(State.SUBMITTED, Action.CANCEL, State.CANCELLED, APPLICANT),
    Transition(State.SUBMITTED, Action.APPROVE, State.APPROVED, MANAGER),
    Transition(State.SUBMITTED, Action.REJECT, State.REJECTED, MANAGER, ("reason",)),
    Transition(
        State.APPROVED,
        Action.DISPATCH,
        State.DISPATCHED,
        MANAGER,
        ("engineer", "planned_start", "planned_end"),
    ),
    Transition(State.DISPATCHED, Action.ARRIVE, State.ON_SITE, ENGINEER),
    Transition(
        State.ON_SITE,
        Action.REPORT,
        State.REPORTED,
        ENGINEER,
        ("findings", "work_done", "result", "customer_signoff_name"),
    ),
    # The applicant confirms the region is satisfied; the manager may close it in their stead.
    Transition(State.REPORTED, Action.CLOSE, State.CLOSED, APPLICANT | MANAGER),
]

TRANSITION_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}

# The applicant's part of appendix A that must be filled in before Engineering Service sees it.
REQUIRED_TO_SUBMIT = [
    "project",
    "fault_description",
    "measures_taken",
    "wished_date",
    "skills_needed",
]

EDITABLE_FIELDS = [
    "applicant_phone",
    "site_address",
    "site_contact",
    "site_contact_phone",
    "project",
    "product_version",
    "fault_description",
    "measures_taken",
    "urgency",
    "wished_date",
    "skills_needed",
]

# Written to the case's timeline, in the system's language: the timeline is shared by all.
EVENT_TEXTS = {
    Action.CREATE: _("On-site application %(serial)s drafted by %(person)s."),
    Action.UPDATE: _("On-site application %(serial)s edited by %(person)s."),
    Action.SUBMIT: _("On-site application %(serial)s submitted by %(person)s."),
    Action.APPROVE: _("On-site application %(serial)s approved by %(person)s."),
    Action.REJECT: _("On-site application %(serial)s rejected by %(person)s."),
    Action.DISPATCH: _(
        "On-site application %(serial)s: %(engineer)s dispatched by %(person)s "
        "for %(start)s to %(end)s."
    ),
    Action.ARRIVE: _("On-site application %(serial)s: %(person)s arrived on site."),
    Action.REPORT: _("On-site application %(serial)s: on-site report filed by %(person)s."),
    Action.CLOSE: _("On-site application %(serial)s closed by %(person)s."),
    Action.CANCEL: _("On-site application %(serial)s withdrawn by %(person)s."),
}


class ApplicationConflictError(ConflictError):
    """Someone else changed the application since the actor loaded it."""

    def __init__(self, application: OnsiteApplication):
        # The API's conflict handler reads `case` for the version: the application stands in.
        self.case = application
        self.changed_by = application.updated_by
        self.changed_at = application.updated_at
        Exception.__init__(
            self,
            _("Changed by %(who)s at %(when)s; reload the application and try again.")
            % {
                "who": application.updated_by or _("the system"),
                "when": f"{timezone.localtime(application.updated_at):%Y-%m-%d %H:%M:%S}",
            },
        )


# --- who may ------------------------------------------------------------------------------------


def _is_party(party: Party, application: OnsiteApplication, user: User) -> bool:
    if party == Party.APPLICANT:
        return user.pk == application.applicant_id
    if party == Party.MANAGER:
        return user.has_role(RoleCode.SERVICE_MANAGER)
    return user.pk == application.engineer_id


def may_take(transition: Transition, application: OnsiteApplication, user: User) -> bool:
    return any(_is_party(party, application, user) for party in transition.parties)


def available_transitions(application: OnsiteApplication, user: User) -> list[Transition]:
    """The steps out of the application's state that this person may take."""
    return [
        t for t in TRANSITIONS if t.source == application.state and may_take(t, application, user)
    ]


def may_edit(application: OnsiteApplication, user: User) -> bool:
    return application.state == State.DRAFT and user.pk == application.applicant_id


# --- helpers ------------------------------------------------------------------------------------


def _take_serial(now: datetime) -> tuple[int, int, str]:
    """The next serial of the year of `now` (local time): XCZC-2026-0001, XCZC-2026-0002 ..."""
    year = timezone.localtime(now).year
    SerialCounter.objects.get_or_create(year=year)
    # Lock the year's counter row: two applicants may press "create" at the same moment.
    counter = SerialCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return year, counter.last, f"{SERIAL_PREFIX}-{year}-{counter.last:04d}"


def _lock(
    application: OnsiteApplication, *, by: User, expected_version: int | None
) -> OnsiteApplication:
    # Lock the row: the manager and the applicant may act on the same application at once.
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to updated_by.
    locked = (
        OnsiteApplication.objects.select_for_update(of=("self",))
        .select_related("updated_by", "case")
        .get(pk=application.pk)
    )
    if not access.may_see(locked, by):
        raise PermissionDenied(_("You may not see this application."))
    if expected_version is not None and locked.version != expected_version:
        raise ApplicationConflictError(locked)
    return locked


def case_event_action(action: Action) -> str:
    """How a step is named on the case's history, apart from the case's own transitions."""
    return f"onsite_{action}"


def _person_concerned(application: OnsiteApplication, action: Action) -> User | None:
    """Who a step is news for: the applicant hears the decision, the engineer the dispatch."""
    if action in (Action.APPROVE, Action.REJECT):
        return application.applicant
    if action == Action.DISPATCH:
        return application.engineer
    return None


def _record(
    application: OnsiteApplication,
    *,
    action: Action,
    from_state: str,
    by: User,
    now: datetime,
    note: str = "",
    **details,
) -> OnsiteStep:
    """The step in the application's history and its row on the case's timeline."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(EVENT_TEXTS[action]) % {
            "serial": application.serial,
            "person": by,
            **{name: str(value) for name, value in details.items()},
        }
    if note:
        text = f"{text}\n{note}"
    event = CaseEvent.objects.create(
        case=application.case,
        kind=EventKind.ONSITE,
        action=case_event_action(action),
        actor=by,
        at=now,
        subject=_person_concerned(application, action),
        text=text,
        is_internal=True,
    )
    return OnsiteStep.objects.create(
        application=application,
        action=action,
        from_state=from_state,
        to_state=application.state,
        actor=by,
        at=now,
        note=note,
        case_event=event,
    )


def _save(application: OnsiteApplication, *, by: User, now: datetime) -> None:
    application.version += 1
    application.updated_at = now
    application.updated_by = by
    application.full_clean()
    application.save()


def _check_version_belongs(application: OnsiteApplication) -> None:
    version = application.product_version
    if version is not None and version.product_id != application.product_id:
        raise ValidationError({"product_version": _("This version belongs to another product.")})


def _step(
    application: OnsiteApplication,
    *,
    action: Action,
    by: User,
    now: datetime,
    expected_version: int | None,
) -> tuple[OnsiteApplication, Transition]:
    """Lock the application and check that this person may take this step now."""
    application = _lock(application, by=by, expected_version=expected_version)
    transition = TRANSITION_BY_KEY.get((application.state, action))
    if transition is None:
        raise ValidationError(
            {
                "action": _("“%(action)s” is not possible while the application is “%(state)s”.")
                % {"action": Action(action).label, "state": application.get_state_display()}
            }
        )
    if not may_take(transition, application, by):
        raise PermissionDenied(_("You may not do this on this application."))
    return application, transition


def _required(values: dict[str, object]) -> None:
    missing = {
        name: _("%(what)s is required.") % {"what": NEED_LABELS[name]}
        for name, value in values.items()
        if value is None or (isinstance(value, str) and not value.strip())
    }
    if missing:
        raise ValidationError(missing)


def _local_today(now: datetime) -> date:
    return timezone.localtime(now).date()


# --- the steps ----------------------------------------------------------------------------------


def prefilled_fields(*, case: Case, by: User) -> dict:
    """What the form already knows from the case and the applicant."""
    contact = case.contact
    return {
        "applicant_phone": by.phone,
        "site_address": case.site.address,
        "site_contact": contact.name if contact else "",
        "site_contact_phone": contact.phone if contact else "",
        "product_version": case.product_version,
        "fault_description": case.description,
    }


@transaction.atomic
def create_application(*, case: Case, by: User, now: datetime, **fields) -> OnsiteApplication:
    """A draft of appendix A for this case, prefilled from the case and the applicant."""
    if not access.may_apply(case, by):
        raise PermissionDenied(
            _("Only regional support of the case's region applies for on-site support.")
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    prefilled = prefilled_fields(case=case, by=by)
    year, number, serial = _take_serial(now)
    application = OnsiteApplication(
        **{**prefilled, **fields},
        serial=serial,
        year=year,
        number=number,
        case=case,
        state=State.DRAFT,
        applicant=by,
        region=case.region,
        customer=case.customer,
        site=case.site,
        product=case.product,
        created_at=now,
        updated_at=now,
        updated_by=by,
    )
    _check_version_belongs(application)
    application.full_clean()
    application.save()
    _record(application, action=Action.CREATE, from_state="", by=by, now=now)
    return application


@transaction.atomic
def update_draft(
    application: OnsiteApplication,
    *,
    by: User,
    changes: dict,
    now: datetime,
    expected_version: int | None = None,
) -> list[str]:
    """Change the applicant's fields of a draft; returns the names of the fields that changed."""
    application = _lock(application, by=by, expected_version=expected_version)
    if not may_edit(application, by):
        raise PermissionDenied(_("Only the applicant edits a draft."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    changed = [name for name, new in changes.items() if getattr(application, name) != new]
    if not changed:
        return []
    for name in changed:
        setattr(application, name, changes[name])
    _check_version_belongs(application)
    _save(application, by=by, now=now)
    labels = ", ".join(
        str(OnsiteApplication._meta.get_field(name).verbose_name) for name in changed
    )
    _record(application, action=Action.UPDATE, from_state=State.DRAFT, by=by, now=now, note=labels)
    return changed


@transaction.atomic
def submit(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """Send the filled-in form to Engineering Service for a decision."""
    application, transition = _step(
        application, action=Action.SUBMIT, by=by, now=now, expected_version=expected_version
    )
    missing = {
        name: _("%(what)s is required before submitting.")
        % {"what": OnsiteApplication._meta.get_field(name).verbose_name}
        for name in REQUIRED_TO_SUBMIT
        if not getattr(application, name) or not str(getattr(application, name)).strip()
    }
    if missing:
        raise ValidationError(missing)
    if application.wished_date < _local_today(now):
        raise ValidationError({"wished_date": _("The wished date has already passed.")})
    application.state = transition.target
    application.submitted_at = now
    # Engineering Service decides and sends its engineer: from now on it works on the case.
    case_workflow.involve(application.case, group=Status.LINE2, now=now)
    _save(application, by=by, now=now)
    _record(application, action=Action.SUBMIT, from_state=transition.source, by=by, now=now)
    return application


def _decide(
    application: OnsiteApplication,
    *,
    action: Action,
    decision: Decision,
    by: User,
    now: datetime,
    reason: str,
    expected_version: int | None,
) -> OnsiteApplication:
    application, transition = _step(
        application, action=action, by=by, now=now, expected_version=expected_version
    )
    reason = (reason or "").strip()
    if "reason" in transition.needs:
        _required({"reason": reason})
    application.state = transition.target
    application.approver = by
    application.decision = decision
    application.decision_reason = reason
    application.decided_at = now
    _save(application, by=by, now=now)
    _record(application, action=action, from_state=transition.source, by=by, now=now, note=reason)
    return application


@transaction.atomic
def approve(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    reason: str = "",
    expected_version: int | None = None,
) -> OnsiteApplication:
    """Engineering Service agrees to go on site; a remark is optional."""
    return _decide(
        application,
        action=Action.APPROVE,
        decision=Decision.APPROVED,
        by=by,
        now=now,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def reject(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    reason: str,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """Engineering Service refuses, and must say why."""
    return _decide(
        application,
        action=Action.REJECT,
        decision=Decision.REJECTED,
        by=by,
        now=now,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def dispatch(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    engineer: User | None,
    planned_start: date | None,
    planned_end: date | None,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """Send a line-2 engineer on site for the planned dates."""
    application, transition = _step(
        application, action=Action.DISPATCH, by=by, now=now, expected_version=expected_version
    )
    _required({"engineer": engineer, "planned_start": planned_start, "planned_end": planned_end})
    errors = {}
    if not access.dispatchable_engineers().filter(pk=engineer.pk).exists():
        errors["engineer"] = _(
            "%(person)s is not an after-sales technical-support engineer of Engineering Service."
        ) % {"person": engineer}
    if planned_start < _local_today(now):
        errors["planned_start"] = _("The planned start has already passed.")
    if planned_end < planned_start:
        errors["planned_end"] = _("The planned end is before the planned start.")
    if errors:
        raise ValidationError(errors)
    application.state = transition.target
    application.engineer = engineer
    application.planned_start = planned_start
    application.planned_end = planned_end
    application.dispatched_by = by
    application.dispatched_at = now
    _save(application, by=by, now=now)
    _record(
        application,
        action=Action.DISPATCH,
        from_state=transition.source,
        by=by,
        now=now,
        engineer=engineer,
        start=planned_start.isoformat(),
        end=planned_end.isoformat(),
    )
    return application


@transaction.atomic
def arrive(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """The dispatched engineer is at the customer's site."""
    application, transition = _step(
        application, action=Action.ARRIVE, by=by, now=now, expected_version=expected_version
    )
    application.state = transition.target
    application.arrived_at = now
    _save(application, by=by, now=now)
    _record(application, action=Action.ARRIVE, from_state=transition.source, by=by, now=now)
    return application


@transaction.atomic
def report(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    findings: str,
    work_done: str,
    result: str,
    customer_signoff_name: str,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """The on-site report: what was found, what was done, the result, who signed it off."""
    application, transition = _step(
        application, action=Action.REPORT, by=by, now=now, expected_version=expected_version
    )
    values = {
        "findings": (findings or "").strip(),
        "work_done": (work_done or "").strip(),
        "result": result or "",
        "customer_signoff_name": (customer_signoff_name or "").strip(),
    }
    _required(values)
    if values["result"] not in Result.values:
        raise ValidationError({"result": _("Choose one of the listed results.")})
    for name, value in values.items():
        setattr(application, name, value)
    application.state = transition.target
    application.reported_at = now
    _save(application, by=by, now=now)
    _record(
        application,
        action=Action.REPORT,
        from_state=transition.source,
        by=by,
        now=now,
        note=str(application.get_result_display()),
    )
    return application


@transaction.atomic
def close(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """The on-site support is over."""
    application, transition = _step(
        application, action=Action.CLOSE, by=by, now=now, expected_version=expected_version
    )
    application.state = transition.target
    application.closed_at = now
    _save(application, by=by, now=now)
    _record(application, action=Action.CLOSE, from_state=transition.source, by=by, now=now)
    return application


@transaction.atomic
def cancel(
    application: OnsiteApplication,
    *,
    by: User,
    now: datetime,
    reason: str = "",
    expected_version: int | None = None,
) -> OnsiteApplication:
    """The applicant withdraws a draft or an application not yet decided."""
    application, transition = _step(
        application, action=Action.CANCEL, by=by, now=now, expected_version=expected_version
    )
    reason = (reason or "").strip()
    application.state = transition.target
    application.cancelled_at = now
    _save(application, by=by, now=now)
    _record(
        application,
        action=Action.CANCEL,
        from_state=transition.source,
        by=by,
        now=now,
        note=reason,
    )
    return application


# What each step takes from the actor, for the pages and the API to ask for.
STEP_INPUTS: dict[Action, list[str]] = {
    Action.SUBMIT: [],
    Action.APPROVE: ["reason"],
    Action.REJECT: ["reason"],
    Action.DISPATCH: ["engineer", "planned_start", "planned_end"],
    Action.ARRIVE: [],
    Action.REPORT: ["findings", "work_done", "result", "customer_signoff_name"],
    Action.CLOSE: [],
    Action.CANCEL: ["reason"],
}

STEP_FUNCTIONS = {
    Action.SUBMIT: submit,
    Action.APPROVE: approve,
    Action.REJECT: reject,
    Action.DISPATCH: dispatch,
    Action.ARRIVE: arrive,
    Action.REPORT: report,
    Action.CLOSE: close,
    Action.CANCEL: cancel,
}


def perform(
    application: OnsiteApplication,
    *,
    action: Action,
    by: User,
    now: datetime,
    inputs: dict,
    expected_version: int | None = None,
) -> OnsiteApplication:
    """Take the step named `action` with the inputs the page or the API collected."""
    if action not in STEP_FUNCTIONS:
        raise ValidationError({"action": _("There is no such step.")})
    arguments = {name: inputs.get(name) for name in STEP_INPUTS[action]}
    if "reason" in arguments:
        arguments["reason"] = arguments["reason"] or ""
    return STEP_FUNCTIONS[action](
        application, by=by, now=now, expected_version=expected_version, **arguments
    )
