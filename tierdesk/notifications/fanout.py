"""Fan-out: turn each committed case event into mail, webhook deliveries and follow-ups, once."""

import logging
from datetime import datetime

from django.db import transaction

from tierdesk.cases.models import CaseEvent, EventOutbox
from tierdesk.followups.planning import plan_follow_up
from tierdesk.notifications.planning import plan_notifications
from tierdesk.webhooks.planning import plan_deliveries

logger = logging.getLogger(__name__)

EVENT_RELATIONS = [
    "actor",
    "subject",
    "case",
    "case__owner",
    "case__line2_owner",
    "case__reporter",
    "case__coordinator",
]


def fan_out(*, now: datetime, batch: int = 100) -> dict[str, int]:
    """Plan notifications and webhook deliveries for every event waiting in the outbox."""
    counts = {"events": 0, "notifications": 0, "deliveries": 0, "follow_ups": 0}
    broken: set[int] = set()  # events whose planning raised: left for the next run
    while True:
        with transaction.atomic():
            # skip_locked: several workers share the outbox instead of queueing on one batch.
            claimed = list(
                EventOutbox.objects.exclude(pk__in=broken)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            events = CaseEvent.objects.filter(pk__in=claimed).select_related(*EVENT_RELATIONS)
            for event in events.order_by("pk"):
                try:
                    # One event, one transaction: its mail rows, its deliveries and the removal
                    # of its outbox row commit together or not at all.
                    with transaction.atomic():
                        notifications = plan_notifications(event, now=now)
                        deliveries = plan_deliveries(event)
                        follow_ups = plan_follow_up(event)
                        EventOutbox.objects.filter(pk=event.pk).delete()
                except Exception:
                    logger.exception("Fan-out of case event %s failed; will retry", event.pk)
                    broken.add(event.pk)
                    continue
                counts["events"] += 1
                counts["notifications"] += notifications
                counts["deliveries"] += deliveries
                counts["follow_ups"] += follow_ups
        if len(claimed) < batch:
            return counts
