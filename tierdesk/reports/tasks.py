"""The report jobs, as `django.tasks` tasks."""

from django.tasks import task
from django.utils import timezone

from tierdesk.reports.dispatch import send_monthly_reports


@task
def mail_monthly_reports() -> dict[str, int]:
    """Mail each region its last month's event-management results, once per month."""
    return {"regions_sent": send_monthly_reports(now=timezone.now())}
