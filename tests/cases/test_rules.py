"""The rules the services enforce for every interface: who may edit, pause, link, comment and
attach, and that each such change counts as a new version of the case."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.conftest import at
from tierdesk.cases import attachments, problems, workflow
from tierdesk.cases.enums import Action, EventKind, Priority, WaitingOn
from tierdesk.cases.models import CaseEvent


@pytest.fixture
def east_case(open_case, field_engineer):
    return open_case(field_engineer)


def test_north_field_engineer_cannot_touch_an_east_case_in_any_way(east_case, north_field_engineer):
    attempts = [
        lambda: workflow.comment(
            east_case, by=north_field_engineer, text="hello", internal=True, now=at(hours=1)
        ),
        lambda: workflow.update_case(
            east_case, by=north_field_engineer, changes={"title": "x"}, now=at(hours=1)
        ),
        lambda: workflow.wait_for(
            east_case, by=north_field_engineer, waiting_on=WaitingOn.CUSTOMER, now=at(hours=1)
        ),
        lambda: attachments.add_attachment(
            east_case,
            by=north_field_engineer,
            upload=SimpleUploadedFile("log.txt", b"boot ok\n"),
            internal=True,
            now=at(hours=1),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert list(CaseEvent.objects.filter(case=east_case).values_list("kind", flat=True)) == [
        EventKind.CREATED
    ]


def test_regional_support_edits_the_priority_and_the_history_keeps_old_and_new(
    east_case, regional_support
):
    workflow.update_case(
        east_case, by=regional_support, changes={"priority": Priority.P2}, now=at(hours=1)
    )
    change = CaseEvent.objects.get(case=east_case, kind=EventKind.FIELD_CHANGED)
    assert (change.field, change.old_value, change.new_value) == ("priority", "P3", "P2")
    assert change.actor == regional_support


def test_rd_engineer_who_never_had_the_case_may_not_pause_it(east_case, rd_engineer, supervisor):
    # The supervisor sees everything, R&D only what reached it: R&D gets "not yours".
    with pytest.raises(PermissionDenied):
        workflow.wait_for(east_case, by=rd_engineer, waiting_on=WaitingOn.CUSTOMER, now=at())
    workflow.wait_for(east_case, by=supervisor, waiting_on=WaitingOn.CUSTOMER, now=at())
    east_case.refresh_from_db()
    assert east_case.waiting_on == WaitingOn.CUSTOMER


def test_vendor_contact_may_comment_but_never_internally_and_never_edit(
    open_case,
    video_product,
    video_vendor,
    field_engineer,
    regional_support,
    line2_engineer,
    integration_pm,
    vendor_contact,
):
    case = open_case(field_engineer, product=video_product)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="a")
    workflow.perform(case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="b")
    workflow.perform(
        case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=at(hours=3),
        text="Encoder firmware",
        classification="partner_product",
        vendor=video_vendor,
        coordinator=integration_pm,
    )

    note = workflow.comment(
        case, by=vendor_contact, text="Patch 2.1.7 fixes it", internal=True, now=at(hours=4)
    )
    upload = attachments.add_attachment(
        case,
        by=vendor_contact,
        upload=SimpleUploadedFile("patch.txt", b"notes\n"),
        internal=True,
        now=at(hours=4),
    )

    assert (note.is_internal, upload.is_internal) == (False, False)
    with pytest.raises(PermissionDenied):
        workflow.update_case(case, by=vendor_contact, changes={"title": "x"}, now=at(hours=5))


def test_an_attachment_counts_as_a_change_so_a_stale_form_is_refused(east_case, field_engineer):
    version = east_case.version
    attachments.add_attachment(
        east_case,
        by=field_engineer,
        upload=SimpleUploadedFile("log.txt", b"boot ok\n"),
        internal=True,
        now=at(hours=1),
    )
    east_case.refresh_from_db()
    assert east_case.version == version + 1
    with pytest.raises(workflow.ConflictError):
        workflow.update_case(
            east_case,
            by=field_engineer,
            changes={"title": "FSU offline again"},
            now=at(hours=2),
            expected_version=version,
        )


def test_linking_a_problem_checks_the_version_and_refuses_linking_twice(
    east_case, field_engineer, line2_engineer
):
    problem = problems.open_problem(by=line2_engineer, title="Firmware hangs", now=at())
    version = east_case.version
    problems.link_case(
        east_case, problem=problem, by=field_engineer, now=at(hours=1), expected_version=version
    )
    with pytest.raises(workflow.ConflictError):
        problems.link_case(
            east_case, problem=problem, by=field_engineer, now=at(hours=2), expected_version=version
        )
    link = CaseEvent.objects.get(case=east_case, kind=EventKind.PROBLEM_LINKED)
    assert link.new_value == str(problem)


def test_only_line1_and_line2_open_cases(open_case, rd_engineer, vendor_contact, field_engineer):
    for outsider in (rd_engineer, vendor_contact):
        with pytest.raises(PermissionDenied):
            open_case(outsider)
    assert open_case(field_engineer).reporter == field_engineer
