"""The quarterly assessment laid out like table 1, as PDF and as an XLSX workbook."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tierdesk.assessment.models import Item, QuarterlyAssessment
from tierdesk.assessment.table import KNOWLEDGE_FIELDS, assessment_rows, satisfaction_levels
from tierdesk.reports import formatting


def table_one() -> list[list[str]]:
    """Table 1 of the regulation: the two check items, who answers for them, who inspects."""
    return [
        [
            "1",
            _("Support satisfaction"),
            _("Satisfaction survey of the services of the quarter"),
            _("Regional technical-support engineers"),
            _("After-sales service supervisor"),
            _("Quarterly"),
        ],
        [
            "2",
            _("Knowledge accumulation"),
            _("Knowledge accumulated while handling problems"),
            _("After-sales technical-support engineers"),
            _("After-sales service supervisor"),
            _("Quarterly"),
        ],
    ]


def table_one_header() -> list[str]:
    return [
        _("No."),
        _("Check item"),
        _("What is checked"),
        _("Responsible"),
        _("Inspector"),
        _("Frequency"),
    ]


def knowledge_header() -> list[str]:
    return [
        _("Articles authored"),
        _("Articles published"),
        _("Reused by others"),
        _("Trainings given"),
    ]


def satisfaction_cells(row) -> list:
    levels = row.figures["levels"]
    return [
        row.name,
        row.unit,
        row.figures["surveyed"],
        *[levels.get(level, 0) for level, _label in satisfaction_levels()],
        formatting.score(row.figures["score"]),
        row.comment,
    ]


def knowledge_cells(row) -> list:
    return [
        row.name,
        row.unit,
        *[formatting.figure(row.figures[name]) for name in KNOWLEDGE_FIELDS],
        row.comment,
    ]


def assessment_filename(assessment: QuarterlyAssessment, extension: str) -> str:
    return f"tierdesk-assessment-{assessment.period.key}.{extension}"


def _context(assessment: QuarterlyAssessment) -> dict:
    rows = assessment_rows(assessment)
    return {
        "assessment": assessment,
        "table_one_header": table_one_header(),
        "table_one": table_one(),
        "levels": satisfaction_levels(),
        "knowledge_header": knowledge_header(),
        "satisfaction_rows": [satisfaction_cells(row) for row in rows[Item.SATISFACTION]],
        "knowledge_rows": [knowledge_cells(row) for row in rows[Item.KNOWLEDGE]],
    }


def render_assessment_pdf(assessment: QuarterlyAssessment) -> bytes:
    # Imported here: WeasyPrint loads its stylesheets and fonts on import.
    from weasyprint import HTML

    html = render_to_string("assessment/assessment_pdf.html", _context(assessment))
    return HTML(string=html).write_pdf()


def render_assessment_xlsx(assessment: QuarterlyAssessment) -> bytes:
    context = _context(assessment)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = assessment.period.key
    bold = Font(bold=True)
    sheet.append([_("Communication Business Unit after-sales technical support check table")])
    sheet.append([_("Quarter"), assessment.period.label()])
    sheet.append([])
    sheet.append(context["table_one_header"])
    for row in context["table_one"]:
        sheet.append(row)
    sheet.append([])
    sheet.append([_("1 Support satisfaction")])
    sheet.append(
        [
            _("Person"),
            _("Region"),
            _("Surveyed"),
            *[label for _level, label in context["levels"]],
            _("Score (of 5)"),
            _("Supervisor's comment"),
        ]
    )
    for cells in context["satisfaction_rows"]:
        sheet.append(cells)
    sheet.append([])
    sheet.append([_("2 Knowledge accumulation")])
    sheet.append(
        [
            _("Person"),
            _("Department"),
            *context["knowledge_header"],
            _("Supervisor's comment"),
        ]
    )
    for cells in context["knowledge_rows"]:
        sheet.append(cells)
    sheet.append([])
    sheet.append([_("Conclusion"), assessment.conclusion])
    sheet.append(
        [
            _("Signed off by"),
            str(assessment.signed_off_by or "—"),
            formatting.MISSING
            if assessment.signed_off_at is None
            else f"{timezone.localtime(assessment.signed_off_at):%Y-%m-%d}",
        ]
    )
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1] + sheet[4]:
        cell.font = bold
    for letter in "ABCDEFGHIJ":
        sheet.column_dimensions[letter].width = 18
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
