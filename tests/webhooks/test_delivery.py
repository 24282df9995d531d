"""Delivery against a real HTTP receiver: signatures, retries with backoff, dead and slow
receivers, leases, and no HTTP at all while a person changes a case."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import at
from tests.webhooks.receiver import dead_url
from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import Case, CaseEvent, EventOutbox
from tierdesk.jobs.schedule import SCHEDULE
from tierdesk.notifications.fanout import fan_out
from tierdesk.webhooks import services
from tierdesk.webhooks.delivery import claim_due, deliver_due
from tierdesk.webhooks.models import DeliveryState, EventType, WebhookDelivery
from tierdesk.webhooks.tasks import deliver_webhooks


@pytest.fixture
def pending(open_case, field_engineer):
    """pending(subscription): open a case and fan it out; return its pending delivery."""

    def _pending(subscription):
        open_case(field_engineer)
        fan_out(now=at())
        return subscription.deliveries.get()

    return _pending


def retry_until_settled(delivery, *, rounds=20) -> list[timedelta]:
    """Run the worker at each delivery's next attempt time; return the waits between tries."""
    waits, now = [], at(minutes=1)
    for _ in range(rounds):
        deliver_due(now=now)
        delivery.refresh_from_db()
        if delivery.state != DeliveryState.PENDING:
            return waits
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
    raise AssertionError("the delivery never settled")


