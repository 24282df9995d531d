"""Sending due deliveries: claim them with a lease, POST outside any transaction, record the try.

Claiming is one short transaction that stamps `locked_until`; no database lock is held while
a receiver answers. If a worker dies mid-send, its lease runs out and another worker takes the
delivery over, so a committed delivery is never lost; a receiver may then see it twice and
should use `X-Tierdesk-Delivery` to recognise the repeat.
"""

import http.client
import json
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from tierdesk.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery
from tierdesk.webhooks.signing import SIGNATURE_HEADER, sign

BATCH_SIZE = 20
ERROR_TEXT_LIMIT = 500
USER_AGENT = "tierdesk-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one HTTP try came back with."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET without the signed body; report it instead.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


def post_json(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    """POST the body; never raises for network trouble, which is the receiver's problem."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.monotonic()
    status_code, error = None, ""
    try:
        with _opener.open(request, timeout=timeout) as response:
            status_code = response.status
    except urllib.error.HTTPError as failure:
        status_code = failure.code
        error = _response_excerpt(failure)
    except urllib.error.URLError as failure:
        error = str(failure.reason)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        # TimeoutError lands here when the receiver accepted the connection but did not answer.
        error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    duration_ms = round((time.monotonic() - started) * 1000)
    return Outcome(status_code=status_code, error=error[:ERROR_TEXT_LIMIT], duration_ms=duration_ms)


def _response_excerpt(failure: urllib.error.HTTPError) -> str:
    """The start of the receiver's error body: it usually says what it disliked."""
    try:
        text = failure.read(ERROR_TEXT_LIMIT).decode("utf-8", errors="replace").strip()
    except (OSError, http.client.HTTPException):
        text = ""
    finally:
        failure.close()
    return text or f"HTTP {failure.code}"


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff after the `attempts`-th failure, with jitter."""
    rng = rng or random
    base = settings.WEBHOOKS_RETRY_BASE_SECONDS
    delay = min(settings.WEBHOOKS_RETRY_MAX_SECONDS, base * 2 ** (attempts - 1))
    # Equal jitter: half fixed, half random, so receivers that fail together (a network outage)
    # are not all retried in the same second afterwards.
    return timedelta(seconds=delay / 2 + rng.uniform(0, delay / 2))


def claim_due(*, now: datetime, until: datetime, limit: int = BATCH_SIZE) -> list[WebhookDelivery]:
    """Lease up to `limit` due deliveries to this worker until `until`."""
    with transaction.atomic():
        # skip_locked: two workers take different rows instead of waiting for each other.
        ids = list(
            WebhookDelivery.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(locked_until=until)
    return list(
        WebhookDelivery.objects.filter(pk__in=ids)
        .select_related("subscription")
        .order_by("next_attempt_at", "id")
    )


def deliver_due(
    *, now: datetime, limit: int = BATCH_SIZE, rng: random.Random | None = None
) -> dict[str, int]:
    """Send up to `limit` due deliveries; return how many were delivered, retried and failed."""
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    # Long enough for the whole batch to time out one by one, short enough that a dead worker's
    # deliveries go out again within minutes.
    lease_until = now + timedelta(seconds=limit * (timeout + 1) + 60)
    counts = Counter({"delivered": 0, "retrying": 0, "failed": 0})
    for delivery in claim_due(now=now, until=lease_until, limit=limit):
        outcome = send(delivery, now=now, timeout=timeout)
        state = record_attempt(delivery, outcome=outcome, now=now, lease_until=lease_until, rng=rng)
        counts["retrying" if state == DeliveryState.PENDING else state] += 1
    return dict(counts)


def request_headers(delivery: WebhookDelivery, *, body: bytes, now: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Tierdesk-Event": delivery.event_type,
        "X-Tierdesk-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(
            secret=delivery.subscription.secret, timestamp=int(now.timestamp()), body=body
        ),
    }


def send(delivery: WebhookDelivery, *, now: datetime, timeout: float) -> Outcome:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return post_json(
        delivery.subscription.target_url,
        body=body,
        headers=request_headers(delivery, body=body, now=now),
        timeout=timeout,
    )


@transaction.atomic
def record_attempt(
    delivery: WebhookDelivery,
    *,
    outcome: Outcome,
    now: datetime,
    lease_until: datetime,
    rng: random.Random | None = None,
) -> str:
    """Log the try and decide: delivered, try again later, or give up. Returns the new state."""
    WebhookAttempt.objects.create(
        delivery=delivery,
        started_at=now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
        succeeded=outcome.succeeded,
    )
    attempts = delivery.attempts + 1
    if outcome.succeeded:
        state, next_attempt_at, delivered_at = DeliveryState.DELIVERED, None, now
    elif attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        state, next_attempt_at, delivered_at = DeliveryState.FAILED, None, None
    else:
        state, delivered_at = DeliveryState.PENDING, None
        next_attempt_at = now + retry_delay(attempts, rng=rng)
    # Only while our lease holds: after it ran out another worker owns the delivery's state.
    WebhookDelivery.objects.filter(pk=delivery.pk, locked_until=lease_until).update(
        state=state,
        attempts=attempts,
        next_attempt_at=next_attempt_at,
        delivered_at=delivered_at,
        locked_until=None,
        last_status_code=outcome.status_code,
        last_error=outcome.error,
        last_duration_ms=outcome.duration_ms,
    )
    return state
