"""Shared personas: one person per role, in two regions, so scope rules can be checked."""

import importlib
import os

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.utils import translation

from tests.factories import DepartmentFactory, RegionFactory, UserFactory, VendorFactory
from tierdesk.cases.models import SlaTarget
from tierdesk.knowledge import search
from tierdesk.organization.models import DepartmentFunction, ProductCategory, RoleCode

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by browser
# tests around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browse(client):
    """browse(user): the test client signed in as this person, reading the pages in English
    (so assertions can use the source strings), or in the language given."""

    def _as(user, language="en"):
        client.force_login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _as


@pytest.fixture(autouse=True)
def _default_language():
    # A page read through the test client leaves its language active on the worker's thread.
    translation.deactivate()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _seeded_defaults(request):
    """The SLA targets, business calendars and follow-up rule the migrations seed. A live-server
    test flushes the database when it ends, and a test that runs after it on the same worker
    would find them gone."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    )
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        return  # serialized_rollback brings them back
    if marker is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    if not SlaTarget.objects.exists():
        importlib.import_module("tierdesk.cases.migrations.0002_default_sla").create_defaults(
            django_apps, None
        )
    importlib.import_module("tierdesk.followups.migrations.0002_default_rule").create_default_rule(
        django_apps, None
    )


@pytest.fixture
def still_search_clock(monkeypatch):
    """The search's clock stands still. It times the dictionary's next check and the word
    counts' expiry, each a query more when it falls due: on a slow machine one could fall due in
    one of two calls whose queries a test compares."""
    now = search._clock()
    monkeypatch.setattr(search, "_clock", lambda: now)


@pytest.fixture(autouse=True)
def _dictionary_of_this_test():
    # A test's rolled-back search terms must not linger in the next test's dictionary, nor the
    # counts of its rolled-back index rows weigh the next test's words (they are kept for minutes,
    # keyed by the database, which is the same for every test of a worker).
    search.recheck_dictionary()
    search._statistics.counts.clear()


@pytest.fixture
def east(db):
    return RegionFactory(code="east", name="华东大区", name_en="East China")


@pytest.fixture
def north(db):
    return RegionFactory(code="north", name="华北大区", name_en="North China")


@pytest.fixture
def engineering_service(db):
    return DepartmentFactory(
        code="engineering-service",
        name="工程服务部",
        name_en="Engineering Service",
        function=DepartmentFunction.ENGINEERING_SERVICE,
    )


@pytest.fixture
def video_vendor(db):
    return VendorFactory(name="海视达视频", categories=[ProductCategory.VIDEO])


@pytest.fixture
def field_engineer(east):
    return UserFactory(
        username="alice",
        last_name="王",
        first_name="丽",
        roles=[RoleCode.FIELD_ENGINEER],
        region=east,
    )


@pytest.fixture
def north_field_engineer(north):
    return UserFactory(
        username="nora",
        last_name="赵",
        first_name="娜",
        roles=[RoleCode.FIELD_ENGINEER],
        region=north,
    )


@pytest.fixture
def regional_support(east):
    return UserFactory(
        username="bob",
        last_name="李",
        first_name="博",
        roles=[RoleCode.REGIONAL_SUPPORT],
        region=east,
    )


@pytest.fixture
def line2_engineer(engineering_service):
    return UserFactory(
        username="carol",
        last_name="陈",
        first_name="卡",
        roles=[RoleCode.LINE2_ENGINEER],
        department=engineering_service,
    )


@pytest.fixture
def service_manager(engineering_service):
    return UserFactory(
        username="mike",
        last_name="马",
        first_name="克",
        roles=[RoleCode.SERVICE_MANAGER, RoleCode.LINE2_ENGINEER],
        department=engineering_service,
    )


@pytest.fixture
def rd_engineer(db):
    return UserFactory(
        username="dave", last_name="杜", first_name="伟", roles=[RoleCode.RD_ENGINEER]
    )


@pytest.fixture
def presales_engineer(db):
    return UserFactory(
        username="erin", last_name="鄂", first_name="琳", roles=[RoleCode.PRESALES_ENGINEER]
    )


@pytest.fixture
def product_manager(db):
    return UserFactory(
        username="pete", last_name="彭", first_name="涛", roles=[RoleCode.PRODUCT_MANAGER]
    )


@pytest.fixture
def integration_pm(db):
    return UserFactory(
        username="ivan",
        last_name="尹",
        first_name="凡",
        roles=[RoleCode.INTEGRATION_PRODUCT_MANAGER],
    )


@pytest.fixture
def supervisor(db):
    return UserFactory(username="sam", last_name="宋", first_name="山", roles=[RoleCode.SUPERVISOR])


@pytest.fixture
def vendor_contact(video_vendor):
    return UserFactory(
        username="victor",
        last_name="魏",
        first_name="拓",
        roles=[RoleCode.VENDOR_CONTACT],
        vendor=video_vendor,
    )


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="root-admin",
        last_name="管",
        first_name="理",
        roles=[RoleCode.ADMINISTRATOR],
        is_staff=True,
        is_superuser=True,
    )


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The people tierdesk serves browse in Chinese.
    return {**browser_context_args, "locale": "zh-CN"}
