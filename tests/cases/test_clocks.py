"""SLA clocks on real cases, with the default targets of migration 0002 and hand-worked due times.

Default targets (minutes): line 1 P3 = response 240 / resolution 1440, line 1 P2 = 60 / 480,
line 1 P1 = 30 / 240 round the clock, line 2 P3 = 480 / 2400; warnings at 80 %.
The office calendar is Mon-Fri 09:00-18:00 Asia/Shanghai (9 working hours a day).
FIXED is Monday 2 March 2026, 10:00 Shanghai.
"""

from datetime import timedelta

import pytest

from tests.cases.conftest import FIXED, shanghai
from tierdesk.cases import clocks, sla, sla_scan, workflow
from tierdesk.cases.enums import Action, Clock, EventKind, Priority, WaitingOn
from tierdesk.cases.models import CalendarDay, CaseEvent, ClockPause, ClockSpan, SlaTarget


def spans(case):
    return list(ClockSpan.objects.filter(case=case).order_by("started_at", "id"))


def test_p3_line1_case_is_due_in_working_hours(open_case, field_engineer):
    case = open_case(field_engineer)

    # Response 240 min from Mon 10:00: Mon 10:00-14:00 -> Mon 14:00.
    assert case.response_due_at == shanghai(2, 14)
    # Resolution 1440 min = 24 working hours:
    #   Mon 10:00-18:00 = 8 h (16 h left), Tue 09:00-18:00 = 9 h (7 h left),
    #   Wed 09:00 + 7 h = Wed 16:00.
    assert case.resolve_due_at == shanghai(4, 16)
    # Warning at 80 % = 1152 min = 19 h 12 min: Mon 8 h + Tue 9 h = 17 h, Wed 09:00 + 2 h 12.
    assert case.warn_due_at == shanghai(4, 11, 12)

    [span] = spans(case)
    assert span.clock == Clock.LINE1
    assert span.started_at == FIXED
    assert (span.response_due_at, span.resolve_due_at) == (shanghai(2, 14), shanghai(4, 16))
    assert span.ended_at is None


def test_escalation_to_line2_stops_the_line1_clock_and_starts_line2(
    open_case, field_engineer, regional_support, line2_engineer
):
    case = open_case(field_engineer)
    # Field -> regional support stays on line 1: the same clock keeps running.
    workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=shanghai(2, 11), text="f1"
    )
    assert len(spans(case)) == 1

    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=shanghai(2, 15), text="f2"
    )
    case.refresh_from_db()

    line1, line2 = spans(case)
    assert line1.clock == Clock.LINE1
    assert line1.ended_at == shanghai(2, 15)
    assert line1.worked == timedelta(hours=5)  # Mon 10:00-15:00
    assert line2.clock == Clock.LINE2
    assert line2.started_at == shanghai(2, 15)
    assert line2.ended_at is None
    # Line-2 P3 response 480 min = 8 h: Mon 15:00-18:00 = 3 h, Tue 09:00 + 5 h = Tue 14:00.
    assert line2.response_due_at == shanghai(3, 14)
    # Line-2 P3 resolution 2400 min = 40 h: Mon 3 h, Tue-Fri 4 x 9 h = 36 h (39 h in all),
    # next Mon 09:00 + 1 h = Mon 9 March 10:00.
    assert line2.resolve_due_at == shanghai(9, 10)
    assert (case.response_due_at, case.resolve_due_at) == (shanghai(3, 14), shanghai(9, 10))

    # Taking the case is line 2's first response: its response clock stops.
    workflow.assign(case, by=line2_engineer, to=line2_engineer, now=shanghai(2, 16))
    case.refresh_from_db()
    assert case.response_due_at is None
    assert spans(case)[1].responded_at == shanghai(2, 16)

    # Resolving stops line 2's clock and clears the due times.
    workflow.perform(
        case, action=Action.RESOLVE, by=line2_engineer, now=shanghai(3, 10), text="done"
    )
    case.refresh_from_db()
    line2 = spans(case)[1]
    assert line2.ended_at == shanghai(3, 10)
    assert line2.worked == timedelta(hours=4)  # Mon 15:00-18:00 + Tue 09:00-10:00
    assert (case.response_due_at, case.resolve_due_at, case.warn_due_at) == (None, None, None)


