"""Calls and answers: what they do to the follow-up and to the case, and who may record them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.cases.conftest import at
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, EventKind, Status
from tierdesk.followups import services
from tierdesk.followups.enums import AnsweredVia, FollowUpState, Satisfaction
from tierdesk.followups.models import FollowUp


def transitions(case):
    return list(
        case.events.filter(kind=EventKind.TRANSITION).values_list("action", "actor__username")
    )


@pytest.mark.parametrize(
    "level", [Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.NEUTRAL]
)
def test_satisfied_or_neutral_closes_the_case(follow_up, regional_support, level):
    services.record_answer(
        follow_up, by=regional_support, satisfaction=level, comment="工程师很专业", now=at(days=1)
    )

    follow_up.refresh_from_db()
    case = follow_up.case
    case.refresh_from_db()
    assert follow_up.state == FollowUpState.SATISFIED
    assert follow_up.satisfaction == level
    assert follow_up.answered_via == AnsweredVia.PHONE
    assert follow_up.closed_at == at(days=1)
    assert case.status == Status.CLOSED
    assert case.closed_at == at(days=1)
    assert transitions(case)[-1] == (Action.CLOSE, "bob")
    history = case.events.filter(kind=EventKind.FOLLOW_UP).order_by("id")
    assert "工程师很专业" in history.last().text
    assert follow_up.attempts.get().reached


def test_dissatisfied_reopens_the_case_at_the_line_that_resolved_it_with_the_comment(
    open_case, field_engineer, regional_support, line2_engineer, resolve
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(minutes=10), text="a")
    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=at(minutes=20), text="b"
    )
    workflow.assign(case, by=line2_engineer, to=line2_engineer, now=at(minutes=30))
    follow_up = resolve(case, by=line2_engineer, when=at(hours=2))

    services.record_answer(
        follow_up,
        by=regional_support,
        satisfaction=Satisfaction.VERY_DISSATISFIED,
        comment="告警又出现了",
        now=at(days=1),
    )

    follow_up.refresh_from_db()
    case.refresh_from_db()
    assert follow_up.state == FollowUpState.UNSATISFIED
    assert case.status == Status.LINE2
    assert case.line == 2
    reopen = case.events.filter(kind=EventKind.TRANSITION).order_by("id").last()
    assert reopen.action == Action.REOPEN
    assert "告警又出现了" in reopen.text


def test_dissatisfied_without_a_comment_is_refused_and_changes_nothing(follow_up, regional_support):
    with pytest.raises(ValidationError) as refused:
        services.record_answer(
            follow_up, by=regional_support, satisfaction=Satisfaction.DISSATISFIED, now=at(days=1)
        )
    assert "comment" in refused.value.message_dict
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN
    assert not follow_up.attempts.exists()
    assert follow_up.case.status == Status.RESOLVED


def test_the_rule_s_number_of_failed_calls_closes_the_case_as_unreachable(
    follow_up, regional_support
):
    assert follow_up.max_failed_attempts == 3
    for hour in (1, 2):
        services.record_attempt(
            follow_up,
            by=regional_support,
            reached=False,
            note="无人接听",
            now=at(days=1, hours=hour),
        )
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN

    services.record_attempt(follow_up, by=regional_support, reached=False, now=at(days=2))

    follow_up.refresh_from_db()
    case = follow_up.case
    case.refresh_from_db()
    assert follow_up.state == FollowUpState.UNREACHABLE
    assert follow_up.closed_at == at(days=2)
    assert case.status == Status.CLOSED
    close = case.events.filter(kind=EventKind.TRANSITION).order_by("id").last()
    assert close.action == Action.CLOSE
    assert "3" in close.text
    assert case.events.filter(kind=EventKind.FOLLOW_UP).count() == 4  # planned + three calls


def test_a_reached_call_does_not_count_as_failed(follow_up, regional_support):
    for day in (1, 2):
        services.record_attempt(follow_up, by=regional_support, reached=False, now=at(days=day))
    services.record_attempt(
        follow_up, by=regional_support, reached=True, note="客户请明天再打", now=at(days=3)
    )
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN
    assert follow_up.attempts.count() == 3


def test_a_closed_follow_up_takes_no_more_calls_or_answers(follow_up, regional_support):
    services.record_answer(
        follow_up, by=regional_support, satisfaction=Satisfaction.SATISFIED, now=at(days=1)
    )
    with pytest.raises(ValidationError):
        services.record_attempt(follow_up, by=regional_support, reached=False, now=at(days=2))
    with pytest.raises(ValidationError):
        services.record_answer(
            follow_up, by=regional_support, satisfaction=Satisfaction.SATISFIED, now=at(days=2)
        )


def test_another_region_s_regional_support_and_the_field_engineer_may_not_record(
    follow_up, north_support, field_engineer
):
    for person in (north_support, field_engineer):
        with pytest.raises(PermissionDenied):
            services.record_attempt(follow_up, by=person, reached=False, now=at(days=1))
    assert not follow_up.attempts.exists()


def test_a_supervisor_may_record_the_answer(follow_up, supervisor):
    services.record_answer(
        follow_up, by=supervisor, satisfaction=Satisfaction.SATISFIED, now=at(days=1)
    )
    assert transitions(follow_up.case)[-1] == (Action.CLOSE, "sam")


def test_reassign_within_the_region_writes_history_and_refuses_other_regions(
    follow_up, regional_support, east_colleague, north_support
):
    services.reassign(follow_up, by=regional_support, to=east_colleague, now=at(hours=2))
    follow_up.refresh_from_db()
    assert follow_up.assignee == east_colleague
    last = follow_up.case.events.filter(kind=EventKind.FOLLOW_UP).order_by("id").last()
    assert str(east_colleague) in last.text

    with pytest.raises(ValidationError):
        services.reassign(follow_up, by=regional_support, to=north_support, now=at(hours=3))
    with pytest.raises(PermissionDenied):
        services.reassign(follow_up, by=north_support, to=north_support, now=at(hours=3))


def test_unsatisfied_then_resolved_again_gets_a_new_follow_up(
    follow_up, regional_support, field_engineer, resolve
):
    services.record_answer(
        follow_up,
        by=regional_support,
        satisfaction=Satisfaction.DISSATISFIED,
        comment="仍然离线",
        now=at(days=1),
    )
    case = follow_up.case
    case.refresh_from_db()
    assert case.status == Status.FIELD

    second = resolve(case, when=at(days=2))
    assert second.pk != follow_up.pk
    assert FollowUp.objects.filter(case=case, state=FollowUpState.OPEN).get() == second


def test_the_overdue_pass_marks_each_late_follow_up_once(follow_up, resolve):
    on_time = resolve(when=at(days=5))
    late = at(days=2)

    assert services.mark_overdue(now=late) == 1
    assert services.mark_overdue(now=late) == 0

    follow_up.refresh_from_db()
    on_time.refresh_from_db()
    assert follow_up.overdue_at == late
    assert on_time.overdue_at is None
    assert follow_up.case.events.filter(kind=EventKind.FOLLOW_UP, at=late).count() == 1
