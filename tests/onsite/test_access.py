"""Who sees an on-site application: whoever sees its case, Engineering Service once it is
submitted, the dispatched engineer; partner vendors never."""

import pytest
from django.http import Http404

from tierdesk.onsite import access
from tierdesk.onsite.enums import State


def visible(user) -> set[str]:
    return set(access.applications_visible_to(user).values_list("serial", flat=True))


def test_the_applicants_region_sees_the_draft_others_do_not(
    draft, regional_support, field_engineer, north_support, north_field_engineer, service_manager
):
    assert visible(regional_support) == {draft.serial}
    assert visible(field_engineer) == {draft.serial}  # same region as the case
    assert visible(north_support) == set()
    assert visible(north_field_engineer) == set()
    assert visible(service_manager) == set()  # a draft is still the region's own


def test_engineering_service_sees_it_once_submitted(bring_to, service_manager, line2_engineer):
    application = bring_to(State.SUBMITTED)
    assert visible(service_manager) == {application.serial}
    assert visible(line2_engineer) == {application.serial}


def test_specialists_and_vendors_never_see_it(
    bring_to, rd_engineer, presales_engineer, vendor_contact
):
    application = bring_to(State.DISPATCHED)
    assert application.serial not in visible(rd_engineer)
    assert application.serial not in visible(presales_engineer)
    assert visible(vendor_contact) == set()


def test_supervisors_see_everything(draft, supervisor):
    assert visible(supervisor) == {draft.serial}


def test_access_application_answers_404_for_what_one_may_not_see(draft, north_support):
    with pytest.raises(Http404):
        access.access_application(north_support, draft.pk)


def test_the_case_page_lists_what_the_rule_shows_to_everyone_who_sees_the_case(
    bring_to, regional_support, field_engineer, line2_engineer, supervisor, vendor_contact
):
    from tierdesk.cases.access import cases_visible_to

    application = bring_to(State.SUBMITTED)
    case = application.case
    for user in (regional_support, field_engineer, line2_engineer, supervisor):
        assert cases_visible_to(user).filter(pk=case.pk).exists(), user
        by_rule = access.applications_visible_to(user).filter(case=case)
        assert set(access.applications_of_seen_case(case, user)) == set(by_rule), user
    assert not access.applications_of_seen_case(case, vendor_contact).exists()
