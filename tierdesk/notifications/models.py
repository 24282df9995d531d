"""The mail outbox (one row per person, kind and case event) and each person's preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import Case, CaseEvent
from tierdesk.notifications.enums import DeliveryState, NotificationKind


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)


class Notification(models.Model):
    """One mail to one person about one case event; rendered and sent later by the worker."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("case")
    )
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("event")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Fan-out may run again for the same event after a crash: planning stays idempotent.
            models.UniqueConstraint(
                fields=["event", "recipient", "kind"], name="unique_notification_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due",
                condition=Q(state="pending"),
            ),
            models.Index(fields=["recipient", "-id"], name="notification_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_state_display()})"


class NotificationPreference(models.Model):
    """A person's choice for one kind; no row means the kind is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    enabled = models.BooleanField(_("send me this mail"), default=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {'on' if self.enabled else 'off'}"
