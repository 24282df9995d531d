"""The periodic jobs as `django.tasks` tasks.

Each one is safe to run again or twice at once: it works in small transactions on rows it
claims, so a worker killed midway leaves the unfinished rows for the next run, and the job
itself is put back on the queue by `requeue_abandoned_jobs` (see leases.py).
"""

from django.tasks import task
from django.utils import timezone

from tierdesk.cases import sla_scan
from tierdesk.jobs import leases
from tierdesk.notifications import delivery, fanout


@task
def scan_sla() -> dict[str, int]:
    return sla_scan.scan(now=timezone.now())


@task
def fan_out_events() -> dict[str, int]:
    return fanout.fan_out(now=timezone.now())


@task
def deliver_notifications() -> dict[str, int]:
    return delivery.deliver_due(now=timezone.now())


@task
def requeue_abandoned_jobs() -> dict[str, int]:
    return leases.requeue_abandoned(now=timezone.now())
