"""The vocabulary of a quality feedback form: its states, steps and classifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The regulation (GSB/C 316.010-2015, 6.2.2) names the form but gives it no record number.
# This one is invented in the company's scheme (appendix A is R GSB 316.010.01) and must be
# replaced by the number the document controller assigns.
RECORD_NUMBER = "R GSB 316.020.01"
# The form's name in the regulation, printed as is on every copy (like the record number).
FORM_TITLE = "质量反馈单"
SERIAL_PREFIX = "ZLFK"


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to R&D")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by R&D")
    ANALYSED = "analysed", _("Analysed, fix planned")
    VERIFYING = "verifying", _("Fix being verified in the field")
    CLOSED = "closed", _("Closed, fix verified")


class Action(models.TextChoices):
    CREATE = "create", _("Draft")
    ATTACH = "attach", _("Add evidence")
    SUBMIT = "submit", _("Submit to R&D")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    ANALYSE = "analyse", _("Record the analysis")
    RELEASE = "release", _("Hand the fix to the region for verification")
    CONFIRM = "confirm", _("Fix verified in the field")
    REJECT_FIX = "reject_fix", _("Verification failed")


# The steps that move the form to another state: the owners of its cases hear of these.
STATE_CHANGES = frozenset(
    {
        Action.SUBMIT,
        Action.ACKNOWLEDGE,
        Action.ANALYSE,
        Action.RELEASE,
        Action.CONFIRM,
        Action.REJECT_FIX,
    }
)


class Frequency(models.TextChoices):
    ONCE = "once", _("Happened once")
    OCCASIONAL = "occasional", _("Occasional")
    FREQUENT = "frequent", _("Frequent")
    ALWAYS = "always", _("Every time (reproducible)")


class Impact(models.TextChoices):
    MINOR = "minor", _("Minor: no effect on service")
    DEGRADED = "degraded", _("Service degraded")
    OUTAGE = "outage", _("Service interrupted")
    BATCH = "batch", _("Batch problem across sites")


def case_event_action(action: str) -> str:
    """How a step is named on the history of a linked case, apart from the case's own steps."""
    return f"quality_{action}"
