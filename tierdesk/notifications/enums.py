"""The kinds of mail tierdesk sends; each one a person can switch off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    # A new kind is a member here, one rule in planning.RULES and one headline in
    # rendering.HEADLINES; nothing else changes.
    ASSIGNED = "assigned", _("A case is assigned to you")
    ESCALATED = "escalated", _("A case is escalated or handed to your group")
    HANDED_BACK = "handed_back", _("A case you are accountable for comes back to line 2")
    RESOLVED = "resolved", _("A case you reported or handled on line 1 is resolved")
    REOPENED = "reopened", _("A case you own is reopened")
    SLA_WARNING = "sla_warning", _("SLA warning on a case")
    SLA_BREACH = "sla_breach", _("SLA breach on a case")
    COMMENT = "comment", _("A customer-visible comment on a case you own")
    FORM_DECIDED = "form_decided", _("Your on-site support application is approved or rejected")
    DISPATCHED = "dispatched", _("You are dispatched on site")
    FOLLOW_UP_DUE = "follow_up_due", _("A follow-up call is yours, or overdue")
    QUALITY_CHANGED = "quality_changed", _("A quality feedback form on a case you own changes")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
