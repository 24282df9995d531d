"""Assessment fixtures: the report fixtures, a second east and a north regional support, and
Q1 2026 satisfaction answers whose figures the tests work out by hand."""

import pytest

from tests.factories import UserFactory
from tests.reports.conftest import (  # noqa: F401  (fixtures shared with the report tests)
    _fast_password_hashing,
    customer,
    east_site,
    make_case,
    make_follow_up,
    march,
    north_site,
    own_product,
)
from tierdesk.followups.enums import Satisfaction
from tierdesk.organization.models import RoleCode


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
def q1_answers(make_case, make_follow_up, regional_support, north_support, north_site):  # noqa: F811
    """Bob (east): 2 very satisfied, 1 satisfied, 1 dissatisfied in Q1; one in April, one open.
    Rita (north): 1 neutral in February."""
    for level, closed_at in [
        (Satisfaction.VERY_SATISFIED, march(5, month=1)),
        (Satisfaction.VERY_SATISFIED, march(10)),
        (Satisfaction.SATISFIED, march(31, 23, 59)),
        (Satisfaction.DISSATISFIED, march(2, month=2)),
        (Satisfaction.VERY_DISSATISFIED, march(1, 0, month=4)),  # Q2
    ]:
        make_follow_up(make_case(), closed_at=closed_at, satisfaction=level)
    make_follow_up(make_case(), closed_at=march(20))  # asked, not answered yet
    make_follow_up(
        make_case(site=north_site),
        closed_at=march(9, month=2),
        satisfaction=Satisfaction.NEUTRAL,
        assignee=north_support,
    )
