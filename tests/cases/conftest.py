"""Shared fixtures for the case tests: one customer with an east and a north site, an own product
and a partner (video) product, and a helper that opens a case at a fixed, known moment."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CustomerFactory, ProductFactory, ProductVersionFactory, SiteFactory
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, Channel, Priority, Source
from tierdesk.organization.models import ProductCategory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 10:00 in Shanghai: inside working hours on the Mon-Fri 9-18 calendar.
FIXED = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def at(days: int = 0, hours: float = 0, minutes: float = 0) -> datetime:
    """A moment after FIXED; tests advance the clock explicitly."""
    return FIXED + timedelta(days=days, hours=hours, minutes=minutes)


def escalate_to_line2(case, field_engineer, regional_support):
    """The case taken from line 1 to line 2 the usual way: field engineer, then regional support."""
    workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=at(hours=1), text="checked wiring"
    )
    case.refresh_from_db()
    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=at(hours=2), text="needs line 2"
    )
    case.refresh_from_db()
    return case


def shanghai(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """Shanghai wall time in 2026 (March: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6, Sat 7, Sun 8)."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are created with real passwords; PBKDF2 would make each test seconds slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def customer(db):
    return CustomerFactory(name="中国移动江苏公司")


@pytest.fixture
def east_site(customer, east):
    return SiteFactory(customer=customer, name="南京一号机房", region=east)


@pytest.fixture
def north_site(customer, north):
    return SiteFactory(customer=customer, name="北京二号机房", region=north)


@pytest.fixture
def own_product(db):
    return ProductFactory(code="FSU-3000", name="FSU-3000", category=ProductCategory.OWN)


@pytest.fixture
def video_product(db):
    return ProductFactory(code="nvr-8800", name="NVR-8800", category=ProductCategory.VIDEO)


@pytest.fixture
def video_version(video_product):
    return ProductVersionFactory(product=video_product, version="V2.1")


@pytest.fixture
def open_case(customer, east_site, own_product):
    """open_case(by, **overrides): a P3 customer case at the east site about FSU-3000."""

    def _open(by, **overrides):
        fields = {
            "now": FIXED,
            "title": "FSU 离线",
            "description": "The FSU at the site stopped reporting.",
            "customer": customer,
            "site": east_site,
            "product": own_product,
            "source": Source.CUSTOMER,
            "channel": Channel.FIELD,
            "priority": Priority.P3,
        }
        fields.update(overrides)
        return workflow.open_case(by=by, **fields)

    return _open
