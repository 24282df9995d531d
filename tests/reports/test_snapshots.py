"""A built report is kept for a few minutes and shared: the page says when it was built, a new
case shows after the kept figures expire or after a reader has them built again, and every
language draws its own charts from the same figures."""

from django.core.cache import caches
from django.db import connection

from tests.reports.conftest import march
from tierdesk.reports import snapshots
from tierdesk.reports.event_management import RegionalReport
from tierdesk.reports.periods import Period

PAGE = "/reports/east/2026-03/"
API = "/api/v1/reports/regions/east/2026-03"


def opened(page: str) -> str:
    return page.split('data-figure="opened">')[1].split("<")[0]


def expire_kept_reports():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tierdesk_report_cache SET expires = %s", [march(1, month=1)])


def test_the_page_keeps_its_figures_until_built_again(
    browse, regional_support, east_march, make_case
):
    client = browse(regional_support)
    first = client.get(PAGE).content.decode()
    assert opened(first) == "4"
    assert "Figures as of" in first and "more than 5 minutes old" in first

    make_case(opened_at=march(20))
    assert opened(client.get(PAGE).content.decode()) == "4"

    response = client.post(f"{PAGE}rebuild/", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    assert "The report was built again from the cases as they are now." in page
    assert opened(page) == "5"


def test_figures_older_than_the_maximum_age_are_built_again(
    browse, regional_support, east_march, make_case
):
    client = browse(regional_support)
    client.get(PAGE)
    make_case(opened_at=march(20))
    expire_kept_reports()
    assert opened(client.get(PAGE).content.decode()) == "5"


def test_no_maximum_age_builds_on_every_visit(
    settings, browse, regional_support, east_march, make_case
):
    settings.REPORT_MAX_AGE = 0
    client = browse(regional_support)
    page = client.get(PAGE).content.decode()
    assert "Figures as of" in page and "minutes old" not in page
    make_case(opened_at=march(20))
    assert opened(client.get(PAGE).content.decode()) == "5"


def test_a_kept_report_is_read_without_asking_for_the_cases(
    browse, regional_support, east_march, django_assert_max_num_queries
):
    client = browse(regional_support)
    client.get(PAGE)
    # Session, user, roles, the region, the kept report, the regions and periods to choose.
    with django_assert_max_num_queries(6):
        assert client.get(PAGE).status_code == 200


def test_each_language_draws_its_charts_from_the_same_figures(
    browse, regional_support, east_march, make_case
):
    english = browse(regional_support).get(PAGE).content.decode()
    make_case(opened_at=march(20))
    chinese = browse(regional_support, "zh-hans").get(PAGE).content.decode()
    assert "Cases per month" in english and "每月问题单数" in chinese
    assert opened(chinese) == "4"


def test_another_regions_report_cannot_be_built_again(browse, field_engineer, north):
    assert browse(field_engineer).post("/reports/north/2026-03/rebuild/").status_code == 404


def test_building_again_needs_a_post(browse, regional_support, east_march):
    assert browse(regional_support).get(f"{PAGE}rebuild/").status_code == 405


def test_a_report_kept_by_other_code_is_built_again(regional_support, east, east_march):
    period = Period.parse("2026-03")
    caches["reports"].set(snapshots._key(east, period), {"figures": "of another shape"})
    snapshot = snapshots.regional_snapshot(region=east, period=period)
    assert isinstance(snapshot.report, RegionalReport) and snapshot.report.opened == 4


def test_the_api_says_when_the_figures_were_built_and_builds_them_again(
    api, regional_support, east_march, make_case
):
    client = api(regional_support)
    first = client.get(API).json()
    assert first["opened"] == 4 and first["built_at"]
    make_case(opened_at=march(20))
    assert client.get(API).json() == first

    rebuilt = client.post(f"{API}/rebuild")
    assert rebuilt.status_code == 200
    assert rebuilt.json()["opened"] == 5 and rebuilt.json()["built_at"] >= first["built_at"]


def test_the_api_builds_no_other_regions_report(api, regional_support, north):
    response = api(regional_support).post("/api/v1/reports/regions/north/2026-03/rebuild")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
