"""The vocabulary of a vendor coordination record: its entries and the state of its targets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    REQUEST = "request", _("Request to the vendor")
    ANSWER = "answer", _("Vendor's answer")
    FIX = "fix", _("Vendor's fix delivered")
    NOTE = "note", _("Internal note")


# Entries that count as the vendor answering (for the response target) and fixing (fix target).
ANSWERS = frozenset({EntryKind.ANSWER, EntryKind.FIX})


class TargetState(models.TextChoices):
    UNSET = "unset", _("No target set")
    DUE = "due", _("Not yet due")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met in time")
    MISSED = "missed", _("Met late")


class Change(models.TextChoices):
    """How a record's steps are named on the case's history."""

    TARGETS = "vendor_targets", _("Vendor ticket and targets set")
    REQUEST = "vendor_request", _("Request to the vendor")
    ANSWER = "vendor_answer", _("Vendor's answer")
    FIX = "vendor_fix", _("Vendor's fix delivered")
    NOTE = "vendor_note", _("Internal note")


CHANGE_OF_ENTRY = {
    EntryKind.REQUEST: Change.REQUEST,
    EntryKind.ANSWER: Change.ANSWER,
    EntryKind.FIX: Change.FIX,
    EntryKind.NOTE: Change.NOTE,
}
