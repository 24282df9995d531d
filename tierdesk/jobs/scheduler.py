"""Put periodic jobs on the queue when they are due, once per period however many schedulers run."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist

from tierdesk.jobs.models import PeriodicJob
from tierdesk.jobs.schedule import SCHEDULE, Periodic


def _ensure_rows(schedule: Iterable[Periodic]) -> None:
    known = set(PeriodicJob.objects.values_list("name", flat=True))
    for job in schedule:
        if job.name not in known:
            try:
                with transaction.atomic():
                    PeriodicJob.objects.create(name=job.name)
            except IntegrityError:
                pass  # another scheduler created it a moment ago


def _still_waiting(job: Periodic, result_id: str) -> bool:
    """Whether the run enqueued last time has not even started: no worker is taking jobs."""
    if not result_id:
        return False
    try:
        return job.task.get_result(result_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def enqueue_due(*, now: datetime, schedule: Iterable[Periodic] = SCHEDULE) -> list[str]:
    """Enqueue every job whose period has passed; return the names of those enqueued."""
    schedule = list(schedule)
    _ensure_rows(schedule)
    enqueued = []
    for job in schedule:
        with transaction.atomic():
            # The conditional UPDATE is the lock: of two schedulers, only the one whose
            # UPDATE matches the row takes this period; the other sees 0 rows changed.
            taken = PeriodicJob.objects.filter(
                Q(last_enqueued_at=None)
                | Q(last_enqueued_at__lte=now - timedelta(seconds=job.seconds)),
                name=job.name,
            ).update(last_enqueued_at=now)
            if not taken:
                continue
            row = PeriodicJob.objects.get(name=job.name)
            if _still_waiting(job, row.last_result_id):
                continue  # do not pile up runs while no worker is running
            # Same transaction: the queue row and the period commit together.
            result = job.task.enqueue()
            row.last_result_id = str(result.id)
            row.save(update_fields=["last_result_id"])
            enqueued.append(job.name)
    return enqueued


def run_all_once() -> dict[str, object]:
    """Run every periodic job now, in this process: for cron and for tests."""
    return {job.name: job.task.call() for job in SCHEDULE}
