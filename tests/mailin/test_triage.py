"""The triage queue in the browser and the API: who may see it, convert a mail, or discard it."""

import json

import pytest
from django.urls import reverse

from tests.cases.conftest import FIXED
from tests.factories import SiteFactory
from tests.mailin.conftest import PNG, build_mail
from tierdesk.cases.enums import Channel, Source
from tierdesk.cases.models import Case
from tierdesk.mailin.models import InboundMessage, Reason, State
from tierdesk.mailin.services import receive

API = "/api/v1"


@pytest.fixture
def stranger_mail(contact, east_site, own_product):
    """A mail from an unknown sender, with HTML-looking text and a photo: waiting in triage."""
    raw = build_mail(
        sender="李总 <boss@new-customer.example>",
        subject="机房 FSU-3000 告警",
        body="<script>alert('x')</script> 南京一号机房 FSU-3000 告警",
        message_id="<stranger@new-customer.example>",
        attachments=[("告警截图.png", PNG, "image", "png")],
    )
    message = receive(raw, mailbox="test", now=FIXED).message
    assert message.state == State.TRIAGE
    return message


def convert_data(site, product, **overrides):
    return {
        "title": "机房 FSU-3000 告警",
        "description": "新客户来信：FSU-3000 告警。",
        "customer": site.customer_id,
        "site": site.pk,
        "product": product.pk,
        "priority": "P2",
        **overrides,
    }


def test_regional_support_sees_the_triage_queue_and_menu(browse, regional_support, stranger_mail):
    client = browse(regional_support)

    response = client.get(reverse("mailin:triage"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "机房 FSU-3000 告警" in page
    assert "boss@new-customer.example" in page
    assert 'href="/mail/triage/"' in page  # the menu entry


@pytest.mark.parametrize("persona", ["field_engineer", "rd_engineer", "vendor_contact"])
def test_others_may_not_open_the_triage_queue(browse, request, persona, stranger_mail):
    client = browse(request.getfixturevalue(persona))

    assert client.get(reverse("mailin:triage")).status_code == 403
    assert client.get(reverse("mailin:message", args=[stranger_mail.pk])).status_code == 403
    response = client.post(reverse("mailin:discard", args=[stranger_mail.pk]), {"reason": "spam"})
    assert response.status_code == 403
    stranger_mail.refresh_from_db()
    assert stranger_mail.state == State.TRIAGE


def test_mail_page_shows_text_escaped_never_as_html(browse, line2_engineer, stranger_mail):
    response = browse(line2_engineer).get(reverse("mailin:message", args=[stranger_mail.pk]))

    page = response.content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page
    assert "告警截图.png" in page
    # The form starts from what mail-in recognised.
    assert response.context["convert_form"]["title"].value() == "机房 FSU-3000 告警"


def test_line2_converts_a_mail_to_a_case_with_its_attachment(
    browse, line2_engineer, stranger_mail, east_site, own_product
):
    client = browse(line2_engineer)

    response = client.post(
        reverse("mailin:convert", args=[stranger_mail.pk]), convert_data(east_site, own_product)
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert (case.reporter, case.site, case.priority) == (line2_engineer, east_site, "P2")
    assert (case.source, case.channel) == (Source.CUSTOMER, Channel.EMAIL)
    assert case.attachments.get().original_name == "告警截图.png"
    stranger_mail.refresh_from_db()
    assert (stranger_mail.state, stranger_mail.reason, stranger_mail.case) == (
        State.CASE_OPENED,
        Reason.CONVERTED,
        case,
    )
    assert stranger_mail.handled_by == line2_engineer
    assert stranger_mail.handled_at is not None


def test_regional_support_cannot_convert_to_a_site_outside_the_region(
    browse, regional_support, stranger_mail, customer, north, own_product
):
    north_site = SiteFactory(customer=customer, name="北京二号机房", region=north)

    response = browse(regional_support).post(
        reverse("mailin:convert", args=[stranger_mail.pk]), convert_data(north_site, own_product)
    )

    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_discard_needs_a_reason_and_is_recorded(browse, regional_support, stranger_mail):
    client = browse(regional_support)
    url = reverse("mailin:discard", args=[stranger_mail.pk])

    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "广告邮件"})

    assert response.status_code == 302
    stranger_mail.refresh_from_db()
    assert (stranger_mail.state, stranger_mail.note) == (State.DISCARDED, "广告邮件")
    assert stranger_mail.handled_by == regional_support
    assert "机房 FSU-3000 告警" not in client.get(reverse("mailin:triage")).content.decode()


def test_a_handled_mail_cannot_be_handled_again(
    browse, line2_engineer, stranger_mail, east_site, own_product
):
    client = browse(line2_engineer)
    client.post(reverse("mailin:discard", args=[stranger_mail.pk]), {"reason": "spam"})

    response = client.post(
        reverse("mailin:convert", args=[stranger_mail.pk]), convert_data(east_site, own_product)
    )

    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_original_mail_is_a_download(browse, supervisor, stranger_mail):
    response = browse(supervisor).get(reverse("mailin:original", args=[stranger_mail.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"stranger@new-customer.example" in b"".join(response.streaming_content)


# --- API ---------------------------------------------------------------------------------------


def post(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")


def test_api_lists_triage_and_converts(
    client, line2_engineer, stranger_mail, east_site, own_product
):
    client.force_login(line2_engineer)

    listing = client.get(f"{API}/mail/triage").json()
    assert [m["id"] for m in listing["items"]] == [stranger_mail.pk]
    assert listing["items"][0]["reason"] == Reason.UNKNOWN_SENDER

    response = post(
        client,
        f"/mail/triage/{stranger_mail.pk}/convert",
        {
            "title": "FSU-3000 告警",
            "description": "来信",
            "customer_id": east_site.customer_id,
            "site_id": east_site.pk,
            "product_id": own_product.pk,
            "priority": "P3",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert (body["state"], body["case_id"], body["case_reference"]) == (
        State.CASE_OPENED,
        case.pk,
        case.reference,
    )
    assert body["handled_by"] == line2_engineer.username
    assert client.get(f"{API}/mail/triage").json()["items"] == []


def test_api_discard_and_errors_are_problem_json(
    client, field_engineer, line2_engineer, stranger_mail
):
    client.force_login(field_engineer)
    assert client.get(f"{API}/mail/triage").status_code == 403
    denied = post(client, f"/mail/triage/{stranger_mail.pk}/discard", {"reason": "spam"})
    assert denied.status_code == 403
    assert denied["Content-Type"] == "application/problem+json"

    client.force_login(line2_engineer)
    missing = post(
        client,
        f"/mail/triage/{stranger_mail.pk}/convert",
        {
            "title": "x",
            "description": "y",
            "customer_id": 999999,
            "site_id": 999999,
            "product_id": 999999,
            "priority": "P3",
        },
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {
        "customer_id",
        "site_id",
        "product_id",
    }

    done = post(client, f"/mail/triage/{stranger_mail.pk}/discard", {"reason": "spam"})
    assert done.status_code == 200
    assert done.json()["state"] == State.DISCARDED
    assert InboundMessage.objects.get().handled_by == line2_engineer
