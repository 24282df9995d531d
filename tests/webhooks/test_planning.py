"""Planning: which case events become webhook deliveries, what they carry, and only once."""

import pytest
from django.db import transaction

from tests.cases.conftest import FIXED, at, shanghai
from tierdesk.cases import sla_scan, workflow
from tierdesk.cases.enums import Action, Classification, EventKind, Status
from tierdesk.cases.models import CaseEvent, EventOutbox
from tierdesk.notifications.fanout import fan_out
from tierdesk.webhooks.models import DeliveryState, EventType, WebhookDelivery
from tierdesk.webhooks.planning import plan_deliveries

URL = "https://nms.example.com/hooks/tierdesk"


def delivered_types(subscription) -> list[str]:
    return list(subscription.deliveries.order_by("event_id").values_list("event_type", flat=True))


def test_every_announced_step_of_a_case_becomes_its_webhook_event(
    open_case,
    subscribe,
    field_engineer,
    regional_support,
    line2_engineer,
    rd_engineer,
):
    subscription = subscribe(URL)
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="a")
    workflow.perform(case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="b")
    workflow.assign(case, by=line2_engineer, to=line2_engineer, now=at(hours=3))
    workflow.comment(
        case, by=line2_engineer, text="Looking at the logs.", internal=True, now=at(hours=3)
    )
    workflow.perform(
        case,
        action=Action.TRANSFER_RD,
        by=line2_engineer,
        now=at(hours=4),
        text="Crash in the agent.",
        classification=Classification.PRODUCT_DEFECT,
    )
    workflow.perform(case, action=Action.HAND_BACK, by=rd_engineer, now=at(hours=5), text="Fix")
    workflow.perform(case, action=Action.RESOLVE, by=line2_engineer, now=at(hours=6), text="Done")
    workflow.perform(
        case, action=Action.REOPEN, by=regional_support, now=at(hours=7), text="Came back."
    )

    fan_out(now=at(hours=8))

    assert delivered_types(subscription) == [
        EventType.CREATED,
        EventType.ESCALATED,  # field -> regional support
        EventType.ESCALATED,  # regional support -> line 2
        EventType.ESCALATED,  # line 2 -> R&D
        EventType.HANDED_BACK,
        EventType.RESOLVED,
        EventType.REOPENED,
    ]
    # Assignments, comments and field changes are not announced.
    assert not EventOutbox.objects.exists()
    assert all(d.state == DeliveryState.PENDING for d in subscription.deliveries.all())


def test_an_sla_breach_is_announced(open_case, subscribe, field_engineer):
    subscription = subscribe(URL, events=[EventType.BREACHED])
    case = open_case(field_engineer)

    sla_scan.scan(now=shanghai(4, 17))  # past the P3 resolution target, warning included
    fan_out(now=shanghai(4, 17))

    delivery = subscription.deliveries.get()
    assert delivery.event_type == EventType.BREACHED
    assert delivery.event.kind == EventKind.SLA_BREACH
    assert delivery.payload["case"]["reference"] == case.reference


def test_payload_describes_the_case_as_the_event_left_it_and_links_to_it(
    open_case, subscribe, field_engineer, regional_support
):
    subscription = subscribe(URL)
    case = open_case(field_engineer)
    escalation = workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="Power checked."
    )
    # The case moves on before the fan-out runs: the payload still tells this step's story.
    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="Config ok."
    )

    fan_out(now=at(hours=3))

    payload = subscription.deliveries.get(event=escalation).payload
    assert payload == {
        "id": escalation.pk,
        "type": "case.escalated",
        "occurred_at": "2026-03-02T03:00:00+00:00",  # 11:00 in Shanghai
        "actor": "alice",
        "action": "escalate",
        "from_status": Status.FIELD.value,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "title": "FSU 离线",
            "status": Status.REGIONAL.value,
            "line": 1,
            "priority": "P3",
            "region": "east",
            "product": "FSU-3000",
            "url": f"https://tierdesk.example.com/cases/{case.pk}/",
        },
    }


def test_internal_findings_stay_home_but_a_customer_safe_resolution_travels(
    open_case, subscribe, field_engineer
):
    subscription = subscribe(URL)
    case = open_case(field_engineer)
    workflow.perform(
        case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="Reseated the cable."
    )

    fan_out(now=at(hours=2))

    created = subscription.deliveries.get(event_type=EventType.CREATED).payload
    resolved = subscription.deliveries.get(event_type=EventType.RESOLVED).payload
    assert "text" not in created  # the description is internal
    assert "stopped reporting" not in str(created)
    assert resolved["text"] == "Reseated the cable."


def test_planning_the_same_event_again_adds_no_second_delivery(
    open_case, subscribe, field_engineer
):
    subscription = subscribe(URL)
    open_case(field_engineer)
    created = CaseEvent.objects.get(kind=EventKind.CREATED)

    # A worker that died before committing hands the same event over again.
    assert plan_deliveries(created) == 1
    assert plan_deliveries(created) == 0

    assert subscription.deliveries.count() == 1


def test_a_rolled_back_change_plans_nothing(open_case, subscribe, field_engineer):
    subscription = subscribe(URL)
    case = open_case(field_engineer)
    fan_out(now=at(hours=1))  # the creation is announced
    assert subscription.deliveries.count() == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.perform(
            case, action=Action.ESCALATE, by=field_engineer, now=at(hours=2), text="Power ok."
        )
        raise RuntimeError("the request failed after the workflow step")

    fan_out(now=at(hours=3))

    case.refresh_from_db()
    assert case.status == Status.FIELD
    assert delivered_types(subscription) == [EventType.CREATED]


def test_a_subscription_gets_only_the_events_it_chose(
    open_case, subscribe, field_engineer, regional_support
):
    resolutions = subscribe(URL, events=[EventType.RESOLVED], name="CRM")
    everything = subscribe(URL, name="Chat bot")
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="a")
    workflow.perform(case, action=Action.RESOLVE, by=regional_support, now=at(hours=2), text="b")

    counts = fan_out(now=at(hours=3))

    assert delivered_types(resolutions) == [EventType.RESOLVED]
    assert delivered_types(everything) == [
        EventType.CREATED,
        EventType.ESCALATED,
        EventType.RESOLVED,
    ]
    assert counts["deliveries"] == 4


def test_a_deactivated_subscription_gets_nothing(open_case, subscribe, field_engineer):
    subscription = subscribe(URL, is_active=False)

    open_case(field_engineer)
    fan_out(now=FIXED)

    assert not WebhookDelivery.objects.filter(subscription=subscription).exists()
