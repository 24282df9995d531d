"""A job whose worker died mid-way is put back on the queue and its effect happens once."""

import subprocess
import sys
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tests.worker import run_queued_jobs
from tierdesk.cases import sla_scan
from tierdesk.cases.models import EventOutbox
from tierdesk.jobs import leases, schedule, tasks
from tierdesk.jobs.models import WorkerHeartbeat
from tierdesk.notifications import fanout
from tierdesk.notifications.enums import NotificationKind as Kind
from tierdesk.notifications.models import Notification


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler in the job catches it."""


def die_on_call(number: int):
    calls = Counter()
    real = fanout.plan_follow_up

    def planner(event):
        calls["n"] += 1
        if calls["n"] == number:
            raise WorkerKilled
        return real(event)

    return planner


def dead_pid() -> int:
    """The id of a process that has just ended on this machine."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def claimed_by(worker_id: str, task=tasks.fan_out_events, *, started_at=None) -> DBTaskResult:
    """A job a worker took from the queue, as django-tasks-db's worker claims it."""
    job = DBTaskResult.objects.get(pk=task.enqueue().id)
    job.claim(worker_id)
    if started_at is not None:
        DBTaskResult.objects.filter(pk=job.pk).update(started_at=started_at)
        job.refresh_from_db()
    return job


def heartbeat(worker_id: str, *, pid: int, seen_ago: timedelta, hostname=None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname=hostname or leases.this_host(),
        pid=pid,
        started_at=now - seen_ago,
        last_seen_at=now - seen_ago,
    )


def status(job: DBTaskResult) -> str:
    job.refresh_from_db()
    return job.status


def test_job_of_a_worker_killed_on_this_machine_runs_again_and_plans_each_mail_once(
    open_case, field_engineer, supervisor
):
    for number in range(3):
        open_case(field_engineer, title=f"FSU 离线 {number}")  # opened in March: long overdue
    sla_scan.scan(now=timezone.now())
    waiting = EventOutbox.objects.count()
    assert waiting >= 3
    job = claimed_by("killed-worker")
    heartbeat("killed-worker", pid=dead_pid(), seen_ago=timedelta(seconds=1))
    died_in_second_event = die_on_call(2)
    with (
        mock.patch.object(fanout, "plan_follow_up", died_in_second_event),
        pytest.raises(WorkerKilled),
    ):
        fanout.fan_out(now=timezone.now(), batch=1)
    # The killed worker finished the first event only; the job is still marked RUNNING.
    assert EventOutbox.objects.count() == waiting - 1
    assert status(job) == TaskResultStatus.RUNNING

    assert leases.requeue_abandoned(now=timezone.now()) == {"requeued": 1, "failed": 0}
    assert status(job) == TaskResultStatus.READY
    run_queued_jobs()

    assert status(job) == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["killed-worker", "test-worker"]
    assert not EventOutbox.objects.exists()
    # Each breach reaches the case owner and the supervisor, once each.
    breach_mail = Counter(
        Notification.objects.filter(kind=Kind.SLA_BREACH).values_list("recipient__username")
    )
    assert breach_mail == {("alice",): 3, ("sam",): 3}


def test_job_of_a_worker_still_beating_is_left_alone(db):
    job = claimed_by("busy-worker")
    heartbeat("busy-worker", pid=1, seen_ago=timedelta(seconds=5), hostname="other-machine")

    assert leases.requeue_abandoned(now=timezone.now()) == {"requeued": 0, "failed": 0}
    assert status(job) == TaskResultStatus.RUNNING


def test_job_of_a_worker_on_another_machine_silent_past_the_timeout_runs_again(db):
    job = claimed_by("lost-machine")
    silent = leases.HEARTBEAT_TIMEOUT + timedelta(seconds=1)
    heartbeat("lost-machine", pid=1, seen_ago=silent, hostname="other-machine")

    assert leases.requeue_abandoned(now=timezone.now()) == {"requeued": 1, "failed": 0}
    run_queued_jobs()
    assert status(job) == TaskResultStatus.SUCCESSFUL


def test_job_of_a_worker_without_heartbeat_waits_for_the_lease(db):
    now = timezone.now()
    recent = claimed_by("plain-db-worker", started_at=now - timedelta(minutes=5))
    old = claimed_by(
        "plain-db-worker", started_at=now - leases.LEASE_WITHOUT_HEARTBEAT - timedelta(minutes=1)
    )

    assert leases.requeue_abandoned(now=now) == {"requeued": 1, "failed": 0}
    assert status(recent) == TaskResultStatus.RUNNING
    assert status(old) == TaskResultStatus.READY


def test_job_that_killed_its_worker_three_times_is_failed_not_retried(db):
    job = claimed_by("first")
    pid = dead_pid()
    for worker_id in ("first", "second", "third"):
        heartbeat(worker_id, pid=pid, seen_ago=timedelta(seconds=1))
    for worker_id in ("second", "third"):
        leases.requeue_abandoned(now=timezone.now())
        job.refresh_from_db()
        job.claim(worker_id)

    assert leases.requeue_abandoned(now=timezone.now()) == {"requeued": 0, "failed": 1}
    assert status(job) == TaskResultStatus.FAILED
    assert job.exception_class_path == leases.LOST_WORKER_ERROR
    assert "first, second, third" in job.traceback


def test_a_finished_worker_signs_off_and_the_reaper_runs_on_the_schedule(db):
    # As in tests/worker.py: the worker would drop the connection holding the test's data.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", batch=True, worker_id="batch-worker", verbosity=0)

    assert not WorkerHeartbeat.objects.exists()
    assert tasks.requeue_abandoned_jobs.module_path in {job.name for job in schedule.SCHEDULE}
