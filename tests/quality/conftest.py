"""Fixtures for quality feedback: two east cases about one product, and a helper that takes a
form through its steps at known moments after the fixed clock."""

import pytest

from tests.cases.conftest import FIXED, at
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    ProductVersionFactory,
    SiteFactory,
    UserFactory,
)
from tierdesk.cases import workflow as case_workflow
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.organization.models import ProductCategory, RoleCode
from tierdesk.quality import workflow
from tierdesk.quality.enums import Action, Frequency, Impact, State

# When the happy path takes the step out of each state (FIXED is Monday 2 March, 10:00).
STEP_TIMES = {
    State.DRAFT: at(hours=1),
    State.SUBMITTED: at(hours=2),
    State.ACKNOWLEDGED: at(days=2),
    State.ANALYSED: at(days=5),
    State.VERIFYING: at(days=9),
}

ANALYSIS = {
    "root_cause": "电源模块电容批次不良，高温下容量衰减。",
    "fix": "更换电容供应商，固件增加掉电保护。",
    "fix_version": "V3.2.5",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def own_product(db):
    return ProductFactory(code="FSU-3000", name="FSU-3000", category=ProductCategory.OWN)


@pytest.fixture
def other_product(db):
    return ProductFactory(code="ODU-200", name="ODU-200", category=ProductCategory.OWN)


@pytest.fixture
def north_support(north):
    return UserFactory(
        username="nick",
        last_name="牛",
        first_name="克",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=north,
    )


def open_case(*, by, customer, site, product, title):
    return case_workflow.open_case(
        by=by,
        now=FIXED,
        title=title,
        description="FSU 每天离线三次，重启后恢复。",
        customer=customer,
        site=site,
        product=product,
        product_version=ProductVersionFactory(product=product, version=f"V3.2-{title[-1]}"),
        source=Source.CUSTOMER,
        channel=Channel.FIELD,
        priority=Priority.P3,
    )


@pytest.fixture
def customer(db):
    return CustomerFactory(name="中国移动江苏公司")


@pytest.fixture
def east_site(customer, east):
    return SiteFactory(customer=customer, name="南京一号机房", region=east)


@pytest.fixture
def case(regional_support, customer, east_site, own_product):
    return open_case(
        by=regional_support, customer=customer, site=east_site, product=own_product, title="离线1"
    )


@pytest.fixture
def second_case(regional_support, customer, east_site, own_product):
    return open_case(
        by=regional_support, customer=customer, site=east_site, product=own_product, title="离线2"
    )


@pytest.fixture
def north_case(north_support, north):
    customer = CustomerFactory(name="中国联通北京公司")
    site = SiteFactory(customer=customer, name="北京机房", region=north)
    product = ProductFactory(code="FSU-N", name="FSU-N", category=ProductCategory.OWN)
    return open_case(by=north_support, customer=customer, site=site, product=product, title="北1")


FILLED = {
    "version_or_batch": "V3.2 / 批次 20260115",
    "fault_description": "高温环境下 FSU 频繁掉电重启。",
    "frequency": Frequency.FREQUENT,
    "impact": Impact.BATCH,
}


@pytest.fixture
def draft(case, second_case, regional_support, east, own_product):
    return workflow.create_feedback(
        by=regional_support,
        now=FIXED,
        region=east,
        product=own_product,
        cases=[case, second_case],
        **FILLED,
    )


@pytest.fixture
def bring_to(draft, regional_support, rd_engineer):
    """bring_to(state): the draft taken along the happy path until it is in `state`."""
    path = [
        (State.SUBMITTED, Action.SUBMIT, regional_support, {}),
        (State.ACKNOWLEDGED, Action.ACKNOWLEDGE, rd_engineer, {}),
        (State.ANALYSED, Action.ANALYSE, rd_engineer, ANALYSIS),
        (State.VERIFYING, Action.RELEASE, rd_engineer, {"note": "V3.2.5 已发布。"}),
        (State.CLOSED, Action.CONFIRM, regional_support, {"note": "现场升级后一周无掉电。"}),
    ]

    def _bring(state):
        feedback = draft
        for reached, action, person, inputs in path:
            if feedback.state == state:
                break
            feedback = workflow.perform(
                feedback, action=action, by=person, now=STEP_TIMES[feedback.state], inputs=inputs
            )
            assert feedback.state == reached
        assert feedback.state == state
        return feedback

    return _bring
