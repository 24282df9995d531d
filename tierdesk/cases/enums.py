"""The vocabulary of a case: states, lines, actions and classifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    FIELD = "field", _("Line 1: field engineer")
    REGIONAL = "regional", _("Line 1: regional support")
    LINE2 = "line2", _("Line 2: Engineering Service")
    RD = "rd", _("Line 2: R&D test support")
    PRESALES = "presales", _("Line 2: pre-sales")
    PRODUCT = "product", _("Line 2: product management")
    VENDOR = "vendor", _("Line 3: partner vendor")
    RESOLVED = "resolved", _("Resolved, awaiting follow-up")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in Status if s not in (Status.RESOLVED, Status.CLOSED)]
SPECIALIST_STATUSES = [Status.RD, Status.PRESALES, Status.PRODUCT, Status.VENDOR]

LINE_OF_STATUS = {
    Status.FIELD: 1,
    Status.REGIONAL: 1,
    Status.LINE2: 2,
    Status.RD: 2,
    Status.PRESALES: 2,
    Status.PRODUCT: 2,
    Status.VENDOR: 3,
}


class Line(models.IntegerChoices):
    LINE1 = 1, _("Line 1")
    LINE2 = 2, _("Line 2")
    LINE3 = 3, _("Line 3")


class Action(models.TextChoices):
    ESCALATE = "escalate", _("Escalate")
    RESOLVE = "resolve", _("Resolve")
    TRANSFER_RD = "transfer_rd", _("Hand to R&D test support")
    TRANSFER_PRESALES = "transfer_presales", _("Hand to pre-sales")
    TRANSFER_PRODUCT = "transfer_product", _("Hand to product management")
    TRANSFER_VENDOR = "transfer_vendor", _("Hand to partner vendor (line 3)")
    HAND_BACK = "hand_back", _("Hand back to line 2")
    CLOSE = "close", _("Close after follow-up")
    REOPEN = "reopen", _("Reopen")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 critical")
    P2 = "P2", _("P2 high")
    P3 = "P3", _("P3 normal")
    P4 = "P4", _("P4 low")


class Source(models.TextChoices):
    """Regulation 6.1.1: who the problem comes from."""

    CUSTOMER = "customer", _("Customer problem the field engineer could not solve")
    SERVICE_WORK = "service_work", _("Problem met during service work")
    PARTNER = "partner", _("Problem reported by a partner")


class Channel(models.TextChoices):
    """Regulation 6.1.1 channels, and the ones a modern desk adds."""

    FIELD = "field", _("Customer to field engineer")
    INCIDENT = "incident", _("Escalated from incident management")
    CHANNEL_PARTNER = "channel_partner", _("Channel partner")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    API = "api", _("API")


class Classification(models.TextChoices):
    ONSITE = "onsite", _("On-site wiring, configuration or usage")
    PRODUCT_DEFECT = "product_defect", _("Product or system defect")
    SOLUTION_DEFECT = "solution_defect", _("Solution defect")
    INTEGRATION_PRODUCT = "integration_product", _("Integration product")
    REQUIREMENT = "requirement", _("Specification, quality or new requirement")
    PARTNER_PRODUCT = "partner_product", _("Partner product (line 3)")


class WaitingOn(models.TextChoices):
    NOBODY = "", _("Nobody")
    CUSTOMER = "customer", _("Customer")
    VENDOR = "vendor", _("Partner vendor")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    TRANSITION = "transition", _("Moved")
    ASSIGNED = "assigned", _("Assigned")
    COMMENT = "comment", _("Comment")
    FIELD_CHANGED = "field_changed", _("Field changed")
    ATTACHMENT = "attachment", _("Attachment")
    PROBLEM_LINKED = "problem_linked", _("Linked to a problem")
    PAUSED = "paused", _("Clock paused")
    RESUMED = "resumed", _("Clock resumed")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breached")
    ONSITE = "onsite", _("On-site support")
    QUALITY_FEEDBACK = "quality_feedback", _("Quality feedback")
    VENDOR_COORDINATION = "vendor_coordination", _("Vendor coordination")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Clock(models.TextChoices):
    """Each line keeps its own clock on the same case, so reports can say where time went."""

    LINE1 = "line1", _("Line 1")
    LINE2 = "line2", _("Line 2")
    VENDOR = "vendor", _("Partner vendor")


CLOCK_OF_LINE = {1: Clock.LINE1, 2: Clock.LINE2, 3: Clock.VENDOR}
