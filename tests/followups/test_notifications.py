"""The caller hears of a follow-up when it becomes theirs and again when it is overdue."""

from datetime import timedelta

from tests.cases.conftest import at
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action
from tierdesk.followups import services
from tierdesk.followups.models import FollowUp
from tierdesk.notifications import fanout
from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification


def follow_up_mail() -> list[str]:
    fanout.fan_out(now=at(days=10))  # the resolution plans the follow-up, its event the mail
    fanout.fan_out(now=at(days=10))
    return list(
        Notification.objects.filter(kind=NotificationKind.FOLLOW_UP_DUE)
        .order_by("id")
        .values_list("recipient__username", flat=True)
    )


def test_the_caller_is_told_of_a_new_follow_up_and_of_it_going_overdue(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="ok")

    assert follow_up_mail() == [regional_support.username]

    follow_up = FollowUp.objects.get(case=case)
    assert services.mark_overdue(now=follow_up.due_at + timedelta(minutes=1)) == 1
    assert follow_up_mail() == [regional_support.username, regional_support.username]
