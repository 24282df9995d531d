"""One case from the field to R&D and back to resolution, by four people, in real Chromium."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import signed_in
from tests.factories import PASSWORD
from tierdesk.cases.enums import Action, Classification, Status
from tierdesk.cases.models import Case

# serialized_rollback: live-server tests flush the database; bring back the roles and SLA
# targets that migrations seed, for the tests that run after them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def take_action(page: Page, action: Action, text: str, **choices: str) -> None:
    form = page.locator(f"[data-action-form={action}]")
    form.locator("[data-open-form]").click()  # the page shows a button; the form comes on demand
    for name, value in choices.items():
        form.locator(f"select[name={name}]").select_option(value)
    form.locator("textarea[name=text]").fill(text)
    form.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_case_goes_from_the_field_to_rd_and_back_to_resolution(
    browser: Browser,
    live_server,
    customer,
    east_site,
    own_product,
    field_engineer,
    regional_support,
    line2_engineer,
    rd_engineer,
):
    # Alice, a field engineer, cannot fix the FSU on site and opens the case.
    alice = signed_in(browser, live_server, "alice")
    alice.get_by_role("link", name="新建问题单").first.click()
    alice.locator("input[name=title]").fill("FSU 频繁离线")
    alice.locator("textarea[name=description]").fill("FSU 每天离线三次，重启后恢复。")
    alice.locator("select[name=customer]").select_option(str(customer.pk))
    alice.locator("select[name=site]").select_option(str(east_site.pk))
    alice.locator("select[name=product]").select_option(str(own_product.pk))
    alice.locator("select[name=source]").select_option("customer")
    alice.locator("select[name=channel]").select_option("field")
    alice.locator("select[name=priority]").select_option("P3")
    alice.get_by_role("button", name="提交问题单").click()
    expect(alice.locator("[data-status]")).to_have_attribute("data-status", Status.FIELD)
    case = Case.objects.get(title="FSU 频繁离线")
    case_url = f"{live_server.url}/cases/{case.pk}/"
    take_action(alice, Action.ESCALATE, "供电、网线正常，重装后仍离线。")
    expect(alice.locator("[data-status]")).to_have_attribute("data-status", Status.REGIONAL)

    # Bob, regional support, checks the configuration and escalates to Engineering Service.
    bob = signed_in(browser, live_server, "bob")
    bob.goto(case_url)
    take_action(bob, Action.ESCALATE, "配置与现网一致，怀疑固件问题。")
    expect(bob.locator("[data-status]")).to_have_attribute("data-status", Status.LINE2)
    expect(bob.locator("[data-action-form]")).to_have_count(0)

    # Carol, line 2, takes it, classifies it as a product defect and hands it to R&D.
    carol = signed_in(browser, live_server, "carol")
    carol.goto(case_url)
    carol.locator("[data-form=assign]").get_by_role("button", name="由我处理").click()
    expect(carol.locator("[data-owner]")).to_contain_text(str(line2_engineer))
    take_action(
        carol,
        Action.TRANSFER_RD,
        "固件 1.1 看门狗未喂狗，可复现。",
        classification=Classification.PRODUCT_DEFECT,
    )
    expect(carol.locator("[data-status]")).to_have_attribute("data-status", Status.RD)

    # Dave, R&D test support, finds the fix and hands the case back to line 2.
    dave = signed_in(browser, live_server, "dave")
    dave.goto(case_url)
    take_action(dave, Action.HAND_BACK, "已在固件 1.2 修复，请升级。")
    expect(dave.locator("[data-status]")).to_have_attribute("data-status", Status.LINE2)

    # Back with Carol, who stays accountable, and resolves it.
    carol.goto(case_url)
    expect(carol.locator("[data-owner]")).to_contain_text(str(line2_engineer))
    take_action(carol, Action.RESOLVE, "远程升级到固件 1.2，观察 24 小时无离线。")
    expect(carol.locator("[data-status]")).to_have_attribute("data-status", Status.RESOLVED)

    # The timeline tells who did what, in order.
    moves = carol.locator("[data-kind=transition]")
    expect(moves).to_have_count(5)
    expected = [
        (Action.ESCALATE, field_engineer),
        (Action.ESCALATE, regional_support),
        (Action.TRANSFER_RD, line2_engineer),
        (Action.HAND_BACK, rd_engineer),
        (Action.RESOLVE, line2_engineer),
    ]
    for index, (action, person) in enumerate(expected):
        expect(moves.nth(index)).to_have_attribute("data-action", action)
        expect(moves.nth(index)).to_contain_text(str(person))
    expect(moves.nth(3)).to_contain_text("已在固件 1.2 修复")


def test_an_action_form_opens_in_place_and_also_works_without_javascript(
    browser: Browser, live_server, open_case, field_engineer
):
    case = open_case(field_engineer)
    case_url = f"{live_server.url}/cases/{case.pk}/"

    # With JavaScript the form replaces its button, on the same page.
    alice = signed_in(browser, live_server, "alice")
    alice.goto(case_url)
    section = alice.locator("[data-action-form=escalate]")
    expect(section.locator("textarea[name=text]")).to_have_count(0)
    section.locator("[data-open-form]").click()
    expect(section.locator("textarea[name=text]")).to_be_visible()
    assert alice.url == case_url

    # Without it the button is a link to a page holding just that form.
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{live_server.url}/accounts/login/")
    plain.get_by_label("用户名").fill("alice")
    plain.get_by_label("密码").fill(PASSWORD)
    plain.get_by_role("button", name="登录").click()
    plain.goto(case_url)
    plain.locator("[data-action-form=escalate] [data-open-form]").click()
    expect(plain).to_have_url(f"{case_url}forms/act_escalate/")
    plain.locator("textarea[name=text]").fill("供电正常，仍离线。")
    plain.locator("[data-action-form=escalate] button[type=submit]").click()
    expect(plain.locator("[data-status]")).to_have_attribute("data-status", Status.REGIONAL)
