"""What the tests that drive real headless Chromium share."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD


def signed_in(browser: Browser, live_server, username: str) -> Page:
    """A browser window of its own for each person, as on their own computers, signed in in
    Chinese."""
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # Signed in once the sign-in page is left (what the home page shows depends on the role).
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page
