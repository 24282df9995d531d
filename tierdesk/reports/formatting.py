"""How report figures read: the same in pages, PDFs and spreadsheets."""

from datetime import timedelta

from tierdesk.reports.knowledge_figures import NOT_AVAILABLE

MISSING = "—"


def hours_minutes(seconds: float | timedelta | None) -> str:
    """A duration as hours:minutes ("26:05"), rounded to the minute; "—" when there is none."""
    if seconds is None:
        return MISSING
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def percent(share: float | None) -> str:
    return MISSING if share is None else f"{share * 100:.1f}%"


def score(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}"


def figure(value):
    """A count as itself (a number in a spreadsheet), or the dash when it is not known."""
    if value is None or value is NOT_AVAILABLE:
        return MISSING
    return value
