"""Who hears about what: one test per rule, then the filters every rule shares."""

import pytest

from tests.factories import UserFactory
from tests.notifications.conftest import FIXED, planned
from tierdesk.cases import sla_scan, workflow
from tierdesk.cases.enums import Action, Classification
from tierdesk.notifications import services
from tierdesk.notifications.enums import NotificationKind as Kind
from tierdesk.notifications.planning import may_receive
from tierdesk.organization.models import RoleCode


def escalate_to_line2(case, field_engineer, regional_support):
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源")
    workflow.assign(case, by=regional_support, to=regional_support, now=FIXED)
    return workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=FIXED, text="配置正常，仍离线"
    )


@pytest.fixture
def line2_case(open_case, field_engineer, regional_support, line2_engineer, service_manager):
    """A case escalated to line 2 and given to carol by her manager; earlier mail is cleared."""
    case = open_case(field_engineer)
    escalate_to_line2(case, field_engineer, regional_support)
    workflow.assign(case, by=service_manager, to=line2_engineer, now=FIXED)
    planned()
    return case


def test_regional_support_of_the_case_region_hears_of_an_escalation_from_the_field(
    open_case, field_engineer, regional_support, north
):
    UserFactory(username="nick", roles=[RoleCode.REGIONAL_SUPPORT], region=north)
    case = open_case(field_engineer)

    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源")

    assert planned(case) == {(Kind.ESCALATED, "bob")}


def test_every_line2_engineer_hears_of_an_escalation_while_line2_has_no_owner(
    open_case, field_engineer, regional_support, line2_engineer, service_manager
):
    case = open_case(field_engineer)

    event = escalate_to_line2(case, field_engineer, regional_support)

    assert planned(event=event) == {(Kind.ESCALATED, "carol"), (Kind.ESCALATED, "mike")}


def test_only_the_line2_owner_hears_of_an_escalation_once_line2_has_an_owner(
    open_case, field_engineer, regional_support, line2_engineer, service_manager
):
    case = open_case(field_engineer)
    type(case).objects.filter(pk=case.pk).update(line2_owner=line2_engineer)

    event = escalate_to_line2(case, field_engineer, regional_support)

    assert planned(event=event) == {(Kind.ESCALATED, "carol")}


