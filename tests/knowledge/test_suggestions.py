"""Suggestions while a case is written: the right article first, only what the writer may read,
the same answer in the side panel and in the API."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.knowledge.conftest import at
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action
from tierdesk.knowledge import search
from tierdesk.knowledge.suggestions import suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def battery_article(write_article, own_product):
    return write_article(
        title="蓄电池电压低告警",
        symptom="动环监控显示蓄电池组电压低于 46V。",
        solution="检查整流模块输出并对电池组均充。",
        product=own_product,
    )


@pytest.fixture
def offline_article(write_article, own_product):
    return write_article(
        title="FSU 频繁离线",
        symptom="FSU 每天离线多次，平台收到离线告警。",
        solution="更换 4G 模块天线，升级固件到 V2.3。",
        product=own_product,
    )


@pytest.fixture
def door_article(write_article):
    return write_article(
        title="门禁无法开门",
        symptom="门磁告警后门禁控制器不响应。",
        solution="重启门禁控制器。",
    )


def test_the_article_about_the_typed_fault_comes_first(
    field_engineer, battery_article, offline_article, door_article
):
    found = suggest(
        user=field_engineer,
        title="FSU 离线",
        description="站点 FSU 今天离线三次，蓄电池正常。",
    )

    assert found.articles[0].id == offline_article.pk
    assert door_article.pk not in [article.id for article in found.articles]
    first = found.articles[0]
    assert first.reference == offline_article.reference
    assert "<mark>离线</mark>" in first.title_html


def test_the_title_weighs_more_than_the_description(
    field_engineer, battery_article, offline_article
):
    found = suggest(
        user=field_engineer,
        title="蓄电池电压低",
        description="FSU 离线后又恢复，FSU 离线告警也出现过。",
    )

    assert found.articles[0].id == battery_article.pk


def test_drafts_and_revisions_in_progress_are_never_suggested(
    field_engineer, write_article, offline_article, regional_support
):
    draft = write_article(
        title="FSU 离线 草稿", symptom="FSU 离线。", published=False, by=regional_support
    )

    found = suggest(user=regional_support, title="FSU 离线", description="")

    assert draft.pk not in [article.id for article in found.articles]
    assert offline_article.pk in [article.id for article in found.articles]


def test_the_published_text_is_shown_while_a_revision_is_drafted(
    field_engineer, offline_article, regional_support
):
    from tierdesk.knowledge import services

    services.update_article(
        offline_article, by=regional_support, now=at(3), note="", title="FSU 离线 新标题"
    )

    found = suggest(user=field_engineer, title="FSU 离线", description="")

    assert found.articles[0].title == "FSU 频繁离线"


def test_empty_text_asks_nothing(field_engineer, offline_article, django_assert_num_queries):
    search.recheck_dictionary()
    with django_assert_num_queries(1):  # the dictionary's freshness check only
        found = suggest(user=field_engineer, title="  ", description="")

    assert not found


def test_solved_cases_of_the_writers_region_are_suggested_and_others_are_not(
    open_case, field_engineer, north_field_engineer, north_site, resolved_case
):
    still_open = open_case(field_engineer, title="FSU 离线 未解决", description="FSU 离线。")
    north_case = open_case(
        north_field_engineer, title="FSU 每天离线", description="FSU 离线。", site=north_site
    )
    workflow.perform(
        north_case, action=Action.RESOLVE, by=north_field_engineer, now=at(hours=2), text="重启。"
    )

    east = suggest(user=field_engineer, title="FSU 离线", description="")
    north = suggest(user=north_field_engineer, title="FSU 离线", description="")

    assert [case.id for case in east.cases] == [resolved_case.pk]
    assert still_open.pk not in [case.id for case in east.cases]
    assert [case.id for case in north.cases] == [north_case.pk]


def test_partner_vendors_get_no_articles(vendor_contact, offline_article):
    assert suggest(user=vendor_contact, title="FSU 离线", description="").articles == []


def test_the_products_articles_rank_higher(
    field_engineer, write_article, own_product, video_product
):
    video = write_article(
        title="离线告警", symptom="录像机离线告警。", solution="检查网线。", product=video_product
    )
    fsu = write_article(
        title="离线告警", symptom="FSU 离线告警。", solution="检查天线。", product=own_product
    )

    for_video = suggest(
        user=field_engineer, title="离线告警", description="", product=video_product
    )
    for_fsu = suggest(user=field_engineer, title="离线告警", description="", product=own_product.pk)

    assert for_video.articles[0].id == video.pk
    assert for_fsu.articles[0].id == fsu.pk


def test_suggesting_costs_the_same_queries_for_five_results_as_for_one(
    field_engineer, write_article, open_case, resolved_case, still_search_clock
):
    for number in range(6):
        write_article(title=f"FSU 离线 {number}", symptom="FSU 离线。")
    arguments = {"user": field_engineer, "title": "FSU 离线", "description": "离线告警"}
    suggest(**arguments)  # the case index and the dictionary are brought up to date once

    with CaptureQueriesContext(connection) as for_one:
        one = suggest(**arguments, limit=1)
    with CaptureQueriesContext(connection) as for_five:
        five = suggest(**arguments)

    assert (len(one.articles), len(five.articles), len(five.cases)) == (1, 5, 1)
    assert len(for_five) == len(for_one)


# --- the side panel ------------------------------------------------------------------------


def test_the_panel_lists_articles_and_cases_that_open_in_a_new_tab(
    client, field_engineer, offline_article, resolved_case
):
    client.force_login(field_engineer)

    response = client.get(
        "/knowledge/suggestions/",
        {"title": "FSU 离线", "description": "", "product": ""},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/knowledge/{offline_article.pk}/" target="_blank"' in html
    assert f'href="/cases/{resolved_case.pk}/" target="_blank"' in html
    assert "<mark>离线</mark>" in html
    assert "<html" not in html  # a fragment, not a page


def test_the_panel_without_text_shows_a_hint(client, field_engineer, offline_article):
    client.force_login(field_engineer)

    response = client.get("/knowledge/suggestions/", {"title": "", "product": "abc"})

    assert response.status_code == 200
    assert b"data-suggestions-hint" in response.content
    assert b"data-article" not in response.content


def test_the_panel_escapes_what_was_typed(client, field_engineer, write_article):
    write_article(title="FSU script 离线", symptom="FSU <b>离线</b>")
    client.force_login(field_engineer)

    response = client.get("/knowledge/suggestions/", {"title": "<script>离线"})

    assert b"<script>" not in response.content
    assert b"&lt;b&gt;" in response.content


def test_the_new_case_page_refreshes_the_panel_from_the_fields(client, field_engineer):
    client.force_login(field_engineer)

    html = client.get("/cases/new/").content.decode()

    assert 'hx-get="/knowledge/suggestions/"' in html
    assert "from:#id_title" in html and "from:#id_description" in html
    assert 'hx-include="#id_title, #id_description, #id_product"' in html
    assert "onclick" not in html and "oninput" not in html


def test_the_panel_needs_a_signed_in_person(client):
    assert client.get("/knowledge/suggestions/", {"title": "FSU"}).status_code == 302


# --- the API -------------------------------------------------------------------------------


def test_the_api_returns_plain_snippets_and_links(
    client, field_engineer, offline_article, resolved_case
):
    client.force_login(field_engineer)

    response = client.get(
        "/api/v1/knowledge/suggestions", {"title": "FSU 离线", "description": "离线告警"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    article = body["articles"][0]
    assert article["id"] == offline_article.pk
    assert article["reference"] == offline_article.reference
    assert article["url"].endswith(f"/knowledge/{offline_article.pk}/")
    assert "<mark>" not in article["snippet"] and "离线" in article["snippet"]
    assert article["score"] > 0
    assert [case["id"] for case in body["cases"]] == [resolved_case.pk]
    assert body["cases"][0]["url"].endswith(f"/cases/{resolved_case.pk}/")


def test_the_api_answers_a_bad_limit_with_a_problem(client, field_engineer):
    client.force_login(field_engineer)

    response = client.get("/api/v1/knowledge/suggestions", {"title": "FSU", "limit": 0})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["status"] == 422


def test_the_api_needs_a_signed_in_caller(client):
    response = client.get("/api/v1/knowledge/suggestions", {"title": "FSU"})
    assert response.status_code == 401
