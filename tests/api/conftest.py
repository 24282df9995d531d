"""What the case API tests share: a site and a product to open cases on, a case's body, and
posting JSON."""

import json

import pytest

from tests.factories import ProductFactory, SiteFactory

API = "/api/v1"


@pytest.fixture
def site(east):
    return SiteFactory(region=east)


@pytest.fixture
def product(db):
    return ProductFactory()


def case_body(site, product, **overrides):
    return {
        "title": "光端机告警",
        "description": "机房3号机柜光端机持续告警。",
        "customer_id": site.customer_id,
        "site_id": site.pk,
        "product_id": product.pk,
        "source": "customer",
        "priority": "P2",
        **overrides,
    }


def post(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")
