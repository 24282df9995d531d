"""Fixtures for imports and exports: the records files name, and files written as Excel would."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from tests.factories import CustomerFactory, ProductFactory, ProductVersionFactory, SiteFactory
from tierdesk.organization.models import ProductCategory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
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
    product = ProductFactory(code="fsu-3000", name="FSU-3000", category=ProductCategory.OWN)
    ProductVersionFactory(product=product, version="V2.1")
    return product


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
