"""The vocabulary of a follow-up call: its states, the five satisfaction levels, how it was answered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    SATISFIED = "satisfied", _("Satisfied, case closed")
    UNSATISFIED = "unsatisfied", _("Unsatisfied, case reopened")
    UNREACHABLE = "unreachable", _("Unreachable, case closed")
    CANCELLED = "cancelled", _("Cancelled")


class Satisfaction(models.TextChoices):
    """The five levels the customer chooses from, best first."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neutral")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")


# "Neutral" (一般) closes the case: the customer has no complaint to act on. Only an explicit
# "dissatisfied" or "very dissatisfied" sends the case back to the line that resolved it.
REOPENING_LEVELS = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})


def reopens_case(level: str) -> bool:
    return level in REOPENING_LEVELS


class AnsweredVia(models.TextChoices):
    PHONE = "phone", _("Phone call")
    LINK = "link", _("Customer's answer link")
