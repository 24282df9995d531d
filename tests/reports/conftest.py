"""Report fixtures: cases, clock spans and follow-ups written as rows at chosen moments, so each
test can work out its expected figures by hand."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings as django_settings

from tests.cases.conftest import (  # noqa: F401  (fixtures shared with the case tests)
    FIXED,
    SHANGHAI,
    _fast_password_hashing,
    customer,
    east_site,
    north_site,
    open_case,
    own_product,
    video_product,
)
from tierdesk.cases.enums import Channel, Classification, Clock, EventKind, Priority, Source, Status
from tierdesk.cases.models import Case, CaseEvent, ClockSpan, Problem
from tierdesk.followups.enums import FollowUpState, Satisfaction
from tierdesk.followups.models import FollowUp

H, M = timedelta(hours=1), timedelta(minutes=1)


def march(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def make_case(customer, east_site, own_product, field_engineer):  # noqa: F811
    def _make(*, site=None, opened_at=None, **fields):
        opened_at = opened_at or march(2)
        values = {
            "title": "FSU 离线",
            "description": "The FSU stopped reporting.",
            "customer": customer,
            "site": site or east_site,
            "product": own_product,
            "source": Source.CUSTOMER,
            "channel": Channel.FIELD,
            "priority": Priority.P3,
            "status": Status.FIELD,
            "reporter": field_engineer,
            "opened_at": opened_at,
            "updated_at": opened_at,
        }
        values.update(fields)
        values["region"] = values["site"].region
        return Case.objects.create(**values)

    return _make


@pytest.fixture
def make_span():
    def _span(case, clock, *, started, ended=None, responded=None, due=None, worked=None):
        return ClockSpan.objects.create(
            case=case,
            region_id=case.region_id,
            clock=clock,
            started_at=started,
            responded_at=responded,
            ended_at=ended,
            resolve_due_at=due,
            worked=worked,
        )

    return _span


@pytest.fixture
def make_follow_up(regional_support):
    def _follow_up(case, *, closed_at, satisfaction="", assignee=None, state=None):
        event = CaseEvent.objects.create(
            case=case, kind=EventKind.TRANSITION, to_status=Status.RESOLVED, at=closed_at
        )
        return FollowUp.objects.create(
            case=case,
            region_id=case.region_id,
            resolution_event=event,
            assignee=assignee or regional_support,
            state=state or (FollowUpState.SATISFIED if satisfaction else FollowUpState.OPEN),
            created_at=closed_at - timedelta(hours=2),
            due_at=closed_at,
            max_failed_attempts=3,
            link_valid_days=7,
            satisfaction=satisfaction,
            closed_at=closed_at if satisfaction else None,
        )

    return _follow_up


@pytest.fixture
def east_march(make_case, make_span, make_follow_up, north_site, video_product, field_engineer):  # noqa: F811
    """East, March 2026: five line-1 spans and two line-2 spans end in March; noise around them."""
    # Cases opened in March: 4 in east (2 about the video product), plus one in north (noise).
    a = make_case(
        opened_at=march(2),
        priority=Priority.P1,
        line=2,
        status=Status.RESOLVED,
        resolved_at=march(10),
        classification=Classification.PRODUCT_DEFECT,
    )
    b = make_case(
        opened_at=march(3),
        priority=Priority.P2,
        status=Status.CLOSED,
        resolved_at=march(4),
        closed_at=march(5),
        classification=Classification.ONSITE,
    )
    c = make_case(opened_at=march(16), product=video_product, classification=Classification.ONSITE)
    d = make_case(opened_at=march(31, 23, 59), product=video_product)
    # Opened in February, resolved in March: counts as resolved, not opened.
    e = make_case(opened_at=march(20, month=2), status=Status.RESOLVED, resolved_at=march(1, 9))
    # Opened 1 April 00:00 Shanghai: the next period.
    make_case(opened_at=march(1, 0, month=4))
    north = make_case(site=north_site, opened_at=march(9), resolved_at=march(9, 12))

    # Line 1: response 10, 20, 30, 40, 100 min; worked 1, 2, 4, 8, 9 h; due: 3 met, 1 late, 1 none.
    for case, response, worked, late in [
        (a, 10, 1, False),
        (b, 20, 2, False),
        (c, 30, 4, False),
        (d, 40, 8, True),
        (e, 100, 9, None),
    ]:
        started, ended = march(2, 9), march(12, 9)
        due = None if late is None else ended + (-H if late else H)
        make_span(
            case,
            Clock.LINE1,
            started=started,
            responded=started + response * M,
            ended=ended,
            due=due,
            worked=worked * H,
        )
    # Line 2: response 60 and 120 min; worked 10 and 20 h; one met, one late.
    make_span(
        a,
        Clock.LINE2,
        started=march(3, 9),
        responded=march(3, 10),
        ended=march(20),
        due=march(21),
        worked=10 * H,
    )
    make_span(
        b,
        Clock.LINE2,
        started=march(3, 9),
        responded=march(3, 11),
        ended=march(20),
        due=march(19),
        worked=20 * H,
    )
    # Noise: ended in February, still running, another region.
    make_span(
        a,
        Clock.LINE1,
        started=march(1, 9, month=2),
        responded=march(1, 10, month=2),
        ended=march(2, 9, month=2),
        due=march(3, month=2),
        worked=99 * H,
    )
    make_span(c, Clock.LINE2, started=march(20), responded=march(20, 11))
    make_span(
        north,
        Clock.LINE1,
        started=march(9),
        responded=march(9, 11),
        ended=march(9, 12),
        due=march(9, 11),
        worked=3 * H,
    )

    # Satisfaction closed in March: 2 very satisfied, 1 satisfied, 1 neutral, 1 very dissatisfied.
    for case, level in [
        (a, Satisfaction.VERY_SATISFIED),
        (b, Satisfaction.VERY_SATISFIED),
        (c, Satisfaction.SATISFIED),
        (d, Satisfaction.NEUTRAL),
        (e, Satisfaction.VERY_DISSATISFIED),
    ]:
        make_follow_up(case, closed_at=march(25), satisfaction=level)
    make_follow_up(a, closed_at=march(25, month=2), satisfaction=Satisfaction.DISSATISFIED)
    make_follow_up(north, closed_at=march(25), satisfaction=Satisfaction.DISSATISFIED)

    # Problems: "电源模块" behind three March cases, "固件" behind one.
    power = Problem.objects.create(title="电源模块", created_by=field_engineer, created_at=march(2))
    firmware = Problem.objects.create(title="固件", created_by=field_engineer, created_at=march(2))
    for case, problem in [(a, power), (b, power), (c, power), (d, firmware), (e, firmware)]:
        case.problem = problem
        case.save(update_fields=["problem"])
    return {"power": power, "firmware": firmware}


@pytest.fixture
def api(client):
    """api(user): the test client signed in as this person, answering in English."""

    def _as(user):
        client.force_login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _as
