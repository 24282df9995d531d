"""Knowledge fixtures: the case fixtures (customer, sites, products, a fixed clock), a resolved
case, and a helper that writes and publishes an article."""

import importlib

import pytest
from django.apps import apps as django_apps

from tests.cases.conftest import (  # noqa: F401 (fixtures shared with the case tests)
    FIXED,
    _fast_password_hashing,
    at,
    customer,
    east_site,
    north_site,
    open_case,
    own_product,
    video_product,
)
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action
from tierdesk.knowledge import services
from tierdesk.knowledge.models import ArticleAction


@pytest.fixture(autouse=True)
def _seeded_dictionary(db):
    """The dictionary migration 0003 seeds; a transactional test elsewhere may have flushed it."""
    seed = importlib.import_module("tierdesk.knowledge.migrations.0003_seed_search_terms").seed
    seed(django_apps, None)


@pytest.fixture
def resolved_case(open_case, field_engineer):  # noqa: F811
    case = open_case(
        field_engineer,
        title="FSU 每天离线三次",
        description="FSU 每天离线三次，动环监控平台收到离线告警。",
    )
    workflow.perform(
        case,
        action=Action.RESOLVE,
        by=field_engineer,
        now=at(hours=2),
        text="更换 4G 模块天线并升级固件到 V2.3 后恢复。",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def write_article(regional_support):
    """write_article(title=..., symptom=..., solution=..., by=..., published=True)."""

    def _write(*, published=True, by=None, reviewer=None, **fields):
        fields.setdefault("symptom", "")
        fields.setdefault("solution", "按手册处理。")
        article = services.create_article(by=by or regional_support, now=FIXED, **fields)
        if published:
            reviewer = reviewer or _reviewer()
            services.act(article, action=ArticleAction.SUBMIT, by=article.author, now=at(1))
            article = services.act(article, action=ArticleAction.APPROVE, by=reviewer, now=at(2))
        return article

    return _write


def _reviewer():
    from tests.factories import UserFactory
    from tierdesk.organization.models import RoleCode

    return UserFactory(username="reviewer-rita", roles=[RoleCode.LINE2_ENGINEER])
