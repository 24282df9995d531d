"""While the database cannot be reached, people and programs get a clear 503, never a 500.

The outage is made at the driver: every query raises the error a lost server gives. The full
drill with a real PostgreSQL stopped under load is bench/faults.py.
"""

import json
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from tierdesk.api.tokens import create_token
from tierdesk.cases.models import Case


@contextmanager
def database_away(error_class=None):
    """Every query fails as it does when the server went away mid-connection."""
    error = (error_class or connection.Database.OperationalError)(
        "server closed the connection unexpectedly"
    )

    def lost(self, *args, **kwargs):
        with self.db.wrap_database_errors:  # raised by the driver, seen as Django's error
            raise error

    with mock.patch.object(CursorWrapper, "_execute", lost):
        yield


@pytest.fixture
def client(client):
    # Look at the response the person gets, as a browser would, instead of the exception.
    client.raise_request_exception = False
    return client


@pytest.fixture
def token(field_engineer):
    _token, plain = create_token(user=field_engineer, name="monitor", now=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def test_api_answers_503_problem_with_retry_after_and_saves_nothing(
    client, token, east_site, own_product
):
    body = {
        "title": "FSU 离线",
        "description": "offline",
        "customer_id": east_site.customer_id,
        "site_id": east_site.pk,
        "product_id": own_product.pk,
        "source": "customer",
        "priority": "p3",
    }
    with database_away():
        response = client.post(
            "/api/v1/cases", json.dumps(body), content_type="application/json", **token
        )

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    problem = response.json()
    assert problem["code"] == "service_unavailable"
    assert problem["status"] == 503
    assert problem["detail"]
    assert not Case.objects.exists()


def test_signed_in_page_answers_503_page_without_looking_up_the_user(client, field_engineer):
    client.force_login(field_engineer)

    with database_away():
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"]
    page = response.content.decode()
    assert "<h1" in page and "Service unavailable" in page
    assert field_engineer.username not in page


def test_the_next_request_after_the_outage_is_served(client, field_engineer):
    client.force_login(field_engineer)
    with database_away():
        assert client.get("/").status_code == 503

    assert client.get("/").status_code == 200


def test_a_broken_query_is_still_an_error_not_an_outage(client, field_engineer):
    client.force_login(field_engineer)

    with database_away(connection.Database.ProgrammingError):
        response = client.get("/")

    assert response.status_code == 500
