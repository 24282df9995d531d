"""The quality feedback form's transition table and the one place a form changes.

Web pages and the API call these functions. Each locks the row, checks who may act and what
the step needs, counts a new version (so a stale form is refused), and writes the form's own
history step plus one QUALITY_FEEDBACK row on the timeline of every linked case, all in the
same transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.attachments import checked_content_type
from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import Case, CaseEvent
from tierdesk.cases.workflow import ConflictError
from tierdesk.organization.models import Product, Region, User
from tierdesk.quality import access
from tierdesk.quality.enums import SERIAL_PREFIX, Action, State, case_event_action
from tierdesk.quality.models import Evidence, QualityFeedback, QualitySerialCounter, QualityStep


class Party(StrEnum):
    """Who takes a step: the region that raised the form, or R&D test support."""

    REGION = "region"
    RD = "rd"


PARTY_LABELS = {
    Party.REGION: _("The raiser or regional support of the form's region"),
    Party.RD: _("An R&D test-support engineer"),
}

NEED_LABELS = {
    "root_cause": _("Root cause"),
    "fix": _("Fix"),
    "fix_version": _("Fix version"),
    "note": _("Note"),
}


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    party: Party
    needs: tuple[str, ...] = ()

    @property
    def party_label(self) -> str:
        return str(PARTY_LABELS[self.party])

    @property
    def requirement_labels(self) -> list[str]:
        return [str(NEED_LABELS[need]) for need in self.needs]


TRANSITIONS: list[Transition] = [
    Transition(State.DRAFT, Action.SUBMIT, State.SUBMITTED, Party.REGION),
    Transition(State.SUBMITTED, Action.ACKNOWLEDGE, State.ACKNOWLEDGED, Party.RD),
    Transition(
        State.ACKNOWLEDGED,
        Action.ANALYSE,
        State.ANALYSED,
        Party.RD,
        ("root_cause", "fix", "fix_version"),
    ),
    # After a failed verification R&D may revise its analysis before handing over again.
    Transition(
        State.ANALYSED,
        Action.ANALYSE,
        State.ANALYSED,
        Party.RD,
        ("root_cause", "fix", "fix_version"),
    ),
    Transition(State.ANALYSED, Action.RELEASE, State.VERIFYING, Party.RD),
    Transition(State.VERIFYING, Action.CONFIRM, State.CLOSED, Party.REGION),
    # The fix did not hold in the field: R&D analyses again, told why.
    Transition(State.VERIFYING, Action.REJECT_FIX, State.ANALYSED, Party.REGION, ("note",)),
]

TRANSITION_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}

# What each step takes from the actor, for the pages and the API to ask for.
STEP_INPUTS: dict[Action, list[str]] = {
    Action.SUBMIT: [],
    Action.ACKNOWLEDGE: ["note"],
    Action.ANALYSE: ["root_cause", "fix", "fix_version"],
    Action.RELEASE: ["note"],
    Action.CONFIRM: ["note"],
    Action.REJECT_FIX: ["note"],
}

# Written to the linked cases' timelines in the system's language: the timeline is shared.
EVENT_TEXTS = {
    Action.CREATE: _("Quality feedback %(serial)s drafted by %(person)s."),
    Action.ATTACH: _("Quality feedback %(serial)s: evidence added by %(person)s."),
    Action.SUBMIT: _("Quality feedback %(serial)s submitted to R&D by %(person)s."),
    Action.ACKNOWLEDGE: _("Quality feedback %(serial)s acknowledged by %(person)s."),
    Action.ANALYSE: _(
        "Quality feedback %(serial)s analysed by %(person)s; fixed in %(fix_version)s."
    ),
    Action.RELEASE: _("Quality feedback %(serial)s: fix handed to the region by %(person)s."),
    Action.CONFIRM: _("Quality feedback %(serial)s: fix verified in the field by %(person)s."),
    Action.REJECT_FIX: _("Quality feedback %(serial)s: verification failed, says %(person)s."),
}

EDITABLE_FIELDS = ["product", "version_or_batch", "fault_description", "frequency", "impact"]


class FeedbackConflictError(ConflictError):
    """Someone else changed the form since the actor loaded it."""

    def __init__(self, feedback: QualityFeedback):
        # The API's conflict handler reads `case` for the version: the form stands in.
        self.case = feedback
        self.changed_by = feedback.updated_by
        self.changed_at = feedback.updated_at
        Exception.__init__(
            self,
            _("Changed by %(who)s at %(when)s; reload the form and try again.")
            % {
                "who": feedback.updated_by or _("the system"),
                "when": f"{timezone.localtime(feedback.updated_at):%Y-%m-%d %H:%M:%S}",
            },
        )


# --- who may ------------------------------------------------------------------------------------


def may_take(transition: Transition, feedback: QualityFeedback, user: User) -> bool:
    if transition.party == Party.RD:
        return access.is_rd(user)
    return access.is_of_region(feedback, user)


def available_transitions(feedback: QualityFeedback, user: User) -> list[Transition]:
    """The steps out of the form's state that this person may take."""
    return [t for t in TRANSITIONS if t.source == feedback.state and may_take(t, feedback, user)]


