"""The vendor coordination record: who sets the targets and writes which entries, the history
rows on the case, and the targets' clock."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.cases.conftest import at
from tests.vendors.conftest import FIX_DUE, HOUR, RESPONSE_DUE
from tierdesk.cases.enums import EventKind
from tierdesk.vendors import services
from tierdesk.vendors.enums import Change, EntryKind, TargetState
from tierdesk.vendors.models import VendorCoordination


def coordination_events(case):
    return list(case.events.filter(kind=EventKind.VENDOR_COORDINATION).order_by("at", "id"))


def test_coordinator_sets_ticket_and_targets_and_the_vendor_reads_them(
    line3_case, integration_pm, video_vendor
):
    record = services.set_targets(
        line3_case,
        by=integration_pm,
        now=at(hours=5),
        vendor_ticket="HSD-20260302-17",
        response_due_at=RESPONSE_DUE,
        fix_due_at=FIX_DUE,
    )
    assert record.vendor == video_vendor
    assert record.coordinator == integration_pm
    assert record.vendor_ticket == "HSD-20260302-17"
    assert record.response_state(at(hours=6)) == TargetState.DUE
    assert record.response_state(at(hours=9)) == TargetState.OVERDUE
    [event] = coordination_events(line3_case)
    assert event.action == Change.TARGETS
    assert "HSD-20260302-17" in event.text
    assert event.is_internal is False


@pytest.mark.parametrize(
    "persona", ["line2_engineer", "vendor_contact", "presales_engineer", "regional_support"]
)
def test_only_the_coordinator_sets_targets(request, line3_case, persona):
    with pytest.raises(PermissionDenied):
        services.set_targets(
            line3_case,
            by=request.getfixturevalue(persona),
            now=at(hours=5),
            response_due_at=RESPONSE_DUE,
        )
    assert not VendorCoordination.objects.exists()


def test_the_vendor_contact_may_note_its_own_ticket_number(line3_case, vendor_contact):
    record = services.set_targets(
        line3_case, by=vendor_contact, now=at(hours=5), vendor_ticket="HSD-9"
    )
    assert record.vendor_ticket == "HSD-9"


def test_fix_cannot_be_due_before_the_response(line3_case, integration_pm):
    with pytest.raises(ValidationError):
        services.set_targets(
            line3_case,
            by=integration_pm,
            now=at(hours=5),
            response_due_at=FIX_DUE,
            fix_due_at=RESPONSE_DUE,
        )


def test_requests_and_answers_are_entries_and_customer_safe_case_events(
    line3_case, integration_pm, vendor_contact, line2_engineer
):
    services.set_targets(
        line3_case,
        by=integration_pm,
        now=at(hours=5),
        response_due_at=RESPONSE_DUE,
        fix_due_at=FIX_DUE,
    )
    services.add_entry(
        line3_case,
        by=integration_pm,
        kind=EntryKind.REQUEST,
        text="请提供 NVR 日志分析。",
        now=at(hours=5),
    )
    services.add_entry(
        line3_case, by=line2_engineer, kind=EntryKind.NOTE, text="客户很着急。", now=at(hours=6)
    )
    answer = services.add_entry(
        line3_case,
        by=vendor_contact,
        kind=EntryKind.ANSWER,
        text="已收到，今晚远程排查。",
        now=at(hours=7),
    )
    record = answer.record
    record.refresh_from_db()
    assert record.first_answer_at == at(hours=7)
    assert record.response_state(at(hours=20)) == TargetState.MET
    assert record.fix_state(at(days=4)) == TargetState.OVERDUE

    events = coordination_events(line3_case)
    assert [e.action for e in events] == [
        Change.TARGETS,
        Change.REQUEST,
        Change.NOTE,
        Change.ANSWER,
    ]
    assert [e.is_internal for e in events] == [False, False, True, False]
    assert "已收到，今晚远程排查。" in events[-1].text
    assert answer.case_event == events[-1]


def test_a_late_first_answer_misses_the_response_target(line3_case, integration_pm, vendor_contact):
    services.set_targets(
        line3_case, by=integration_pm, now=at(hours=5), response_due_at=RESPONSE_DUE
    )
    services.add_entry(
        line3_case, by=vendor_contact, kind=EntryKind.ANSWER, text="晚了", now=RESPONSE_DUE + HOUR
    )
    record = VendorCoordination.objects.get()
    assert record.response_state(at(days=1)) == TargetState.MISSED


def test_the_fix_entry_meets_the_fix_target(line3_case, integration_pm, vendor_contact):
    services.set_targets(line3_case, by=integration_pm, now=at(hours=5), fix_due_at=FIX_DUE)
    services.add_entry(
        line3_case, by=vendor_contact, kind=EntryKind.FIX, text="固件 V2.3 已修复。", now=at(days=2)
    )
    record = VendorCoordination.objects.get()
    assert record.fixed_at == at(days=2)
    assert record.fix_state(at(days=5)) == TargetState.MET


@pytest.mark.parametrize(
    ("persona", "kind"),
    [
        ("vendor_contact", EntryKind.REQUEST),
        ("vendor_contact", EntryKind.NOTE),
        ("line2_engineer", EntryKind.ANSWER),
        ("regional_support", EntryKind.REQUEST),
        ("presales_engineer", EntryKind.REQUEST),
    ],
)
def test_each_side_writes_only_its_own_kind_of_entry(request, line3_case, persona, kind):
    with pytest.raises((PermissionDenied, ValidationError)):
        services.add_entry(
            line3_case, by=request.getfixturevalue(persona), kind=kind, text="x", now=at(hours=5)
        )


def test_another_vendors_contact_cannot_touch_the_record(line3_case, other_vendor_contact):
    with pytest.raises(PermissionDenied):
        services.add_entry(
            line3_case, by=other_vendor_contact, kind=EntryKind.ANSWER, text="x", now=at(hours=5)
        )


def test_a_case_not_at_line_three_has_no_record(open_video_case, integration_pm, line2_engineer):
    case = open_video_case()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.add_entry(
            case, by=line2_engineer, kind=EntryKind.REQUEST, text="x", now=at(hours=5)
        )


def test_the_vendor_reads_only_customer_safe_entries(line3_case, integration_pm, vendor_contact):
    services.add_entry(
        line3_case, by=integration_pm, kind=EntryKind.REQUEST, text="请排查", now=at(hours=5)
    )
    services.add_entry(
        line3_case, by=integration_pm, kind=EntryKind.NOTE, text="厂家响应慢", now=at(hours=6)
    )
    record = VendorCoordination.objects.get()
    assert [e.text for e in services.entries_visible_to(record, vendor_contact)] == ["请排查"]
    assert len(services.entries_visible_to(record, integration_pm)) == 2


def test_overdue_lists_records_whose_vendor_missed_a_target(
    line3_case, other_line3_case, integration_pm, presales_engineer, vendor_contact
):
    services.set_targets(
        line3_case, by=integration_pm, now=at(hours=5), response_due_at=RESPONSE_DUE
    )
    services.set_targets(
        other_line3_case, by=presales_engineer, now=at(hours=5), response_due_at=RESPONSE_DUE
    )
    services.add_entry(
        line3_case, by=vendor_contact, kind=EntryKind.ANSWER, text="收到", now=at(hours=6)
    )
    overdue = VendorCoordination.objects.overdue(at(days=1))
    assert [r.case for r in overdue] == [other_line3_case]
    assert VendorCoordination.objects.overdue(at(hours=7)).count() == 0


def test_setting_nothing_is_refused(line3_case, integration_pm):
    with pytest.raises(ValidationError):
        services.set_targets(line3_case, by=integration_pm, now=at(hours=5))
    assert not line3_case.events.filter(kind=EventKind.VENDOR_COORDINATION).exists()
