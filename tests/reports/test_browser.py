"""Regional support reads a kept report and has it built again, in real headless Chromium."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import signed_in
from tests.reports.conftest import march

# serialized_rollback: live-server tests flush the database; bring back the roles and SLA
# targets that migrations seed, for the tests that run after them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_kept_report_says_when_it_was_built_and_is_built_again_on_request(
    browser: Browser, live_server, regional_support, east_march, make_case
):
    page = signed_in(browser, live_server, "bob")
    page.goto(f"{live_server.url}/reports/east/2026-03/")
    opened = page.locator("[data-figure=opened]")
    expect(opened).to_have_text("4")
    expect(page.locator("[data-section=built]")).to_contain_text("数据截至")
    expect(page.locator("[data-chart] svg")).to_have_count(4)

    make_case(opened_at=march(20))
    page.reload()
    expect(opened).to_have_text("4")

    page.get_by_role("button", name="立即重新统计").click()
    expect(page.locator(".alert-success")).to_contain_text("报表已按当前问题单重新统计")
    expect(opened).to_have_text("5")
