"""Fixtures for vendor coordination: an east case about a video product, handed by line 2 to
the video vendor with the integration product manager as coordinator."""

from datetime import timedelta

import pytest

from tests.cases.conftest import FIXED, at
from tests.factories import CustomerFactory, ProductFactory, SiteFactory, UserFactory, VendorFactory
from tierdesk.cases import workflow as case_workflow
from tierdesk.cases.enums import Action, Channel, Classification, Priority, Source
from tierdesk.organization.models import ProductCategory, RoleCode


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def video_product(db):
    return ProductFactory(code="nvr-8800", name="NVR-8800", category=ProductCategory.VIDEO)


@pytest.fixture
def other_vendor(db):
    return VendorFactory(name="北方视频厂家", categories=[ProductCategory.VIDEO])


@pytest.fixture
def other_vendor_contact(other_vendor):
    return UserFactory(username="olga", roles=[RoleCode.VENDOR_CONTACT], vendor=other_vendor)


def hand_to_vendor(case, *, field, regional, line2, vendor, coordinator):
    case_workflow.perform(
        case, action=Action.ESCALATE, by=field, now=at(hours=1), text="现场无法处理"
    )
    case_workflow.perform(case, action=Action.ESCALATE, by=regional, now=at(hours=2), text="需二线")
    case_workflow.assign(case, by=line2, to=line2, now=at(hours=3))
    case_workflow.perform(
        case,
        action=Action.TRANSFER_VENDOR,
        by=line2,
        now=at(hours=4),
        text="NVR 录像丢失，需厂家分析。",
        classification=Classification.PARTNER_PRODUCT,
        vendor=vendor,
        coordinator=coordinator,
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def open_video_case(east, field_engineer, video_product):
    customer = CustomerFactory(name="中国移动江苏公司")
    site = SiteFactory(customer=customer, name="南京一号机房", region=east)

    def _open(title="NVR 录像丢失"):
        return case_workflow.open_case(
            by=field_engineer,
            now=FIXED,
            title=title,
            description="NVR 每晚丢失两小时录像。",
            customer=customer,
            site=site,
            product=video_product,
            source=Source.CUSTOMER,
            channel=Channel.FIELD,
            priority=Priority.P2,
        )

    return _open


@pytest.fixture
def line3_case(
    open_video_case,
    field_engineer,
    regional_support,
    line2_engineer,
    video_vendor,
    integration_pm,
):
    return hand_to_vendor(
        open_video_case(),
        field=field_engineer,
        regional=regional_support,
        line2=line2_engineer,
        vendor=video_vendor,
        coordinator=integration_pm,
    )


@pytest.fixture
def other_line3_case(
    open_video_case,
    field_engineer,
    regional_support,
    line2_engineer,
    other_vendor,
    presales_engineer,
):
    return hand_to_vendor(
        open_video_case("另一台 NVR"),
        field=field_engineer,
        regional=regional_support,
        line2=line2_engineer,
        vendor=other_vendor,
        coordinator=presales_engineer,
    )


RESPONSE_DUE = at(hours=8)
FIX_DUE = at(days=3)
HOUR = timedelta(hours=1)
