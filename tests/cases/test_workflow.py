"""The three-line workflow: every route of the process chart, the history it writes, and the
guards a user runs into (findings, classifications, vendors, roles, stale versions, files)."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection

from tests.cases.conftest import FIXED, at
from tests.factories import UserFactory, VendorFactory
from tierdesk.cases import attachments, problems, workflow
from tierdesk.cases.enums import Action, Classification, EventKind, Priority, Status
from tierdesk.cases.models import AppendOnlyError, Attachment, Case, CaseEvent
from tierdesk.organization.models import ProductCategory, RoleCode

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def transitions(case):
    return list(CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).order_by("id"))


def escalate_to_line2(case, *, field_engineer, regional_support, line2_engineer):
    """Field -> regional -> line 2, where the line-2 engineer takes the case."""
    workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="Power is fine."
    )
    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="Config ok."
    )
    workflow.assign(case, by=line2_engineer, to=line2_engineer, now=at(hours=3))
    case.refresh_from_db()
    return case


@pytest.fixture
def line2_case(open_case, field_engineer, regional_support, line2_engineer):
    case = open_case(field_engineer)
    return escalate_to_line2(
        case,
        field_engineer=field_engineer,
        regional_support=regional_support,
        line2_engineer=line2_engineer,
    )


@pytest.fixture
def video_line2_case(
    open_case, video_product, video_version, field_engineer, regional_support, line2_engineer
):
    case = open_case(field_engineer, product=video_product, product_version=video_version)
    return escalate_to_line2(
        case,
        field_engineer=field_engineer,
        regional_support=regional_support,
        line2_engineer=line2_engineer,
    )


# --- the routes of the chart -------------------------------------------------------------------


def test_field_engineer_resolves_the_case_on_site(open_case, field_engineer):
    case = open_case(field_engineer)
    assert (case.status, case.line, case.owner) == (Status.FIELD, 1, field_engineer)

    workflow.perform(
        case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="Reseated the cable."
    )

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert case.resolution == "Reseated the cable."
    assert case.resolved_at == at(hours=1)


def test_field_escalates_with_findings_and_regional_support_resolves(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="Power checked."
    )
    case.refresh_from_db()
    assert (case.status, case.line) == (Status.REGIONAL, 1)

    workflow.perform(
        case, action=Action.RESOLVE, by=regional_support, now=at(hours=2), text="Fixed config."
    )
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert [e.text for e in transitions(case)] == ["Power checked.", "Fixed config."]


def test_regional_escalates_to_line2_where_an_engineer_takes_and_resolves_it(
    open_case, field_engineer, regional_support, line2_engineer
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="a")
    workflow.perform(case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="b")
    case.refresh_from_db()
    assert (case.status, case.line, case.owner) == (Status.LINE2, 2, None)

    event = workflow.assign(case, by=line2_engineer, to=line2_engineer, now=at(hours=3))
    case.refresh_from_db()
    assert event.kind == EventKind.ASSIGNED
    assert case.owner == line2_engineer
    assert case.line2_owner == line2_engineer

    workflow.perform(
        case, action=Action.RESOLVE, by=line2_engineer, now=at(hours=4), text="Firmware patch."
    )
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


@pytest.mark.parametrize(
    ("action", "classification", "specialist", "status"),
    [
        (
            Action.TRANSFER_RD,
            Classification.PRODUCT_DEFECT,
            "rd_engineer",
            Status.RD,
        ),
        (
            Action.TRANSFER_PRESALES,
            Classification.SOLUTION_DEFECT,
            "presales_engineer",
            Status.PRESALES,
        ),
        (
            Action.TRANSFER_PRODUCT,
            Classification.REQUIREMENT,
            "product_manager",
            Status.PRODUCT,
        ),
    ],
)
def test_line2_hands_to_a_specialist_who_hands_back_to_the_line2_owner(
    request, line2_case, line2_engineer, action, classification, specialist, status
):
    specialist = request.getfixturevalue(specialist)
    case = line2_case

    # Without the matching classification the hand-over is refused and nothing moves.
    with pytest.raises(ValidationError) as error:
        workflow.perform(case, action=action, by=line2_engineer, now=at(hours=4), text="logs")
    assert "classification" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.LINE2

    workflow.perform(
        case,
        action=action,
        by=line2_engineer,
        now=at(hours=4),
        text="Reproduced in the lab.",
        classification=classification,
    )
    case.refresh_from_db()
    assert (case.status, case.line, case.classification) == (status, 2, classification)
    assert case.owner is None
    assert case.line2_owner == line2_engineer

    workflow.perform(
        case, action=Action.HAND_BACK, by=specialist, now=at(hours=5), text="Fixed in V1.2."
    )
    case.refresh_from_db()
    assert case.status == Status.LINE2
    assert case.owner == line2_engineer
    last = transitions(case)[-1]
    assert (last.actor, last.from_status, last.to_status) == (specialist, status, Status.LINE2)


def test_line2_hands_to_integration_pm_for_an_integration_product(line2_case, integration_pm):
    line2 = line2_case.line2_owner
    workflow.perform(
        line2_case,
        action=Action.TRANSFER_PRODUCT,
        by=line2,
        now=at(hours=4),
        text="Needs a spec decision.",
        classification=Classification.INTEGRATION_PRODUCT,
    )
    workflow.perform(
        line2_case, action=Action.HAND_BACK, by=integration_pm, now=at(hours=5), text="Decided."
    )
    line2_case.refresh_from_db()
    assert (line2_case.status, line2_case.owner) == (Status.LINE2, line2)


def test_vendor_route_needs_partner_classification_covering_vendor_and_coordinator(
    video_line2_case, line2_engineer, video_vendor, vendor_contact, presales_engineer
):
    case = video_line2_case

    def transfer(**kwargs):
        return workflow.perform(
            case,
            action=Action.TRANSFER_VENDOR,
            by=line2_engineer,
            now=at(hours=4),
            text="Video stream drops; vendor firmware.",
            **kwargs,
        )

    with pytest.raises(ValidationError) as error:
        transfer(vendor=video_vendor, coordinator=presales_engineer)
    assert "classification" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        transfer(
            classification=Classification.PARTNER_PRODUCT,
            vendor=VendorFactory(name="动环厂家", categories=[ProductCategory.POWER_ENVIRONMENT]),
            coordinator=presales_engineer,
        )
    assert "vendor" in error.value.message_dict

    case.refresh_from_db()
    assert case.status == Status.LINE2
    assert case.vendor is None

    transfer(
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    case.refresh_from_db()
    assert (case.status, case.line) == (Status.VENDOR, 3)
    assert case.vendor == video_vendor
    assert case.coordinator == presales_engineer
    assert case.line3_category == ProductCategory.VIDEO
    # Line 2 stays accountable while the vendor works.
    assert case.owner == line2_engineer
    assert case.line2_owner == line2_engineer

    workflow.perform(
        case, action=Action.HAND_BACK, by=vendor_contact, now=at(hours=6), text="New firmware."
    )
    case.refresh_from_db()
    assert (case.status, case.line, case.owner) == (Status.LINE2, 2, line2_engineer)


def test_vendor_coordinator_must_be_presales_or_integration_pm(
    video_line2_case, line2_engineer, video_vendor, product_manager, integration_pm
):
    with pytest.raises(ValidationError) as error:
        workflow.perform(
            video_line2_case,
            action=Action.TRANSFER_VENDOR,
            by=line2_engineer,
            now=at(hours=4),
            text="Vendor issue.",
            classification=Classification.PARTNER_PRODUCT,
            vendor=video_vendor,
            coordinator=product_manager,
        )
    assert "coordinator" in error.value.message_dict
    video_line2_case.refresh_from_db()
    assert video_line2_case.status == Status.LINE2

    workflow.perform(
        video_line2_case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=at(hours=4),
        text="Vendor issue.",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=integration_pm,
    )
    video_line2_case.refresh_from_db()
    assert video_line2_case.coordinator == integration_pm


def test_own_product_cannot_go_to_a_vendor(
    line2_case, line2_engineer, video_vendor, presales_engineer
):
    with pytest.raises(ValidationError) as error:
        workflow.perform(
            line2_case,
            action=Action.TRANSFER_VENDOR,
            by=line2_engineer,
            now=at(hours=4),
            text="Vendor?",
            classification=Classification.PARTNER_PRODUCT,
            vendor=video_vendor,
            coordinator=presales_engineer,
        )
    assert "vendor" in error.value.message_dict


def test_contact_of_another_vendor_cannot_hand_back(
    video_line2_case, line2_engineer, video_vendor, presales_engineer
):
    workflow.perform(
        video_line2_case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=at(hours=4),
        text="Vendor issue.",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    other = VendorFactory(name="另一视频厂家", categories=[ProductCategory.VIDEO])
    stranger = UserFactory(username="otto", roles=[RoleCode.VENDOR_CONTACT], vendor=other)

    with pytest.raises(PermissionDenied):
        workflow.perform(
            video_line2_case, action=Action.HAND_BACK, by=stranger, now=at(hours=5), text="Hi."
        )
    video_line2_case.refresh_from_db()
    assert video_line2_case.status == Status.VENDOR


def test_reopen_returns_to_the_resolving_line_and_close_ends_the_case(
    line2_case, line2_engineer, regional_support
):
    case = line2_case
    workflow.perform(case, action=Action.RESOLVE, by=line2_engineer, now=at(hours=4), text="Fix")

    # Follow-up: the customer is not satisfied.
    with pytest.raises(ValidationError) as error:
        workflow.perform(case, action=Action.REOPEN, by=regional_support, now=at(hours=5))
    assert "text" in error.value.message_dict
    workflow.perform(
        case, action=Action.REOPEN, by=regional_support, now=at(hours=5), text="Still offline."
    )
    case.refresh_from_db()
    assert (case.status, case.line, case.owner) == (Status.LINE2, 2, line2_engineer)
    assert case.resolved_at is None

    workflow.perform(case, action=Action.RESOLVE, by=line2_engineer, now=at(hours=6), text="Fix2")
    workflow.perform(case, action=Action.CLOSE, by=regional_support, now=at(hours=7))
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.closed_at == at(hours=7)
    assert [(e.from_status, e.to_status) for e in transitions(case)][-4:] == [
        (Status.LINE2, Status.RESOLVED),
        (Status.RESOLVED, Status.LINE2),
        (Status.LINE2, Status.RESOLVED),
        (Status.RESOLVED, Status.CLOSED),
    ]


def test_reopen_of_a_case_resolved_at_the_field_returns_to_the_field(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.RESOLVE, by=field_engineer, now=at(hours=1), text="ok")
    workflow.perform(
        case, action=Action.REOPEN, by=regional_support, now=at(hours=2), text="Not ok."
    )
    case.refresh_from_db()
    assert (case.status, case.line, case.owner) == (Status.FIELD, 1, field_engineer)


# --- guards ------------------------------------------------------------------------------------


def test_escalation_without_findings_is_refused_and_writes_no_event(open_case, field_engineer):
    case = open_case(field_engineer)
    before = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ValidationError) as error:
        workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text=" ")

    assert "text" in error.value.message_dict
    assert CaseEvent.objects.filter(case=case).count() == before
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.FIELD, 1)


def test_field_engineer_cannot_take_line2_actions(line2_case, field_engineer):
    with pytest.raises(PermissionDenied):
        workflow.perform(
            line2_case, action=Action.RESOLVE, by=field_engineer, now=at(hours=4), text="Mine."
        )
    with pytest.raises(PermissionDenied):
        workflow.perform(
            line2_case,
            action=Action.TRANSFER_RD,
            by=field_engineer,
            now=at(hours=4),
            text="Defect.",
            classification=Classification.PRODUCT_DEFECT,
        )
    with pytest.raises(PermissionDenied):
        workflow.assign(line2_case, by=field_engineer, to=field_engineer, now=at(hours=4))
    line2_case.refresh_from_db()
    assert line2_case.status == Status.LINE2
    assert line2_case.classification == ""


def test_field_engineer_of_another_region_cannot_act(
    open_case, field_engineer, north_field_engineer
):
    case = open_case(field_engineer)
    with pytest.raises(PermissionDenied):
        workflow.perform(
            case, action=Action.RESOLVE, by=north_field_engineer, now=at(hours=1), text="x"
        )


def test_every_transition_writes_one_event_with_actor_statuses_lines_and_text(
    open_case, field_engineer, regional_support, line2_engineer, rd_engineer
):
    case = open_case(field_engineer)
    steps = [
        (Action.ESCALATE, field_engineer, "f1", {}),
        (Action.ESCALATE, regional_support, "f2", {}),
        (Action.TRANSFER_RD, line2_engineer, "f3", {"classification": "product_defect"}),
        (Action.HAND_BACK, rd_engineer, "f4", {}),
        (Action.RESOLVE, line2_engineer, "f5", {}),
    ]
    expected = [
        (Status.FIELD, Status.REGIONAL, 1, 1),
        (Status.REGIONAL, Status.LINE2, 1, 2),
        (Status.LINE2, Status.RD, 2, 2),
        (Status.RD, Status.LINE2, 2, 2),
        (Status.LINE2, Status.RESOLVED, 2, 2),
    ]
    for hour, (action, actor, text, extra) in enumerate(steps, start=1):
        before = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).count()
        version = Case.objects.get(pk=case.pk).version
        returned = workflow.perform(
            case, action=action, by=actor, now=at(hours=hour), text=text, **extra
        )
        assert CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).count() == before + 1
        assert Case.objects.get(pk=case.pk).version == version + 1
        assert returned.actor == actor
        assert returned.text == text
        assert returned.at == at(hours=hour)

    rows = transitions(case)
    assert [(e.from_status, e.to_status, e.from_line, e.to_line) for e in rows] == expected
    assert [e.actor for e in rows] == [actor for _, actor, _, _ in steps]
    assert [e.action for e in rows] == [action for action, _, _, _ in steps]
    # Hand-overs are internal; the resolution is what the customer reads.
    assert [e.is_internal for e in rows] == [True, True, True, True, False]


def test_history_is_append_only(open_case, field_engineer):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="f")
    snapshot = list(CaseEvent.objects.filter(case=case).values())
    event = CaseEvent.objects.filter(case=case).first()

    event.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).update(text="rewritten")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.update(text="rewritten")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().delete()

    assert list(CaseEvent.objects.filter(case=case).values()) == snapshot


def test_update_case_writes_one_event_per_changed_field(open_case, field_engineer):
    case = open_case(field_engineer)
    events = workflow.update_case(
        case,
        by=field_engineer,
        now=at(hours=1),
        changes={
            "title": "FSU offline again",
            "priority": Priority.P2,
            "description": case.description,
        },
    )

    assert sorted((e.field, e.old_value, e.new_value) for e in events) == [
        ("priority", "P3", "P2"),
        ("title", "FSU 离线", "FSU offline again"),
    ]
    stored = CaseEvent.objects.filter(case=case, kind=EventKind.FIELD_CHANGED)
    assert stored.count() == 2
    assert all(e.actor == field_engineer for e in stored)
    case.refresh_from_db()
    assert (case.title, case.priority, case.version) == ("FSU offline again", "P2", 2)

    assert (
        workflow.update_case(
            case, by=field_engineer, now=at(hours=2), changes={"title": case.title}
        )
        == []
    )
    assert CaseEvent.objects.filter(case=case, kind=EventKind.FIELD_CHANGED).count() == 2


def test_update_case_refuses_workflow_fields(open_case, field_engineer):
    case = open_case(field_engineer)
    with pytest.raises(ValidationError) as error:
        workflow.update_case(
            case, by=field_engineer, now=at(hours=1), changes={"status": Status.CLOSED}
        )
    assert "status" in error.value.message_dict


def test_resolving_a_problem_resolves_its_two_open_cases_with_one_event_each(
    open_case, field_engineer, line2_engineer, regional_support
):
    first, second = (
        escalate_to_line2(
            open_case(field_engineer, title=title),
            field_engineer=field_engineer,
            regional_support=regional_support,
            line2_engineer=line2_engineer,
        )
        for title in ("FSU offline", "Second FSU offline")
    )
    still_at_line1 = open_case(field_engineer, title="Third FSU offline")
    problem = problems.open_problem(
        by=line2_engineer, title="FSU firmware 1.1 hangs", now=at(hours=4)
    )
    for case in (first, second):
        problems.link_case(case, problem=problem, by=line2_engineer, now=at(hours=4))
    problems.link_case(still_at_line1, problem=problem, by=field_engineer, now=at(hours=4))

    # Line 2 resolves what is at line 2; the field engineer keeps the case still on site.
    resolvable = problems.open_cases_resolvable_by(problem, line2_engineer)
    assert {c.pk for c in resolvable} == {first.pk, second.pk}

    events = problems.resolve_problem(
        problem, by=line2_engineer, resolution="Upgrade to 1.2", now=at(hours=5), cases=resolvable
    )

    assert len(events) == 2
    problem.refresh_from_db()
    assert problem.state == problem.State.RESOLVED
    for case in (first, second):
        case.refresh_from_db()
        assert case.status == Status.RESOLVED
        resolved = CaseEvent.objects.filter(case=case, action=Action.RESOLVE)
        assert resolved.count() == 1
        assert problem.reference in resolved.get().text
    still_at_line1.refresh_from_db()
    assert still_at_line1.status == Status.FIELD


def test_only_engineering_service_records_and_resolves_problems(
    field_engineer, regional_support, line2_engineer
):
    with pytest.raises(PermissionDenied):
        problems.open_problem(by=regional_support, title="Firmware hangs", now=at())
    problem = problems.open_problem(by=line2_engineer, title="Firmware hangs", now=at())
    with pytest.raises(PermissionDenied):
        problems.resolve_problem(problem, by=field_engineer, resolution="Upgrade", now=at())


def test_line2_cannot_link_a_case_that_never_reached_it(open_case, field_engineer, line2_engineer):
    case = open_case(field_engineer)
    problem = problems.open_problem(by=line2_engineer, title="Firmware hangs", now=at())
    with pytest.raises(PermissionDenied):
        problems.link_case(case, problem=problem, by=line2_engineer, now=at(hours=1))
    case.refresh_from_db()
    assert case.problem is None


def test_stale_version_raises_conflict_naming_who_changed_it(
    open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    loaded_version = case.version
    workflow.perform(
        case,
        action=Action.ESCALATE,
        by=field_engineer,
        now=at(hours=1),
        text="f",
        expected_version=loaded_version,
    )

    with pytest.raises(workflow.ConflictError) as error:
        workflow.perform(
            case,
            action=Action.RESOLVE,
            by=regional_support,
            now=at(hours=2),
            text="done",
            expected_version=loaded_version,
        )

    assert error.value.changed_by == field_engineer
    assert str(field_engineer) in str(error.value)  # "王丽"
    case.refresh_from_db()
    assert case.status == Status.REGIONAL
    assert len(transitions(case)) == 1


# --- attachments -------------------------------------------------------------------------------


def test_png_attachment_is_stored_with_an_event(open_case, field_engineer):
    case = open_case(field_engineer)
    upload = SimpleUploadedFile("cabinet.png", PNG_BYTES, content_type="image/png")

    attachment = attachments.add_attachment(
        case, by=field_engineer, upload=upload, internal=False, now=at(hours=1)
    )

    assert attachment.content_type == "image/png"
    assert attachment.original_name == "cabinet.png"
    assert attachment.size == len(PNG_BYTES)
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG_BYTES
    event = CaseEvent.objects.get(case=case, kind=EventKind.ATTACHMENT)
    assert (event.actor, event.text) == (field_engineer, "cabinet.png")


def test_executable_renamed_to_png_is_refused(open_case, field_engineer):
    case = open_case(field_engineer)
    upload = SimpleUploadedFile(
        "photo.png", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/png"
    )

    with pytest.raises(ValidationError) as error:
        attachments.add_attachment(
            case, by=field_engineer, upload=upload, internal=False, now=FIXED
        )

    assert "file" in error.value.message_dict
    assert not Attachment.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ATTACHMENT).exists()


def test_file_over_the_size_limit_is_refused(open_case, field_engineer):
    case = open_case(field_engineer)
    too_big = PNG_BYTES + b"\x00" * (attachments.MAX_ATTACHMENT_BYTES - len(PNG_BYTES) + 1)
    upload = SimpleUploadedFile("huge.png", too_big, content_type="image/png")

    with pytest.raises(ValidationError) as error:
        attachments.add_attachment(
            case, by=field_engineer, upload=upload, internal=False, now=FIXED
        )

    assert "file" in error.value.message_dict
    assert not Attachment.objects.filter(case=case).exists()


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_escalating_the_same_version_at_once_move_the_case_once(
    open_case, field_engineer
):
    """On PostgreSQL the row lock makes the second escalation wait and then see the new version.
    On SQLite (BEGIN IMMEDIATE) the two transactions queue on the write lock instead; either way
    exactly one escalation lands and the other is told someone else changed the case."""
    other_engineer = UserFactory(
        username="alan", roles=[RoleCode.FIELD_ENGINEER], region=field_engineer.region
    )
    case = open_case(field_engineer)
    version = Case.objects.get(pk=case.pk).version
    barrier = threading.Barrier(2)
    outcomes = {}
    sqlite_lock_retries = []

    def escalate(person):
        try:
            mine = Case.objects.get(pk=case.pk)
            barrier.wait(timeout=10)
            for _attempt in range(100):
                try:
                    workflow.perform(
                        mine,
                        action=Action.ESCALATE,
                        by=person,
                        now=at(hours=1),
                        text=f"Findings by {person.username}",
                        expected_version=version,
                    )
                    outcomes[person.username] = "ok"
                except workflow.ConflictError:
                    outcomes[person.username] = "conflict"
                except OperationalError as error:
                    # The in-memory SQLite test database shares one cache between threads and
                    # answers a second writer with "database table is locked" at once instead of
                    # queueing it; the person retries, as they would after an error page.
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    sqlite_lock_retries.append(person.username)
                    time.sleep(0.05)
                    continue
                break
        except Exception as error:
            outcomes[person.username] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=escalate, args=(person,))
        for person in (field_engineer, other_engineer)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["conflict", "ok"], outcomes
    case.refresh_from_db()
    assert case.status == Status.REGIONAL
    assert case.version == version + 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).count() == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    assert case.updated_by.username == winner
    # Only SQLite may make a writer retry; PostgreSQL queues it on the row lock.
    assert connection.vendor == "sqlite" or not sqlite_lock_retries


def test_field_engineer_of_another_region_cannot_reassign_a_case(
    open_case, field_engineer, north_field_engineer, regional_support
):
    """perform() keeps line 1 to the case's region; assign() must too, or a north engineer can
    hand an east case around although they cannot even open it."""
    case = open_case(field_engineer)

    with pytest.raises(PermissionDenied):
        workflow.assign(case, by=north_field_engineer, to=regional_support, now=at(hours=1))

    case.refresh_from_db()
    assert case.owner == field_engineer


def test_line2_engineer_who_sends_a_case_on_without_taking_it_gets_it_back(
    open_case, field_engineer, regional_support, line2_engineer, rd_engineer
):
    case = open_case(field_engineer)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="a")
    workflow.perform(case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="b")
    workflow.perform(
        case,
        action=Action.TRANSFER_RD,
        by=line2_engineer,
        now=at(hours=3),
        text="Watchdog reset in firmware 1.1",
        classification=Classification.PRODUCT_DEFECT,
    )
    workflow.perform(
        case, action=Action.HAND_BACK, by=rd_engineer, now=at(hours=4), text="Fixed in 1.2"
    )
    case.refresh_from_db()
    assert (case.status, case.owner, case.line2_owner) == (
        Status.LINE2,
        line2_engineer,
        line2_engineer,
    )