def test_p1_case_is_due_round_the_clock_even_at_night_before_a_weekend(open_case, field_engineer):
    friday_night = shanghai(6, 22)
    case = open_case(field_engineer, priority=Priority.P1, now=friday_night)

    assert case.response_due_at == shanghai(6, 22, 30)
    assert case.resolve_due_at == shanghai(7, 2)  # Saturday 02:00, 240 minutes later
    assert case.resolve_due_at - friday_night == timedelta(minutes=240)


def test_priority_change_recomputes_due_times(open_case, field_engineer):
    case = open_case(field_engineer)
    workflow.update_case(
        case, by=field_engineer, now=shanghai(2, 10, 30), changes={"priority": Priority.P2}
    )
    case.refresh_from_db()
    # Line-1 P2 from Mon 10:00: response 60 min -> 11:00; resolution 480 min = 8 h ends exactly
    # at Monday's closing time, 18:00 (not Tuesday morning).
    assert case.response_due_at == shanghai(2, 11)
    assert case.resolve_due_at == shanghai(2, 18)


def test_waiting_on_the_customer_pauses_and_pushes_the_due_time_by_the_paused_working_time(
    open_case, field_engineer
):
    case = open_case(field_engineer)
    before = case.resolve_due_at
    assert before == shanghai(4, 16)

    workflow.wait_for(
        case, by=field_engineer, waiting_on=WaitingOn.CUSTOMER, now=shanghai(2, 12), note="logs?"
    )
    case.refresh_from_db()
    assert case.waiting_on == WaitingOn.CUSTOMER
    assert (case.response_due_at, case.resolve_due_at, case.warn_due_at) == (None, None, None)

    # Paused Mon 12:00 - Tue 11:00: Mon 12:00-18:00 = 6 h + Tue 09:00-11:00 = 2 h = 8 working h.
    workflow.stop_waiting(case, by=field_engineer, now=shanghai(3, 11))
    case.refresh_from_db()
    assert case.waiting_on == WaitingOn.NOBODY
    # Wed 16:00 + 8 working hours: Wed 16:00-18:00 = 2 h, Thu 09:00 + 6 h = Thu 15:00.
    assert case.resolve_due_at == shanghai(5, 15)
    office = clocks.working_calendar(
        SlaTarget.objects.get(clock=Clock.LINE1, priority=Priority.P3).calendar
    )
    pushed = sla.business_time_between(calendar=office, start=before, end=case.resolve_due_at)
    assert pushed == timedelta(hours=8)
    # Response: 2 h ran before the pause (Mon 10-12), the other 2 h after it -> Tue 13:00.
    assert case.response_due_at == shanghai(3, 13)
    [pause] = ClockPause.objects.filter(case=case)
    assert (pause.started_at, pause.ended_at) == (shanghai(2, 12), shanghai(3, 11))
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.PAUSED, EventKind.RESUMED]


def test_scan_warns_and_breaches_exactly_once_and_leaves_cases_not_yet_due(
    open_case, field_engineer
):
    late = open_case(field_engineer)  # warning Wed 11:12, resolution due Wed 16:00
    fresh = open_case(field_engineer, title="Later case", now=shanghai(4, 9))

    assert sla_scan.scan(now=shanghai(4, 11)) == {"warned": 0, "breached": 0}

    assert sla_scan.scan(now=shanghai(4, 12)) == {"warned": 1, "breached": 0}
    late.refresh_from_db()
    assert late.warned_at == shanghai(4, 12)
    assert late.breached_at is None

    assert sla_scan.scan(now=shanghai(4, 17)) == {"warned": 0, "breached": 1}
    assert sla_scan.scan(now=shanghai(4, 17, 30)) == {"warned": 0, "breached": 0}

    late.refresh_from_db()
    assert late.warned_at == shanghai(4, 12)
    assert late.breached_at == shanghai(4, 17)
    assert CaseEvent.objects.filter(case=late, kind=EventKind.SLA_WARNING).count() == 1
    assert CaseEvent.objects.filter(case=late, kind=EventKind.SLA_BREACH).count() == 1

    fresh.refresh_from_db()
    assert fresh.resolve_due_at > shanghai(4, 17, 30)
    assert (fresh.warned_at, fresh.breached_at) == (None, None)
    assert not CaseEvent.objects.filter(
        case=fresh, kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACH]
    ).exists()


