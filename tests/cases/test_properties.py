"""Random sequences of actions by random people keep a case consistent with the chart.

Whatever anyone tries, in any order: the case is always in a state the transition table allows,
an accepted action writes exactly one history entry, a refused one changes nothing, line 2
stays accountable for a case with a specialist or a vendor, and at most one clock runs.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import FIXED
from tierdesk.cases import workflow
from tierdesk.cases.enums import (
    LINE_OF_STATUS,
    SPECIALIST_STATUSES,
    Action,
    Classification,
    EventKind,
    Status,
)
from tierdesk.cases.models import Case
from tierdesk.organization import permissions

PERSONAS = [
    "field_engineer",
    "north_field_engineer",
    "regional_support",
    "line2_engineer",
    "rd_engineer",
    "presales_engineer",
    "product_manager",
    "supervisor",
    "vendor_contact",
]

steps = st.lists(
    st.tuples(
        st.sampled_from(PERSONAS),
        st.sampled_from(list(Action)),
        st.sampled_from(["", "现场检查了电源和网线。"]),
        st.one_of(st.none(), st.sampled_from(list(Classification))),
    ),
    min_size=1,
    max_size=10,
)


def snapshot(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)
    return {
        "status": case.status,
        "line": case.line,
        "version": case.version,
        "owner": case.owner_id,
        "line2_owner": case.line2_owner_id,
        "classification": case.classification,
        "events": case.events.count(),
        "transitions": case.events.filter(kind=EventKind.TRANSITION).count(),
        "open_spans": case.clock_spans.filter(ended_at=None).count(),
        "spans": case.clock_spans.count(),
    }


def check_invariants(case: Case) -> None:
    case = Case.objects.select_related("owner", "line2_owner").get(pk=case.pk)
    status = Status(case.status)
    open_spans = case.clock_spans.filter(ended_at=None).count()
    if status in (Status.RESOLVED, Status.CLOSED):
        assert open_spans == 0
        assert case.resolved_at is not None if status == Status.RESOLVED else case.closed_at
    else:
        assert open_spans == 1
        assert case.line == LINE_OF_STATUS[status]
    if status == Status.LINE2:
        assert case.owner_id == case.line2_owner_id
    if status in SPECIALIST_STATUSES:
        # Line 2 stays the single interface and accountable while a specialist works.
        assert case.line2_owner is not None and permissions.is_line2(case.line2_owner)
    if case.line2_owner is not None:
        assert permissions.is_line2(case.line2_owner)


@pytest.fixture
def personas(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_of_actions_keeps_the_case_consistent(open_case, personas, steps):
    # Each example in its own savepoint, rolled back: the next one starts from no case.
    with transaction.atomic():
        case = open_case(personas["field_engineer"])
        check_invariants(case)
        for number, (persona, action, text, classification) in enumerate(steps, start=1):
            before = snapshot(case)
            transition = workflow.TRANSITION_BY_KEY.get((before["status"], action))
            try:
                workflow.perform(
                    Case.objects.get(pk=case.pk),
                    action=action,
                    by=personas[persona],
                    now=FIXED + timedelta(hours=number),
                    text=text,
                    classification=classification,
                )
            except (ValidationError, PermissionDenied):
                assert snapshot(case) == before, (persona, action)
            else:
                after = snapshot(case)
                assert transition is not None, (before["status"], action)
                if transition.target is not None:
                    assert after["status"] == transition.target
                assert after["transitions"] == before["transitions"] + 1
                reclassified = after["classification"] != before["classification"]
                assert after["events"] == before["events"] + 1 + reclassified
                assert after["version"] == before["version"] + 1
            check_invariants(case)
        transaction.set_rollback(True)
