"""The quality feedback API: the same steps and rules as the pages, problem+json errors,
cursor pagination and the XLSX export."""

import json
from io import BytesIO

from openpyxl import load_workbook

from tierdesk.quality.enums import State

API = "/api/v1/quality-feedback"
PROBLEM = "application/problem+json"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def step(client, user, feedback_id, action, **body):
    client.force_login(user)
    version = client.get(f"{API}/{feedback_id}").json()["version"]
    return post(client, f"{API}/{feedback_id}/actions/{action}", {"version": version, **body})


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body


def create(client, user, **overrides):
    client.force_login(user)
    body = {
        "region": "east",
        "product": "FSU-3000",
        "version_or_batch": "批次 20260115",
        "fault_description": "高温掉电重启。",
        "frequency": "frequent",
        "impact": "batch",
        **overrides,
    }
    return post(client, API, body)


def test_the_whole_path_through_the_api(client, case, regional_support, rd_engineer, own_product):
    response = create(client, regional_support, case_ids=[case.pk])
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["serial"] == "ZLFK-2026-0001"
    assert created["record_number"] == "R GSB 316.020.01"
    assert created["case_ids"] == [case.pk]
    assert created["available_actions"] == ["submit"]
    fid = created["id"]

    assert step(client, regional_support, fid, "submit").json()["state"] == State.SUBMITTED
    assert step(client, rd_engineer, fid, "acknowledge").json()["state"] == State.ACKNOWLEDGED
    body = step(
        client, rd_engineer, fid, "analyse", root_cause="电容不良", fix="换料", fix_version="V3.2.5"
    ).json()
    assert body["state"] == State.ANALYSED
    assert body["fix_version"] == "V3.2.5"
    assert step(client, rd_engineer, fid, "release").json()["state"] == State.VERIFYING
    body = step(client, regional_support, fid, "reject_fix", note="仍掉电").json()
    assert body["state"] == State.ANALYSED
    assert [h["action"] for h in body["history"]][-1] == "reject_fix"


def test_wrong_person_gets_403_and_stale_version_409(
    client, bring_to, regional_support, rd_engineer
):
    feedback = bring_to(State.SUBMITTED)
    assert_problem(
        step(client, regional_support, feedback.pk, "acknowledge"), 403, "permission_denied"
    )
    client.force_login(rd_engineer)
    response = post(
        client,
        f"{API}/{feedback.pk}/actions/acknowledge",
        {"version": feedback.version - 1},
    )
    assert response.status_code == 409


def test_missing_analysis_fields_are_field_errors(client, bring_to, rd_engineer):
    feedback = bring_to(State.ACKNOWLEDGED)
    body = assert_problem(
        step(client, rd_engineer, feedback.pk, "analyse", root_cause="电容"),
        422,
        "validation_error",
    )
    assert {error["field"] for error in body["errors"]} == {"fix", "fix_version"}


def test_linking_an_unseen_case_is_refused(client, regional_support, north_case, own_product):
    body = assert_problem(
        create(client, regional_support, case_ids=[north_case.pk]), 422, "validation_error"
    )
    assert body["errors"][0]["field"] == "case_ids"


def test_vendor_contacts_get_404(client, bring_to, vendor_contact):
    feedback = bring_to(State.SUBMITTED)
    client.force_login(vendor_contact)
    assert_problem(client.get(f"{API}/{feedback.pk}"), 404, "not_found")
    assert client.get(API).json()["items"] == []


def test_list_filters_and_pages(client, bring_to, regional_support, line2_engineer):
    bring_to(State.SUBMITTED)
    create(client, regional_support)
    client.force_login(regional_support)
    page = client.get(API, {"limit": 1}).json()
    assert [item["serial"] for item in page["items"]] == ["ZLFK-2026-0002"]
    page = client.get(API, {"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [item["serial"] for item in page["items"]] == ["ZLFK-2026-0001"]
    assert page["next_cursor"] is None
    states = client.get(API, {"state": "submitted"}).json()["items"]
    assert [item["serial"] for item in states] == ["ZLFK-2026-0001"]
    assert client.get(API, {"product": "no-such"}).json()["items"] == []


def test_export_holds_the_filtered_rows(client, bring_to, regional_support):
    bring_to(State.SUBMITTED)
    create(client, regional_support)
    client.force_login(regional_support)
    response = client.get(f"{API}/export.xlsx", {"state": "draft"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["ZLFK-2026-0002"]
