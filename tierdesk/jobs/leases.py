"""Workers' heartbeats, and the reaper that puts jobs abandoned by a dead worker back on the queue.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again: a
worker killed mid-job (SIGKILL, out of memory, the machine lost) would leave it RUNNING for
ever. Each `tierdesk worker` therefore keeps a heartbeat row fresh; a RUNNING job whose worker's
heartbeat is stale, or whose process is gone from this very machine, is made READY again and
the next free worker runs it from the start. Every job is written to be safe to run again.
"""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tierdesk.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# How often a worker touches its row, and after how long without news it counts as dead.
HEARTBEAT_INTERVAL = timedelta(seconds=10)
HEARTBEAT_TIMEOUT = timedelta(seconds=60)
# A job claimed by a worker that never had a heartbeat (django-tasks-db's own db_worker): only
# after this long is it presumed abandoned.
LEASE_WITHOUT_HEARTBEAT = timedelta(hours=1)
# A job that has killed its worker this many times is not tried again: it is marked FAILED.
MAX_ATTEMPTS = 3
LOST_WORKER_ERROR = "tierdesk.jobs.leases.WorkerLost"


class WorkerLost(Exception):
    """The worker running the job stopped without finishing it."""


def this_host() -> str:
    return socket.gethostname()[:255]


def beat(*, worker_id: str, now: datetime, started_at: datetime | None = None) -> None:
    """Record that the worker is alive (creating its row on the first beat)."""
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": this_host(),
                "pid": os.getpid(),
                "started_at": started_at or now,
                "last_seen_at": now,
            },
        )


def sign_off(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True


def _is_dead(heartbeat: WorkerHeartbeat, *, now: datetime) -> bool:
    if heartbeat.last_seen_at < now - HEARTBEAT_TIMEOUT:
        return True
    # On the worker's own machine there is no need to wait for the heartbeat to go stale.
    return heartbeat.hostname == this_host() and not _process_exists(heartbeat.pid)


def abandoned_jobs(*, now: datetime) -> list[DBTaskResult]:
    """The RUNNING jobs whose worker is gone."""
    running = list(DBTaskResult.objects.running())
    if not running:
        return []
    last_worker = {job.pk: (job.worker_ids or [""])[-1] for job in running}
    heartbeats = {
        beat.worker_id: beat
        for beat in WorkerHeartbeat.objects.filter(worker_id__in=set(last_worker.values()))
    }
    abandoned = []
    for job in running:
        heartbeat = heartbeats.get(last_worker[job.pk])
        if heartbeat is None:
            gone = job.started_at is None or job.started_at < now - LEASE_WITHOUT_HEARTBEAT
        else:
            gone = _is_dead(heartbeat, now=now)
        if gone:
            abandoned.append(job)
    return abandoned


def requeue_abandoned(*, now: datetime) -> dict[str, int]:
    """Put jobs abandoned by dead workers back on the queue; give up on a job after
    MAX_ATTEMPTS workers died running it. Return how many were re-queued and failed."""
    counts = {"requeued": 0, "failed": 0}
    for job in abandoned_jobs(now=now):
        # Conditional on the claim being unchanged: if the job finished, or another reaper
        # re-queued it and a worker claimed it again, this changes nothing.
        unchanged = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        with transaction.atomic():
            if len(job.worker_ids) >= MAX_ATTEMPTS:
                changed = unchanged.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=LOST_WORKER_ERROR,
                    traceback=(
                        f"{LOST_WORKER_ERROR}: {len(job.worker_ids)} workers stopped while "
                        f"running this job ({', '.join(job.worker_ids)}); not tried again.\n"
                    ),
                )
                kind = "failed"
            else:
                changed = unchanged.update(status=TaskResultStatus.READY)
                kind = "requeued"
        if changed:
            counts[kind] += 1
            logger.warning(
                "Job %s (%s) abandoned by worker %s: %s",
                job.pk,
                job.task_path,
                job.worker_ids[-1] if job.worker_ids else "?",
                kind,
            )
    # Rows of workers long dead: nothing refers to them once their jobs are re-queued.
    WorkerHeartbeat.objects.filter(last_seen_at__lt=now - 10 * HEARTBEAT_TIMEOUT).delete()
    return counts
