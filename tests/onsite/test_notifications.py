"""Who hears of an application's steps: the applicant of the decision, the engineer of the
dispatch - by mail, through the same outbox as every case change."""

from tests.onsite.conftest import FIXED
from tierdesk.notifications import fanout
from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification
from tierdesk.onsite.enums import State


def mail_planned() -> set[tuple[str, str]]:
    fanout.fan_out(now=FIXED)
    return set(Notification.objects.values_list("kind", "recipient__username"))


def test_applicant_hears_of_the_approval_and_the_engineer_of_the_dispatch(
    bring_to, regional_support, line2_engineer
):
    bring_to(State.DISPATCHED)

    planned = mail_planned()
    assert (NotificationKind.FORM_DECIDED, regional_support.username) in planned
    assert (NotificationKind.DISPATCHED, line2_engineer.username) in planned
    assert (NotificationKind.DISPATCHED, regional_support.username) not in planned
    assert (NotificationKind.FORM_DECIDED, line2_engineer.username) not in planned


def test_a_draft_and_its_submission_send_no_form_mail(bring_to):
    bring_to(State.SUBMITTED)
    kinds = {kind for kind, _person in mail_planned()}
    assert not kinds & {NotificationKind.FORM_DECIDED, NotificationKind.DISPATCHED}
