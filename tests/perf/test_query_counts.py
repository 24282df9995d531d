"""The number of SQL queries of each page and API call stays the same when the data grows.

Each test measures a request with a little data, grows the data tenfold (more cases, more
history, more articles) and measures again: the count must not grow, and both stay within a
fixed budget. A query per row (an N+1) fails here long before it shows in the benchmark.
"""

import json

import pytest

from tests.cases.conftest import at
from tests.factories import UserFactory
from tierdesk.cases import attachments, workflow
from tierdesk.cases.enums import Action
from tierdesk.cases.models import Case
from tierdesk.organization.models import RoleCode

API = "/api/v1"
SMALL, LARGE = 5, 50


@pytest.fixture
def cases_of(open_case, field_engineer):
    """cases_of(n): at least n open east cases, some escalated to line 2, each with a comment."""

    def _grow(n: int) -> list[Case]:
        made = list(Case.objects.order_by("id"))
        while len(made) < n:
            case = open_case(field_engineer, title=f"FSU 离线 {len(made)}")
            workflow.comment(case, by=field_engineer, text="现场已重启。", internal=True, now=at(1))
            if len(made) % 3 == 0:
                workflow.perform(
                    case, action=Action.ESCALATE, by=field_engineer, now=at(2), text="需支持。"
                )
                case.refresh_from_db()
            made.append(case)
        return made

    return _grow