def test_new_owner_hears_of_an_assignment_unless_they_took_the_case_themselves(
    open_case, field_engineer, regional_support, line2_engineer, service_manager
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源")
    took_it = workflow.assign(case, by=regional_support, to=regional_support, now=FIXED)
    workflow.perform(case, action=Action.ESCALATE, by=regional_support, now=FIXED, text="仍离线")

    given = workflow.assign(case, by=service_manager, to=line2_engineer, now=FIXED)

    assert planned(event=took_it) == set()
    assert planned(event=given) == {(Kind.ASSIGNED, "carol")}


def test_specialists_hear_of_a_hand_over_and_the_line2_owner_of_the_hand_back(
    line2_case, line2_engineer, rd_engineer
):
    to_rd = workflow.perform(
        line2_case,
        action=Action.TRANSFER_RD,
        by=line2_engineer,
        now=FIXED,
        text="固件缺陷",
        classification=Classification.PRODUCT_DEFECT,
    )
    back = workflow.perform(
        line2_case, action=Action.HAND_BACK, by=rd_engineer, now=FIXED, text="补丁 V2.1.3 修复"
    )

    assert planned(event=to_rd) == {(Kind.ESCALATED, "dave")}
    assert planned(event=back) == {(Kind.HANDED_BACK, "carol")}


def test_reporter_and_line1_owner_hear_of_the_resolution_but_not_the_resolver(
    line2_case, line2_engineer
):
    resolved = workflow.perform(
        line2_case, action=Action.RESOLVE, by=line2_engineer, now=FIXED, text="更换主板"
    )

    assert planned(event=resolved) == {(Kind.RESOLVED, "alice"), (Kind.RESOLVED, "bob")}


def test_owner_hears_that_a_case_is_reopened(line2_case, line2_engineer, supervisor):
    workflow.perform(line2_case, action=Action.RESOLVE, by=line2_engineer, now=FIXED, text="修复")

    reopened = workflow.perform(
        line2_case, action=Action.REOPEN, by=supervisor, now=FIXED, text="客户反馈仍离线"
    )

    assert planned(event=reopened) == {(Kind.REOPENED, "carol")}


def test_sla_breach_goes_to_the_owner_the_line2_owner_and_every_supervisor(
    line2_case, line2_engineer, rd_engineer, supervisor
):
    UserFactory(username="sue", roles=[RoleCode.SUPERVISOR])
    workflow.perform(
        line2_case,
        action=Action.TRANSFER_RD,
        by=line2_engineer,
        now=FIXED,
        text="固件缺陷",
        classification=Classification.PRODUCT_DEFECT,
    )
    workflow.assign(line2_case, by=rd_engineer, to=rd_engineer, now=FIXED)
    planned()

    sla_scan.scan(now=FIXED.replace(year=2027))

    expected = {"dave", "carol", "sam", "sue"}
    assert planned(line2_case, kind=Kind.SLA_BREACH) == {(Kind.SLA_BREACH, u) for u in expected}
    assert planned(line2_case, kind=Kind.SLA_WARNING) == {(Kind.SLA_WARNING, u) for u in expected}


def test_owner_hears_of_customer_visible_comments_only(open_case, field_engineer, regional_support):
    case = open_case(field_engineer)

    visible = workflow.comment(
        case, by=regional_support, text="客户已确认", internal=False, now=FIXED
    )
    internal = workflow.comment(
        case, by=regional_support, text="内部记录", internal=True, now=FIXED
    )
    own = workflow.comment(case, by=field_engineer, text="已到现场", internal=False, now=FIXED)

    assert planned(event=visible) == {(Kind.COMMENT, "alice")}
    assert planned(event=internal) == set()
    assert planned(event=own) == set()


def test_a_kind_switched_off_is_not_planned_for_that_person(line2_case, line2_engineer):
    services.set_preferences(user=line2_case.reporter, enabled={Kind.RESOLVED: False})

    resolved = workflow.perform(
        line2_case, action=Action.RESOLVE, by=line2_engineer, now=FIXED, text="更换主板"
    )

    assert planned(event=resolved) == {(Kind.RESOLVED, "bob")}


def test_people_who_cannot_receive_mail_are_never_planned(
    open_case, field_engineer, regional_support, east
):
    regional_support.email = ""
    regional_support.save()
    UserFactory(username="retired", roles=[RoleCode.REGIONAL_SUPPORT], region=east, is_active=False)
    UserFactory(
        username="mail-robot",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=east,
        is_service_account=True,
    )
    case = open_case(field_engineer)

    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源")

    assert planned(case) == set()


@pytest.fixture
def vendor_case(
    open_case,
    field_engineer,
    regional_support,
    line2_engineer,
    service_manager,
    video_product,
    video_vendor,
    presales_engineer,
):
    case = open_case(field_engineer, product=video_product)
    escalate_to_line2(case, field_engineer, regional_support)
    workflow.assign(case, by=service_manager, to=line2_engineer, now=FIXED)
    planned()
    return case


def test_vendor_contacts_and_the_coordinator_hear_of_the_hand_over_to_their_vendor(
    vendor_case, line2_engineer, video_vendor, presales_engineer, vendor_contact
):
    handed = workflow.perform(
        vendor_case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=FIXED,
        text="NVR 录像丢失，需厂家分析",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )

    assert planned(event=handed) == {(Kind.ESCALATED, "victor"), (Kind.ESCALATED, "erin")}


def test_vendor_contacts_may_receive_only_customer_safe_entries(
    vendor_case, line2_engineer, vendor_contact, video_vendor, presales_engineer
):
    workflow.perform(
        vendor_case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=FIXED,
        text="需厂家分析",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    internal = workflow.comment(
        vendor_case, by=line2_engineer, text="内部：合同到期", internal=True, now=FIXED
    )
    safe = workflow.comment(
        vendor_case, by=line2_engineer, text="请提供日志", internal=False, now=FIXED
    )

    assert not may_receive(vendor_contact, internal)
    assert may_receive(vendor_contact, safe)
    assert may_receive(presales_engineer, internal)
