"""Bad input of every kind gets a clear 4xx and changes nothing: never a 500.

Malformed dates, huge texts, unknown enum values, invalid UTF-8 and NUL bytes, through the
API and through the browser's form.
"""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import (  # noqa: F401
    _fast_password_hashing,
    customer,
    east_site,
    own_product,
)
from tests.factories import CustomerFactory
from tierdesk.api.tokens import create_token
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.cases.models import Case, CaseEvent

API = "/api/v1/cases"


@pytest.fixture
def client(client):
    # A 500 must show as a 500 response here, as a person would get it.
    client.raise_request_exception = False
    return client


@pytest.fixture
def token(field_engineer):
    _token, plain = create_token(user=field_engineer, name="monitor", now=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def good_case(east_site, own_product):  # noqa: F811 - fixtures imported above
    return {
        "title": "FSU 离线",
        "description": "The FSU stopped reporting.",
        "customer_id": east_site.customer_id,
        "site_id": east_site.pk,
        "product_id": own_product.pk,
        "source": Source.CUSTOMER.value,
        "priority": Priority.P3.value,
    }


def post_raw(client, token, body: bytes):
    return client.post(API, body, content_type="application/json", **token)


def assert_refused(response, status=422, field=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["detail"]
    if field is not None:
        assert {error["field"] for error in problem["errors"]} == {field}, problem
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("priority", "p9"),
        ("source", "carrier-pigeon"),
        ("channel", "telepathy"),
        ("priority", None),
        ("site_id", "east"),
        ("site_id", -1),
        ("customer_id", -1),
        ("product_id", -1),
        ("title", ""),
        ("title", "x" * 1_000_000),
        ("title", "a\x00b"),
        ("description", "坏\x00数据"),
    ],
)
def test_a_bad_field_in_a_new_case_is_named_and_nothing_is_saved(
    client, token, good_case, field, value
):
    body = json.dumps({**good_case, field: value})

    assert_refused(post_raw(client, token, body.encode()), field=field)


def test_a_site_of_another_customer_is_refused(client, token, good_case, east):
    other = CustomerFactory()
    body = json.dumps({**good_case, "customer_id": other.pk})

    assert_refused(post_raw(client, token, body.encode()), field="site_id")


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "\xff\xfe broken", "description": "x"}',  # not UTF-8
        b'{"title": "unterminated',
        b"\x00\x00\x00",
        b"[]",
    ],
)
def test_a_body_that_is_not_a_json_object_gets_a_4xx(client, token, body):
    response = post_raw(client, token, body)

    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert not Case.objects.exists()


def test_a_body_larger_than_the_upload_limit_is_refused_without_a_500(
    client, token, good_case, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    body = json.dumps({**good_case, "description": "长" * 200_000}).encode()

    response = post_raw(client, token, body)

    assert 400 <= response.status_code < 500
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "opened_after=2026-13-45",
        "opened_before=yesterday",
        "opened_after=2026-03-02T25:00",
        "status=nowhere",
        "priority=p0",
    ],
)
def test_a_malformed_filter_is_a_validation_error(client, token, query):
    response = client.get(f"{API}?{query}", **token)

    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "validation_error"


def test_a_malformed_version_or_unknown_action_changes_nothing(client, token, good_case):
    created = client.post(API, good_case, content_type="application/json", **token)
    case_id, version = created.json()["id"], created.json()["version"]

    for action, body in [
        ("escalate", {"version": "one", "text": "findings"}),
        ("fly-away", {"version": version, "text": "findings"}),
        ("escalate", {"version": version, "text": "a\x00b"}),
    ]:
        response = client.post(
            f"{API}/{case_id}/actions/{action}", body, content_type="application/json", **token
        )
        assert response.status_code == 422, response.content[:300]

    case = Case.objects.get(pk=case_id)
    assert (case.version, case.status, case.events.count()) == (version, "field", 1)


def test_the_new_case_form_refuses_nul_bytes_and_bad_choices_next_to_the_fields(
    client, field_engineer, good_case
):
    client.force_login(field_engineer)
    form = {
        "title": "a\x00b",
        "description": "ok",
        "customer": good_case["customer_id"],
        "site": good_case["site_id"],
        "product": good_case["product_id"],
        "source": "carrier-pigeon",
        "channel": Channel.FIELD.value,
        "priority": Priority.P3.value,
    }

    response = client.post(reverse("cases:new"), form)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "source" in errors
    assert not Case.objects.exists()


def test_the_new_case_form_survives_a_body_that_is_not_utf8(client, field_engineer):
    client.force_login(field_engineer)

    response = client.post(
        reverse("cases:new"),
        b"title=%FF%FE&description=%C3%28&priority=P3",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (200, 400)
    assert not Case.objects.exists()
