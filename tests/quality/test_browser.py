"""A quality feedback form from a case to the verified fix, by the region and R&D, in real
Chromium; the case page shows the form's state along the way."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import signed_in
from tierdesk.quality.enums import State
from tierdesk.quality.models import QualityFeedback

# serialized_rollback: live-server tests flush the database; bring back the seeded rows.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def take_step(page: Page, action: str, **fields: str) -> None:
    form = page.locator(f"[data-step-form={action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()


def expect_state(page: Page, state: State) -> None:
    expect(page.locator("h1 + [data-state]")).to_have_attribute("data-state", state)


def test_a_form_goes_from_a_case_to_the_verified_fix(
    browser: Browser, live_server, case, regional_support, rd_engineer
):
    # Bob, regional support, raises the form from the case page; it comes prefilled and linked.
    bob = signed_in(browser, live_server, "bob")
    bob.goto(f"{live_server.url}/cases/{case.pk}/")
    bob.locator("[data-action=raise-quality-feedback]").click()
    expect(bob.locator("input[name=case_references]")).to_have_value(case.reference)
    bob.locator("input[name=version_or_batch]").fill("V3.2 / 批次 20260115")
    bob.locator("select[name=frequency]").select_option("frequent")
    bob.locator("select[name=impact]").select_option("batch")
    bob.locator("[data-form=feedback] button[type=submit]").click()
    expect_state(bob, State.DRAFT)
    feedback = QualityFeedback.objects.get()
    url = f"{live_server.url}/quality/{feedback.pk}/"
    take_step(bob, "submit")
    expect_state(bob, State.SUBMITTED)

    # Dave, R&D test support, acknowledges, analyses and hands the fix over.
    dave = signed_in(browser, live_server, "dave")
    dave.goto(url)
    take_step(dave, "acknowledge")
    take_step(dave, "analyse", root_cause="电容批次不良", fix="更换电容", fix_version="V3.2.5")
    expect(dave.locator("[data-field=fix_version]")).to_have_text("V3.2.5")
    take_step(dave, "release")
    expect_state(dave, State.VERIFYING)

    # Bob sees the state on the case page and confirms the fix in the field.
    bob.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(bob.locator(f"[data-feedback='{feedback.serial}'] [data-state]")).to_have_attribute(
        "data-state", State.VERIFYING
    )
    bob.goto(url)
    take_step(bob, "confirm", note="升级后一周无掉电。")
    expect_state(bob, State.CLOSED)
