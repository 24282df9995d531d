"""Business-hours arithmetic for SLA clocks: working days, hours, holidays and round-the-clock targets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Ten years of consecutive days without a working minute means the calendar can never satisfy
# the request; stopping here turns an endless loop into an error someone can act on.
MAX_IDLE_DAYS = 3660

_UTC = datetime.UTC
_ONE_DAY = timedelta(days=1)

Span = tuple[datetime.datetime, datetime.datetime]
Pause = tuple[datetime.datetime, datetime.datetime | None]


@dataclass(frozen=True)
class WorkingCalendar:
    """When an SLA clock runs: local working hours on working days, or every minute."""

    time_zone: str
    weekdays: frozenset[int]
    day_start: datetime.time
    day_end: datetime.time
    holidays: frozenset[datetime.date] = frozenset()
    extra_workdays: frozenset[datetime.date] = frozenset()
    round_the_clock: bool = False

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown time zone {self.time_zone!r}.") from error
        # Callers building a calendar from settings naturally pass sets; freezing them keeps the
        # calendar hashable and immune to later mutation of the caller's set.
        for name in ("weekdays", "holidays", "extra_workdays"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError("Weekdays run from 0 (Monday) to 6 (Sunday).")
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise ValueError("Working hours are local wall-clock times without a time zone.")
        if self.holidays & self.extra_workdays:
            raise ValueError("A date cannot be both a holiday and an extra workday.")
        if self.round_the_clock:
            return
        if self.day_end <= self.day_start:
            raise ValueError("The working day must end after it starts.")
        if not self.weekdays and not self.extra_workdays:
            raise ValueError("A calendar without any working day can never reach a due time.")

    @classmethod
    def always(cls, time_zone: str = "Asia/Shanghai") -> WorkingCalendar:
        """A calendar where every minute counts, as for P1 cases."""
        return cls(
            time_zone=time_zone,
            weekdays=frozenset(range(7)),
            day_start=datetime.time.min,
            day_end=datetime.time.max,
            round_the_clock=True,
        )


def add_business_time(
    *, calendar: WorkingCalendar, start: datetime.datetime, duration: timedelta
) -> datetime.datetime:
    """The aware instant when `duration` of working time has passed after `start`."""
    _require_aware(start=start)
    _require_non_negative(duration)
    due = _consume(_list_working_spans(calendar=calendar, after=start), duration=duration)
    # The working spans never run out: they either continue forever or raise ValueError.
    assert due is not None
    return due.astimezone(_zone_of(calendar))


def business_time_between(
    *, calendar: WorkingCalendar, start: datetime.datetime, end: datetime.datetime
) -> timedelta:
    """Working time between two aware instants (zero if end <= start)."""
    _require_aware(start=start, end=end)
    return _sum_spans(_list_working_spans(calendar=calendar, after=start, until=end))


def business_time_excluding(
    *,
    calendar: WorkingCalendar,
    start: datetime.datetime,
    end: datetime.datetime,
    pauses: list[Pause],
) -> timedelta:
    """Working time between start and end, minus the parts covered by pauses (a pause with end None runs until `end`). Pauses may overlap each other and may extend outside [start, end]."""
    _require_aware(start=start, end=end)
    merged = _merge_pauses(pauses)
    spans = _list_working_spans(calendar=calendar, after=start, until=end)
    return _sum_spans(_subtract_pauses(spans, pauses=merged))


def add_business_time_with_pauses(
    *,
    calendar: WorkingCalendar,
    start: datetime.datetime,
    duration: timedelta,
    pauses: list[Pause],
) -> datetime.datetime | None:
    """Like add_business_time but the clock does not run during closed pauses; if an open pause (end None) is reached before the duration is used up, return None (the due time is unknown while paused)."""
    _require_aware(start=start)
    _require_non_negative(duration)
    merged = _merge_pauses(pauses)
    spans = _list_working_spans(calendar=calendar, after=start)
    due = _consume(_subtract_pauses(spans, pauses=merged), duration=duration)
    return None if due is None else due.astimezone(_zone_of(calendar))


def _zone_of(calendar: WorkingCalendar) -> ZoneInfo:
    # ZoneInfo caches instances by key, so asking again is cheap and needs no field of our own.
    return ZoneInfo(calendar.time_zone)


def _require_aware(**instants: datetime.datetime) -> None:
    for name, instant in instants.items():
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{name} must be a timezone-aware datetime, got {instant!r}.")


def _require_non_negative(duration: timedelta) -> None:
    if duration < timedelta(0):
        raise ValueError(f"A duration cannot be negative, got {duration!r}.")


def _is_working_day(calendar: WorkingCalendar, day: datetime.date) -> bool:
    if calendar.round_the_clock:
        return True
    if day in calendar.holidays:
        return False
    return day in calendar.extra_workdays or day.weekday() in calendar.weekdays


def _working_span_of(calendar: WorkingCalendar, day: datetime.date, zone: ZoneInfo) -> Span | None:
    if not _is_working_day(calendar, day):
        return None
    if calendar.round_the_clock:
        opens = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        closes = datetime.datetime.combine(day + _ONE_DAY, datetime.time.min, tzinfo=zone)
    else:
        opens = datetime.datetime.combine(day, calendar.day_start, tzinfo=zone)
        closes = datetime.datetime.combine(day, calendar.day_end, tzinfo=zone)
    # Aware datetimes sharing one ZoneInfo subtract as wall-clock times, which is wrong across a
    # daylight-saving change; in UTC every subtraction is real elapsed time.
    return opens.astimezone(_UTC), closes.astimezone(_UTC)


def _list_working_spans(
    *,
    calendar: WorkingCalendar,
    after: datetime.datetime,
    until: datetime.datetime | None = None,
) -> Iterator[Span]:
    """Non-empty UTC working spans clipped to [after, until], in order, one per day at most."""
    zone = _zone_of(calendar)
    after = after.astimezone(_UTC)
    if until is not None:
        until = until.astimezone(_UTC)
        if until <= after:
            return
        last_day = until.astimezone(zone).date()
    day = after.astimezone(zone).date()
    idle_days = 0
    while until is None or day <= last_day:
        span = _working_span_of(calendar, day, zone)
        day += _ONE_DAY
        if span is None:
            idle_days += 1
            # A bounded walk always ends; only an open-ended search can run forever.
            if until is None and idle_days >= MAX_IDLE_DAYS:
                raise ValueError(
                    f"No working time in the {MAX_IDLE_DAYS} days after {after.isoformat()}; "
                    "the calendar cannot reach a due time."
                )
            continue
        idle_days = 0
        opens = max(span[0], after)
        closes = span[1] if until is None else min(span[1], until)
        if closes > opens:
            yield opens, closes


def _merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Sorted, disjoint UTC pauses; an open pause swallows everything after it starts."""
    normalized: list[Pause] = []
    for pause_start, pause_end in pauses:
        _require_aware(pause_start=pause_start)
        if pause_end is None:
            normalized.append((pause_start.astimezone(_UTC), None))
            continue
        _require_aware(pause_end=pause_end)
        if pause_end < pause_start:
            raise ValueError(f"A pause cannot end before it starts: {pause_start} > {pause_end}.")
        if pause_end > pause_start:
            normalized.append((pause_start.astimezone(_UTC), pause_end.astimezone(_UTC)))
    normalized.sort(key=lambda pause: pause[0])
    merged: list[Pause] = []
    for pause_start, pause_end in normalized:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break
            if pause_start <= last_end:
                widened = None if pause_end is None else max(last_end, pause_end)
                merged[-1] = (last_start, widened)
                continue
        merged.append((pause_start, pause_end))
    return merged


def _subtract_pauses(spans: Iterable[Span], *, pauses: list[Pause]) -> Iterator[Span]:
    """The parts of the spans no pause covers; stops for good at the start of an open pause."""
    index = 0
    for opens, closes in spans:
        cursor = opens
        while cursor < closes and index < len(pauses):
            pause_start, pause_end = pauses[index]
            if pause_end is not None and pause_end <= cursor:
                index += 1
                continue
            if pause_start >= closes:
                break
            if pause_start > cursor:
                yield cursor, pause_start
            if pause_end is None:
                # Stopping here also stops pulling from an open-ended span generator.
                return
            cursor = pause_end
        if cursor < closes:
            yield cursor, closes


def _consume(spans: Iterable[Span], *, duration: timedelta) -> datetime.datetime | None:
    """Where `duration` runs out walking the spans, or None if they end first."""
    remaining = duration
    for opens, closes in spans:
        available = closes - opens
        # `<=` lets a duration that ends exactly at closing time finish then, not next morning.
        if remaining <= available:
            return opens + remaining
        remaining -= available
    return None


def _sum_spans(spans: Iterable[Span]) -> timedelta:
    return sum((closes - opens for opens, closes in spans), timedelta(0))
