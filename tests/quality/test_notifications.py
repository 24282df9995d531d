"""The owners of the linked cases hear when a quality feedback form changes state."""

from tests.cases.conftest import FIXED
from tierdesk.notifications import fanout
from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification
from tierdesk.notifications.rendering import render_mail
from tierdesk.quality.enums import State


def quality_mail() -> list[tuple[str, int]]:
    fanout.fan_out(now=FIXED)
    return list(
        Notification.objects.filter(kind=NotificationKind.QUALITY_CHANGED)
        .order_by("id")
        .values_list("recipient__username", "case_id")
    )


def test_case_owner_hears_of_r_and_d_steps_on_each_linked_case(
    bring_to, case, second_case, regional_support
):
    assert case.owner == regional_support
    bring_to(State.ACKNOWLEDGED)
    # The owner's own draft and submission are not news to them; R&D's acknowledgement is.
    assert sorted(quality_mail()) == sorted(
        [(regional_support.username, case.pk), (regional_support.username, second_case.pk)]
    )


def test_drafting_and_evidence_send_no_quality_mail(bring_to, case, line2_engineer):
    case.owner = line2_engineer
    case.save(update_fields=["owner"])
    bring_to(State.DRAFT)
    assert quality_mail() == []


def test_the_mail_names_the_form_and_its_new_state(bring_to, case, regional_support):
    bring_to(State.ANALYSED)
    quality_mail()
    notification = (
        Notification.objects.filter(kind=NotificationKind.QUALITY_CHANGED, case=case)
        .order_by("-id")
        .first()
    )
    message = render_mail(notification)
    assert case.reference in message.subject
    assert "ZLFK-2026-0001" in message.body
    assert "V3.2.5" in message.body
