"""The list of quality feedback forms as an XLSX workbook, for R&D's and the regions' reviews."""

from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tierdesk.quality.models import QualityFeedback


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def feedback_workbook(feedbacks: QuerySet[QualityFeedback]) -> bytes:
    """One row per form, in the reader's language, in the order given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Quality feedback")
    sheet.append(
        [
            _("Serial number"),
            _("State"),
            _("Region"),
            _("Raised by"),
            _("Product"),
            _("Version or batch"),
            _("Frequency"),
            _("Impact"),
            _("Fault description"),
            _("Linked cases"),
            _("Root cause"),
            _("Fix version"),
            _("Created"),
            _("Closed"),
        ]
    )
    rows = feedbacks.select_related("region", "raised_by", "product").prefetch_related("cases")
    for feedback in rows:
        sheet.append(
            [
                feedback.serial,
                str(feedback.get_state_display()),
                str(feedback.region),
                str(feedback.raised_by),
                feedback.product.name,
                feedback.version_or_batch,
                str(feedback.get_frequency_display()),
                str(feedback.get_impact_display()),
                feedback.fault_description,
                " ".join(case.reference for case in feedback.cases.all()),
                feedback.root_cause,
                feedback.fix_version,
                _when(feedback.created_at),
                _when(feedback.closed_at),
            ]
        )
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
