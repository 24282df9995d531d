"""Webhook subscriptions and their delivery logs, for administrators and service managers."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.webhooks import services
from tierdesk.webhooks.models import (
    SUBSCRIBABLE_EVENT_TYPES,
    DeliveryState,
    WebhookDelivery,
    WebhookSubscription,
)
from tierdesk.webhooks.permissions import (
    access_delivery,
    access_subscription,
    require_webhook_manager,
)

router = Router(tags=["webhooks"])

EventTypeCode = Literal[tuple(t.value for t in SUBSCRIBABLE_EVENT_TYPES)]
DeliveryStateCode = Literal[tuple(DeliveryState.values)]
LIST_ERRORS = {400: Problem, 401: Problem, 403: Problem, 422: Problem}


class SubscriptionOut(Schema):
    id: int
    name: str
    target_url: str
    event_types: list[str]
    active: bool
    created_by: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_active(subscription: WebhookSubscription) -> bool:
        return subscription.is_active

    @staticmethod
    def resolve_created_by(subscription: WebhookSubscription) -> str:
        return subscription.created_by.username


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(
        description="The HMAC signing secret; returned only here, store it in the receiver."
    )


class SubscriptionCreate(Schema):
    name: str = Field(min_length=1, max_length=100)
    target_url: str = Field(min_length=1, max_length=500)
    event_types: list[EventTypeCode] = Field(min_length=1)


class SubscriptionUpdate(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    target_url: str | None = Field(None, min_length=1, max_length=500)
    event_types: list[EventTypeCode] | None = Field(None, min_length=1)
    active: bool | None = None


class SecretOut(Schema):
    secret: str


class DeliveryOut(Schema):
    id: int
    event_type: str
    event_id: int | None
    case_reference: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    last_duration_ms: int | None
    delivered_at: datetime | None
    created_at: datetime
    payload: dict


class DeliveryFilters(Schema):
    state: DeliveryStateCode | None = None


def _subscriptions():
    return WebhookSubscription.objects.select_related("created_by")


@router.get("", response={200: page_of(SubscriptionOut), **LIST_ERRORS})
def list_subscriptions(request: HttpRequest, page: Query[PageParams]) -> dict:
    """Every webhook subscription, newest first."""
    require_webhook_manager(current_user(request))
    return paginate(_subscriptions(), page)


@router.post("", response={201: SubscriptionCreated, **WRITE_ERRORS})
def create_subscription(request: HttpRequest, payload: SubscriptionCreate):
    """Register a receiver; the response carries its signing secret, this once."""
    subscription = services.create_subscription(
        by=current_user(request),
        now=timezone.now(),
        name=payload.name,
        target_url=payload.target_url,
        event_types=list(payload.event_types),
    )
    # The instance just saved still holds the secret; later reads never return it.
    return Status(201, subscription)


@router.get("/{int:subscription_id}", response={200: SubscriptionOut, 403: Problem, **READ_ERRORS})
def get_subscription(request: HttpRequest, subscription_id: int):
    return access_subscription(current_user(request), subscription_id)


@router.patch("/{int:subscription_id}", response={200: SubscriptionOut, **WRITE_ERRORS})
def update_subscription(request: HttpRequest, subscription_id: int, payload: SubscriptionUpdate):
    """Change name, URL, events or `active`; the secret stays (rotate it with /secret)."""
    user = current_user(request)
    subscription = access_subscription(user, subscription_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "active" in changes:
        changes["is_active"] = changes.pop("active")
    services.update_subscription(subscription, by=user, now=timezone.now(), **changes)
    return _subscriptions().get(pk=subscription.pk)


@router.delete("/{int:subscription_id}", response={204: None, **WRITE_ERRORS})
def deactivate_subscription(request: HttpRequest, subscription_id: int):
    """Deactivate: nothing more is planned or sent; the delivery log is kept."""
    user = current_user(request)
    subscription = access_subscription(user, subscription_id)
    services.deactivate_subscription(subscription, by=user, now=timezone.now())
    return Status(204, None)


@router.post("/{int:subscription_id}/secret", response={200: SecretOut, **WRITE_ERRORS})
def rotate_secret(request: HttpRequest, subscription_id: int):
    """Replace the signing secret; the old one stops verifying at once."""
    user = current_user(request)
    subscription = access_subscription(user, subscription_id)
    return {"secret": services.rotate_secret(subscription, by=user, now=timezone.now())}


@router.post("/{int:subscription_id}/ping", response={202: DeliveryOut, **WRITE_ERRORS})
def send_test_ping(request: HttpRequest, subscription_id: int):
    """Queue a signed `ping` delivery; follow it in the deliveries list."""
    user = current_user(request)
    subscription = access_subscription(user, subscription_id)
    return Status(202, services.send_test_ping(subscription, by=user, now=timezone.now()))


@router.get(
    "/{int:subscription_id}/deliveries",
    response={200: page_of(DeliveryOut), **LIST_ERRORS, 404: Problem},
)
def list_deliveries(
    request: HttpRequest,
    subscription_id: int,
    filters: Query[DeliveryFilters],
    page: Query[PageParams],
) -> dict:
    """The subscription's delivery log, newest first."""
    subscription = access_subscription(current_user(request), subscription_id)
    deliveries = WebhookDelivery.objects.filter(subscription=subscription)
    if filters.state:
        deliveries = deliveries.filter(state=filters.state)
    return paginate(deliveries, page)


@router.post(
    "/{int:subscription_id}/deliveries/{int:delivery_id}/redeliver",
    response={202: DeliveryOut, **WRITE_ERRORS},
)
def redeliver(request: HttpRequest, subscription_id: int, delivery_id: int):
    """Queue a failed delivery again, with a fresh round of retries."""
    user = current_user(request)
    subscription = access_subscription(user, subscription_id)
    delivery = access_delivery(subscription, delivery_id)
    return Status(202, services.redeliver(delivery, by=user, now=timezone.now()))
