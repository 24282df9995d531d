"""The periodic jobs and how often each runs: the one table `tierdesk scheduler` reads.

To add a job, define it with `@task` in your package and append one line here.
"""

from dataclasses import dataclass

from django.tasks import Task

from tierdesk.followups.tasks import mark_overdue_follow_ups
from tierdesk.jobs import tasks
from tierdesk.knowledge.tasks import index_changed_cases
from tierdesk.mailin.tasks import fetch_mail
from tierdesk.reports.tasks import mail_monthly_reports
from tierdesk.webhooks.tasks import deliver_webhooks


@dataclass(frozen=True)
class Periodic:
    task: Task
    seconds: int

    @property
    def name(self) -> str:
        return self.task.module_path


SCHEDULE: list[Periodic] = [
    Periodic(tasks.scan_sla, seconds=60),
    Periodic(tasks.fan_out_events, seconds=10),
    Periodic(tasks.deliver_notifications, seconds=30),
    Periodic(tasks.requeue_abandoned_jobs, seconds=30),
    Periodic(deliver_webhooks, seconds=10),
    Periodic(fetch_mail, seconds=60),
    Periodic(mark_overdue_follow_ups, seconds=900),
    Periodic(index_changed_cases, seconds=300),
    Periodic(mail_monthly_reports, seconds=3600),
]
