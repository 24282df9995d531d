"""/api/v1/webhooks: subscriptions and delivery logs for administrators and service managers."""

import json

import pytest

from tests.cases.conftest import at
from tierdesk.notifications.fanout import fan_out
from tierdesk.webhooks.models import DeliveryState, EventType, WebhookSubscription

API = "/api/v1/webhooks"
PROBLEM = "application/problem+json"


def send(client, method, url, body=None):
    return getattr(client, method)(
        API + url, json.dumps(body) if body is not None else None, content_type="application/json"
    )


@pytest.fixture
def api(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def test_a_service_manager_manages_a_webhook_through_the_api(api, service_manager):
    client = api(service_manager)

    created = send(
        client,
        "post",
        "",
        {
            "name": "NMS",
            "target_url": "https://nms.example.com/hooks",
            "event_types": ["case.resolved", "case.created"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    subscription = WebhookSubscription.objects.get()
    assert body["secret"] == subscription.secret
    assert body["event_types"] == ["case.created", "case.resolved"]
    assert body["active"] is True and body["created_by"] == "mike"

    shown = client.get(f"{API}/{subscription.pk}").json()
    assert "secret" not in shown
    listed = client.get(API).json()
    assert [item["name"] for item in listed["items"]] == ["NMS"]
    assert all("secret" not in item for item in listed["items"])

    changed = send(
        client,
        "patch",
        f"/{subscription.pk}",
        {"name": "NMS east", "event_types": ["case.breached"]},
    )
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["event_types"]) == (
        "NMS east",
        ["case.breached"],
    )

    rotated = client.post(f"{API}/{subscription.pk}/secret").json()["secret"]
    assert rotated != body["secret"]

    assert client.delete(f"{API}/{subscription.pk}").status_code == 204
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.secret == rotated


def test_the_delivery_log_and_redelivery_through_the_api(
    api, administrator, subscribe, open_case, field_engineer
):
    subscription = subscribe("https://nms.example.com/hooks")
    open_case(field_engineer)
    fan_out(now=at())
    delivery = subscription.deliveries.get()
    delivery.state = DeliveryState.FAILED
    delivery.save()
    client = api(administrator)

    page = client.get(f"{API}/{subscription.pk}/deliveries?state=failed").json()
    assert [item["id"] for item in page["items"]] == [delivery.pk]
    assert page["items"][0]["event_type"] == EventType.CREATED
    assert page["items"][0]["case_reference"] == delivery.case_reference
    assert page["next_cursor"] is None

    again = client.post(f"{API}/{subscription.pk}/deliveries/{delivery.pk}/redeliver")
    assert again.status_code == 202
    assert again.json()["state"] == DeliveryState.PENDING

    refused = client.post(f"{API}/{subscription.pk}/deliveries/{delivery.pk}/redeliver")
    assert refused.status_code == 422
    assert refused["Content-Type"] == PROBLEM

    ping = client.post(f"{API}/{subscription.pk}/ping")
    assert ping.status_code == 202 and ping.json()["event_type"] == "ping"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target_url", "ftp://nms.example.com/hooks"),
        ("target_url", "javascript:alert(1)"),
        ("event_types", ["case.commented"]),
        ("event_types", []),
    ],
)
def test_invalid_webhooks_are_refused_with_a_problem_document(api, administrator, field, value):
    body = {
        "name": "NMS",
        "target_url": "https://nms.example.com/hooks",
        "event_types": ["case.created"],
    }
    body[field] = value

    response = send(api(administrator), "post", "", body)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["field"].startswith(field)
    assert not WebhookSubscription.objects.exists()


def test_a_ping_cannot_be_subscribed_to(api, administrator):
    body = {"name": "NMS", "target_url": "https://nms.example.com/hooks", "event_types": ["ping"]}

    assert send(api(administrator), "post", "", body).status_code == 422


def test_engineers_get_a_problem_document_instead_of_webhooks(
    api, field_engineer, line2_engineer, subscribe
):
    subscription = subscribe("https://nms.example.com/hooks")
    for person in (field_engineer, line2_engineer):
        client = api(person)
        for response in (
            client.get(API),
            client.get(f"{API}/{subscription.pk}"),
            client.get(f"{API}/{subscription.pk}/deliveries"),
            send(
                client,
                "post",
                "",
                {
                    "name": "x",
                    "target_url": "https://x.example.com",
                    "event_types": ["case.created"],
                },
            ),
            client.delete(f"{API}/{subscription.pk}"),
        ):
            assert response.status_code == 403
            assert response["Content-Type"] == PROBLEM
    subscription.refresh_from_db()
    assert subscription.is_active and WebhookSubscription.objects.count() == 1


def test_an_unknown_webhook_is_not_found(api, administrator):
    response = api(administrator).get(f"{API}/999")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
