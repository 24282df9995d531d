"""The scheduler, the worker and `run_jobs_once`: periodic jobs run once per period, end to end."""

from collections import Counter
from datetime import timedelta

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.jobs.conftest import FIXED
from tests.worker import run_queued_jobs
from tierdesk.cases.enums import EventKind
from tierdesk.jobs import schedule, tasks
from tierdesk.jobs.schedule import Periodic
from tierdesk.jobs.scheduler import enqueue_due
from tierdesk.notifications.enums import DeliveryState
from tierdesk.notifications.enums import NotificationKind as Kind
from tierdesk.notifications.models import Notification

# The jobs of this package, so that lines other packages add to the schedule do not matter here.
SCHEDULE = [
    Periodic(tasks.scan_sla, seconds=60),
    Periodic(tasks.fan_out_events, seconds=10),
    Periodic(tasks.deliver_notifications, seconds=30),
]
ALL_JOBS = {job.name for job in SCHEDULE}


def tick(now):
    return enqueue_due(now=now, schedule=SCHEDULE)


def queued() -> Counter:
    return Counter(DBTaskResult.objects.values_list("task_path", flat=True))


def test_scheduler_enqueues_each_job_once_per_period_even_when_called_twice(db):
    assert set(tick(FIXED)) == ALL_JOBS
    assert tick(FIXED) == []
    assert tick(FIXED + timedelta(seconds=5)) == []
    assert queued() == Counter(ALL_JOBS)

    run_queued_jobs()
    ten_seconds_later = FIXED + timedelta(seconds=10)

    assert tick(ten_seconds_later) == [tasks.fan_out_events.module_path]
    assert tick(ten_seconds_later) == []
    assert queued()[tasks.fan_out_events.module_path] == 2


def test_scheduler_does_not_pile_up_runs_while_no_worker_takes_them(db):
    tick(FIXED)

    assert tick(FIXED + timedelta(minutes=5)) == []
    assert queued() == Counter(ALL_JOBS)


def test_worker_runs_the_queued_jobs_and_a_breach_reaches_owner_and_supervisor_once(
    open_case, field_engineer, supervisor, mailoutbox
):
    case = open_case(field_engineer)  # opened in March 2026: long overdue by the real clock

    tick(FIXED)
    run_queued_jobs()
    # The SLA scan ran before the fan-out had anything to plan; the next periods deliver.
    for seconds in (60, 120):
        tick(FIXED + timedelta(seconds=seconds))
        run_queued_jobs()

    assert case.events.filter(kind=EventKind.SLA_BREACH).count() == 1
    breach_mail = Counter(
        n.recipient.username for n in Notification.objects.filter(kind=Kind.SLA_BREACH)
    )
    assert breach_mail == {"alice": 1, "sam": 1}
    assert not Notification.objects.exclude(state=DeliveryState.SENT).exists()
    breach_subjects = [m.subject for m in mailoutbox if "SLA 超时" in m.subject]
    assert sorted(m.to[0] for m in mailoutbox if m.subject in breach_subjects) == [
        "alice@example.com",
        "sam@example.com",
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_run_jobs_once_scans_plans_and_sends_in_one_go(
    open_case, field_engineer, supervisor, mailoutbox
):
    open_case(field_engineer)

    call_command("run_jobs_once")
    call_command("run_jobs_once")

    recipients = Counter(m.to[0] for m in mailoutbox if "SLA 超时" in m.subject)
    assert recipients == {"alice@example.com": 1, "sam@example.com": 1}


def test_scheduler_command_enqueues_the_whole_schedule_once_when_run_twice(db):
    call_command("scheduler", once=True)
    call_command("scheduler", once=True)

    assert queued() == Counter(job.name for job in schedule.SCHEDULE)
