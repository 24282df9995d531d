"""Every step of appendix A, who may take it and what it needs, and what each leaves behind."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from tests.onsite.conftest import END, FILLED, FIXED, START, STEP_TIMES, at
from tierdesk.cases import access as case_access
from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import AppendOnlyError
from tierdesk.onsite import workflow
from tierdesk.onsite.enums import Action, Decision, Result, State
from tierdesk.onsite.models import OnsiteApplication
from tierdesk.onsite.workflow import ApplicationConflictError
from tierdesk.organization.models import RoleCode

REPORT = {
    "findings": "主控板电容鼓包。",
    "work_done": "更换主控板。",
    "result": Result.RESOLVED,
    "customer_signoff_name": "张经理",
}


@pytest.fixture
def east_colleague(east):
    """Another regional support engineer of the same region: sees the case, did not apply."""
    return UserFactory(username="betty", roles=[RoleCode.REGIONAL_SUPPORT], region=east)


def inputs_for(action, line2_engineer) -> dict:
    return {
        Action.REJECT: {"reason": "远程可解决，先远程协助。"},
        Action.DISPATCH: {
            "engineer": line2_engineer,
            "planned_start": START,
            "planned_end": END,
        },
        Action.REPORT: REPORT,
    }.get(action, {})


# (from state, action, who may, who may not)
TABLE = [
    (State.DRAFT, Action.SUBMIT, "regional_support", "east_colleague"),
    (State.DRAFT, Action.CANCEL, "regional_support", "east_colleague"),
    (State.SUBMITTED, Action.CANCEL, "regional_support", "service_manager"),
    (State.SUBMITTED, Action.APPROVE, "service_manager", "line2_engineer"),
    (State.SUBMITTED, Action.REJECT, "service_manager", "regional_support"),
    (State.APPROVED, Action.DISPATCH, "service_manager", "line2_engineer"),
    (State.DISPATCHED, Action.ARRIVE, "line2_engineer", "second_engineer"),
    (State.ON_SITE, Action.REPORT, "line2_engineer", "service_manager"),
    (State.REPORTED, Action.CLOSE, "regional_support", "line2_engineer"),
    (State.REPORTED, Action.CLOSE, "service_manager", "supervisor"),
]


def test_the_table_covers_every_transition():
    assert {(source, action) for source, action, _, _ in TABLE} == set(workflow.TRANSITION_BY_KEY)


@pytest.mark.parametrize(("source", "action", "allowed", "refused"), TABLE)
def test_each_step_is_taken_by_its_party_and_refused_to_others(
    request, bring_to, line2_engineer, source, action, allowed, refused
):
    application = bring_to(source)
    refused_person = request.getfixturevalue(refused)
    allowed_person = request.getfixturevalue(allowed)
    inputs = inputs_for(action, line2_engineer)
    now = STEP_TIMES[source]
    with pytest.raises(PermissionDenied):
        workflow.perform(application, action=action, by=refused_person, now=now, inputs=inputs)
    application.refresh_from_db()
    assert application.state == source

    done = workflow.perform(application, action=action, by=allowed_person, now=now, inputs=inputs)
    transition = workflow.TRANSITION_BY_KEY[(source, action)]
    assert done.state == transition.target
    step = done.steps.last()
    assert (step.action, step.from_state, step.to_state) == (action, source, transition.target)
    assert step.actor == allowed_person


def test_a_step_from_the_wrong_state_is_refused_with_the_reason(draft, regional_support):
    with pytest.raises(ValidationError) as refused:
        workflow.close(draft, by=regional_support, now=at(hours=1))
    assert "action" in refused.value.message_dict


def test_engineering_service_does_not_see_drafts(draft, service_manager):
    with pytest.raises(PermissionDenied):
        workflow.approve(draft, by=service_manager, now=at(hours=1))


def test_draft_is_prefilled_from_the_case(draft, case, regional_support):
    assert draft.state == State.DRAFT
    assert draft.applicant == regional_support
    assert (draft.region, draft.customer, draft.site) == (case.region, case.customer, case.site)
    assert draft.product == case.product
    assert draft.product_version == case.product_version
    assert draft.fault_description == "FSU 每天离线三次，重启后恢复。"
    assert draft.site_contact == "张经理"
    assert draft.site_contact_phone == "13800000000"
    assert draft.RECORD_NUMBER == "R GSB 316.010.01"


def test_only_regional_support_of_the_case_region_applies(
    case, field_engineer, north_support, line2_engineer
):
    for person in (field_engineer, north_support, line2_engineer):
        with pytest.raises(PermissionDenied):
            workflow.create_application(case=case, by=person, now=FIXED)
    assert not OnsiteApplication.objects.exists()


def test_submitting_needs_the_applicants_part_filled_in(case, regional_support):
    application = workflow.create_application(case=case, by=regional_support, now=FIXED)
    with pytest.raises(ValidationError) as refused:
        workflow.submit(application, by=regional_support, now=at(hours=1))
    assert set(refused.value.message_dict) == {
        "project",
        "measures_taken",
        "wished_date",
        "skills_needed",
    }
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_a_wished_date_in_the_past_is_refused_on_submit(case, regional_support):
    application = workflow.create_application(
        case=case, by=regional_support, now=FIXED, **{**FILLED, "wished_date": date(2026, 3, 1)}
    )
    with pytest.raises(ValidationError) as refused:
        workflow.submit(application, by=regional_support, now=at(hours=1))
    assert "wished_date" in refused.value.message_dict


def test_rejecting_needs_a_reason_and_records_it(bring_to, service_manager):
    application = bring_to(State.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        workflow.reject(application, by=service_manager, now=at(hours=2), reason="  ")
    assert "reason" in refused.value.message_dict
    rejected = workflow.reject(application, by=service_manager, now=at(hours=2), reason="可远程")
    assert rejected.state == State.REJECTED
    assert (rejected.decision, rejected.decision_reason) == (Decision.REJECTED, "可远程")
    assert rejected.approver == service_manager
    assert rejected.decided_at == at(hours=2)


def test_approval_records_the_manager_and_the_time(bring_to, service_manager):
    application = bring_to(State.APPROVED)
    assert application.approver == service_manager
    assert application.decision == Decision.APPROVED
    assert application.decided_at == at(hours=2)


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"engineer": None}, "engineer"),
        ({"planned_start": None}, "planned_start"),
        ({"planned_end": None}, "planned_end"),
        ({"planned_start": date(2026, 3, 1)}, "planned_start"),
        ({"planned_end": date(2026, 3, 9)}, "planned_end"),
    ],
)
def test_dispatch_needs_an_engineer_and_sane_dates(
    bring_to, service_manager, line2_engineer, inputs, field
):
    application = bring_to(State.APPROVED)
    arguments = {
        "engineer": line2_engineer,
        "planned_start": START,
        "planned_end": END,
        **inputs,
    }
    with pytest.raises(ValidationError) as refused:
        workflow.dispatch(application, by=service_manager, now=at(hours=3), **arguments)
    assert field in refused.value.message_dict


def test_only_a_line2_engineer_is_dispatched(bring_to, service_manager, regional_support):
    application = bring_to(State.APPROVED)
    with pytest.raises(ValidationError) as refused:
        workflow.dispatch(
            application,
            by=service_manager,
            now=at(hours=3),
            engineer=regional_support,
            planned_start=START,
            planned_end=END,
        )
    assert "engineer" in refused.value.message_dict


@pytest.mark.parametrize("missing", ["findings", "work_done", "result", "customer_signoff_name"])
def test_the_report_needs_findings_work_result_and_sign_off(bring_to, line2_engineer, missing):
    application = bring_to(State.ON_SITE)
    with pytest.raises(ValidationError) as refused:
        workflow.report(
            application, by=line2_engineer, now=at(days=8, hours=5), **{**REPORT, missing: ""}
        )
    assert missing in refused.value.message_dict


def test_the_whole_path_records_dispatch_arrival_and_report(bring_to, line2_engineer):
    application = bring_to(State.REPORTED)
    assert application.engineer == line2_engineer
    assert (application.planned_start, application.planned_end) == (START, END)
    assert application.arrived_at == STEP_TIMES[State.DISPATCHED]
    assert application.reported_at == STEP_TIMES[State.ON_SITE]
    assert application.result == Result.RESOLVED
    assert application.customer_signoff_name == "张经理"


def test_each_step_is_one_row_on_the_case_timeline(bring_to, case, service_manager):
    application = bring_to(State.REPORTED)
    workflow.close(application, by=service_manager, now=STEP_TIMES[State.REPORTED])
    rows = list(case.events.filter(kind=EventKind.ONSITE).order_by("at", "id"))
    steps = list(application.steps.order_by("at", "id"))
    assert [row.pk for row in rows] == [step.case_event_id for step in steps]
    assert [step.action for step in steps] == [
        Action.CREATE,
        Action.SUBMIT,
        Action.APPROVE,
        Action.DISPATCH,
        Action.ARRIVE,
        Action.REPORT,
        Action.CLOSE,
    ]
    assert all(row.is_internal for row in rows)
    assert all(application.serial in row.text for row in rows)
    approved = rows[2]
    assert approved.actor == service_manager
    assert approved.at == at(hours=2)
    assert str(service_manager) in approved.text


def test_a_refused_step_leaves_no_trace(bring_to, case, line2_engineer):
    application = bring_to(State.SUBMITTED)
    before = case.events.count()
    with pytest.raises(PermissionDenied):
        workflow.approve(application, by=line2_engineer, now=at(hours=2))
    assert case.events.count() == before
    assert application.steps.count() == 2


def test_a_stale_version_is_refused(bring_to, service_manager, regional_support):
    application = bring_to(State.SUBMITTED)
    stale = application.version
    workflow.cancel(application, by=regional_support, now=at(hours=2), expected_version=stale)
    with pytest.raises(ApplicationConflictError) as conflict:
        workflow.approve(application, by=service_manager, now=at(hours=3), expected_version=stale)
    assert conflict.value.changed_by == regional_support


def test_serial_numbers_are_sequential_and_restart_each_year(case, regional_support):
    numbers = [
        workflow.create_application(case=case, by=regional_support, now=at(minutes=i)).serial
        for i in range(3)
    ]
    assert numbers == ["XCZC-2026-0001", "XCZC-2026-0002", "XCZC-2026-0003"]
    # New year in Shanghai, still 31 December in UTC.
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    following = workflow.create_application(case=case, by=regional_support, now=new_year)
    assert following.serial == "XCZC-2027-0001"
    assert OnsiteApplication.objects.values("serial").distinct().count() == 4


def test_only_the_applicant_edits_a_draft_and_each_edit_is_recorded(
    draft, regional_support, east_colleague
):
    with pytest.raises(PermissionDenied):
        workflow.update_draft(draft, by=east_colleague, changes={"project": "x"}, now=at(hours=1))
    changed = workflow.update_draft(
        draft, by=regional_support, changes={"project": "三期", "urgency": "urgent"}, now=at(1)
    )
    assert changed == ["project", "urgency"]
    draft.refresh_from_db()
    assert (draft.project, draft.urgency, draft.version) == ("三期", "urgent", 2)
    assert draft.steps.last().action == Action.UPDATE


def test_a_submitted_application_is_no_longer_editable(bring_to, regional_support):
    application = bring_to(State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        workflow.update_draft(
            application, by=regional_support, changes={"project": "x"}, now=at(hours=2)
        )


def test_history_is_append_only(draft):
    step = draft.steps.get()
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        draft.steps.all().delete()


def test_submitting_lets_engineering_service_open_the_case_still_at_line1(
    bring_to, service_manager, line2_engineer
):
    application = bring_to(State.SUBMITTED)
    assert application.case.line == 1
    for person in (service_manager, line2_engineer):
        assert case_access.access_case(person, application.case.pk) == application.case
