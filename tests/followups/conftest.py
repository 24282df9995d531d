"""Follow-up fixtures: the case fixtures, a second east and a north regional support, and a
helper that resolves a case and hands the resolution to the planner as the fan-out would."""

import pytest

from tests.cases.conftest import (  # noqa: F401  (fixtures shared with the case tests)
    FIXED,
    _fast_password_hashing,
    at,
    customer,
    east_site,
    north_site,
    open_case,
    own_product,
)
from tests.factories import UserFactory
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action
from tierdesk.followups.models import FollowUp
from tierdesk.followups.planning import plan_follow_up
from tierdesk.organization.models import RoleCode


@pytest.fixture
def east_colleague(east):
    """A second regional support of the east region."""
    return UserFactory(
        username="bella",
        last_name="白",
        first_name="兰",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=east,
    )


@pytest.fixture
def north_support(north):
    return UserFactory(
        username="rita",
        last_name="任",
        first_name="婷",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=north,
    )


@pytest.fixture
def resolve(open_case, field_engineer):  # noqa: F811
    """resolve(case=None, by=field_engineer, when=at(hours=1)): resolve and plan its follow-up."""

    def _resolve(case=None, *, by=None, when=None, text="重新配置了 FSU 的上报地址。"):
        by = by or field_engineer
        case = case or open_case(by)
        event = workflow.perform(
            case, action=Action.RESOLVE, by=by, now=when or at(hours=1), text=text
        )
        plan_follow_up(event)
        return FollowUp.objects.get(resolution_event=event)

    return _resolve


@pytest.fixture
def follow_up(resolve, regional_support):
    """An east case resolved by the field engineer, its follow-up assigned to bob."""
    planned = resolve()
    assert planned.assignee == regional_support
    return planned
