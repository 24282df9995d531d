"""The scheduled sending of event-management results to the regions (6.2.5): each region's
report for the last complete month, mailed once to the region's members with the PDF and the
XLSX attached, each in the member's own language."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tierdesk.assessment.models import ReportDispatch
from tierdesk.organization.models import Region
from tierdesk.reports.event_management import build_regional_report
from tierdesk.reports.exports import render_report_pdf, render_report_xlsx, report_filename
from tierdesk.reports.periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _recipients(region: Region):
    return region.members.filter(is_active=True, is_service_account=False).exclude(email="")


def _messages(region: Region, period: Period, people) -> list[EmailMessage]:
    by_language: dict[str, list] = {}
    for person in people:
        by_language.setdefault(person.language, []).append(person)
    messages = []
    for language, group in by_language.items():
        with translation.override(language):
            report = build_regional_report(region=region, period=period)
            subject = _("Event-management report: %(region)s, %(period)s") % {
                "region": region,
                "period": period.label(),
            }
            attachments = [
                (report_filename(report, "pdf"), render_report_pdf(report), "application/pdf"),
                (report_filename(report, "xlsx"), render_report_xlsx(report), XLSX),
            ]
        for person in group:
            message = EmailMessage(
                subject=subject,
                body=subject,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[person.email],
            )
            for attachment in attachments:
                message.attach(*attachment)
            messages.append(message)
    return messages


def send_monthly_reports(*, now: datetime) -> int:
    """Mail every region's report of the month before `now`; returns how many regions got one.

    Safe to re-run: a region's period is recorded in the same transaction as its mail is sent,
    so a region already sent is skipped and a failed sending is tried again on the next run.
    """
    period = Period.month_of(timezone.localdate(now)).previous()
    sent = 0
    for region in Region.objects.all():
        with transaction.atomic():
            dispatch, created = ReportDispatch.objects.get_or_create(
                region=region, period=period.key, defaults={"sent_at": now, "recipients": 0}
            )
            if not created:
                continue
            messages = _messages(region, period, _recipients(region))
            for message in messages:
                message.send()
            dispatch.recipients = len(messages)
            dispatch.full_clean()
            dispatch.save(update_fields=["recipients"])
        sent += 1
    return sent
