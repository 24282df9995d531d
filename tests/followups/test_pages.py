"""The follow-up pages: my list, a region's list, one follow-up and its forms, who sees what."""

import re

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import at
from tierdesk.cases.enums import Status
from tierdesk.followups import services
from tierdesk.followups.enums import FollowUpState, Satisfaction

LIST = reverse("followups:follow_ups")


def detail(follow_up) -> str:
    return reverse("followups:detail", args=[follow_up.pk])


def rows(response) -> list[str]:
    return re.findall(r'data-follow-up="(\d+)"', response.content.decode())


def test_my_follow_ups_are_due_first_and_overdue_ones_are_highlighted(
    browse, resolve, regional_support, east_colleague
):
    today = timezone.now()
    later = resolve(when=today)  # due tomorrow: not overdue
    sooner = resolve(when=at(hours=1))  # due long ago: overdue
    for follow_up in (later, sooner):
        services.reassign(follow_up, by=regional_support, to=regional_support, now=today)

    response = browse(regional_support).get(LIST)

    assert response.status_code == 200
    assert rows(response) == [str(sooner.pk), str(later.pk)]
    html = response.content.decode()
    assert re.search(rf'data-follow-up="{sooner.pk}" class="table-danger" data-overdue', html)
    assert f'data-follow-up="{later.pk}">' in html
    assert "Follow-ups" in html  # the menu entry


def test_my_list_leaves_out_colleagues_and_closed_ones(
    browse, resolve, regional_support, east_colleague
):
    mine = resolve()
    theirs = resolve()
    done = resolve()
    assert theirs.assignee != mine.assignee == done.assignee
    services.record_answer(done, by=done.assignee, satisfaction="satisfied", now=at(days=1))

    response = browse(mine.assignee).get(LIST)
    assert str(theirs.pk) not in rows(response)
    assert str(done.pk) not in rows(response)
    assert str(mine.pk) in rows(response)


def test_supervisor_filters_all_follow_ups_by_region_and_state(
    browse,
    resolve,
    supervisor,
    regional_support,
    north_support,
    open_case,
    north_site,
    field_engineer,
    north_field_engineer,
):
    east_one = resolve()
    north_case = open_case(north_field_engineer, site=north_site)
    north_one = resolve(north_case, by=north_field_engineer)
    assert north_one.assignee == north_support

    client = browse(supervisor)
    everything = client.get(LIST, {"view": "all"})
    assert set(rows(everything)) == {str(east_one.pk), str(north_one.pk)}
    north_only = client.get(LIST, {"view": "all", "region": north_case.region_id})
    assert rows(north_only) == [str(north_one.pk)]
    closed_only = client.get(LIST, {"view": "all", "state": FollowUpState.SATISFIED})
    assert rows(closed_only) == []


def test_regional_support_sees_only_its_region_in_the_all_view(
    browse, resolve, regional_support, north_support, open_case, north_site, north_field_engineer
):
    east_one = resolve()
    north_one = resolve(open_case(north_field_engineer, site=north_site), by=north_field_engineer)
    response = browse(regional_support).get(
        LIST, {"view": "all", "region": north_one.case.region_id}
    )
    # The region filter is the supervisors'; regional support's scope is its region anyway.
    assert rows(response) == [str(east_one.pk)]


def test_another_region_s_regional_support_gets_404_everywhere(browse, follow_up, north_support):
    client = browse(north_support)
    assert client.get(detail(follow_up)).status_code == 404
    for name in ("attempt", "record_answer", "reassign"):
        url = reverse(f"followups:{name}", args=[follow_up.pk])
        assert client.post(url, {"reached": "0", "satisfaction": "satisfied"}).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN
    assert not follow_up.attempts.exists()


def test_the_page_shows_the_case_the_calls_the_forms_and_the_customer_link(
    browse, follow_up, regional_support
):
    services.record_attempt(
        follow_up, by=regional_support, reached=False, note="关机", now=at(hours=3)
    )
    response = browse(regional_support).get(detail(follow_up))
    assert response.status_code == 200
    html = response.content.decode()
    assert follow_up.case.reference in html
    assert "重新配置了 FSU 的上报地址。" in html  # the resolution
    assert "关机" in html
    assert 'data-reached="no"' in html
    for form in ("answer", "attempt", "reassign"):
        assert f'data-form="{form}"' in html
    link = re.search(r'id="answer-link" value="([^"]+)"', html).group(1)
    assert link.startswith("http")
    assert "/follow-ups/answer/" in link


def test_the_field_engineer_reads_an_assigned_follow_up_nowhere(browse, follow_up, field_engineer):
    assert browse(field_engineer).get(detail(follow_up)).status_code == 404


def test_recording_an_answer_on_the_page_closes_the_case(browse, follow_up, regional_support):
    client = browse(regional_support)
    response = client.post(
        reverse("followups:record_answer", args=[follow_up.pk]),
        {"satisfaction": Satisfaction.NEUTRAL, "comment": ""},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    follow_up.case.refresh_from_db()
    assert follow_up.state == FollowUpState.SATISFIED
    assert follow_up.case.status == Status.CLOSED
    page = client.get(detail(follow_up)).content.decode()
    assert 'data-form="answer"' not in page
    assert 'id="answer-link"' not in page


def test_a_dissatisfied_answer_without_comment_comes_back_with_the_error(
    browse, follow_up, regional_support
):
    response = browse(regional_support).post(
        reverse("followups:record_answer", args=[follow_up.pk]),
        {"satisfaction": Satisfaction.DISSATISFIED, "comment": ""},
    )
    assert response.status_code == 400
    assert "Say what the customer is unhappy with" in response.content.decode()


def test_recording_failed_calls_on_the_page(browse, follow_up, regional_support):
    client = browse(regional_support)
    url = reverse("followups:attempt", args=[follow_up.pk])
    for _ in range(3):
        assert client.post(url, {"reached": "0", "note": "无人接听"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.UNREACHABLE


def test_the_list_does_not_query_per_row(browse, resolve, regional_support):
    client = browse(regional_support)
    resolve()
    with CaptureQueriesContext(connection) as one:
        assert len(rows(client.get(LIST))) == 1
    for _ in range(5):
        resolve()
    with CaptureQueriesContext(connection) as six:
        assert len(rows(client.get(LIST))) == 6
    assert len(six) == len(one)


def test_the_menu_offers_follow_ups_to_regional_support_not_to_field_engineers(
    browse, regional_support, field_engineer
):
    assert LIST in browse(regional_support).get(reverse("cases:queue")).content.decode()
    assert LIST not in browse(field_engineer).get(reverse("cases:queue")).content.decode()


def test_the_case_page_panel_shows_the_latest_follow_up_to_those_who_may_see_it(
    rf, follow_up, regional_support, north_support
):
    panel = Template("{% load followups %}{% follow_up_panel case %}")
    request = rf.get("/")
    request.user = regional_support
    shown = panel.render(Context({"request": request, "case": follow_up.case}))
    assert detail(follow_up) in shown
    request.user = north_support
    assert detail(follow_up) not in panel.render(
        Context({"request": request, "case": follow_up.case})
    )
