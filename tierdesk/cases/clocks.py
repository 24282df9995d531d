"""Each line's SLA clock on a case: started when the line gets it, paused while waiting, stopped
when it passes the case on. Due times come from the SLA targets and business calendars (data)."""

from datetime import datetime, timedelta

from tierdesk.cases import sla
from tierdesk.cases.enums import CLOCK_OF_LINE, LINE_OF_STATUS, Status, WaitingOn
from tierdesk.cases.models import (
    BusinessCalendar,
    CalendarDay,
    Case,
    ClockPause,
    ClockSpan,
    SlaTarget,
)

# The denormalized due times on the case, kept for the queues and the SLA scan's indexes.
CASE_FIELDS = [
    "response_due_at",
    "resolve_due_at",
    "warn_due_at",
    "waiting_on",
    "warned_at",
    "breached_at",
]


def working_calendar(calendar: BusinessCalendar) -> sla.WorkingCalendar:
    days = list(CalendarDay.objects.filter(calendar=calendar).values_list("date", "kind"))
    return sla.WorkingCalendar(
        time_zone=calendar.time_zone,
        weekdays=frozenset(int(day) for day in calendar.weekdays.split(",") if day.strip()),
        day_start=calendar.day_start,
        day_end=calendar.day_end,
        holidays=frozenset(date for date, kind in days if kind == CalendarDay.Kind.HOLIDAY),
        extra_workdays=frozenset(date for date, kind in days if kind == CalendarDay.Kind.WORKDAY),
        round_the_clock=calendar.round_the_clock,
    )


def _target(span: ClockSpan, priority: str) -> SlaTarget | None:
    return (
        SlaTarget.objects.select_related("calendar")
        .filter(clock=span.clock, priority=priority)
        .first()
    )


def _pauses(case: Case, since: datetime) -> list[tuple[datetime, datetime | None]]:
    return [
        (pause.started_at, pause.ended_at)
        for pause in ClockPause.objects.filter(case=case).exclude(ended_at__lt=since)
    ]


def _open_span(case: Case) -> ClockSpan | None:
    return ClockSpan.objects.filter(case=case, ended_at=None).order_by("-started_at", "-id").first()


def _set_due_times(case: Case, span: ClockSpan) -> None:
    target = _target(span, case.priority)
    if target is None:
        span.response_due_at = span.resolve_due_at = None
        case.warn_due_at = None
    else:
        calendar = working_calendar(target.calendar)
        pauses = _pauses(case, span.started_at)

        def due(minutes: float) -> datetime | None:
            return sla.add_business_time_with_pauses(
                calendar=calendar,
                start=span.started_at,
                duration=timedelta(minutes=minutes),
                pauses=pauses,
            )

        span.response_due_at = None if span.responded_at else due(target.response_minutes)
        span.resolve_due_at = due(target.resolution_minutes)
        case.warn_due_at = due(target.resolution_minutes * target.warning_percent / 100)
    span.save(update_fields=["response_due_at", "resolve_due_at"])
    case.response_due_at = span.response_due_at
    case.resolve_due_at = span.resolve_due_at


def start(case: Case, *, line: int, now: datetime) -> ClockSpan:
    span = ClockSpan.objects.create(
        case=case, region_id=case.region_id, clock=CLOCK_OF_LINE[line], started_at=now
    )
    # The marks belong to the running clock: the next line gets its own warning and breach.
    # Earlier ones stay in the history and in the stopped spans.
    case.warned_at = case.breached_at = None
    _set_due_times(case, span)
    return span


def _stop(case: Case, span: ClockSpan, now: datetime) -> None:
    target = _target(span, case.priority)
    calendar = working_calendar(target.calendar) if target else sla.WorkingCalendar.always()
    span.ended_at = now
    span.worked = sla.business_time_excluding(
        calendar=calendar, start=span.started_at, end=now, pauses=_pauses(case, span.started_at)
    )
    span.save(update_fields=["ended_at", "worked"])


def move(case: Case, *, from_line: int, to_status: Status, now: datetime) -> None:
    """Follow a transition: stop the clock of the line the case leaves, start the next one."""
    span = _open_span(case)
    if to_status in (Status.RESOLVED, Status.CLOSED):
        if span is not None:
            _stop(case, span, now)
        case.response_due_at = case.resolve_due_at = case.warn_due_at = None
        return
    new_line = LINE_OF_STATUS[to_status]
    if span is not None and CLOCK_OF_LINE[new_line] == span.clock:
        return
    if span is not None:
        _stop(case, span, now)
    start(case, line=new_line, now=now)


def record_response(case: Case, *, now: datetime) -> bool:
    """The handling line's first response stops its response clock."""
    span = _open_span(case)
    if span is None or span.responded_at is not None:
        return False
    span.responded_at = now
    span.response_due_at = None
    span.save(update_fields=["responded_at", "response_due_at"])
    case.response_due_at = None
    return True


def pause(case: Case, *, waiting_on: WaitingOn, now: datetime) -> None:
    ClockPause.objects.create(case=case, waiting_on=waiting_on, started_at=now)
    case.waiting_on = waiting_on
    # While paused nobody can say when the case will be due; the scan skips it.
    case.response_due_at = case.resolve_due_at = case.warn_due_at = None


def resume(case: Case, *, now: datetime) -> None:
    ClockPause.objects.filter(case=case, ended_at=None).update(ended_at=now)
    case.waiting_on = WaitingOn.NOBODY
    span = _open_span(case)
    if span is not None:
        _set_due_times(case, span)
