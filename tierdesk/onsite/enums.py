"""The vocabulary of an on-site support application: its states, steps and choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Appendix A of GSB/C 316.010-2015: the form's controlled-record number.
RECORD_NUMBER = "R GSB 316.010.01"
# The form's own name in the regulation, printed as is on every copy (like the record number).
FORM_TITLE = "现场售后技术支持申请表"
SERIAL_PREFIX = "XCZC"


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting approval")
    APPROVED = "approved", _("Approved, awaiting dispatch")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Engineer dispatched")
    ON_SITE = "on_site", _("Engineer on site")
    REPORTED = "reported", _("On-site report filed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED_STATES = [State.REJECTED, State.CLOSED, State.CANCELLED]


class Action(models.TextChoices):
    CREATE = "create", _("Draft")
    UPDATE = "update", _("Edit")
    SUBMIT = "submit", _("Submit for approval")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    DISPATCH = "dispatch", _("Dispatch an engineer")
    ARRIVE = "arrive", _("Arrived on site")
    REPORT = "report", _("File the on-site report")
    CLOSE = "close", _("Close")
    CANCEL = "cancel", _("Withdraw")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical: service down")


class Result(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY = "partly", _("Partly resolved, follow-up needed")
    UNRESOLVED = "unresolved", _("Not resolved")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
