"""An article written from a resolved case, published by line 2, and found by an engineer of
another region who describes the fault in other words - in real Chromium."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import signed_in
from tierdesk.knowledge.models import Article

# serialized_rollback: live-server tests flush the database; bring back the rows migrations
# seed (roles, SLA targets, the search dictionary) for the tests that run after them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_article_from_a_resolved_case_is_found_in_another_region_in_other_words(
    browser: Browser,
    live_server,
    resolved_case,
    regional_support,
    line2_engineer,
    north_field_engineer,
):
    # Bob, regional support in the east, writes up what solved the case.
    bob = signed_in(browser, live_server, "bob")
    bob.goto(f"{live_server.url}/cases/{resolved_case.pk}/")
    bob.locator("[data-knowledge-panel] a").click()
    expect(bob.locator("[data-source-case]")).to_contain_text(resolved_case.reference)
    expect(bob.locator("textarea[name=symptom]")).to_have_value(resolved_case.description)
    expect(bob.locator("textarea[name=solution]")).to_have_value(resolved_case.resolution)
    bob.locator("textarea[name=cause]").fill("4G 天线松动，信号弱导致 FSU 反复离线。")
    bob.locator("select[name=category]").select_option("network")
    bob.locator("[data-form=article] button[type=submit]").click()
    expect(bob.locator("[data-state]").first).to_have_attribute("data-state", "draft")
    bob.locator("[data-action-form=submit] button").click()
    expect(bob.locator("[data-state]").first).to_have_attribute("data-state", "in_review")
    article = Article.objects.get()

    # Carol, line 2, finds it in her review queue and publishes it.
    carol = signed_in(browser, live_server, "carol")
    carol.goto(f"{live_server.url}/knowledge/review/")
    carol.locator(f"[data-article='{article.pk}'] a").click()
    carol.locator("[data-action-form=approve] button").click()
    expect(carol.locator("[data-state]").first).to_have_attribute("data-state", "published")

    # Nora, a field engineer in the north, says 掉线 and 报警 where the article says 离线 告警.
    nora = signed_in(browser, live_server, "nora")
    nora.goto(f"{live_server.url}/knowledge/")
    nora.locator("input[name=q]").fill("FSU掉线报警")
    nora.locator("form[role=search] button[type=submit]").click()
    hit = nora.locator(f"[data-article='{article.pk}']")
    expect(hit).to_be_visible()
    expect(hit.locator("mark", has_text="离线").first).to_be_visible()
    expect(hit.locator("mark", has_text="告警").first).to_be_visible()
    hit.locator("a").click()
    expect(nora.locator("[data-field=solution]")).to_contain_text("更换 4G 模块天线")


def test_search_results_come_a_page_at_a_time(
    browser: Browser, live_server, write_article, regional_support
):
    for number in range(1, 26):
        write_article(title=f"FSU 离线 第{number}例", symptom=f"第{number}个站点的 FSU 离线。")
    bob = signed_in(browser, live_server, "bob")
    bob.goto(f"{live_server.url}/knowledge/")
    bob.get_by_label("关键词").fill("离线")
    bob.get_by_role("button", name="搜索").click()
    results = bob.locator("[data-results=articles] [data-article]")
    expect(results).to_have_count(20)

    bob.get_by_role("link", name="更多结果").click()
    expect(results).to_have_count(5)
    expect(bob.locator("[data-results=articles]")).to_have_attribute("start", "21")
    expect(bob.get_by_label("关键词")).to_have_value("离线")
    bob.get_by_role("link", name="上一页结果").click()
    expect(results).to_have_count(20)