def test_receiver_gets_signed_json_it_verifies_with_the_secret(subscribe, pending, receiver):
    subscription = subscribe(receiver.url)
    delivery = pending(subscription)

    counts = deliver_due(now=at(minutes=1))

    assert counts == {"delivered": 1, "retrying": 0, "failed": 0}
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Tierdesk-Event"] == "case.created"
    assert headers["X-Tierdesk-Delivery"] == str(delivery.pk)
    assert json.loads(body) == delivery.payload

    # What a receiver does: recompute the HMAC over "<t>.<body>" with the secret it was shown.
    fields = dict(part.split("=", 1) for part in headers["X-Tierdesk-Signature"].split(","))
    assert int(fields["t"]) == int(at(minutes=1).timestamp())
    signed = fields["t"].encode() + b"." + body
    expected = hmac.new(subscription.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    forged = hmac.new(b"not-the-secret", signed, hashlib.sha256).hexdigest()
    assert fields["v1"] != forged

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.delivered_at == at(minutes=1)
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert delivery.next_attempt_at is None and delivery.locked_until is None
    assert [a.succeeded for a in delivery.attempt_log.all()] == [True]


def test_a_failing_receiver_is_retried_with_growing_backoff_until_it_accepts(
    subscribe, pending, receiver
):
    receiver.statuses.extend([500, 500, 503])
    delivery = pending(subscribe(receiver.url))

    waits = retry_until_settled(delivery)

    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 4
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 500, 503, 200]
    # Base 30 s, doubling, with up to half of each wait random: 15-30 s, 30-60 s, 60-120 s.
    for wait, full in zip(waits, (30, 60, 120), strict=True):
        assert timedelta(seconds=full / 2) <= wait <= timedelta(seconds=full)
    # Every try carries the same delivery id, so the receiver can spot repeats.
    assert {r["headers"]["X-Tierdesk-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    assert delivery.attempt_log.first().error == "receiver says no"


def test_nothing_is_sent_again_before_the_backoff_has_passed(subscribe, pending, receiver):
    receiver.statuses.append(500)
    delivery = pending(subscribe(receiver.url))

    deliver_due(now=at(minutes=1))
    deliver_due(now=at(minutes=1) + timedelta(seconds=10))

    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 1)


def test_a_dead_receiver_is_retried_and_finally_marked_failed(subscribe, pending, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    delivery = pending(subscribe(dead_url()))

    waits = retry_until_settled(delivery)

    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 3 and len(waits) == 2
    assert delivery.last_status_code is None
    assert "refused" in delivery.last_error.lower()
    assert delivery.next_attempt_at is None
    assert delivery.attempt_log.filter(succeeded=False).count() == 3


def test_a_slow_receiver_times_out_is_retried_and_finally_failed(
    subscribe, pending, receiver, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    receiver.hanging = True  # accepts the connection and the body, never answers
    delivery = pending(subscribe(receiver.url))

    started = time.monotonic()
    waits = retry_until_settled(delivery)
    elapsed = time.monotonic() - started

    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 2 and len(waits) == 1
    assert len(receiver.requests) == 2
    assert "timed out" in delivery.last_error
    assert delivery.last_status_code is None
    # Two tries of a 0.5 s timeout: the worker gave up each time instead of waiting.
    assert all(a.duration_ms >= 400 for a in delivery.attempt_log.all())
    assert elapsed < 10


def test_changing_a_case_only_writes_rows_and_never_calls_the_receiver(
    client, open_case, field_engineer, subscribe, receiver, settings
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 5
    receiver.hanging = True  # had the request called it, the request would take 5 s
    hanging = subscribe(receiver.url, name="Hanging")
    dead = subscribe(dead_url(), name="Dead")
    case = open_case(field_engineer)
    client.force_login(field_engineer)

    started = time.monotonic()
    response = client.post(
        f"/api/v1/cases/{case.pk}/actions/escalate",
        json.dumps({"version": case.version, "text": "Power and wiring checked."}),
        content_type="application/json",
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 200, response.content
    assert elapsed < settings.WEBHOOKS_TIMEOUT_SECONDS
    escalation = CaseEvent.objects.get(case=case, kind=EventKind.TRANSITION)
    assert EventOutbox.objects.filter(event=escalation).exists()
    assert receiver.connections == 0

    fan_out(now=at(hours=1))

    for subscription in (hanging, dead):
        delivery = subscription.deliveries.get(event=escalation)
        assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
    assert receiver.connections == 0


def test_a_claimed_delivery_waits_for_its_lease_when_a_worker_dies(subscribe, pending, receiver):
    delivery = pending(subscribe(receiver.url))

    # The first worker claims the delivery and dies before sending.
    assert [d.pk for d in claim_due(now=at(minutes=1), until=at(minutes=4))] == [delivery.pk]
    # A second worker does not take it while the lease holds ...
    assert deliver_due(now=at(minutes=2)) == {"delivered": 0, "retrying": 0, "failed": 0}
    assert receiver.requests == []
    # ... and sends it once the lease has run out: a committed delivery is never lost.
    assert deliver_due(now=at(minutes=5))["delivered"] == 1

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(receiver.requests) == 1


def test_deactivating_a_subscription_holds_its_pending_deliveries(
    subscribe, pending, receiver, service_manager
):
    subscription = subscribe(receiver.url)
    delivery = pending(subscription)

    services.deactivate_subscription(subscription, by=service_manager, now=at())
    deliver_due(now=at(minutes=1))

    assert receiver.connections == 0
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING

    services.activate_subscription(subscription, by=service_manager, now=at(minutes=2))
    deliver_due(now=at(minutes=3))
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED


def test_a_redirect_is_reported_not_followed(subscribe, pending, receiver):
    receiver.statuses.append(302)
    delivery = pending(subscribe(receiver.url))

    deliver_due(now=at(minutes=1))

    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status_code) == (DeliveryState.PENDING, 302)
    assert len(receiver.requests) == 1


def test_a_test_ping_goes_out_signed_through_the_worker(subscribe, receiver, service_manager):
    subscription = subscribe(receiver.url)

    ping = services.send_test_ping(subscription, by=service_manager, now=at())
    assert receiver.connections == 0  # queued, not sent, by the person's request

    deliver_due(now=at() + timedelta(seconds=5))

    ping.refresh_from_db()
    assert ping.state == DeliveryState.DELIVERED
    [request] = receiver.requests
    assert request["headers"]["X-Tierdesk-Event"] == EventType.PING
    body = json.loads(request["body"])
    assert body["type"] == "ping" and body["actor"] == "mike"
    assert not Case.objects.exists() and ping.event is None
    assert WebhookDelivery.objects.count() == 1


def test_the_scheduled_task_sends_what_is_due_now(subscribe, receiver, service_manager):
    subscription = subscribe(receiver.url)
    services.send_test_ping(subscription, by=service_manager, now=timezone.now())

    result = deliver_webhooks.call()

    assert result == {"delivered": 1, "retrying": 0, "failed": 0}
    assert len(receiver.requests) == 1
    assert deliver_webhooks in [periodic.task for periodic in SCHEDULE]
