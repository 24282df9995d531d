"""The quality feedback form's steps: who may take each, what each needs, and the history rows
every step leaves on the form and on each linked case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.conftest import FIXED, at
from tests.factories import UserFactory
from tests.quality.conftest import ANALYSIS, FILLED, STEP_TIMES
from tierdesk.cases.enums import EventKind
from tierdesk.cases.workflow import ConflictError
from tierdesk.organization.models import RoleCode
from tierdesk.quality import workflow
from tierdesk.quality.enums import Action, State, case_event_action
from tierdesk.quality.models import QualityFeedback

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def quality_events(case):
    return list(case.events.filter(kind=EventKind.QUALITY_FEEDBACK).order_by("at", "id"))


def test_draft_gets_the_years_next_serial_and_links_its_cases(draft, case, second_case):
    assert draft.serial == "ZLFK-2026-0001"
    assert draft.state == State.DRAFT
    assert set(draft.cases.all()) == {case, second_case}
    assert draft.RECORD_NUMBER == "R GSB 316.020.01"


def test_serials_count_up_within_the_year(draft, regional_support, east, own_product):
    second = workflow.create_feedback(
        by=regional_support, now=at(hours=1), region=east, product=own_product, **FILLED
    )
    assert second.serial == "ZLFK-2026-0002"


def test_a_form_may_be_raised_alone_and_then_writes_no_case_history(
    regional_support, east, own_product, case
):
    feedback = workflow.create_feedback(
        by=regional_support, now=FIXED, region=east, product=own_product, **FILLED
    )
    workflow.perform(feedback, action=Action.SUBMIT, by=regional_support, now=at(hours=1))
    assert feedback.steps.count() == 2
    assert quality_events(case) == []


def test_happy_path_writes_one_event_per_step_on_every_linked_case(
    bring_to, case, second_case, regional_support, rd_engineer
):
    feedback = bring_to(State.CLOSED)
    expected = [
        case_event_action(a)
        for a in (
            Action.CREATE,
            Action.SUBMIT,
            Action.ACKNOWLEDGE,
            Action.ANALYSE,
            Action.RELEASE,
            Action.CONFIRM,
        )
    ]
    for linked in (case, second_case):
        events = quality_events(linked)
        assert [e.action for e in events] == expected
        assert all(e.is_internal for e in events)
        assert "ZLFK-2026-0001" in events[-1].text
    assert [s.to_state for s in feedback.steps.all()] == [
        State.DRAFT,
        State.SUBMITTED,
        State.ACKNOWLEDGED,
        State.ANALYSED,
        State.VERIFYING,
        State.CLOSED,
    ]
    assert feedback.fix_version == "V3.2.5"
    assert feedback.verified_by == regional_support
    assert feedback.analysed_by == rd_engineer
    assert feedback.closed_at == STEP_TIMES[State.VERIFYING]


# (state, action, the persona who may not take it)
REFUSED = [
    (State.DRAFT, Action.SUBMIT, "rd_engineer"),
    (State.DRAFT, Action.SUBMIT, "north_support"),
    (State.DRAFT, Action.SUBMIT, "line2_engineer"),
    (State.SUBMITTED, Action.ACKNOWLEDGE, "regional_support"),
    (State.SUBMITTED, Action.ACKNOWLEDGE, "line2_engineer"),
    (State.ACKNOWLEDGED, Action.ANALYSE, "regional_support"),
    (State.ACKNOWLEDGED, Action.ANALYSE, "service_manager"),
    (State.ANALYSED, Action.RELEASE, "regional_support"),
    (State.VERIFYING, Action.CONFIRM, "rd_engineer"),
    (State.VERIFYING, Action.CONFIRM, "field_engineer"),
    (State.VERIFYING, Action.REJECT_FIX, "rd_engineer"),
]


@pytest.mark.parametrize(("state", "action", "persona"), REFUSED)
def test_each_step_is_refused_to_those_it_does_not_belong_to(
    request, bring_to, state, action, persona
):
    feedback = bring_to(state)
    person = request.getfixturevalue(persona)
    inputs = {**ANALYSIS, "note": "试试"}
    with pytest.raises(PermissionDenied):
        workflow.perform(feedback, action=action, by=person, now=at(days=20), inputs=inputs)
    feedback.refresh_from_db()
    assert feedback.state == state


def test_regional_support_of_the_region_verifies_for_a_raiser_who_is_away(
    bring_to, regional_support, rd_engineer, east
):
    colleague = UserFactory(username="bea", roles=[RoleCode.REGIONAL_SUPPORT], region=east)
    feedback = bring_to(State.VERIFYING)
    workflow.perform(feedback, action=Action.CONFIRM, by=colleague, now=at(days=20))
    feedback.refresh_from_db()
    assert feedback.state == State.CLOSED
    assert feedback.verified_by == colleague


def test_a_step_out_of_order_is_refused(draft, regional_support):
    with pytest.raises(ValidationError) as error:
        workflow.perform(draft, action=Action.CONFIRM, by=regional_support, now=at(hours=1))
    assert "action" in error.value.message_dict


def test_analysis_needs_root_cause_fix_and_fix_version(bring_to, rd_engineer):
    feedback = bring_to(State.ACKNOWLEDGED)
    with pytest.raises(ValidationError) as error:
        workflow.perform(
            feedback,
            action=Action.ANALYSE,
            by=rd_engineer,
            now=at(days=5),
            inputs={"root_cause": "  ", "fix": "换电容"},
        )
    assert set(error.value.message_dict) == {"root_cause", "fix_version"}


def test_failed_verification_needs_a_note_and_returns_the_form_to_r_and_d(
    bring_to, regional_support, rd_engineer, case
):
    feedback = bring_to(State.VERIFYING)
    with pytest.raises(ValidationError):
        workflow.perform(feedback, action=Action.REJECT_FIX, by=regional_support, now=at(days=20))

    feedback = workflow.perform(
        feedback,
        action=Action.REJECT_FIX,
        by=regional_support,
        now=at(days=20),
        inputs={"note": "升级后仍有一台掉电。"},
    )
    assert feedback.state == State.ANALYSED
    assert feedback.verification_note == "升级后仍有一台掉电。"
    assert "升级后仍有一台掉电。" in quality_events(case)[-1].text

    # R&D revises its analysis and hands the new fix over again.
    feedback = workflow.perform(
        feedback,
        action=Action.ANALYSE,
        by=rd_engineer,
        now=at(days=22),
        inputs={**ANALYSIS, "fix_version": "V3.2.6"},
    )
    feedback = workflow.perform(feedback, action=Action.RELEASE, by=rd_engineer, now=at(days=23))
    assert feedback.state == State.VERIFYING
    assert feedback.fix_version == "V3.2.6"


def test_a_stale_version_is_refused(bring_to, rd_engineer):
    feedback = bring_to(State.SUBMITTED)
    stale = feedback.version - 1
    with pytest.raises(ConflictError):
        workflow.perform(
            feedback,
            action=Action.ACKNOWLEDGE,
            by=rd_engineer,
            now=at(days=2),
            expected_version=stale,
        )


def test_field_engineers_and_vendors_cannot_raise_a_form(
    field_engineer, vendor_contact, east, own_product
):
    for person in (field_engineer, vendor_contact):
        with pytest.raises(PermissionDenied):
            workflow.create_feedback(
                by=person, now=FIXED, region=east, product=own_product, **FILLED
            )


def test_regional_support_raises_only_for_its_own_region(regional_support, north, own_product):
    with pytest.raises(ValidationError) as error:
        workflow.create_feedback(
            by=regional_support, now=FIXED, region=north, product=own_product, **FILLED
        )
    assert "region" in error.value.message_dict


def test_engineering_service_raises_for_any_region(line2_engineer, north, own_product):
    feedback = workflow.create_feedback(
        by=line2_engineer, now=FIXED, region=north, product=own_product, **FILLED
    )
    assert feedback.region == north


def test_only_cases_the_raiser_may_see_can_be_linked(
    regional_support, east, own_product, north_case
):
    with pytest.raises(ValidationError) as error:
        workflow.create_feedback(
            by=regional_support,
            now=FIXED,
            region=east,
            product=own_product,
            cases=[north_case],
            **FILLED,
        )
    assert "cases" in error.value.message_dict
    assert not QualityFeedback.objects.exists()


def test_evidence_is_stored_and_noted_on_the_linked_cases(draft, regional_support, case):
    upload = SimpleUploadedFile("掉电现场.png", PNG)
    evidence = workflow.add_evidence(draft, by=regional_support, upload=upload, now=at(hours=1))
    assert evidence.content_type == "image/png"
    assert evidence.file.read() == PNG
    assert quality_events(case)[-1].action == case_event_action(Action.ATTACH)
    assert "掉电现场.png" in quality_events(case)[-1].text


def test_evidence_of_an_unknown_type_is_refused(draft, regional_support):
    upload = SimpleUploadedFile("tool.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")
    with pytest.raises(ValidationError):
        workflow.add_evidence(draft, by=regional_support, upload=upload, now=at(hours=1))
    assert not draft.evidence.exists()


def test_nobody_adds_evidence_to_a_closed_form(bring_to, regional_support):
    feedback = bring_to(State.CLOSED)
    with pytest.raises(PermissionDenied):
        workflow.add_evidence(
            feedback,
            by=regional_support,
            upload=SimpleUploadedFile("a.png", PNG),
            now=at(days=30),
        )
