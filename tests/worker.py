"""Run the queued background jobs inside a test, as `tierdesk worker` would."""

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_queued_jobs() -> None:
    """Work through the queue until it is empty.

    The worker drops database connections it thinks are stale; inside a test's transaction on
    PostgreSQL that would close the connection holding the test's data, so it is kept here.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
