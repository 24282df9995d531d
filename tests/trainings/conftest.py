"""Training fixtures: a fixed clock, regional support of the north, a published article, and a
helper that plans a session in the east."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UserFactory
from tierdesk.knowledge import services as knowledge
from tierdesk.organization.models import RoleCode
from tierdesk.trainings import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
TODAY = date(2026, 3, 10)


def at(days: int = 0, hours: float = 0) -> datetime:
    return NOW + timedelta(days=days, hours=hours)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def north_support(north):
    return UserFactory(
        username="rita",
        last_name="任",
        first_name="娜",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=north,
    )


@pytest.fixture
def published_article(regional_support, line2_engineer):
    article = knowledge.create_article(
        by=regional_support,
        now=at(-5),
        title="FSU 离线告警",
        symptom="FSU 每天离线。",
        solution="更换 4G 天线。",
    )
    knowledge.act(article, action="submit", by=regional_support, now=at(-4))
    return knowledge.act(article, action="approve", by=line2_engineer, now=at(-3))


@pytest.fixture
def plan(regional_support):
    """plan(**overrides): bob plans a session in the east, trained by himself, today."""

    def _plan(**overrides):
        fields = {
            "by": regional_support,
            "now": at(-1),
            "title": "FSU 离线排查",
            "region": regional_support.region,
            "trainer": regional_support,
            "held_on": TODAY,
            "topics": "4G 信号、天线、固件升级。",
        }
        fields.update(overrides)
        return services.plan_session(**fields)

    return _plan
