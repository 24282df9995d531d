"""Who is offered the reports: the menu's question, asked on every page."""

import pytest

from tierdesk.organization.models import Region, User
from tierdesk.reports.access import may_read_reports


@pytest.mark.django_db
def test_line1_reads_its_region_and_line2_reads_every_region_while_there_is_one(
    field_engineer, line2_engineer, vendor_contact, django_assert_num_queries
):
    assert field_engineer.role_codes  # as the page's sign-in has already read them
    with django_assert_num_queries(0):
        assert may_read_reports(field_engineer)
    assert may_read_reports(line2_engineer)
    assert not may_read_reports(vendor_contact)

    User.objects.exclude(region=None).delete()
    Region.objects.all().delete()

    assert not may_read_reports(line2_engineer)
