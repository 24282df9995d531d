"""`tierdesk worker`: run queued jobs (django-tasks-db's worker under tierdesk's name).

On top of django-tasks-db's worker it keeps a heartbeat row fresh, so that a job it was running
when it was killed is put back on the queue (tierdesk/jobs/leases.py), re-queues at start-up the
jobs of workers that died on this machine, and rides out a lost database: it waits and tries
again instead of exiting.
"""

import contextlib
import logging
import os
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from tierdesk.jobs import leases

logger = logging.getLogger(__name__)

DATABASE_RETRY_SECONDS = 5


def keep_beating(*, worker_id: str, stopping: threading.Event) -> None:
    started_at = timezone.now()
    while not stopping.is_set():
        try:
            leases.beat(worker_id=worker_id, now=timezone.now(), started_at=started_at)
        except DatabaseError as error:
            logger.warning("Worker heartbeat failed (will retry): %s", error)
            connection.close()
        stopping.wait(leases.HEARTBEAT_INTERVAL.total_seconds())
    connection.close()


class Command(db_worker.Command):
    help = (
        "Run queued background jobs. Start any number, on any machine sharing the database; "
        "each job is claimed by one worker, and a job whose worker died is run again. "
        "Options are those of django-tasks-db's db_worker."
    )

    def handle(self, *args, worker_id: str, reload: bool, batch: bool, **options):
        # With --reload the parent only watches files; the child it starts does the work.
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, worker_id=worker_id, reload=reload, batch=batch, **options)
        stopping = threading.Event()
        heartbeat = threading.Thread(
            target=keep_beating,
            kwargs={"worker_id": worker_id, "stopping": stopping},
            name="tierdesk-worker-heartbeat",
            daemon=True,
        )
        heartbeat.start()
        try:
            while True:
                try:
                    leases.requeue_abandoned(now=timezone.now())
                    super().handle(
                        *args, worker_id=worker_id, reload=reload, batch=batch, **options
                    )
                    return
                except (OperationalError, InterfaceError) as error:
                    # PostgreSQL restarting or unreachable: wait for it instead of exiting, so
                    # the worker comes back by itself with the database. Other database errors
                    # are bugs and stop the worker loudly.
                    self.stderr.write(
                        f"Database unavailable ({str(error).strip().splitlines()[0]}); "
                        f"retrying in {DATABASE_RETRY_SECONDS} s."
                    )
                    connection.close()
                    time.sleep(DATABASE_RETRY_SECONDS)
        finally:
            stopping.set()
            # If the database is away the row goes stale and the reaper removes it.
            with contextlib.suppress(DatabaseError):
                leases.sign_off(worker_id=worker_id)
