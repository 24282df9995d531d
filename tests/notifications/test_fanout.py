"""The outbox: a rolled-back change announces nothing; a committed one is fanned out once."""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.notifications.conftest import FIXED, planned
from tierdesk.cases import workflow
from tierdesk.cases.models import EventOutbox
from tierdesk.notifications import fanout
from tierdesk.notifications.enums import DeliveryState
from tierdesk.notifications.enums import NotificationKind as Kind
from tierdesk.notifications.models import Notification


class Interrupted(Exception):
    pass


def test_a_rolled_back_change_leaves_no_outbox_row_and_no_mail(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    planned()

    with pytest.raises(Interrupted), transaction.atomic():
        workflow.comment(case, by=regional_support, text="客户已确认", internal=False, now=FIXED)
        raise Interrupted

    assert not EventOutbox.objects.exists()
    assert planned() == set()


def test_a_committed_change_waits_in_the_outbox_until_fanned_out(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    planned()

    event = workflow.comment(
        case, by=regional_support, text="客户已确认", internal=False, now=FIXED
    )

    assert list(EventOutbox.objects.values_list("event_id", flat=True)) == [event.pk]
    assert fanout.fan_out(now=FIXED) == {
        "events": 1,
        "notifications": 1,
        "deliveries": 0,
        "follow_ups": 0,
    }
    assert not EventOutbox.objects.exists()
    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient, notification.case) == (
        Kind.COMMENT,
        field_engineer,
        case,
    )
    assert notification.state == DeliveryState.PENDING
    assert notification.next_attempt_at == FIXED


def test_fanning_out_the_same_event_again_plans_nothing_new(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    event = workflow.comment(
        case, by=regional_support, text="客户已确认", internal=False, now=FIXED
    )
    fanout.fan_out(now=FIXED)

    # As if a worker had died after planning but before its transaction's end was recorded.
    EventOutbox.objects.create(event=event)
    fanout.fan_out(now=FIXED)

    assert Notification.objects.filter(event=event).count() == 1
    assert not EventOutbox.objects.exists()


def test_a_web_request_writes_rows_and_sends_no_mail(
    client, open_case, field_engineer, regional_support, mailoutbox
):
    case = open_case(field_engineer)
    client.force_login(regional_support)

    response = client.post(
        reverse("cases:comment", args=[case.pk]), {"text": "客户已确认", "internal": ""}
    )

    assert response.status_code == 302
    assert mailoutbox == []
    assert EventOutbox.objects.count() == 2  # the case's creation and the comment
