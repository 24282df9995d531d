"""The monthly mailing of each region's report: once per region and month, with attachments."""

from django.core import mail

from tests.factories import UserFactory
from tests.reports.conftest import march
from tierdesk.assessment.models import ReportDispatch
from tierdesk.organization.models import RoleCode
from tierdesk.reports.dispatch import send_monthly_reports


def test_each_region_member_gets_last_months_report_once(
    east_march, field_engineer, regional_support, north
):
    UserFactory(username="ella", roles=[RoleCode.FIELD_ENGINEER], region=north, language="en")
    UserFactory(username="gone", region=north, is_active=False)

    assert send_monthly_reports(now=march(1, 8, month=4)) == 2

    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.com",
        "bob@example.com",
        "ella@example.com",
    ]
    english = next(message for message in mail.outbox if message.to == ["ella@example.com"])
    assert english.subject == "Event-management report: North China, 2026-03"
    names = [name for name, _content, _type in english.attachments]
    assert names == ["tierdesk-north-2026-03.pdf", "tierdesk-north-2026-03.xlsx"]
    assert english.attachments[0][1].startswith(b"%PDF")
    assert ReportDispatch.objects.get(region=north, period="2026-03").recipients == 1

    # The job runs every hour: the same month is not sent again.
    assert send_monthly_reports(now=march(1, 9, month=4)) == 0
    assert len(mail.outbox) == 3
