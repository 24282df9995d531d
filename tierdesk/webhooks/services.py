"""The actions on webhooks that people take; the web pages and the API both call these.

None of them sends HTTP: a ping or a redelivery is queued for the delivery worker, so the
person's request is as fast whether the receiver is up, slow or gone.
"""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tierdesk.organization.models import User
from tierdesk.webhooks.models import (
    DeliveryState,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
    generate_secret,
)
from tierdesk.webhooks.permissions import require_webhook_manager


@transaction.atomic
def create_subscription(
    *, by: User, name: str, target_url: str, event_types: list[str], now: datetime
) -> WebhookSubscription:
    """Register a receiver; its generated secret is readable now, to show its creator once."""
    require_webhook_manager(by)
    subscription = WebhookSubscription(
        name=name.strip(),
        target_url=target_url.strip(),
        event_types=list(event_types),
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def update_subscription(
    subscription: WebhookSubscription, *, by: User, now: datetime, **changes
) -> WebhookSubscription:
    """Change the name, target URL, events or active flag; the secret stays."""
    require_webhook_manager(by)
    allowed = {"name", "target_url", "event_types", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    for name, value in changes.items():
        setattr(subscription, name, value.strip() if isinstance(value, str) else value)
    subscription.updated_at = now
    subscription.full_clean()
    subscription.save()
    return subscription


def deactivate_subscription(
    subscription: WebhookSubscription, *, by: User, now: datetime
) -> WebhookSubscription:
    """Stop planning and sending; the delivery log stays, pending ones wait for reactivation."""
    return update_subscription(subscription, by=by, now=now, is_active=False)


def activate_subscription(
    subscription: WebhookSubscription, *, by: User, now: datetime
) -> WebhookSubscription:
    return update_subscription(subscription, by=by, now=now, is_active=True)


@transaction.atomic
def rotate_secret(subscription: WebhookSubscription, *, by: User, now: datetime) -> str:
    """Give the subscription a new secret (for example after a leak); returns it to show once."""
    require_webhook_manager(by)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.secret = generate_secret()
    subscription.updated_at = now
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription.secret


@transaction.atomic
def send_test_ping(
    subscription: WebhookSubscription, *, by: User, now: datetime
) -> WebhookDelivery:
    """Queue a signed `ping` so the receiver's owner can check URL, secret and signature code."""
    require_webhook_manager(by)
    if not subscription.is_active:
        raise ValidationError(_("Activate the subscription before sending it a ping."))
    delivery = WebhookDelivery(
        subscription=subscription,
        event=None,
        event_type=EventType.PING,
        payload={
            "id": None,
            "type": EventType.PING.value,
            "occurred_at": now.astimezone(UTC).isoformat(),
            "actor": by.username,
            "subscription": {"id": subscription.pk, "name": subscription.name},
        },
        next_attempt_at=now,
        created_at=now,
    )
    delivery.full_clean()
    delivery.save()
    return delivery


@transaction.atomic
def redeliver(delivery: WebhookDelivery, *, by: User, now: datetime) -> WebhookDelivery:
    """Queue a failed delivery again with a fresh round of retries; the old tries stay logged."""
    require_webhook_manager(by)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.state != DeliveryState.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.locked_until = None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "locked_until"])
    return delivery
