"""SLA clock arithmetic, checked against hand-worked answers on a Mon-Fri 9:00-18:00 desk."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierdesk.cases.sla import (
    WorkingCalendar,
    add_business_time,
    add_business_time_with_pauses,
    business_time_between,
    business_time_excluding,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = WorkingCalendar(
    time_zone="Asia/Shanghai",
    weekdays=frozenset(range(5)),
    day_start=time(9, 0),
    day_end=time(18, 0),
)


def march(day: int, hour: int, minute: int = 0) -> datetime:
    """Shanghai wall time in March 2025: Mon 3, Tue 4, Wed 5, Thu 6, Fri 7, Sat 8, Sun 9, Mon 10."""
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


def office_with(**changes) -> WorkingCalendar:
    return WorkingCalendar(
        time_zone="Asia/Shanghai",
        weekdays=frozenset(range(5)),
        day_start=time(9, 0),
        day_end=time(18, 0),
        **changes,
    )


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# add_business_time


def test_due_time_within_one_working_day():
    # Mon 10:00 + 3h, all before 18:00 -> Mon 13:00.
    due = add_business_time(calendar=OFFICE, start=march(3, 10), duration=hours(3))
    assert due == march(3, 13)


def test_due_time_crossing_closing_time_continues_next_morning():
    # Mon 16:00-18:00 uses 2h of 4h; the other 2h run Tue 9:00-11:00.
    due = add_business_time(calendar=OFFICE, start=march(3, 16), duration=hours(4))
    assert due == march(4, 11)


def test_duration_ending_exactly_at_closing_time_is_due_at_closing():
    # Mon 16:00 + 2h = Mon 18:00, not Tue 9:00.
    due = add_business_time(calendar=OFFICE, start=march(3, 16), duration=hours(2))
    assert due == march(3, 18)


def test_friday_afternoon_crosses_the_weekend_to_monday():
    # Fri 15:00-18:00 uses 3h of 5h; Sat and Sun are off; Mon 9:00 + 2h = Mon 11:00.
    due = add_business_time(calendar=OFFICE, start=march(7, 15), duration=hours(5))
    assert due == march(10, 11)


def test_holiday_on_a_wednesday_is_skipped():
    # Tue 17:00-18:00 uses 1h of 2h; Wed 5 is a holiday; Thu 9:00 + 1h = Thu 10:00.
    calendar = office_with(holidays=frozenset({date(2025, 3, 5)}))
    due = add_business_time(calendar=calendar, start=march(4, 17), duration=hours(2))
    assert due == march(6, 10)


def test_extra_workday_on_a_saturday_counts():
    # Fri 17:00-18:00 uses 1h of 3h; Sat 8 is a make-up day; Sat 9:00 + 2h = Sat 11:00.
    calendar = office_with(extra_workdays=frozenset({date(2025, 3, 8)}))
    due = add_business_time(calendar=calendar, start=march(7, 17), duration=hours(3))
    assert due == march(8, 11)


def test_national_day_golden_week_with_make_up_saturday():
    # 2025: Oct 1-8 off (Wed-Wed), Sat Oct 11 worked instead.
    # Tue Sep 30 16:00-18:00 uses 2h of 22h; Thu Oct 9 and Fri Oct 10 give 9h + 9h (20h used);
    # Sat Oct 11 9:00 + 2h = 11:00.
    calendar = office_with(
        holidays=frozenset(date(2025, 10, d) for d in range(1, 9)),
        extra_workdays=frozenset({date(2025, 9, 28), date(2025, 10, 11)}),
    )
    start = datetime(2025, 9, 30, 16, tzinfo=SHANGHAI)
    due = add_business_time(calendar=calendar, start=start, duration=hours(22))
    assert due == datetime(2025, 10, 11, 11, tzinfo=SHANGHAI)


def test_start_at_night_begins_at_next_opening():
    # Tue 22:00 is after closing; counting starts Wed 9:00, + 1h = Wed 10:00.
    due = add_business_time(calendar=OFFICE, start=march(4, 22), duration=hours(1))
    assert due == march(5, 10)


def test_start_before_opening_begins_at_opening_the_same_day():
    # Tue 07:30 is before opening; counting starts Tue 9:00, + 1h30 = Tue 10:30.
    due = add_business_time(calendar=OFFICE, start=march(4, 7, 30), duration=hours(1.5))
    assert due == march(4, 10, 30)


def test_start_on_sunday_begins_at_monday_opening():
    # Sun 14:00 is off; counting starts Mon 9:00, + 1h = Mon 10:00.
    due = add_business_time(calendar=OFFICE, start=march(9, 14), duration=hours(1))
    assert due == march(10, 10)


def test_zero_duration_outside_hours_moves_to_next_opening():
    # Sat 12:00 + 0 -> the next working moment, Mon 9:00.
    due = add_business_time(calendar=OFFICE, start=march(8, 12), duration=timedelta(0))
    assert due == march(10, 9)


def test_zero_duration_inside_hours_is_unchanged():
    due = add_business_time(calendar=OFFICE, start=march(4, 11, 15), duration=timedelta(0))
    assert due == march(4, 11, 15)


def test_round_the_clock_adds_plain_wall_time():
    # Fri 20:00 + 30h = Sat 20:00 + 6h = Sun 02:00; nights and weekends all count.
    calendar = WorkingCalendar.always()
    due = add_business_time(calendar=calendar, start=march(7, 20), duration=hours(30))
    assert due == march(9, 2)


def test_round_the_clock_zero_duration_is_unchanged_even_at_night():
    calendar = WorkingCalendar.always()
    due = add_business_time(calendar=calendar, start=march(9, 3), duration=timedelta(0))
    assert due == march(9, 3)


def test_round_the_clock_counts_elapsed_time_across_daylight_saving():
    # Berlin springs forward at 02:00 on Sun 30 Mar 2025, so 24 elapsed hours after
    # Sat 12:00 CET (11:00 UTC) is Sun 11:00 UTC = Sun 13:00 CEST on the wall clock.
    berlin = ZoneInfo("Europe/Berlin")
    calendar = WorkingCalendar.always(time_zone="Europe/Berlin")
    start = datetime(2025, 3, 29, 12, tzinfo=berlin)
    due = add_business_time(calendar=calendar, start=start, duration=hours(24))
    assert due == datetime(2025, 3, 30, 13, tzinfo=berlin)


def test_result_is_in_the_calendar_time_zone_whatever_the_input_zone():
    # 02:00 UTC = 10:00 Shanghai (UTC+8) on Mon 3; + 1h = 11:00 Shanghai.
    start = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
    due = add_business_time(calendar=OFFICE, start=start, duration=hours(1))
    assert due == march(3, 11)
    assert due.tzinfo == SHANGHAI
    assert due.hour == 11


def test_two_hundred_working_hours_land_on_the_right_day():
    # 200h / 9h a day = 22 full days + 2h. From Mon 3 9:00, 22 working days are
    # Mar 3-7, 10-14, 17-21, 24-28 (20 days) and Mar 31, Apr 1; the last 2h run
    # Wed Apr 2 9:00-11:00.
    due = add_business_time(calendar=OFFICE, start=march(3, 9), duration=hours(200))
    assert due == datetime(2025, 4, 2, 11, tzinfo=SHANGHAI)


# business_time_between


def test_business_time_between_across_a_weekend_and_a_holiday():
    # Fri 16:00-18:00 = 2h; Sat, Sun off; Mon 10 is a holiday; Tue 9:00-11:00 = 2h; total 4h.
    calendar = office_with(holidays=frozenset({date(2025, 3, 10)}))
    elapsed = business_time_between(calendar=calendar, start=march(7, 16), end=march(11, 11))
    assert elapsed == hours(4)


def test_business_time_between_ignores_nights_at_both_ends():
    # Mon 20:00 -> Wed 07:00 contains only Tue 9:00-18:00 = 9h.
    elapsed = business_time_between(calendar=OFFICE, start=march(3, 20), end=march(5, 7))
    assert elapsed == hours(9)


def test_business_time_between_is_zero_when_end_is_not_after_start():
    assert business_time_between(calendar=OFFICE, start=march(3, 12), end=march(3, 12)) == (
        timedelta(0)
    )
    assert business_time_between(calendar=OFFICE, start=march(3, 12), end=march(3, 10)) == (
        timedelta(0)
    )


# Pauses


def test_closed_pause_inside_working_hours_extends_due_time_by_its_length():
    # Mon 9:00 + 4h = 13:00 unpaused; the pause Mon 10:00-11:30 holds 1h30 of working time,
    # so the due time moves to 14:30.
    pauses = [(march(3, 10), march(3, 11, 30))]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 9), duration=hours(4), pauses=pauses
    )
    assert due == march(3, 14, 30)


def test_pause_over_the_night_adds_nothing_for_the_night():
    # Mon 16:00 + 4h = Tue 11:00 unpaused. The pause Mon 17:00 -> Tue 10:00 covers
    # Mon 17:00-18:00 (1h) and Tue 9:00-10:00 (1h) of working time, not the 15h night:
    # Mon 16:00-17:00 uses 1h, then Tue 10:00 + 3h = Tue 13:00 (= Tue 11:00 + 2h).
    pauses = [(march(3, 17), march(4, 10))]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 16), duration=hours(4), pauses=pauses
    )
    assert due == march(4, 13)


def test_overlapping_pauses_are_not_double_counted():
    # 10:00-11:00 and 10:30-12:00 overlap into 10:00-12:00 = 2h (not 1h + 1h30 = 2h30).
    # Mon 9:00-10:00 uses 1h of 4h, the rest runs 12:00-15:00.
    pauses = [(march(3, 10), march(3, 11)), (march(3, 10, 30), march(3, 12))]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 9), duration=hours(4), pauses=pauses
    )
    assert due == march(3, 15)


def test_pause_before_the_start_changes_nothing():
    # The pause ended Sunday, before the clock started Mon 10:00; 10:00 + 2h = 12:00.
    pauses = [(march(9, 10), march(9, 20))]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 10), duration=hours(2), pauses=pauses
    )
    assert due == add_business_time(calendar=OFFICE, start=march(3, 10), duration=hours(2))


def test_open_pause_reached_before_the_due_time_returns_none():
    # Mon 9:00 + 4h would be 13:00; an open pause from 11:00 stops the clock with 2h left.
    pauses = [(march(3, 11), None)]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 9), duration=hours(4), pauses=pauses
    )
    assert due is None


def test_open_pause_opened_at_night_before_the_due_time_returns_none():
    # Mon 16:00 + 4h is due Tue 11:00; a pause opened Mon 20:00 (after closing) still stops it.
    pauses = [(march(3, 20), None)]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 16), duration=hours(4), pauses=pauses
    )
    assert due is None


def test_open_pause_starting_at_or_after_the_due_time_leaves_it_known():
    # Mon 9:00 + 4h = 13:00; a pause opened exactly at 13:00 or later does not matter.
    for opened in (march(3, 13), march(3, 15)):
        due = add_business_time_with_pauses(
            calendar=OFFICE, start=march(3, 9), duration=hours(4), pauses=[(opened, None)]
        )
        assert due == march(3, 13)


def test_closed_and_open_pauses_combine():
    # Mon 9:00 + 4h with a closed pause 10:00-11:00: the clock runs 9-10 (1h) and 11-14 (3h),
    # due 14:00; an open pause from 15:00 comes after it.
    pauses = [(march(3, 10), march(3, 11)), (march(3, 15), None)]
    due = add_business_time_with_pauses(
        calendar=OFFICE, start=march(3, 9), duration=hours(4), pauses=pauses
    )
    assert due == march(3, 14)


def test_round_the_clock_pause_extends_by_plain_wall_time():
    # Mon 22:00 + 4h = Tue 02:00; a pause Mon 23:00 -> Tue 00:30 (1h30) moves it to 03:30.
    pauses = [(march(3, 23), march(4, 0, 30))]
    due = add_business_time_with_pauses(
        calendar=WorkingCalendar.always(), start=march(3, 22), duration=hours(4), pauses=pauses
    )
    assert due == march(4, 3, 30)


def test_business_time_excluding_ignores_a_pause_outside_the_range():
    # Mon 9:00-18:00 is 9h; a pause on Sunday touches none of it.
    pauses = [(march(9, 10), march(9, 12))]
    elapsed = business_time_excluding(
        calendar=OFFICE, start=march(3, 9), end=march(3, 18), pauses=pauses
    )
    assert elapsed == hours(9)


def test_business_time_excluding_clips_a_pause_running_past_the_end():
    # Mon 9:00-18:00 is 9h; the pause Mon 17:00 -> Tue 12:00 covers 17:00-18:00 inside it: 8h.
    pauses = [(march(3, 17), march(4, 12))]
    elapsed = business_time_excluding(
        calendar=OFFICE, start=march(3, 9), end=march(3, 18), pauses=pauses
    )
    assert elapsed == hours(8)


def test_business_time_excluding_clips_a_pause_started_before_the_range():
    # Mon 10:00 -> Mon 15:00 is 5h; the pause Sun 12:00 -> Mon 11:00 covers 10:00-11:00: 4h.
    pauses = [(march(2, 12), march(3, 11))]
    elapsed = business_time_excluding(
        calendar=OFFICE, start=march(3, 10), end=march(3, 15), pauses=pauses
    )
    assert elapsed == hours(4)


def test_business_time_excluding_runs_an_open_pause_until_the_end():
    # Mon 9:00 -> Tue 12:00 is 9h + 3h = 12h; the open pause from Mon 16:00 covers
    # Mon 16:00-18:00 (2h) and Tue 9:00-12:00 (3h): 12h - 5h = 7h.
    pauses = [(march(3, 16), None)]
    elapsed = business_time_excluding(
        calendar=OFFICE, start=march(3, 9), end=march(4, 12), pauses=pauses
    )
    assert elapsed == hours(7)


def test_business_time_excluding_does_not_double_count_overlapping_pauses():
    # Mon 9:00-18:00 is 9h; pauses 10-12, 11-13 and 12:30-12:45 cover 10:00-13:00 = 3h: 6h.
    pauses = [
        (march(3, 11), march(3, 13)),
        (march(3, 10), march(3, 12)),
        (march(3, 12, 30), march(3, 12, 45)),
    ]
    elapsed = business_time_excluding(
        calendar=OFFICE, start=march(3, 9), end=march(3, 18), pauses=pauses
    )
    assert elapsed == hours(6)


# Refusals


def test_naive_start_raises_value_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(calendar=OFFICE, start=datetime(2025, 3, 3, 10), duration=hours(1))


def test_naive_end_raises_value_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        business_time_between(calendar=OFFICE, start=march(3, 9), end=datetime(2025, 3, 3, 10))


def test_naive_pause_raises_value_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        business_time_excluding(
            calendar=OFFICE,
            start=march(3, 9),
            end=march(3, 18),
            pauses=[(datetime(2025, 3, 3, 10), None)],
        )


def test_pause_ending_before_it_starts_raises_value_error():
    with pytest.raises(ValueError, match="end before it starts"):
        add_business_time_with_pauses(
            calendar=OFFICE,
            start=march(3, 9),
            duration=hours(1),
            pauses=[(march(3, 12), march(3, 11))],
        )


def test_negative_duration_raises_value_error():
    with pytest.raises(ValueError, match="negative"):
        add_business_time(calendar=OFFICE, start=march(3, 9), duration=hours(-1))


def test_calendar_with_no_weekdays_raises_value_error():
    with pytest.raises(ValueError, match="without any working day"):
        WorkingCalendar(
            time_zone="Asia/Shanghai",
            weekdays=frozenset(),
            day_start=time(9, 0),
            day_end=time(18, 0),
        )


def test_calendar_whose_working_days_ran_out_raises_instead_of_looping():
    # Only one make-up Saturday in 2025 and no weekdays: from 2026 on there is nothing to find.
    calendar = WorkingCalendar(
        time_zone="Asia/Shanghai",
        weekdays=frozenset(),
        day_start=time(9, 0),
        day_end=time(18, 0),
        extra_workdays=frozenset({date(2025, 3, 8)}),
    )
    with pytest.raises(ValueError, match="No working time"):
        add_business_time(
            calendar=calendar, start=datetime(2026, 1, 5, 9, tzinfo=SHANGHAI), duration=hours(1)
        )


def test_working_day_must_end_after_it_starts():
    with pytest.raises(ValueError, match="end after it starts"):
        WorkingCalendar(
            time_zone="Asia/Shanghai",
            weekdays=frozenset(range(5)),
            day_start=time(18, 0),
            day_end=time(9, 0),
        )


def test_date_cannot_be_both_holiday_and_extra_workday():
    with pytest.raises(ValueError, match="both a holiday and an extra workday"):
        office_with(holidays={date(2025, 3, 8)}, extra_workdays={date(2025, 3, 8)})


# Round trip


@pytest.mark.parametrize(
    "start",
    [
        march(3, 9),  # Monday opening
        march(3, 17, 45),  # just before Monday closing
        march(4, 23, 10),  # Tuesday night
        march(7, 16, 20),  # Friday afternoon, before a weekend
        march(8, 11),  # Saturday
        march(5, 13, 7),  # Wednesday, odd minute
    ],
)
@pytest.mark.parametrize(
    "duration",
    [
        timedelta(0),
        timedelta(minutes=1),
        hours(2.5),
        hours(9),
        hours(17),
        hours(47) + timedelta(minutes=13),
        hours(200),
    ],
)
def test_time_between_start_and_due_equals_the_duration_added(start, duration):
    # By construction: the due time is where exactly `duration` of working time has run, so
    # measuring from the start back to it gives `duration` again, across nights and weekends.
    calendar = office_with(
        holidays=frozenset({date(2025, 3, 5), date(2025, 3, 12)}),
        extra_workdays=frozenset({date(2025, 3, 15)}),
    )
    due = add_business_time(calendar=calendar, start=start, duration=duration)
    assert business_time_between(calendar=calendar, start=start, end=due) == duration
