"""Markup typed into any text field comes back escaped on every page that shows it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cases.conftest import FIXED, at
from tests.factories import ContactFactory, CustomerFactory, ProductFactory, SiteFactory
from tierdesk.api import tokens
from tierdesk.cases import attachments, problems, workflow
from tierdesk.cases.enums import Action, Channel, Priority, Source
from tierdesk.followups import services as follow_ups
from tierdesk.followups.models import FollowUp
from tierdesk.mailin import services as mailin
from tierdesk.notifications import fanout
from tierdesk.onsite import workflow as onsite
from tierdesk.webhooks import services as webhooks
from tierdesk.webhooks.models import SUBSCRIBABLE_EVENT_TYPES

ATTACK = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
RAW = ["<script>alert(", "<img src=x"]
ESCAPED = "&lt;script&gt;alert("


def marked(label: str) -> str:
    return f"{label} {ATTACK}"


@pytest.fixture
def everything(
    field_engineer, regional_support, line2_engineer, service_manager, administrator, east, settings
):
    """One of every record a person writes text into, each carrying markup."""
    customer = CustomerFactory(name=marked("客户"))
    site = SiteFactory(customer=customer, name=marked("机房"), region=east)
    product = ProductFactory(name=marked("产品"))
    case = workflow.open_case(
        by=regional_support,
        now=FIXED,
        title=marked("标题"),
        description=marked("描述"),
        customer=customer,
        site=site,
        contact=ContactFactory(customer=customer, name=marked("联系人")),
        product=product,
        source=Source.CUSTOMER,
        channel=Channel.FIELD,
        priority=Priority.P3,
    )
    workflow.comment(case, by=regional_support, text=marked("内部备注"), internal=True, now=at(1))
    workflow.comment(case, by=regional_support, text=marked("公开备注"), internal=False, now=at(1))
    attachments.add_attachment(
        case,
        by=regional_support,
        upload=SimpleUploadedFile(marked("log") + ".txt", b"plain log\n"),
        internal=False,
        now=at(1, 1),
    )
    application = onsite.create_application(
        case=case,
        by=regional_support,
        now=at(2),
        project=marked("项目"),
        measures_taken=marked("已采取措施"),
        fault_description=marked("故障描述"),
        skills_needed=marked("技能"),
        site_address=marked("地址"),
        site_contact=marked("现场联系人"),
    )
    problem = problems.open_problem(
        by=service_manager,
        title=marked("问题"),
        now=at(3),
        description=marked("问题描述"),
        root_cause=marked("根因"),
        workaround=marked("规避"),
    )
    workflow.perform(
        case, action=Action.RESOLVE, by=regional_support, now=at(4), text=marked("解决方案")
    )
    fanout.fan_out(now=at(4))
    follow_up = FollowUp.objects.get(case=case)
    follow_ups.record_attempt(
        follow_up, by=follow_up.assignee, reached=False, note=marked("回访记录"), now=at(5)
    )
    subscription = webhooks.create_subscription(
        by=administrator,
        name=marked("回调"),
        target_url="https://hooks.example.com/tierdesk",
        event_types=[t.value for t in SUBSCRIBABLE_EVENT_TYPES],
        now=at(5),
    )
    tokens.create_token(user=administrator, name=marked("令牌"), now=at(5))
    settings.MAILIN_ADDRESS = "support@tierdesk.localhost"
    mail = (
        "From: stranger@unknown.example\r\nTo: support@tierdesk.localhost\r\n"
        f"Subject: {marked('来信')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{marked('正文')}\r\n"
    ).encode()
    received = mailin.receive(mail, mailbox="test", now=at(6))
    return {
        "case": case,
        "application": application,
        "problem": problem,
        "follow_up": follow_up,
        "subscription": subscription,
        "message": received.message,
    }


def pages(records):
    return [
        ("cases:queue", [], {"view": "all"}),
        ("cases:detail", [records["case"].pk], {}),
        ("cases:problems", [], {}),
        ("cases:problem", [records["problem"].pk], {}),
        ("onsite:applications", [], {}),
        ("onsite:detail", [records["application"].pk], {}),
        ("followups:follow_ups", [], {"view": "all"}),
        ("followups:detail", [records["follow_up"].pk], {}),
        ("webhooks:subscriptions", [], {}),
        ("webhooks:detail", [records["subscription"].pk], {}),
        ("api_tokens:list", [], {}),
        ("mailin:triage", [], {}),
        ("mailin:message", [records["message"].pk], {}),
        ("audit:changes", [], {}),
    ]


def test_markup_in_every_text_field_is_shown_escaped_on_every_page(
    client, everything, administrator
):
    client.force_login(administrator)
    for name, args, query in pages(everything):
        response = client.get(reverse(name, args=args), query)
        assert response.status_code == 200, name
        text = response.text
        assert ESCAPED in text, f"{name} does not show the marked text"
        for raw in RAW:
            assert raw not in text, f"{name} renders {raw!r} unescaped"
