"""The planner: one follow-up per resolution, assigned and timed by the rule kept as data."""

from datetime import timedelta

from tests.cases.conftest import at, shanghai
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, EventKind
from tierdesk.cases.models import BusinessCalendar, CaseEvent
from tierdesk.followups.enums import FollowUpState
from tierdesk.followups.models import FollowUp, FollowUpRule
from tierdesk.followups.planning import plan_follow_up
from tierdesk.organization.models import RoleCode


def test_resolution_plans_one_follow_up_by_the_default_rule_even_when_handed_over_twice(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    event = workflow.perform(
        case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="已修复"
    )

    assert plan_follow_up(event) == 1
    assert plan_follow_up(event) == 0

    follow_up = FollowUp.objects.get(case=case)
    default = FollowUpRule.objects.get(region=None)
    assert follow_up.assignee == regional_support
    assert follow_up.state == FollowUpState.OPEN
    assert follow_up.due_at == at(hours=1) + timedelta(hours=default.due_within_hours)
    assert follow_up.max_failed_attempts == default.max_failed_attempts
    planned = case.events.filter(kind=EventKind.FOLLOW_UP)
    assert planned.count() == 1
    assert str(regional_support) in planned.get().text


def test_a_region_s_own_rule_wins_over_the_default(
    open_case, field_engineer, regional_support, supervisor, east
):
    office_hours = BusinessCalendar.objects.get(round_the_clock=False, weekdays="0,1,2,3,4")
    FollowUpRule.objects.create(
        region=east,
        assignee_role=RoleCode.SUPERVISOR,
        due_within_hours=8,
        calendar=office_hours,
        max_failed_attempts=2,
        link_valid_days=3,
    )
    case = open_case(field_engineer)
    # Resolved Monday 11:00; eight working hours on the 9-18 calendar end Tuesday 10:00.
    event = workflow.perform(
        case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="已修复"
    )
    plan_follow_up(event)

    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.assignee == supervisor
    assert follow_up.due_at == shanghai(3, 10)
    assert follow_up.max_failed_attempts == 2
    assert follow_up.link_valid_days == 3


def test_another_region_s_rule_does_not_apply(
    open_case, field_engineer, regional_support, supervisor, north
):
    FollowUpRule.objects.create(region=north, assignee_role=RoleCode.SUPERVISOR)
    case = open_case(field_engineer)
    event = workflow.perform(
        case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="已修复"
    )
    plan_follow_up(event)
    assert FollowUp.objects.get(case=case).assignee == regional_support


def test_the_regional_support_with_fewest_open_follow_ups_gets_the_next(
    resolve, regional_support, east_colleague
):
    first = resolve()
    second = resolve()
    third = resolve()
    # bella sorts before bob, so she gets the first; then bob has fewer; then a tie again.
    assert [first.assignee, second.assignee, third.assignee] == [
        east_colleague,
        regional_support,
        east_colleague,
    ]


def test_without_regional_support_in_the_region_a_supervisor_is_assigned(resolve, supervisor):
    assert resolve().assignee == supervisor


def test_other_events_plan_nothing(open_case, field_engineer, regional_support):
    case = open_case(field_engineer)
    escalation = workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="需要区域支持"
    )
    created = CaseEvent.objects.get(case=case, kind=EventKind.CREATED)
    assert plan_follow_up(created) == 0
    assert plan_follow_up(escalation) == 0
    assert not FollowUp.objects.exists()


def test_a_stale_resolution_plans_nothing(open_case, field_engineer, regional_support):
    case = open_case(field_engineer)
    resolution = workflow.perform(
        case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="已修复"
    )
    workflow.perform(
        case, action=Action.REOPEN, by=regional_support, now=at(hours=2), text="客户说还在告警"
    )
    # The fan-out ran late: by now the case is no longer resolved.
    assert plan_follow_up(resolution) == 0
    assert not FollowUp.objects.exists()


def test_reopening_from_the_case_page_cancels_the_follow_up_and_a_new_resolution_gets_a_new_one(
    resolve, regional_support, field_engineer
):
    first = resolve()
    reopen = workflow.perform(
        first.case, action=Action.REOPEN, by=regional_support, now=at(hours=2), text="仍有告警"
    )
    assert plan_follow_up(reopen) == 1
    first.refresh_from_db()
    assert first.state == FollowUpState.CANCELLED

    second = resolve(first.case, when=at(hours=3))
    assert second.pk != first.pk
    assert second.state == FollowUpState.OPEN
    assert FollowUp.objects.filter(case=first.case).count() == 2
