"""Filters on the case list, the problem type pages, and unknown addresses under the API."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.factories import ProductFactory, SiteFactory
from tierdesk.api.cases import CaseFilters
from tierdesk.cases import access, workflow
from tierdesk.cases.enums import Action, Channel, Classification, Priority, Source
from tierdesk.cases.models import Case

API = "/api/v1"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
TUESDAY = datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def cases(field_engineer, regional_support, east):
    """Three east cases: Monday's P1 at line 1, Tuesday's P3 escalated, Tuesday's P3 waiting."""
    site = SiteFactory(region=east)
    product, other_product = ProductFactory(code="fsu"), ProductFactory(code="nvr")

    def open_case(title, *, now, product=product, priority=Priority.P3):
        return workflow.open_case(
            by=field_engineer,
            now=now,
            title=title,
            description="…",
            customer=site.customer,
            site=site,
            product=product,
            source=Source.CUSTOMER,
            channel=Channel.FIELD,
            priority=priority,
        )

    monday = open_case("电源告警", now=MONDAY, priority=Priority.P1)
    escalated = open_case("视频丢失", now=TUESDAY, product=other_product)
    workflow.perform(escalated, action=Action.ESCALATE, by=field_engineer, now=TUESDAY, text="查过")
    waiting = open_case("等待客户", now=TUESDAY)
    workflow.wait_for(waiting, by=field_engineer, waiting_on="customer", now=TUESDAY)
    Case.objects.filter(pk=monday.pk).update(
        breached_at=TUESDAY, classification=Classification.ONSITE
    )
    return {"monday": monday, "escalated": escalated, "waiting": waiting}


def titles(client, query: str) -> list[str]:
    response = client.get(f"{API}/cases?{query}")
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=field", ["电源告警", "等待客户"]),
        ("status=field&status=regional", ["电源告警", "视频丢失", "等待客户"]),
        ("line=1&region=east&priority=P1", ["电源告警"]),
        ("product=nvr", ["视频丢失"]),
        ("classification=onsite", ["电源告警"]),
        ("owner=me", ["电源告警", "等待客户"]),
        ("owner=alice", ["电源告警", "等待客户"]),
        ("owner=bob", []),
        ("opened_after=2026-03-03", ["视频丢失", "等待客户"]),
        ("opened_before=2026-03-03", ["电源告警"]),
        (
            "opened_after=2026-03-02T10:00:00%2B08:00&opened_before=2026-03-02T10:00:01",
            ["电源告警"],
        ),
        ("opened_after=2026-03-02T02:00:01Z", ["视频丢失", "等待客户"]),
        ("breached=true", ["电源告警"]),
        ("breached=false", ["视频丢失", "等待客户"]),
        ("waiting=true", ["等待客户"]),
        ("waiting=false", ["电源告警", "视频丢失"]),
        ("q=告警", ["电源告警"]),
    ],
)
def test_filters_narrow_the_list(client, field_engineer, cases, query, expected):
    client.force_login(field_engineer)
    assert titles(client, query) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("line=4", "line"),
        ("priority=P9", "priority"),
        ("classification=magic", "classification"),
        ("opened_after=yesterday", "opened_after"),
        ("opened_before=2026-13-40", "opened_before"),
        ("breached=maybe", "breached"),
        ("waiting=2", "waiting"),
        ("q=%00", "q"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_a_bad_filter_is_a_field_error(client, field_engineer, query, field):
    client.force_login(field_engineer)
    response = client.get(f"{API}/cases?{query}")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    # A repeated parameter is named with the position of the bad value: `status.0`.
    assert field in [error["field"].split(".")[0] for error in body["errors"]]


@pytest.mark.parametrize("username", ["alice", "carol", "sam"])
def test_deep_pages_are_found_through_indexes(field_engineer, line2_engineer, supervisor, username):
    """Every way into the case table is an index search, never a full scan, on any filter."""
    user = {"alice": field_engineer, "carol": line2_engineer, "sam": supervisor}[username]
    if connection.vendor == "postgresql":
        # A table this small is cheapest to scan; forbid it to see whether an index would do.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        full_scan = "Seq Scan on cases_case"
    else:
        full_scan = "SCAN cases_case"
    for filters in (
        {},
        {"status": ["field", "line2"]},
        {"owner": "me", "priority": "P1"},
        {"region": "east", "breached": True},
        {"q": "告警", "opened_after": "2026-01-01"},
    ):
        cases = CaseFilters(**filters).apply(access.cases_visible_to(user), user=user)
        plan = cases.filter(id__lt=10**6).order_by("-id")[:51].explain()
        table_scans = [line for line in plan.splitlines() if full_scan in line]
        assert table_scans == [], (filters, plan)


def test_every_problem_type_resolves_to_its_description(client, field_engineer):
    client.force_login(field_engineer)
    problem = client.get(f"{API}/cases/999999").json()
    assert problem["type"] == f"{API}/errors/not-found"
    client.logout()
    described = client.get(problem["type"])  # readable without signing in
    assert described.status_code == 200
    assert described.json()["code"] == "not_found"
    assert described.json()["status"] == 404
    assert described.json()["description"]

    listed = client.get(f"{API}/errors").json()
    codes = {entry["code"] for entry in listed}
    assert {"validation_error", "conflict", "not_authenticated", "permission_denied"} <= codes
    for entry in listed:
        assert client.get(entry["type"]).json()["code"] == entry["code"]

    unknown = client.get(f"{API}/errors/no-such-code")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/cases/-1", "/no/such/thing", "/cases/%0A/attachments"])
def test_an_unknown_address_under_the_api_is_a_problem_not_a_page(client, field_engineer, path):
    client.force_login(field_engineer)
    response = client.post(f"{API}{path}", {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_huge_ids_in_a_body_are_field_errors(client, line2_engineer):
    client.force_login(line2_engineer)
    response = client.post(
        f"{API}/problems",
        {"title": "x", "product_id": 10**30},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "product_id"


def test_nul_characters_in_text_are_field_errors(client, line2_engineer):
    client.force_login(line2_engineer)
    response = client.post(
        f"{API}/problems", {"title": "固件\x00缺陷"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"