def grow_history(case: Case, by, n: int) -> None:
    """n comments and n attachments on the case."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    for number in range(n):
        workflow.comment(case, by=by, text=f"第 {number} 次排查。", internal=False, now=at(1))
        attachments.add_attachment(
            case,
            by=by,
            upload=SimpleUploadedFile(f"log{number}.txt", b"log line\n", "text/plain"),
            internal=False,
            now=at(1),
        )


def steady(count_queries, budget: int, call, grow) -> tuple[int, int]:
    """Queries of call() before and after grow(); the second must not exceed the first."""
    call()  # caches filled once per process (content types, the search vocabulary)
    before = count_queries(10_000, call)
    assert before <= budget, f"{before} queries with a little data, budget {budget}"
    grow()
    after = count_queries(budget, call)
    assert after <= before, f"{before} queries with a little data, {after} with more"
    return before, after


# Queue ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["mine", "group", "region", "due_soon", "breached", "all"])
@pytest.mark.parametrize("page", ["first", "later"])
def test_queue_page_queries_do_not_grow(client, count_queries, cases_of, field_engineer, tab, page):
    cases = cases_of(SMALL)
    client.force_login(field_engineer)
    after = f"&after={cases[-1].pk + 1000}" if page == "later" else ""

    def call():
        return client.get(f"/cases/?view={tab}&priority=P3{after}")

    steady(count_queries, 10, call, lambda: cases_of(LARGE + 10))


def test_queue_page_later_page_is_reached_by_its_link(client, cases_of, field_engineer):
    cases_of(60)
    client.force_login(field_engineer)
    first = client.get("/cases/?view=all")
    assert first.context["next_url"]
    later = client.get(first.context["next_url"])
    assert len(first.context["cases"]) == 50 and len(later.context["cases"]) == 10


# Case detail ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["field_engineer", "line2_engineer", "supervisor"])
def test_case_detail_queries_do_not_grow_with_history(
    client, count_queries, open_case, field_engineer, persona, request
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(1), text="x")
    case.refresh_from_db()
    grow_history(case, field_engineer, 2)
    viewer = request.getfixturevalue(persona)
    if persona == "line2_engineer":
        regional = UserFactory(region=field_engineer.region, roles=[RoleCode.REGIONAL_SUPPORT])
        case.refresh_from_db()
        workflow.perform(case, action=Action.ESCALATE, by=regional, now=at(2), text="y")
    client.force_login(viewer)

    steady(
        count_queries,
        10,
        lambda: client.get(f"/cases/{case.pk}/"),
        lambda: grow_history(case, field_engineer, 20),
    )


@pytest.mark.parametrize("form", ["act_escalate", "assign", "edit", "attachment"])
def test_case_form_fragment_queries_do_not_grow_with_history(
    client, count_queries, open_case, field_engineer, regional_support, form
):
    case = open_case(field_engineer)
    grow_history(case, field_engineer, 2)
    client.force_login(regional_support)

    steady(
        count_queries,
        12,
        lambda: client.get(f"/cases/{case.pk}/forms/{form}/", HTTP_HX_REQUEST="true"),
        lambda: grow_history(case, field_engineer, 20),
    )


# API ----------------------------------------------------------------------------------------------


def post(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")


def test_api_case_list_queries_do_not_grow(client, count_queries, cases_of, field_engineer):
    cases_of(SMALL)
    client.force_login(field_engineer)
    steady(
        count_queries,
        10,
        lambda: client.get(f"{API}/cases?limit=100&status=field&status=regional"),
        lambda: cases_of(LARGE),
    )


def test_api_case_detail_queries_do_not_grow(client, count_queries, open_case, field_engineer):
    case = open_case(field_engineer)
    grow_history(case, field_engineer, 2)
    client.force_login(field_engineer)
    steady(
        count_queries,
        5,
        lambda: client.get(f"{API}/cases/{case.pk}"),
        lambda: grow_history(case, field_engineer, 20),
    )


def test_api_create_queries_do_not_grow(
    client, count_queries, cases_of, field_engineer, east_site, own_product
):
    cases_of(SMALL)
    client.force_login(field_engineer)
    body = {
        "title": "光端机告警",
        "description": "机房3号机柜光端机持续告警。",
        "customer_id": east_site.customer_id,
        "site_id": east_site.pk,
        "product_id": own_product.pk,
        "source": "customer",
        "priority": "P2",
    }
    steady(count_queries, 16, lambda: post(client, "/cases", body), lambda: cases_of(LARGE))


def test_api_escalate_queries_do_not_grow(
    client, count_queries, cases_of, open_case, field_engineer
):
    fresh = [open_case(field_engineer) for _ in range(3)]
    cases_of(SMALL)
    client.force_login(field_engineer)

    def escalate():  # one of the queries is the test's own read of the version
        case = fresh.pop()
        case.refresh_from_db()
        return post(
            client,
            f"/cases/{case.pk}/actions/escalate",
            {"version": case.version, "text": "现场无法解决。"},
        )

    steady(count_queries, 15, escalate, lambda: cases_of(LARGE))


def test_api_comment_queries_do_not_grow(client, count_queries, open_case, field_engineer):
    case = open_case(field_engineer)
    grow_history(case, field_engineer, 2)
    client.force_login(field_engineer)
    steady(
        count_queries,
        11,
        lambda: post(client, f"/cases/{case.pk}/comments", {"text": "已联系客户。"}),
        lambda: grow_history(case, field_engineer, 20),
    )


# Knowledge search ---------------------------------------------------------------------------


@pytest.fixture
def articles(write_article, own_product):
    def _grow(n: int) -> None:
        from tierdesk.knowledge.models import Article

        for number in range(Article.objects.count(), n):
            write_article(
                title=f"FSU 离线处理 {number}",
                symptom="FSU 频繁离线，告警上报中断。",
                solution="更换串口线缆。",
                product=own_product,
            )

    return _grow


def test_knowledge_search_page_queries_do_not_grow(client, count_queries, articles, field_engineer):
    articles(3)
    client.force_login(field_engineer)
    steady(
        count_queries,
        7,
        lambda: client.get("/knowledge/search/?q=FSU 离线"),
        lambda: articles(30),
    )


def test_knowledge_search_api_queries_do_not_grow(client, count_queries, articles, field_engineer):
    articles(3)
    client.force_login(field_engineer)
    steady(
        count_queries,
        6,
        lambda: client.get(f"{API}/knowledge/articles/search?q=FSU 离线"),
        lambda: articles(30),
    )


def test_api_article_list_queries_do_not_grow(client, count_queries, articles, field_engineer):
    articles(3)
    client.force_login(field_engineer)
    steady(
        count_queries,
        4,
        lambda: client.get(f"{API}/knowledge/articles"),
        lambda: articles(30),
    )


def test_case_search_api_queries_do_not_grow(client, count_queries, cases_of, field_engineer):
    # The region's engineer may read every case found: the ranked rows are kept at the first
    # try. (A searcher who may read few of them widens the pool at most twice; see search.py.)
    cases_of(SMALL)
    client.force_login(field_engineer)
    steady(
        count_queries,
        6,
        lambda: client.get(f"{API}/knowledge/cases/search?q=离线"),
        lambda: cases_of(LARGE),
    )


# Reports ----------------------------------------------------------------------------------------


def test_region_report_queries_do_not_grow(client, count_queries, cases_of, supervisor, east):
    cases_of(SMALL)
    client.force_login(supervisor)
    steady(
        count_queries,
        60,
        lambda: client.get(f"/reports/{east.code}/2026-03/"),
        lambda: cases_of(LARGE),
    )
