"""An on-site application from draft to on-site report, by three people, in real Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser import signed_in
from tierdesk.cases.enums import EventKind
from tierdesk.onsite.enums import State
from tierdesk.onsite.models import OnsiteApplication

# serialized_rollback: live-server tests flush the database; bring back the roles and SLA
# targets that migrations seed, for the tests that run after them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def take_step(page: Page, action: str, **fields: str) -> None:
    """Fill the step's form (text, dates and choices by field name) and send it."""
    form = page.locator(f"[data-step-form={action}]")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()


def expect_state(page: Page, state: State) -> None:
    expect(page.locator("h1 + [data-state]")).to_have_attribute("data-state", state)


def test_an_application_goes_from_draft_to_on_site_report(
    browser: Browser, live_server, case, regional_support, service_manager, line2_engineer
):
    today = timezone.localdate()
    wished, start, end = (str(today + timedelta(days=n)) for n in (2, 2, 3))

    # Bob, regional support, asks Engineering Service to come on site from the case page.
    bob = signed_in(browser, live_server, "bob")
    bob.goto(f"{live_server.url}/cases/{case.pk}/")
    bob.locator("[data-action=apply-onsite]").click()
    expect(bob.locator("textarea[name=fault_description]")).to_have_value(case.description)
    bob.locator("input[name=project]").fill("江苏移动动环监控二期")
    bob.locator("textarea[name=measures_taken]").fill("已更换网线并重装配置，仍然离线。")
    bob.locator("select[name=urgency]").select_option("urgent")
    bob.locator("input[name=wished_date]").fill(wished)
    bob.locator("textarea[name=skills_needed]").fill("FSU 固件调试")
    bob.locator("[data-form=application] button[type=submit]").click()
    expect_state(bob, State.DRAFT)
    application = OnsiteApplication.objects.get()
    url = f"{live_server.url}/onsite/{application.pk}/"
    take_step(bob, "submit")
    expect_state(bob, State.SUBMITTED)
    expect(bob.locator("[data-step-form]")).to_have_count(1)  # only withdrawing is left to him

    # Mike, the Engineering Service manager, approves and dispatches Carol.
    mike = signed_in(browser, live_server, "mike")
    mike.goto(url)
    expect(mike.locator("[data-field=project]")).to_have_text("江苏移动动环监控二期")
    take_step(mike, "approve", reason="同意，派二线工程师。")
    expect_state(mike, State.APPROVED)
    take_step(
        mike,
        "dispatch",
        engineer=str(line2_engineer.pk),
        planned_start=start,
        planned_end=end,
    )
    expect_state(mike, State.DISPATCHED)
    expect(mike.locator("[data-field=engineer]")).to_have_text(str(line2_engineer))

    # Carol, the dispatched engineer, arrives and files the on-site report.
    carol = signed_in(browser, live_server, "carol")
    carol.goto(url)
    take_step(carol, "arrive")
    expect_state(carol, State.ON_SITE)
    take_step(
        carol,
        "report",
        findings="主控板电容鼓包，导致看门狗复位。",
        work_done="更换主控板，升级固件到 1.2。",
        result="resolved",
        customer_signoff_name="张经理",
    )
    expect_state(carol, State.REPORTED)
    expect(carol.locator("[data-field=customer_signoff_name]")).to_have_text("张经理")
    expect(carol.locator("[data-step]")).to_have_count(6)

    # Back on the case, Bob's timeline shows each step, in order, by the one who took it.
    bob.goto(f"{live_server.url}/cases/{case.pk}/")
    rows = bob.locator(f"[data-kind={EventKind.ONSITE}]")
    expect(rows).to_have_count(6)
    takers = [regional_support] * 2 + [service_manager] * 2 + [line2_engineer] * 2
    for index, person in enumerate(takers):
        expect(rows.nth(index)).to_contain_text(str(person))
        expect(rows.nth(index)).to_contain_text(application.serial)
    expect(bob.locator(f"[data-application='{application.serial}']")).to_be_visible()

    # And the printable form downloads under its serial number.
    with bob.expect_download() as download:
        bob.goto(url)
        bob.locator("[data-download=pdf]").click()
    assert download.value.suggested_filename == f"{application.serial}.pdf"
