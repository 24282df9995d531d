"""Which webhook deliveries a case event causes, and what they say.

Planning only writes rows, in the transaction of whoever calls it (the outbox fan-out); the
HTTP happens later in `delivery.deliver_due`, so a slow or dead receiver never slows anyone.

What the payload carries: receivers are company systems that administrators connect (a network
management system, a CRM, a chat bot), not customers; they get the case's facts (reference,
title, status, line, priority, region, product, a link) so they can look the rest up. The
free text of an event travels only when the event is customer-safe (`is_internal=False`, e.g.
a resolution): internal findings and hand-over notes stay in tierdesk, as they stay away from
partner vendors, because a receiver may forward or store messages where tierdesk's access rules
no longer apply.
"""

from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tierdesk.cases.enums import Action, EventKind
from tierdesk.cases.models import CaseEvent
from tierdesk.webhooks.models import EventType, WebhookDelivery, WebhookSubscription

ESCALATING_ACTIONS = {
    Action.ESCALATE,
    Action.TRANSFER_RD,
    Action.TRANSFER_PRESALES,
    Action.TRANSFER_PRODUCT,
    Action.TRANSFER_VENDOR,
}
EVENT_TYPE_OF_ACTION = {
    **dict.fromkeys(ESCALATING_ACTIONS, EventType.ESCALATED),
    Action.HAND_BACK: EventType.HANDED_BACK,
    Action.RESOLVE: EventType.RESOLVED,
    Action.REOPEN: EventType.REOPENED,
}


def webhook_event_type(event: CaseEvent) -> EventType | None:
    """The webhook event a history entry announces; None for entries receivers are not told."""
    if event.kind == EventKind.CREATED:
        return EventType.CREATED
    if event.kind == EventKind.SLA_BREACH:
        return EventType.BREACHED
    if event.kind == EventKind.TRANSITION:
        return EVENT_TYPE_OF_ACTION.get(event.action)
    return None


def case_url(case_id: int) -> str:
    return settings.TIERDESK_BASE_URL.rstrip("/") + reverse("cases:detail", args=[case_id])


def build_payload(event: CaseEvent, event_type: EventType) -> dict:
    """The JSON body, as of the event: status and line are where the event left the case.

    Times are ISO 8601 in UTC, the form other systems parse without surprises.
    """
    case = event.case
    payload = {
        "id": event.pk,
        "type": event_type.value,
        "occurred_at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor.username if event.actor_id else None,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "title": case.title,
            "status": event.to_status or case.status,
            "line": event.to_line or case.line,
            "priority": case.priority,
            "region": case.region.code,
            "product": case.product.code,
            "url": case_url(case.pk),
        },
    }
    if event.kind == EventKind.TRANSITION:
        payload["action"] = event.action
        payload["from_status"] = event.from_status
    if not event.is_internal and event.text:
        payload["text"] = event.text
    return payload


@transaction.atomic
def plan_deliveries(event: CaseEvent) -> int:
    """Write one delivery row per matching subscription; return how many were new.

    Safe to call again for the same event: the unique (subscription, event) pair means a
    fan-out that is repeated after a crash adds nothing.
    """
    event_type = webhook_event_type(event)
    if event_type is None:
        return 0
    # Few subscriptions exist and event_types is a JSON list, so filtering here is simplest
    # and works the same on SQLite and PostgreSQL.
    subscriptions = [s for s in WebhookSubscription.objects.active() if s.wants(event_type)]
    if not subscriptions:
        return 0
    event = CaseEvent.objects.select_related("case__region", "case__product", "actor").get(
        pk=event.pk
    )
    payload = build_payload(event, event_type)
    created = 0
    # Dated by the event rather than by the fan-out run, so the log reads in the order things
    # happened and the delivery is due at once.
    for subscription in subscriptions:
        _delivery, is_new = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event=event,
            defaults={
                "event_type": event_type,
                "payload": payload,
                "next_attempt_at": event.at,
                "created_at": event.at,
            },
        )
        created += is_new
    return created
