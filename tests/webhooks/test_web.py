"""The webhook pages: who may open them, the secret shown once, the log and its actions."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import at
from tests.webhooks.receiver import dead_url
from tierdesk.notifications.fanout import fan_out
from tierdesk.webhooks.delivery import deliver_due
from tierdesk.webhooks.models import DeliveryState, EventType, WebhookSubscription


@pytest.fixture
def failed_delivery(subscribe, open_case, field_engineer, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    subscription = subscribe(dead_url())
    open_case(field_engineer)
    fan_out(now=at())
    deliver_due(now=at(minutes=1))
    delivery = subscription.deliveries.get()
    assert delivery.state == DeliveryState.FAILED
    return delivery


@pytest.mark.parametrize("persona", ["field_engineer", "line2_engineer", "supervisor"])
def test_people_who_do_not_manage_webhooks_are_refused_everywhere(
    request, persona, browse, subscribe, failed_delivery
):
    client = browse(request.getfixturevalue(persona))
    subscription = failed_delivery.subscription
    pages = [
        reverse("webhooks:subscriptions"),
        reverse("webhooks:new"),
        reverse("webhooks:detail", args=[subscription.pk]),
        reverse("webhooks:edit", args=[subscription.pk]),
        reverse("webhooks:delivery", args=[subscription.pk, failed_delivery.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 403, page
    actions = [
        reverse("webhooks:ping", args=[subscription.pk]),
        reverse("webhooks:set_active", args=[subscription.pk]),
        reverse("webhooks:rotate_secret", args=[subscription.pk]),
        reverse("webhooks:redeliver", args=[subscription.pk, failed_delivery.pk]),
    ]
    for action in actions:
        assert client.post(action).status_code == 403, action

    assert "Webhooks" not in client.get(reverse("home")).content.decode()
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == DeliveryState.FAILED
    assert subscription.deliveries.count() == 1


def test_service_manager_creates_a_webhook_and_sees_its_secret_only_once(browse, service_manager):
    client = browse(service_manager)
    assert "Webhooks" in client.get(reverse("home")).content.decode()
    form = client.get(reverse("webhooks:new")).content.decode()
    assert 'value="case.escalated"' in form and 'value="ping"' not in form

    response = client.post(
        reverse("webhooks:new"),
        {
            "name": "NMS alarms",
            "target_url": "https://nms.example.com/hooks/tierdesk",
            "event_types": [EventType.ESCALATED, EventType.BREACHED],
        },
        follow=True,
    )

    subscription = WebhookSubscription.objects.get()
    assert response.redirect_chain[-1][0] == reverse("webhooks:detail", args=[subscription.pk])
    page = response.content.decode()
    assert subscription.secret in page
    assert "copy it now" in page
    assert subscription.event_types == [EventType.ESCALATED, EventType.BREACHED]
    assert subscription.created_by == service_manager and subscription.is_active

    again = client.get(reverse("webhooks:detail", args=[subscription.pk])).content.decode()
    assert subscription.secret not in again
    listing = client.get(reverse("webhooks:subscriptions")).content.decode()
    assert "NMS alarms" in listing and subscription.secret not in listing


@pytest.mark.parametrize(
    "target_url", ["ftp://nms.example.com/hooks", "file:///etc/passwd", "not a url"]
)
def test_only_http_and_https_targets_are_accepted(browse, administrator, target_url):
    client = browse(administrator)

    response = client.post(
        reverse("webhooks:new"),
        {"name": "Odd", "target_url": target_url, "event_types": [EventType.CREATED]},
    )

    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_a_webhook_needs_at_least_one_event(browse, administrator):
    response = browse(administrator).post(
        reverse("webhooks:new"), {"name": "Quiet", "target_url": "https://example.com/h"}
    )

    assert response.status_code == 400
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_shows_each_try_and_a_failed_one_can_be_delivered_again(
    browse, service_manager, failed_delivery, receiver
):
    subscription = failed_delivery.subscription
    client = browse(service_manager)

    page = client.get(reverse("webhooks:detail", args=[subscription.pk])).content.decode()
    assert f'data-delivery="{failed_delivery.pk}" data-state="failed"' in page
    assert "Case created" in page and failed_delivery.case_reference in page
    assert "refused" in page.lower()
    assert "Deliver again" in page
    detail = client.get(
        reverse("webhooks:delivery", args=[subscription.pk, failed_delivery.pk])
    ).content.decode()
    assert "Refused or unreachable" in detail and failed_delivery.case_reference in detail

    # The receiver is fixed: point the webhook at it and send the delivery again.
    client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        {"name": subscription.name, "target_url": receiver.url, "event_types": ["case.created"]},
    )
    response = client.post(
        reverse("webhooks:redeliver", args=[subscription.pk, failed_delivery.pk]), follow=True
    )
    assert f"Delivery {failed_delivery.pk} queued again." in response.content.decode()
    assert receiver.connections == 0  # queued for the worker, not sent by the request

    deliver_due(now=timezone.now())  # the page queued it at the real clock's time

    failed_delivery.refresh_from_db()
    assert failed_delivery.state == DeliveryState.DELIVERED
    assert failed_delivery.attempt_log.count() == 2  # the old failure stays in the log
    page = client.get(reverse("webhooks:detail", args=[subscription.pk])).content.decode()
    assert f'data-delivery="{failed_delivery.pk}" data-state="delivered"' in page


def test_a_delivered_delivery_cannot_be_sent_again(
    browse, administrator, subscribe, open_case, field_engineer, receiver
):
    subscription = subscribe(receiver.url)
    open_case(field_engineer)
    fan_out(now=at())
    deliver_due(now=at(minutes=1))
    delivery = subscription.deliveries.get()

    response = browse(administrator).post(
        reverse("webhooks:redeliver", args=[subscription.pk, delivery.pk]), follow=True
    )

    assert "Only a failed delivery can be sent again." in response.content.decode()
    assert len(receiver.requests) == 1


def test_send_test_ping_queues_a_signed_ping_for_the_worker(
    browse, administrator, subscribe, receiver
):
    subscription = subscribe(receiver.url)

    response = browse(administrator).post(
        reverse("webhooks:ping", args=[subscription.pk]), follow=True
    )

    assert "Test ping queued" in response.content.decode()
    ping = subscription.deliveries.get()
    assert (ping.event_type, ping.state) == (EventType.PING, DeliveryState.PENDING)
    assert receiver.connections == 0


def test_editing_and_deactivating_a_webhook(browse, service_manager, subscribe):
    subscription = subscribe("https://old.example.com/hook")
    secret = subscription.secret
    client = browse(service_manager)

    client.post(
        reverse("webhooks:edit", args=[subscription.pk]),
        {
            "name": "CRM",
            "target_url": "https://crm.example.com/hook",
            "event_types": [EventType.RESOLVED],
        },
    )
    response = client.post(
        reverse("webhooks:set_active", args=[subscription.pk]), {"active": "0"}, follow=True
    )

    subscription.refresh_from_db()
    assert (subscription.name, subscription.target_url) == ("CRM", "https://crm.example.com/hook")
    assert subscription.event_types == [EventType.RESOLVED]
    assert subscription.secret == secret
    assert not subscription.is_active
    assert "nothing more is sent to it" in response.content.decode()
    assert "Send test ping" not in response.content.decode()


def test_generating_a_new_secret_shows_it_once(browse, administrator, subscribe):
    subscription = subscribe("https://nms.example.com/hook")
    old = subscription.secret

    response = browse(administrator).post(
        reverse("webhooks:rotate_secret", args=[subscription.pk]), follow=True
    )

    subscription.refresh_from_db()
    assert subscription.secret != old
    assert subscription.secret in response.content.decode()


def test_the_admin_shows_deliveries_read_only(client, administrator, failed_delivery):
    client.force_login(administrator)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    listing = client.get(reverse("admin:webhooks_webhookdelivery_changelist"))
    page = client.get(
        reverse("admin:webhooks_webhookdelivery_change", args=[failed_delivery.pk])
    ).content.decode()

    assert listing.status_code == 200
    assert "Save" not in page and "refused" in page.lower()
    assert client.get(reverse("admin:webhooks_webhookdelivery_add")).status_code == 403
    subscription_page = client.get(
        reverse("admin:webhooks_webhooksubscription_change", args=[failed_delivery.subscription_id])
    ).content.decode()
    assert failed_delivery.subscription.secret not in subscription_page
