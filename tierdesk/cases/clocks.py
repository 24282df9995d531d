"""Each line's SLA clock on a case: started when the line gets it, paused while waiting, stopped
when it passes the case on. Due times come from the SLA targets and business calendars (data)."""

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

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
    days = CalendarDay.objects.filter(calendar=calendar).values_list("date", "kind")
    return _calendar_from(
        calendar.time_zone,
        calendar.weekdays,
        calendar.day_start,
        calendar.day_end,
        calendar.round_the_clock,
        ",".join(f"{date.isoformat()}:{kind}" for date, kind in days),
    )


@functools.lru_cache(maxsize=64)
def _calendar_from(
    time_zone: str,
    weekdays: str,
    day_start: time,
    day_end: time,
    round_the_clock: bool,
    days: str,
) -> sla.WorkingCalendar:
    """A working calendar from its stored fields and its days ("date:kind,..."); cached by
    value, so an edited calendar simply makes a new entry."""
    pairs = [item.split(":", 1) for item in days.split(",") if item]
    return sla.WorkingCalendar(
        time_zone=time_zone,
        weekdays=frozenset(int(day) for day in weekdays.split(",") if day.strip()),
        day_start=day_start,
        day_end=day_end,
        holidays=frozenset(
            date.fromisoformat(day) for day, kind in pairs if kind == CalendarDay.Kind.HOLIDAY
        ),
        extra_workdays=frozenset(
            date.fromisoformat(day) for day, kind in pairs if kind == CalendarDay.Kind.WORKDAY
        ),
        round_the_clock=round_the_clock,
    )


@dataclass(frozen=True)
class _Target:
    response_minutes: int
    resolution_minutes: int
    warning_percent: int


# One plain statement for the target, its calendar and the calendar's days: every case opened
# or passed on asks it. Written out because the ORM spent longer compiling the same query
# (a subquery aggregating the days) than two simpler ones took to run.
_TARGET_SQL = """
SELECT t.response_minutes, t.resolution_minutes, t.warning_percent,
       c.time_zone, c.weekdays, c.day_start, c.day_end, c.round_the_clock,
       (SELECT {days} FROM {day_table} d WHERE d.calendar_id = c.id)
FROM {target_table} t JOIN {calendar_table} c ON c.id = t.calendar_id
WHERE t.clock = %s AND t.priority = %s
"""
_DAYS = {
    "postgresql": "string_agg(CAST(d.date AS text) || ':' || d.kind, ',')",
    "sqlite": "group_concat(d.date || ':' || d.kind, ',')",
}


@functools.cache
def _target_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    return _TARGET_SQL.format(
        days=_DAYS[vendor],
        day_table=quote(CalendarDay._meta.db_table),
        target_table=quote(SlaTarget._meta.db_table),
        calendar_table=quote(BusinessCalendar._meta.db_table),
    )


def _time(value) -> time:
    # SQLite hands back the stored text, PostgreSQL a time.
    return value if isinstance(value, time) else time.fromisoformat(value)


def _target(clock: str, priority: str) -> tuple[_Target, sla.WorkingCalendar] | None:
    with connection.cursor() as cursor:
        cursor.execute(_target_sql(connection.vendor), [clock, priority])
        row = cursor.fetchone()
    if row is None:
        return None
    response, resolution, warning, zone, weekdays, day_start, day_end, always, days = row
    return _Target(response, resolution, warning), _calendar_from(
        zone,
        weekdays,
        _time(day_start),
        _time(day_end),
        bool(always),
        # Not every database orders inside an aggregate; sorted, equal calendars share a key.
        ",".join(sorted((days or "").split(","))),
    )


def _pauses(case: Case, since: datetime) -> list[tuple[datetime, datetime | None]]:
    return [
        (pause.started_at, pause.ended_at)
        for pause in ClockPause.objects.filter(case=case).exclude(ended_at__lt=since)
    ]


def _open_span(case: Case) -> ClockSpan | None:
    return ClockSpan.objects.filter(case=case, ended_at=None).order_by("-started_at", "-id").first()


def _plan_due_times(case: Case, span: ClockSpan, *, pauses: list | None = None) -> None:
    """Work out the span's and the case's due times; the caller saves them.

    pauses: the case's pauses since the span started, when the caller already knows them.
    """
    found = _target(span.clock, case.priority)
    if found is None:
        span.response_due_at = span.resolve_due_at = None
        case.warn_due_at = None
    else:
        target, calendar = found
        if pauses is None:
            pauses = _pauses(case, span.started_at)

        def due(minutes: float) -> datetime | None:
            moment = sla.add_business_time_with_pauses(
                calendar=calendar,
                start=span.started_at,
                duration=timedelta(minutes=minutes),
                pauses=pauses,
            )
            # In UTC, as the database gives it back: a case in hand reads like one reloaded.
            return None if moment is None else moment.astimezone(UTC)

        span.response_due_at = None if span.responded_at else due(target.response_minutes)
        span.resolve_due_at = due(target.resolution_minutes)
        case.warn_due_at = due(target.resolution_minutes * target.warning_percent / 100)
    case.response_due_at = span.response_due_at
    case.resolve_due_at = span.resolve_due_at


def plan_start(case: Case, *, line: int, now: datetime) -> ClockSpan:
    """The line's new clock with its due times, not yet saved (the case may not be either)."""
    span = ClockSpan(case=case, region_id=case.region_id, clock=CLOCK_OF_LINE[line], started_at=now)
    # The marks belong to the running clock: the next line gets its own warning and breach.
    # Earlier ones stay in the history and in the stopped spans.
    case.warned_at = case.breached_at = None
    # A case not waiting on anyone has no pause that could reach past now.
    _plan_due_times(case, span, pauses=None if case.waiting_on else [])
    return span


def start(case: Case, *, line: int, now: datetime) -> ClockSpan:
    span = plan_start(case, line=line, now=now)
    span.save()
    return span


def _stop(case: Case, span: ClockSpan, now: datetime) -> None:
    found = _target(span.clock, case.priority)
    calendar = found[1] if found else sla.WorkingCalendar.always()
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
        _plan_due_times(case, span)
        span.save(update_fields=["response_due_at", "resolve_due_at"])
