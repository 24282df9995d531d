"""Each role's home page panel, with figures worked out by hand."""

from datetime import timedelta

from django.conf import settings as django_settings

from tests.reports.conftest import march
from tierdesk.cases.enums import Action, Clock, EventKind, Status
from tierdesk.cases.models import CaseEvent, CaseParticipation
from tierdesk.followups.enums import Satisfaction
from tierdesk.reports.dashboards import (
    field_engineer_panel,
    line2_panel,
    regional_support_panel,
    supervisor_panel,
)

NOW = march(20, 10)


def test_field_engineer_sees_open_cases_and_those_due_soon(make_case, field_engineer):
    due_tomorrow = make_case(owner=field_engineer, resolve_due_at=NOW + timedelta(hours=20))
    make_case(owner=field_engineer, resolve_due_at=NOW + timedelta(days=3))
    overdue = make_case(owner=field_engineer, resolve_due_at=NOW - timedelta(hours=1))
    make_case(owner=field_engineer, status=Status.RESOLVED, resolve_due_at=NOW)
    panel = field_engineer_panel(field_engineer, NOW)
    assert panel["open_count"] == 3
    assert panel["due_soon_count"] == 2
    assert panel["due_soon"] == [overdue, due_tomorrow]


def test_regional_support_sees_queue_breaches_and_follow_ups_due(
    make_case, make_follow_up, regional_support, north_site
):
    queued = make_case(status=Status.REGIONAL, resolve_due_at=NOW + timedelta(hours=3))
    make_case(status=Status.REGIONAL, breached_at=NOW - timedelta(hours=1))
    make_case(site=north_site, status=Status.REGIONAL)  # another region
    make_follow_up(make_case(status=Status.RESOLVED), closed_at=NOW - timedelta(hours=2))
    make_follow_up(make_case(status=Status.RESOLVED), closed_at=NOW + timedelta(hours=5))
    make_follow_up(make_case(status=Status.RESOLVED), closed_at=NOW + timedelta(days=2))
    panel = regional_support_panel(regional_support, NOW)
    assert panel["queue_count"] == 2
    assert panel["queue"][0] == queued
    assert panel["breached_count"] == 1
    # make_follow_up sets due_at to the given moment: 2 due within a day, 1 of them overdue.
    assert panel["follow_ups_due_count"] == 2
    assert panel["follow_ups_overdue_count"] == 1


def test_line_two_sees_escalations_by_group_and_hand_backs(make_case, line2_engineer, rd_engineer):
    cases = [
        make_case(status=status, line=2)
        for status in (Status.LINE2, Status.RD, Status.RD, Status.LINE2)
    ]
    for case in cases:
        # Line 2 sees the cases that reached it.
        CaseParticipation.objects.create(case=case, group=Status.LINE2, first_reached_at=NOW)
    back = cases[-1]
    CaseEvent.objects.create(
        case=back,
        kind=EventKind.TRANSITION,
        action=Action.HAND_BACK,
        actor=rd_engineer,
        from_status=Status.RD,
        to_status=Status.LINE2,
        at=NOW - timedelta(days=1),
    )
    panel = line2_panel(line2_engineer, NOW)
    assert {status: n for status, _label, n in panel["groups"]} == {
        "line2": 2,
        "rd": 2,
        "presales": 0,
        "product": 0,
        "vendor": 0,
    }
    assert [event.case for event in panel["handed_back"]] == [back]


def test_supervisor_compares_this_quarter_with_the_last(
    make_case, make_span, make_follow_up, supervisor, east, north
):
    case = make_case()
    # Q1 2026 in east: 3 spans with a target, 2 in time; Q4 2025: 1 of 2.
    for ended, in_time in [
        (march(5), True),
        (march(6), True),
        (march(7), False),
        (march(5, month=12) - timedelta(days=365), True),
        (march(6, month=12) - timedelta(days=365), False),
    ]:
        due = ended + timedelta(hours=1 if in_time else -1)
        make_span(case, Clock.LINE1, started=ended - timedelta(hours=5), ended=ended, due=due)
    make_follow_up(case, closed_at=march(9), satisfaction=Satisfaction.VERY_SATISFIED)
    make_follow_up(case, closed_at=march(10), satisfaction=Satisfaction.NEUTRAL)
    panel = supervisor_panel(supervisor, march(31))
    assert (panel["quarter"].key, panel["previous_quarter"].key) == ("2026-Q1", "2025-Q4")
    rows = {row.region.code: row for row in panel["regions"]}
    assert rows["east"].compliance == 2 / 3
    assert rows["east"].previous_compliance == 0.5
    assert rows["east"].score == 4.0  # (5 + 3) / 2
    assert rows["east"].previous_score is None
    assert rows["north"].compliance is None


def test_home_page_shows_each_roles_panel(client, regional_support, supervisor, east):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(regional_support)
    page = client.get("/").text
    assert 'data-role="regional_support"' in page
    assert 'data-dashboard="regional_support"' in page
    assert 'data-figure="queue">0<' in page
    client.force_login(supervisor)
    page = client.get("/").text
    assert 'data-dashboard="supervisor"' in page
    assert 'data-region="east"' in page
