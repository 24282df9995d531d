"""A region's report as last built, kept for a few minutes and shared by every web node.

Building a quarter's report reads all of a region's cases, clock spans and follow-ups in it: a
tenth of a second and more at a million cases, and as much again to draw its charts. Its readers
(the region, line 2, the supervisor) open the same few reports over and over, and figures a few
minutes old serve them as well. So a built report is kept in the "reports" cache (a database
table by default, so all web nodes share it) for REPORT_MAX_AGE seconds, drawn (charts and
tables) in each language it was asked in. The page says when the figures were built, and any
reader may have them built again at once. The monthly mail builds its reports afresh
(dispatch.py).
"""

import pickle
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tierdesk.organization.models import Region
from tierdesk.reports import charts
from tierdesk.reports.event_management import RegionalReport, build_regional_report
from tierdesk.reports.periods import Period

# Raised whenever RegionalReport or Snapshot changes shape, so that a kept report written by
# the code before is built again instead of read.
SHAPE = 2


@dataclass(frozen=True)
class Drawing:
    """The report drawn in one language."""

    charts: dict[str, str]  # name -> SVG without the CSP nonce (see charts.with_nonce)
    figures: str  # the tables, as HTML


def draw_report(report: RegionalReport) -> Drawing:
    """The report's charts and tables in the active language."""
    figures = render_to_string(
        "reports/_figures.html", {"report": report, "breakdowns": report.breakdowns}
    )
    return Drawing(charts.all_charts(report), figures)


@dataclass(frozen=True)
class Snapshot:
    report: RegionalReport
    built_at: datetime
    drawings: dict[str, Drawing] = field(default_factory=dict)  # by language

    def drawing(self) -> Drawing:
        """The report drawn in the active language."""
        drawn = self.drawings.get(_language())
        return drawn if drawn is not None else draw_report(self.report)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _key(region: Region, period: Period) -> str:
    return f"regional:{SHAPE}:{region.pk}:{period.key}"


def _kept(key: str) -> Snapshot | None:
    try:
        snapshot = caches["reports"].get(key)
    except (pickle.UnpicklingError, AttributeError, ImportError, TypeError, EOFError):
        return None  # kept by another version of the code
    return snapshot if isinstance(snapshot, Snapshot) else None


def _keep(key: str, snapshot: Snapshot) -> None:
    # Kept only for what remains of its age, so drawing it in another language does not extend it.
    remaining = settings.REPORT_MAX_AGE - (timezone.now() - snapshot.built_at).total_seconds()
    if remaining >= 1:
        caches["reports"].set(key, snapshot, timeout=int(remaining))


def regional_snapshot(*, region: Region, period: Period, draw: bool = True) -> Snapshot:
    """The region's report for the period, drawn in the active language unless told not to
    draw it: as kept if built less than REPORT_MAX_AGE seconds ago, else built now and
    kept."""
    key = _key(region, period)
    snapshot = _kept(key)
    built = snapshot is None
    if built:
        snapshot = Snapshot(build_regional_report(region=region, period=period), timezone.now())
    language = _language()
    drawing = draw and language not in snapshot.drawings
    if drawing:
        drawings = {**snapshot.drawings, language: draw_report(snapshot.report)}
        snapshot = replace(snapshot, drawings=drawings)
    if built or drawing:
        _keep(key, snapshot)
    return snapshot


def rebuild(*, region: Region, period: Period) -> None:
    """Forget the kept report, so the next reader's visit builds it from the cases as they are."""
    caches["reports"].delete(_key(region, period))
