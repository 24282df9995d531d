"""A field engineer types a new case and the article about the fault appears beside the form,
in real Chromium, without the typed text or the focus being disturbed."""

import pytest
from playwright.sync_api import Browser, expect

from tests.knowledge.test_browser import signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_article_about_the_typed_fault_appears_beside_the_new_case_form(
    browser: Browser, live_server, write_article, field_engineer, own_product
):
    article = write_article(
        title="FSU 频繁离线",
        symptom="FSU 每天离线多次，平台收到离线告警。",
        solution="更换 4G 模块天线，升级固件到 V2.3。",
        product=own_product,
    )
    alice = signed_in(browser, live_server, "alice")
    alice.goto(f"{live_server.url}/cases/new/")
    panel = alice.locator("#case-suggestions")
    expect(panel.locator("[data-suggestions-hint]")).to_be_visible()

    title = alice.locator("#id_title")
    title.press_sequentially("FSU 掉线", delay=30)

    hit = panel.locator(f"[data-article='{article.pk}']")
    expect(hit).to_be_visible()
    expect(hit.locator("mark", has_text="离线").first).to_be_visible()
    expect(hit.locator("a")).to_have_attribute("target", "_blank")
    expect(title).to_have_value("FSU 掉线")
    expect(title).to_be_focused()

    # Typing on goes on where it was; the panel follows the new words.
    title.press_sequentially(" 三次", delay=30)
    expect(title).to_have_value("FSU 掉线 三次")
    expect(title).to_be_focused()
    expect(hit).to_be_visible()
