"""The on-site application API: the same steps and rules as the pages, problem+json errors,
cursor pagination."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tierdesk.onsite.enums import State

API = "/api/v1/onsite"
PROBLEM = "application/problem+json"


def days_ahead(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def step(client, user, application_id, action, **body):
    client.force_login(user)
    version = client.get(f"{API}/{application_id}").json()["version"]
    return post(client, f"{API}/{application_id}/actions/{action}", {"version": version, **body})


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body


@pytest.fixture
def created(client, case, regional_support) -> dict:
    client.force_login(regional_support)
    response = post(
        client,
        API,
        {
            "case_id": case.pk,
            "project": "江苏移动动环监控二期",
            "measures_taken": "已更换网线。",
            "wished_date": days_ahead(3),
            "skills_needed": "FSU 固件调试",
            "urgency": "urgent",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_an_application_goes_from_draft_to_closed_through_the_api(
    client, created, regional_support, service_manager, line2_engineer, case
):
    assert created["serial"] == "XCZC-2026-0001"
    assert created["record_number"] == "R GSB 316.010.01"
    assert created["state"] == State.DRAFT
    assert created["fault_description"] == case.description
    assert set(created["available_actions"]) == {"submit", "cancel"}
    pk = created["id"]

    assert step(client, regional_support, pk, "submit").json()["state"] == State.SUBMITTED
    approved = step(client, service_manager, pk, "approve", reason="同意")
    assert approved.json()["approver"] == "mike"
    dispatched = step(
        client,
        service_manager,
        pk,
        "dispatch",
        engineer_username="carol",
        planned_start=days_ahead(3),
        planned_end=days_ahead(4),
    ).json()
    assert (dispatched["state"], dispatched["engineer"]) == (State.DISPATCHED, "carol")
    assert step(client, line2_engineer, pk, "arrive").json()["state"] == State.ON_SITE
    reported = step(
        client,
        line2_engineer,
        pk,
        "report",
        findings="主控板故障",
        work_done="更换主控板",
        result="resolved",
        customer_signoff_name="张经理",
    ).json()
    assert reported["state"] == State.REPORTED
    closed = step(client, regional_support, pk, "close").json()
    assert closed["state"] == State.CLOSED
    assert [entry["action"] for entry in closed["history"]] == [
        "create",
        "submit",
        "approve",
        "dispatch",
        "arrive",
        "report",
        "close",
    ]


def test_a_refused_step_is_403_problem(client, created, line2_engineer, regional_support):
    step(client, regional_support, created["id"], "submit")
    response = step(client, line2_engineer, created["id"], "approve")
    assert_problem(response, 403, "permission_denied")


def test_missing_inputs_are_422_with_field_errors(
    client, created, regional_support, service_manager, line2_engineer
):
    step(client, regional_support, created["id"], "submit")
    step(client, service_manager, created["id"], "approve")
    response = step(client, service_manager, created["id"], "dispatch", engineer_username="nobody")
    body = assert_problem(response, 422, "validation_error")
    assert {e["field"] for e in body["errors"]} == {"engineer_username"}
    response = step(client, service_manager, created["id"], "dispatch", engineer_username="carol")
    body = assert_problem(response, 422, "validation_error")
    assert {e["field"] for e in body["errors"]} == {"planned_start", "planned_end"}


def test_stale_version_is_409(client, created, regional_support):
    client.force_login(regional_support)
    response = post(client, f"{API}/{created['id']}/actions/submit", {"version": 0})
    body = assert_problem(response, 409, "conflict")
    assert body["current_version"] == created["version"]


def test_drafts_are_edited_with_a_version(client, created, regional_support):
    client.force_login(regional_support)
    response = client.patch(
        f"{API}/{created['id']}",
        json.dumps({"version": created["version"], "project": "三期"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["project"] == "三期"
    assert response.json()["version"] == created["version"] + 1


def test_another_region_gets_404(client, created, north_support, case):
    client.force_login(north_support)
    assert_problem(client.get(f"{API}/{created['id']}"), 404, "not_found")
    assert_problem(client.get(f"{API}/{created['id']}/pdf"), 404, "not_found")
    assert client.get(API).json()["items"] == []
    response = post(client, API, {"case_id": case.pk})
    assert_problem(response, 404, "not_found")


def test_field_engineers_cannot_apply(client, case, field_engineer):
    client.force_login(field_engineer)
    assert_problem(post(client, API, {"case_id": case.pk}), 403, "permission_denied")


def test_list_filters_and_cursor(client, case, regional_support, supervisor):
    client.force_login(regional_support)
    ids = [post(client, API, {"case_id": case.pk}).json()["id"] for _ in range(3)]
    step(client, regional_support, ids[0], "cancel", reason="重复")
    client.force_login(supervisor)
    page = client.get(API, {"limit": 2}).json()
    assert [item["id"] for item in page["items"]] == [ids[2], ids[1]]
    rest = client.get(API, {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert [item["id"] for item in rest["items"]] == [ids[0]]
    assert rest["next_cursor"] is None
    cancelled = client.get(API, {"state": "cancelled"}).json()["items"]
    assert [item["id"] for item in cancelled] == [ids[0]]
    assert client.get(API, {"region": "north"}).json()["items"] == []
    assert len(client.get(API, {"region": "east", "case_id": case.pk}).json()["items"]) == 3


def test_pdf_download(client, created, regional_support):
    client.force_login(regional_support)
    response = client.get(f"{API}/{created['id']}/pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="XCZC-2026-0001.pdf"'
    assert response.content.startswith(b"%PDF")


def test_vendor_contacts_see_none(client, created, vendor_contact):
    client.force_login(vendor_contact)
    assert client.get(API).json()["items"] == []
    assert_problem(client.get(f"{API}/{created['id']}"), 404, "not_found")
