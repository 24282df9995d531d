"""The regional report as PDF (A4, charts included) and as an XLSX workbook, in the active
language."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tierdesk.reports import formatting
from tierdesk.reports.event_management import RegionalReport
from tierdesk.reports.snapshots import Drawing, draw_report


def report_filename(report: RegionalReport, extension: str) -> str:
    return f"tierdesk-{report.region.code}-{report.period.key}.{extension}"


def render_report_pdf(report: RegionalReport, *, drawing: Drawing | None = None) -> bytes:
    """The report as PDF, from its drawing for the page when given (see snapshots.py)."""
    # Imported here: WeasyPrint loads its stylesheets and fonts on import.
    from weasyprint import HTML

    drawing = drawing or draw_report(report)
    html = render_to_string(
        "reports/region_report_pdf.html",
        {"report": report, "charts": drawing.charts, "figures": drawing.figures},
    )
    return HTML(string=html).write_pdf()


def _sheet(workbook, title: str, header: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    return sheet


def render_report_xlsx(report: RegionalReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            [_("Region"), str(report.region)],
            [_("Period"), report.period.label()],
            [_("Opened"), report.opened],
            [_("Resolved"), report.resolved],
            [_("Closed"), report.closed],
            [_("Surveyed"), report.satisfaction.surveyed],
            [_("Satisfaction score (of 5)"), formatting.score(report.satisfaction.score)],
            [_("Satisfied share"), formatting.percent(report.satisfaction.satisfied_share)],
            [_("Articles created"), formatting.figure(report.knowledge.articles_created)],
            [_("Articles reused"), formatting.figure(report.knowledge.articles_reused)],
        ],
    )
    _sheet(
        workbook,
        _("Lines"),
        [
            _("Line"),
            _("Spans ended"),
            _("Response median"),
            _("Response p90"),
            _("Working time median"),
            _("Working time p90"),
            _("Working time total"),
            _("With SLA target"),
            _("In time"),
            _("SLA compliance"),
            _("Without target"),
        ],
        [
            [
                line.label,
                line.spans_ended,
                formatting.hours_minutes(line.response.median),
                formatting.hours_minutes(line.response.p90),
                formatting.hours_minutes(line.worked.median),
                formatting.hours_minutes(line.worked.p90),
                formatting.hours_minutes(line.worked_total),
                line.with_target,
                line.met_target,
                formatting.percent(line.compliance),
                line.without_target,
            ]
            for line in report.lines
        ],
    )
    _sheet(
        workbook,
        _("Cases opened"),
        [_("By"), _("Value"), _("Cases")],
        [[str(by), row.label, row.count] for by, rows in report.breakdowns for row in rows],
    )
    _sheet(
        workbook,
        _("Satisfaction"),
        [_("Level"), _("Answers")],
        [[level.label, level.count] for level in report.satisfaction.distribution],
    )
    _sheet(
        workbook,
        _("Problems"),
        [_("Problem"), _("Title"), _("Cases")],
        [[row.key, row.label, row.count] for row in report.problems],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
