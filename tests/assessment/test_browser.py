"""A supervisor reviews the first quarter of 2026 and signs it off, in real Chromium."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import signed_in
from tierdesk.assessment.models import AssessmentComment, QuarterlyAssessment

# serialized_rollback: live-server tests flush the database; bring back the roles and SLA
# targets that migrations seed, for the tests that run after them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_supervisor_reviews_comments_and_signs_off_a_quarter(
    browser: Browser, live_server, q1_answers, supervisor, regional_support, line2_engineer
):
    sam = signed_in(browser, live_server, "sam")
    sam.locator("#main-menu a[href='/assessment/']").click()
    sam.locator("[data-quarter='2026-Q1'] a").click()
    expect(sam.locator("[data-state=open]")).to_be_visible()

    # Bob's Q1 figures: 4 surveyed, score (5 + 5 + 4 + 2) / 4.
    bob_row = sam.locator(f"[data-item=satisfaction] [data-person='{regional_support.pk}']")
    expect(bob_row.locator("[data-figure=surveyed]")).to_have_text("4")
    expect(bob_row.locator("[data-figure=score]")).to_have_text("4.00")

    bob_row.locator("input[name=text]").fill("回访及时，一次不满意已跟进。")
    bob_row.get_by_role("button").click()
    expect(sam.locator(".alert-success")).to_be_visible()
    carol_row = sam.locator(f"[data-item=knowledge] [data-person='{line2_engineer.pk}']")
    carol_row.locator("input[name=text]").fill("知识库上线后补录。")
    carol_row.get_by_role("button").click()
    expect(sam.locator(".alert-success")).to_be_visible()

    sam.locator("[data-form=sign-off] textarea[name=conclusion]").fill("一季度考核通过。")
    sam.locator("[data-form=sign-off] button[type=submit]").click()

    expect(sam.locator("[data-state=locked]")).to_be_visible()
    expect(sam.locator("[data-field=conclusion]")).to_have_text("一季度考核通过。")
    expect(sam.locator("[data-comment-form]")).to_have_count(0)
    expect(sam.locator("[data-form=sign-off]")).to_have_count(0)
    expect(bob_row.locator("[data-field=comment]")).to_have_text("回访及时，一次不满意已跟进。")

    assessment = QuarterlyAssessment.objects.get(year=2026, quarter=1)
    assert assessment.signed_off_by == supervisor and assessment.is_locked
    assert AssessmentComment.objects.filter(assessment=assessment).count() == 2

    # The list shows the quarter as signed off.
    sam.goto(f"{live_server.url}/assessment/")
    expect(sam.locator("[data-quarter='2026-Q1'] .badge")).to_have_class("badge text-bg-success")
    # Let the page finish loading before the live server stops.
    sam.wait_for_load_state("networkidle")
    sam.context.close()
