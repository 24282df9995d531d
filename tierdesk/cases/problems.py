"""Problems: the root cause behind many cases, and resolving them together."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import access, workflow
from tierdesk.cases.enums import Action, EventKind, Status
from tierdesk.cases.models import Case, CaseEvent, Problem
from tierdesk.organization.models import User


def _require_manager(user: User) -> None:
    if not access.may_manage_problems(user):
        raise PermissionDenied(_("Only Engineering Service records and resolves problems."))


@transaction.atomic
def open_problem(*, by: User, title: str, now: datetime, **fields) -> Problem:
    _require_manager(by)
    problem = Problem(title=title, created_by=by, created_at=now, **fields)
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def link_case(
    case: Case,
    *,
    problem: Problem,
    by: User,
    now: datetime,
    expected_version: int | None = None,
) -> CaseEvent:
    case = workflow.lock_case(case, by=by, expected_version=expected_version)
    if not access.may_link_problem(case, by):
        raise PermissionDenied(_("You may not link this case to a problem."))
    if case.problem_id == problem.pk:
        raise ValidationError({"problem": _("The case is already linked to this problem.")})
    old = case.problem
    case.problem = problem
    workflow.record_change(case, by=by, now=now, fields=["problem"])
    return CaseEvent.objects.create(
        case=case,
        kind=EventKind.PROBLEM_LINKED,
        actor=by,
        at=now,
        field="problem",
        old_value=str(old or ""),
        new_value=str(problem),
    )


def open_cases_resolvable_by(problem: Problem, user: User) -> list[Case]:
    """The problem's open cases that this person could resolve now."""
    return [
        case
        for case in problem.cases.filter(status__in=[Status.FIELD, Status.REGIONAL, Status.LINE2])
        if any(t.action == Action.RESOLVE for t in workflow.available_transitions(case, user))
    ]


@transaction.atomic
def resolve_problem(
    problem: Problem, *, by: User, resolution: str, now: datetime, cases: list[Case] = ()
) -> list[CaseEvent]:
    """Resolve the problem and, if asked, each chosen open case with its own history entry."""
    _require_manager(by)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.state == Problem.State.RESOLVED:
        raise ValidationError({"resolution": _("This problem is already resolved.")})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Resolution is required.")})
    problem.state = Problem.State.RESOLVED
    problem.resolution = resolution
    problem.resolved_at = now
    problem.save(update_fields=["state", "resolution", "resolved_at"])
    events = []
    for case in cases:
        if case.problem_id != problem.pk:
            raise ValidationError(
                {"cases": _("%(case)s is not linked to this problem.") % {"case": case}}
            )
        text = _("Resolved with problem %(problem)s: %(resolution)s") % {
            "problem": problem.reference,
            "resolution": resolution,
        }
        events.append(workflow.perform(case, action=Action.RESOLVE, by=by, now=now, text=str(text)))
    return events
