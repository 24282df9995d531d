"""The background task that sends due webhook deliveries (scheduled in tierdesk/jobs)."""

from django.tasks import task
from django.utils import timezone

from tierdesk.webhooks import delivery

# One run works through a backlog in batches but stops after this many, so a long queue of
# slow receivers cannot keep one worker busy forever; the next scheduled run continues.
MAX_BATCHES_PER_RUN = 10


@task
def deliver_webhooks() -> dict[str, int]:
    """Send the deliveries that are due now; returns how many were delivered, retried, failed."""
    totals = {"delivered": 0, "retrying": 0, "failed": 0}
    for _batch in range(MAX_BATCHES_PER_RUN):
        counts = delivery.deliver_due(now=timezone.now(), limit=delivery.BATCH_SIZE)
        for state, count in counts.items():
            totals[state] += count
        if sum(counts.values()) < delivery.BATCH_SIZE:
            break
    return totals
