"""The search page shows twenty results at a time, best first, with links to the next and the
previous twenty that keep the words and filters."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SEARCH = reverse("knowledge:search")


def listed(html: str, kind: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'data-{kind}="(\d+)"', html)]


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]*)" rel="{rel}"', html)
    # The links keep the page's own address and change its query.
    return SEARCH + found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def many_articles(write_article):
    return [
        write_article(title=f"FSU 离线 第{number}例", symptom=f"第{number}个站点的 FSU 离线。")
        for number in range(1, 26)
    ]


def test_articles_come_twenty_at_a_time_with_a_link_to_the_rest(
    browse, many_articles, north_field_engineer
):
    client = browse(north_field_engineer)
    first = client.get(SEARCH, {"q": "离线", "category": "other"}).content.decode()
    assert len(listed(first, "article")) == 20
    assert 'start="1"' in first and link(first, "prev") is None
    following = link(first, "next")
    assert "page=2" in following and "category=other" in following

    second = client.get(following).content.decode()
    assert len(listed(second, "article")) == 5
    assert 'start="21"' in second and link(second, "next") is None
    assert "page=1" in link(second, "prev")
    assert sorted(listed(first, "article") + listed(second, "article")) == sorted(
        article.pk for article in many_articles
    )


def test_the_latest_articles_without_words_are_paged_too(
    browse, many_articles, north_field_engineer
):
    client = browse(north_field_engineer)
    first = client.get(SEARCH).content.decode()
    second = client.get(link(first, "next")).content.decode()
    assert len(listed(first, "article")) == 20 and len(listed(second, "article")) == 5


@pytest.mark.parametrize("number", ["0", "-3", "two", ""])
def test_a_mangled_page_number_opens_the_first_page(
    browse, many_articles, north_field_engineer, number
):
    html = browse(north_field_engineer).get(SEARCH, {"q": "离线", "page": number}).content.decode()
    assert len(listed(html, "article")) == 20 and 'start="1"' in html


def test_a_page_past_the_results_says_there_are_no_more(
    browse, many_articles, north_field_engineer
):
    response = browse(north_field_engineer).get(SEARCH, {"q": "离线", "page": "999999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert listed(html, "article") == [] and "No further results." in html
    assert link(html, "prev") is not None


def test_cases_come_twenty_at_a_time(browse, open_case, field_engineer):
    cases = [open_case(field_engineer, title=f"摄像头掉线 {n}") for n in range(22)]
    client = browse(field_engineer)
    first = client.get(SEARCH, {"scope": "cases", "q": "掉线"}).content.decode()
    second = client.get(link(first, "next")).content.decode()
    assert "scope=cases" in link(first, "next")
    assert sorted(listed(first, "case") + listed(second, "case")) == sorted(c.pk for c in cases)
    assert len(listed(second, "case")) == 2
