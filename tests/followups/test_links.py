"""The customer's answer link: signed, expiring, valid once, and answered without signing in."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import at
from tests.factories import ContactFactory
from tests.worker import run_queued_jobs
from tierdesk.cases.enums import Action, EventKind, Status
from tierdesk.followups import links, services
from tierdesk.followups.enums import AnsweredVia, FollowUpState, Satisfaction


def test_the_customer_answers_once_through_the_link(follow_up, regional_support):
    token = services.answer_token(follow_up, now=at(hours=2))

    services.answer_by_link(
        token, satisfaction=Satisfaction.SATISFIED, comment="谢谢", now=at(days=1)
    )

    follow_up.refresh_from_db()
    case = follow_up.case
    case.refresh_from_db()
    assert follow_up.state == FollowUpState.SATISFIED
    assert follow_up.answered_via == AnsweredVia.LINK
    assert not follow_up.attempts.exists()
    assert case.status == Status.CLOSED
    answer = case.events.filter(kind=EventKind.FOLLOW_UP).order_by("id").last()
    assert answer.actor.is_service_account
    assert "谢谢" in answer.text
    close = case.events.filter(kind=EventKind.TRANSITION).order_by("id").last()
    # The workflow lets only regional support close: the accountable assignee does it for the
    # customer, and the history says the answer came through the link.
    assert close.action == Action.CLOSE
    assert close.actor == regional_support
    assert close.text == answer.text

    with pytest.raises(services.AlreadyAnswered):
        services.answer_by_link(
            token, satisfaction=Satisfaction.VERY_DISSATISFIED, comment="再试", now=at(days=1)
        )
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_an_unsatisfied_answer_through_the_link_reopens_the_case(follow_up):
    token = services.answer_token(follow_up, now=at(hours=2))
    services.answer_by_link(
        token, satisfaction=Satisfaction.DISSATISFIED, comment="设备又离线了", now=at(days=1)
    )
    follow_up.case.refresh_from_db()
    assert follow_up.case.status == Status.FIELD
    reopen = follow_up.case.events.filter(kind=EventKind.TRANSITION).order_by("id").last()
    assert reopen.action == Action.REOPEN
    assert "设备又离线了" in reopen.text


def test_an_expired_link_is_refused(follow_up):
    assert follow_up.link_valid_days == 7
    token = services.answer_token(follow_up, now=at(hours=2))
    assert services.follow_up_for_token(token, now=at(days=7)) == follow_up
    with pytest.raises(links.ExpiredLink):
        services.answer_by_link(token, satisfaction=Satisfaction.SATISFIED, now=at(days=7, hours=3))
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token.replace(token.split(":")[0], str(int(token.split(":")[0]) + 1), 1),
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "garbage",
    ],
    ids=["other follow-up", "changed signature", "not a token"],
)
def test_a_tampered_link_is_refused(follow_up, resolve, tamper):
    resolve()  # a second follow-up the changed id could name
    token = tamper(services.answer_token(follow_up, now=at(hours=2)))
    with pytest.raises(links.InvalidLink):
        services.answer_by_link(token, satisfaction=Satisfaction.SATISFIED, now=at(days=1))


# The page --------------------------------------------------------------------------------------


def page(token: str) -> str:
    return reverse("followups:answer", kwargs={"token": token})


def test_the_page_speaks_chinese_and_offers_the_five_levels_without_signing_in(client, follow_up):
    token = services.answer_token(follow_up, now=timezone.now())
    response = client.get(page(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    for level in Satisfaction.values:
        assert f'value="{level}"' in html
    assert follow_up.case.reference in html


def test_the_page_records_the_answer_then_says_already_answered(client, follow_up):
    token = services.answer_token(follow_up, now=timezone.now())
    client.cookies["django_language"] = "en"
    response = client.post(page(token), {"satisfaction": "satisfied", "comment": "很好"})
    assert response.status_code == 200
    assert b"Thank you for your answer" in response.content
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.SATISFIED

    again = client.get(page(token))
    assert b"Already answered" in again.content
    resent = client.post(page(token), {"satisfaction": "dissatisfied", "comment": "x"})
    assert b"Already answered" in resent.content
    follow_up.refresh_from_db()
    assert follow_up.satisfaction == Satisfaction.SATISFIED


def test_the_page_asks_for_a_comment_when_dissatisfied(client, follow_up):
    token = services.answer_token(follow_up, now=timezone.now())
    response = client.post(page(token), {"satisfaction": "dissatisfied", "comment": ""})
    assert response.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN


def test_the_page_refuses_expired_and_tampered_links(client, follow_up):
    client.cookies["django_language"] = "en"
    old = services.answer_token(follow_up, now=timezone.now() - timedelta(days=8))
    expired = client.get(page(old))
    assert expired.status_code == 410
    assert b"This link has expired" in expired.content

    fresh = services.answer_token(follow_up, now=timezone.now())
    forged = client.post(page(fresh + "x"), {"satisfaction": "satisfied"})
    assert forged.status_code == 404
    assert b"This link is not valid" in forged.content
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN


def test_the_link_is_mailed_in_chinese_to_the_case_contact(
    client, open_case, field_engineer, regional_support, resolve, customer, mailoutbox
):
    contact = ContactFactory(customer=customer, name="周经理", email="zhou@customer.example")
    follow_up = resolve(open_case(field_engineer, contact=contact))
    client.force_login(regional_support)

    response = client.post(reverse("followups:mail_link", args=[follow_up.pk]))

    assert response.status_code == 302
    assert mailoutbox == []  # the page only queued it
    run_queued_jobs()
    [message] = mailoutbox
    assert message.to == ["zhou@customer.example"]
    assert follow_up.case.reference in message.subject
    link = re.search(r"https?://\S+/follow-ups/answer/\S+/", message.body).group(0)
    assert "周经理" in message.body
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    answered = client.post(path, {"satisfaction": "satisfied"})
    assert answered.status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.SATISFIED
    mailed = follow_up.case.events.filter(kind=EventKind.FOLLOW_UP, text__contains="zhou@")
    assert mailed.count() == 1


def test_without_a_contact_address_nothing_is_mailed(follow_up, regional_support, mailoutbox):
    with pytest.raises(ValidationError):
        services.mail_answer_link(follow_up, by=regional_support, now=at(hours=2))
    assert mailoutbox == []
