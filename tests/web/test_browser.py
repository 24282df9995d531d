"""The shell in real headless Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

# serialized_rollback: live-server tests flush the database; bring back the roles and SLA
# targets that migrations seed, for the tests that run after them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_field_engineer_signs_in_and_switches_language(live_server, page: Page, field_engineer):
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")
    expect(page.locator("[data-role=field_engineer]")).to_contain_text("区域售后工程师")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("[data-role=field_engineer]")).to_contain_text(
        "Regional after-sales engineer"
    )
    expect(page.get_by_text("East China")).to_be_visible()


def test_menu_collapses_on_a_phone(live_server, page: Page, field_engineer):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    toggler = page.get_by_role("button", name="菜单")
    expect(toggler).to_be_visible()
    toggler.click()
    # Bootstrap animates the menu open; a click during the animation would land on nothing.
    expect(page.locator("#main-menu")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_role("button", name="退出")).to_be_hidden()
    page.locator("#user-menu").click()
    expect(page.locator("#user-menu")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