# --- helpers ------------------------------------------------------------------------------------


def _take_serial(now: datetime) -> tuple[int, int, str]:
    """The next serial of the year of `now` (local time): ZLFK-2026-0001, ZLFK-2026-0002 ..."""
    year = timezone.localtime(now).year
    QualitySerialCounter.objects.get_or_create(year=year)
    # Lock the year's counter row: two regions may raise a form at the same moment.
    counter = QualitySerialCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return year, counter.last, f"{SERIAL_PREFIX}-{year}-{counter.last:04d}"


def _lock(feedback: QualityFeedback, *, by: User, expected_version: int | None) -> QualityFeedback:
    # Lock the row: R&D and the region may act on the same form at once.
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to updated_by.
    locked = (
        QualityFeedback.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=feedback.pk)
    )
    if not access.may_see(locked, by):
        raise PermissionDenied(_("You may not see this quality feedback form."))
    if expected_version is not None and locked.version != expected_version:
        raise FeedbackConflictError(locked)
    return locked


def _record(
    feedback: QualityFeedback,
    *,
    action: Action,
    from_state: str,
    by: User,
    now: datetime,
    note: str = "",
) -> QualityStep:
    """The step in the form's history and one row on the timeline of each linked case."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(EVENT_TEXTS[action]) % {
            "serial": feedback.serial,
            "person": by,
            "fix_version": feedback.fix_version,
        }
    if note:
        text = f"{text}\n{note}"
    for case in feedback.cases.all():
        # One create per case, not bulk_create: CaseEvent.save() also writes the outbox row.
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.QUALITY_FEEDBACK,
            action=case_event_action(action),
            actor=by,
            at=now,
            text=text,
            new_value=feedback.state,
            is_internal=True,
        )
    return QualityStep.objects.create(
        feedback=feedback,
        action=action,
        from_state=from_state,
        to_state=feedback.state,
        actor=by,
        at=now,
        note=note,
    )


def _save(feedback: QualityFeedback, *, by: User, now: datetime) -> None:
    feedback.version += 1
    feedback.updated_at = now
    feedback.updated_by = by
    feedback.full_clean()
    feedback.save()


def _required(values: dict[str, str]) -> None:
    missing = {
        name: _("%(what)s is required.") % {"what": NEED_LABELS[name]}
        for name, value in values.items()
        if not value.strip()
    }
    if missing:
        raise ValidationError(missing)


def _check_cases(cases: list[Case], *, by: User) -> None:
    visible = set(
        access.linkable_cases(by).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    hidden = [c for c in cases if c.pk not in visible]
    if hidden:
        raise ValidationError({"cases": _("You may link only cases you can see.")})


# --- the steps ----------------------------------------------------------------------------------


@transaction.atomic
def create_feedback(
    *,
    by: User,
    now: datetime,
    region: Region,
    product: Product,
    version_or_batch: str,
    fault_description: str,
    frequency: str,
    impact: str,
    cases: list[Case] = (),
) -> QualityFeedback:
    """A draft form from a region, linked to the cases it comes from (if any)."""
    if not access.may_raise(by):
        raise PermissionDenied(
            _("Only regional support or Engineering Service raises quality feedback.")
        )
    if not access.regions_for(by).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("You may raise quality feedback only for your region.")})
    cases = list(cases)
    _check_cases(cases, by=by)
    year, number, serial = _take_serial(now)
    feedback = QualityFeedback(
        serial=serial,
        year=year,
        number=number,
        state=State.DRAFT,
        region=region,
        raised_by=by,
        product=product,
        version_or_batch=(version_or_batch or "").strip(),
        fault_description=(fault_description or "").strip(),
        frequency=frequency,
        impact=impact,
        created_at=now,
        updated_at=now,
        updated_by=by,
    )
    feedback.full_clean()
    feedback.save()
    feedback.cases.set(cases)
    _record(feedback, action=Action.CREATE, from_state="", by=by, now=now)
    return feedback


@transaction.atomic
def add_evidence(
    feedback: QualityFeedback,
    *,
    by: User,
    upload,
    now: datetime,
) -> Evidence:
    """A photo, log or report, checked by its first bytes like a case's attachments."""
    feedback = _lock(feedback, by=by, expected_version=None)
    if not access.may_add_evidence(feedback, by):
        raise PermissionDenied(_("You may not add evidence to this form."))
    content_type = checked_content_type(upload)
    evidence = Evidence(
        feedback=feedback,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
        uploaded_at=now,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    _save(feedback, by=by, now=now)
    _record(
        feedback,
        action=Action.ATTACH,
        from_state=feedback.state,
        by=by,
        now=now,
        note=evidence.original_name,
    )
    return evidence


@transaction.atomic
def perform(
    feedback: QualityFeedback,
    *,
    action: Action,
    by: User,
    now: datetime,
    inputs: dict | None = None,
    expected_version: int | None = None,
) -> QualityFeedback:
    """Take the step named `action` with the inputs the page or the API collected."""
    inputs = {name: str(value or "").strip() for name, value in (inputs or {}).items()}
    feedback = _lock(feedback, by=by, expected_version=expected_version)
    transition = TRANSITION_BY_KEY.get((feedback.state, action))
    if transition is None:
        raise ValidationError(
            {
                "action": _("“%(action)s” is not possible while the form is “%(state)s”.")
                % {"action": Action(action).label, "state": feedback.get_state_display()}
            }
        )
    if not may_take(transition, feedback, by):
        raise PermissionDenied(_("You may not do this on this quality feedback form."))
    _required({need: inputs.get(need, "") for need in transition.needs})
    note = inputs.get("note", "")
    feedback.state = transition.target
    if action == Action.SUBMIT:
        feedback.submitted_at = now
    elif action == Action.ACKNOWLEDGE:
        feedback.acknowledged_by, feedback.acknowledged_at = by, now
    elif action == Action.ANALYSE:
        feedback.root_cause = inputs["root_cause"]
        feedback.fix = inputs["fix"]
        feedback.fix_version = inputs["fix_version"]
        feedback.analysed_by, feedback.analysed_at = by, now
    elif action == Action.RELEASE:
        feedback.released_at = now
    elif action == Action.CONFIRM:
        feedback.verified_by, feedback.closed_at = by, now
        feedback.verification_note = note
    elif action == Action.REJECT_FIX:
        feedback.verification_note = note
    _save(feedback, by=by, now=now)
    _record(feedback, action=action, from_state=transition.source, by=by, now=now, note=note)
    return feedback
