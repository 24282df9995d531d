"""Fixtures for on-site applications: an east case at regional support, and helpers that take an
application through its steps at known moments after the fixed clock."""

from datetime import date

import pytest

from tests.cases.conftest import FIXED, at
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    ProductFactory,
    ProductVersionFactory,
    SiteFactory,
    UserFactory,
)
from tierdesk.cases import workflow as case_workflow
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.onsite import workflow
from tierdesk.onsite.enums import Result, State
from tierdesk.organization.models import ProductCategory, RoleCode

WISHED = date(2026, 3, 10)
START = date(2026, 3, 10)
END = date(2026, 3, 11)

# When the happy path takes the step out of each state (FIXED is Monday 2 March, 10:00).
STEP_TIMES = {
    State.DRAFT: at(hours=1),
    State.SUBMITTED: at(hours=2),
    State.APPROVED: at(hours=3),
    State.DISPATCHED: at(days=8),
    State.ON_SITE: at(days=8, hours=5),
    State.REPORTED: at(days=9),
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are created with real passwords; PBKDF2 would make each test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def customer(db):
    return CustomerFactory(name="中国移动江苏公司")


@pytest.fixture
def east_site(customer, east):
    return SiteFactory(customer=customer, name="南京一号机房", region=east, address="南京市玄武区")


@pytest.fixture
def own_product(db):
    return ProductFactory(code="FSU-3000", name="FSU-3000", category=ProductCategory.OWN)


@pytest.fixture
def north_support(north):
    return UserFactory(
        username="nick",
        last_name="牛",
        first_name="克",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=north,
    )


@pytest.fixture
def second_engineer(engineering_service):
    return UserFactory(
        username="cody",
        last_name="程",
        first_name="迪",
        roles=[RoleCode.LINE2_ENGINEER],
        department=engineering_service,
    )


@pytest.fixture
def case(regional_support, customer, east_site, own_product):
    """A P3 case about FSU-3000 at the east site, opened by regional support (still at line 1)."""
    return case_workflow.open_case(
        by=regional_support,
        now=FIXED,
        title="FSU 频繁离线",
        description="FSU 每天离线三次，重启后恢复。",
        customer=customer,
        site=east_site,
        contact=ContactFactory(customer=customer, name="张经理", phone="13800000000"),
        product=own_product,
        product_version=ProductVersionFactory(product=own_product, version="V3.2"),
        source=Source.CUSTOMER,
        channel=Channel.FIELD,
        priority=Priority.P3,
    )


FILLED = {
    "project": "江苏移动动环监控二期",
    "measures_taken": "已更换网线并重装配置，仍然离线。",
    "wished_date": WISHED,
    "skills_needed": "FSU 固件调试，串口抓包",
}


@pytest.fixture
def draft(case, regional_support):
    return workflow.create_application(case=case, by=regional_support, now=FIXED, **FILLED)


@pytest.fixture
def bring_to(draft, regional_support, service_manager, line2_engineer):
    """bring_to(state): the draft taken along the happy path until it is in `state`."""
    path = [
        (
            State.SUBMITTED,
            lambda a: workflow.submit(a, by=regional_support, now=STEP_TIMES[State.DRAFT]),
        ),
        (
            State.APPROVED,
            lambda a: workflow.approve(a, by=service_manager, now=STEP_TIMES[State.SUBMITTED]),
        ),
        (
            State.DISPATCHED,
            lambda a: workflow.dispatch(
                a,
                by=service_manager,
                now=STEP_TIMES[State.APPROVED],
                engineer=line2_engineer,
                planned_start=START,
                planned_end=END,
            ),
        ),
        (
            State.ON_SITE,
            lambda a: workflow.arrive(a, by=line2_engineer, now=STEP_TIMES[State.DISPATCHED]),
        ),
        (
            State.REPORTED,
            lambda a: workflow.report(
                a,
                by=line2_engineer,
                now=STEP_TIMES[State.ON_SITE],
                findings="主控板电容鼓包，导致看门狗复位。",
                work_done="更换主控板，升级固件到 1.2。",
                result=Result.RESOLVED,
                customer_signoff_name="张经理",
            ),
        ),
    ]

    def _bring(state):
        application = draft
        for reached, step in path:
            if application.state == state:
                break
            application = step(application)
            assert application.state == reached
        assert application.state == state
        return application

    return _bring
