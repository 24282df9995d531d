"""The report's charts as inline SVG: no JavaScript (the CSP allows none), so the same markup
serves the page and the PDF."""

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from tierdesk.reports.event_management import RegionalReport

STYLE = Style(
    background="white",
    plot_background="white",
    font_family="'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif",
    colors=("#0d6efd", "#198754", "#ffc107", "#dc3545", "#6c757d"),
)


def _svg(chart) -> str:
    svg = chart.render(is_unicode=True)
    # The page's CSP admits no style attributes: pygal's one hidden tooltip gets the equivalent
    # SVG attribute.
    return svg.replace('style="opacity: 0"', 'opacity="0"')


def with_nonce(svgs: dict[str, str], nonce: str) -> dict[str, str]:
    """The charts for a page whose CSP admits a <style> element only with the request's nonce.
    Drawn charts are kept without one (see snapshots.py), so it is added per page."""
    if not nonce:
        return svgs
    return {name: svg.replace("<style", f'<style nonce="{nonce}"') for name, svg in svgs.items()}


def _chart(kind, title: str, **options):
    return kind(
        js=[],
        disable_xml_declaration=True,
        style=STYLE,
        width=640,
        height=320,
        title=title,
        legend_at_bottom=True,
        print_values=False,
        **options,
    )


def volume_trend(report: RegionalReport) -> str:
    chart = _chart(pygal.Line, _("Cases per month"))
    chart.x_labels = [month.month.key for month in report.trend]
    chart.add(_("Opened"), [month.opened for month in report.trend])
    chart.add(_("Resolved"), [month.resolved for month in report.trend])
    return _svg(chart)


def sla_compliance(report: RegionalReport) -> str:
    chart = _chart(pygal.Bar, _("SLA compliance per line (%)"), range=(0, 100))
    chart.x_labels = [line.label for line in report.lines]
    chart.add(
        _("In time"),
        [
            None if line.compliance is None else round(line.compliance * 100, 1)
            for line in report.lines
        ],
    )
    return _svg(chart)


def time_per_line(report: RegionalReport) -> str:
    def hours(seconds):
        return None if seconds is None else round(seconds / 3600, 2)

    chart = _chart(pygal.Bar, _("Working time per line (hours)"))
    chart.x_labels = [line.label for line in report.lines]
    chart.add(_("Median"), [hours(line.worked.median) for line in report.lines])
    chart.add(_("90th percentile"), [hours(line.worked.p90) for line in report.lines])
    return _svg(chart)


def satisfaction(report: RegionalReport) -> str:
    chart = _chart(pygal.Bar, _("Satisfaction"))
    chart.x_labels = [level.label for level in report.satisfaction.distribution]
    chart.add(_("Answers"), [level.count for level in report.satisfaction.distribution])
    return _svg(chart)


def all_charts(report: RegionalReport) -> dict[str, str]:
    return {
        "volume": volume_trend(report),
        "sla": sla_compliance(report),
        "time": time_per_line(report),
        "satisfaction": satisfaction(report),
    }
