"""Webhook subscriptions of other company systems, the deliveries owed to them, and every try."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import CaseEvent


class EventType(models.TextChoices):
    """What a receiver is told happened; the values are a public contract, never rename them."""

    CREATED = "case.created", _("Case created")
    ESCALATED = "case.escalated", _("Case escalated")
    HANDED_BACK = "case.handed_back", _("Case handed back to line 2")
    RESOLVED = "case.resolved", _("Case resolved")
    BREACHED = "case.breached", _("Case breached its SLA")
    REOPENED = "case.reopened", _("Case reopened")
    PING = "ping", _("Test ping")


# A ping is sent on request only; subscriptions choose among the case events.
SUBSCRIBABLE_EVENT_TYPES = [t for t in EventType if t != EventType.PING]


def generate_secret() -> str:
    return secrets.token_hex(32)


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class WebhookSubscription(models.Model):
    """A company system that wants signed HTTP callbacks when cases change."""

    name = models.CharField(_("name"), max_length=100)
    target_url = models.URLField(
        _("target URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where tierdesk POSTs the JSON; http or https only."),
    )
    secret = models.CharField(
        _("signing secret"), max_length=64, default=generate_secret, editable=False
    )
    event_types = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed = {t.value for t in SUBSCRIBABLE_EVENT_TYPES}
        if not isinstance(self.event_types, list) or not self.event_types:
            raise ValidationError({"event_types": _("Choose at least one event.")})
        unknown = [t for t in self.event_types if t not in allowed]
        if unknown:
            raise ValidationError(
                {"event_types": _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}}
            )
        # One order for display and comparison, whatever order the form sent.
        self.event_types = [
            t.value for t in SUBSCRIBABLE_EVENT_TYPES if t.value in self.event_types
        ]

    def wants(self, event_type: str) -> bool:
        return event_type in self.event_types

    def event_type_labels(self) -> list[str]:
        return [str(EventType(t).label) for t in self.event_types]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Pending deliveries whose time has come and that no live worker holds."""
        return self.filter(
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            subscription__is_active=True,
        ).filter(Q(locked_until=None) | Q(locked_until__lte=now))


class WebhookDelivery(models.Model):
    """One event owed to one subscription; the payload is frozen when the delivery is planned."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case event"),
        help_text=_("Empty for a test ping."),
    )
    event_type = models.CharField(_("event"), max_length=30, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    locked_until = models.DateTimeField(
        _("held by a worker until"),
        null=True,
        blank=True,
        help_text=_("A worker is sending it; another may take it over after this moment."),
    )
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # Fan-out may hand the same event over again after a worker died before committing.
            models.UniqueConstraint(
                fields=["subscription", "event"], name="unique_webhook_delivery_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(state="pending"),
            ),
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.state})"

    @property
    def case_reference(self) -> str:
        return (self.payload.get("case") or {}).get("reference", "")

    @property
    def may_redeliver(self) -> bool:
        return self.state == DeliveryState.FAILED


class WebhookAttempt(models.Model):
    """One HTTP try of a delivery, so the log shows every try and not just the last."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("delivery"),
    )
    started_at = models.DateTimeField(_("started at"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    succeeded = models.BooleanField(_("succeeded"))

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.started_at:%Y-%m-%d %H:%M:%S}"
