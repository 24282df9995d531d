"""The delivery job: send due notifications through the configured mailer, retrying with backoff.

A notification is claimed in a short transaction that pushes its next attempt a lease into the
future, then sent outside any transaction (no database lock is held while an SMTP server
thinks), then marked. A worker that dies after claiming leaves the row to come due again when
the lease ends, so a committed notification is never lost; at worst it is sent twice, with the
same Message-ID.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F

from tierdesk.notifications.enums import DeliveryState
from tierdesk.notifications.models import Notification
from tierdesk.notifications.rendering import render_mail

LEASE = timedelta(minutes=10)
LONGEST_WAIT = timedelta(hours=6)


class Undeliverable(Exception):
    """The recipient can no longer receive mail; trying again will not help."""


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: the base delay after the first failure, doubling after each one."""
    delay = timedelta(seconds=settings.TIERDESK_MAIL_RETRY_SECONDS * 2 ** (attempts - 1))
    return min(delay, LONGEST_WAIT)


@transaction.atomic
def claim_due(*, now: datetime, batch: int) -> list[Notification]:
    # skip_locked: several workers take different rows instead of sending the same mail.
    ids = list(
        Notification.objects.due(now)
        .select_for_update(skip_locked=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    Notification.objects.filter(pk__in=ids).update(
        attempts=F("attempts") + 1, next_attempt_at=now + LEASE
    )
    return list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient", "case", "case__owner", "event", "event__actor")
        .order_by("pk")
    )


def mark_sent(notification: Notification, *, now: datetime) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        state=DeliveryState.SENT, sent_at=now, last_error=""
    )


def mark_failed_attempt(notification: Notification, *, error: Exception, now: datetime) -> str:
    """Schedule the next attempt, or give up; return the state the row is left in."""
    final = isinstance(error, Undeliverable) or (
        notification.attempts >= settings.TIERDESK_MAIL_MAX_ATTEMPTS
    )
    state = DeliveryState.FAILED if final else DeliveryState.PENDING
    Notification.objects.filter(pk=notification.pk).update(
        state=state,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=now if final else now + retry_delay(notification.attempts),
    )
    return state


def check_deliverable(notification: Notification) -> None:
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        raise Undeliverable("the recipient is inactive or has no e-mail address")


def deliver_due(*, now: datetime, batch: int = 50) -> dict[str, int]:
    """Send the notifications due at `now`; return how many were sent, retried and failed."""
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    claimed = claim_due(now=now, batch=batch)
    if not claimed:
        return counts

    def failed(notification: Notification, error: Exception) -> None:
        state = mark_failed_attempt(notification, error=error, now=now)
        counts["failed" if state == DeliveryState.FAILED else "retrying"] += 1

    connection = mail.mailers.default
    try:
        connection.open()
    except Exception as error:  # the server is unreachable: every claimed mail waits
        for notification in claimed:
            failed(notification, error)
        return counts
    try:
        for notification in claimed:
            try:
                check_deliverable(notification)
                connection.send_messages([render_mail(notification)])
            except Exception as error:  # one bad mail must not stop the rest of the batch
                failed(notification, error)
            else:
                mark_sent(notification, now=now)
                counts["sent"] += 1
    finally:
        connection.close()
    return counts