def test_each_line_gets_its_own_warning_and_breach(open_case, field_engineer, regional_support):
    case = open_case(field_engineer)  # line 1 resolution due Wed 4 March 16:00
    sla_scan.scan(now=shanghai(4, 17))
    case.refresh_from_db()
    assert case.breached_at == shanghai(4, 17)

    workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=shanghai(5, 9), text="Checked power."
    )
    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=shanghai(5, 10), text="Config ok."
    )
    case.refresh_from_db()
    # Line 2's clock has just started: the breach of line 1 is history, not line 2's.
    assert (case.warned_at, case.breached_at) == (None, None)
    assert case.resolve_due_at > shanghai(5, 10)
    assert sla_scan.scan(now=shanghai(5, 11)) == {"warned": 0, "breached": 0}

    sla_scan.scan(now=case.resolve_due_at + timedelta(minutes=1))
    breaches = CaseEvent.objects.filter(case=case, kind=EventKind.SLA_BREACH)
    assert [event.to_line for event in breaches] == [1, 2]


def test_scan_skips_resolved_and_waiting_cases(open_case, field_engineer):
    resolved = open_case(field_engineer)
    workflow.perform(
        resolved, action=Action.RESOLVE, by=field_engineer, now=shanghai(2, 11), text="ok"
    )
    waiting = open_case(field_engineer)
    workflow.wait_for(
        waiting, by=field_engineer, waiting_on=WaitingOn.CUSTOMER, now=shanghai(2, 11)
    )

    assert sla_scan.scan(now=shanghai(20, 12)) == {"warned": 0, "breached": 0}


@pytest.mark.parametrize(
    ("holiday", "response_due", "resolve_due"),
    [
        # Tuesday off: Mon 8 h + Wed 9 h = 17 h, Thu 09:00 + 7 h = Thu 16:00.
        (shanghai(3, 0).date(), shanghai(2, 14), shanghai(5, 16)),
        # Monday itself off: the clock starts Tue 09:00; response Tue 13:00;
        # 24 h = Tue 9 h + Wed 9 h + Thu 09:00 + 6 h = Thu 15:00.
        (shanghai(2, 0).date(), shanghai(3, 13), shanghai(5, 15)),
    ],
)
def test_holidays_are_skipped(open_case, field_engineer, holiday, response_due, resolve_due):
    office = SlaTarget.objects.get(clock=Clock.LINE1, priority=Priority.P3).calendar
    CalendarDay.objects.create(
        calendar=office, date=holiday, kind=CalendarDay.Kind.HOLIDAY, name="调休"
    )

    case = open_case(field_engineer)

    assert case.response_due_at == response_due
    assert case.resolve_due_at == resolve_due


def test_a_calendar_edited_between_two_cases_counts_for_the_second(open_case, field_engineer):
    office = SlaTarget.objects.get(clock=Clock.LINE1, priority=Priority.P3).calendar
    before = open_case(field_engineer)

    day_off = CalendarDay.objects.create(
        calendar=office, date=shanghai(3, 0).date(), kind=CalendarDay.Kind.HOLIDAY
    )
    with_holiday = open_case(field_engineer)
    day_off.delete()
    office.day_end = office.day_end.replace(hour=17)
    office.save()
    shorter_days = open_case(field_engineer)

    assert before.resolve_due_at == shanghai(4, 16)
    assert with_holiday.resolve_due_at == shanghai(5, 16)
    # Mon 10:00-17:00 = 7 h, Tue 8 h, Wed 8 h = 23 h, Thu 09:00 + 1 h = Thu 10:00.
    assert shorter_days.resolve_due_at == shanghai(5, 10)


def test_warning_event_names_the_resolution_due_time_not_the_warning_time(
    open_case, field_engineer
):
    """A supervisor reading "Resolution due at ..." on a warning must see when resolution is due
    (Wed 16:00 Shanghai = 08:00 UTC), not when the warning fired (Wed 11:12 = 03:12 UTC)."""
    case = open_case(field_engineer)
    sla_scan.scan(now=shanghai(4, 12))

    warning = CaseEvent.objects.get(case=case, kind=EventKind.SLA_WARNING)

    assert "11:12" not in warning.text and "03:12" not in warning.text, warning.text
    assert "16:00" in warning.text or "08:00" in warning.text, warning.text
