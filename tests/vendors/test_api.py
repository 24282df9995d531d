"""The vendor coordination API: read, set targets and ticket, add entries, list with filters."""

import json

from tests.cases.conftest import at
from tests.vendors.conftest import RESPONSE_DUE
from tierdesk.vendors import services

API = "/api/v1/vendor-coordination"
PROBLEM = "application/problem+json"


def send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_read_set_targets_and_answer(client, line3_case, integration_pm, vendor_contact):
    client.force_login(integration_pm)
    empty = client.get(f"{API}/cases/{line3_case.pk}").json()
    assert empty["id"] is None
    assert empty["vendor"] == "海视达视频"
    assert empty["may_set_targets"] is True

    body = send(
        client,
        "patch",
        f"{API}/cases/{line3_case.pk}",
        {"vendor_ticket": "HSD-7", "response_due_at": "2030-03-02T18:00:00+08:00"},
    ).json()
    assert body["vendor_ticket"] == "HSD-7"
    assert body["response_state"] == "due"

    response = send(
        client,
        "post",
        f"{API}/cases/{line3_case.pk}/entries",
        {"kind": "request", "text": "请提供日志", "version": body["version"]},
    )
    assert response.status_code == 201, response.content

    client.force_login(vendor_contact)
    response = send(
        client, "post", f"{API}/cases/{line3_case.pk}/entries", {"kind": "answer", "text": "收到"}
    )
    assert response.status_code == 201
    body = client.get(f"{API}/cases/{line3_case.pk}").json()
    assert [e["kind"] for e in body["entries"]] == ["request", "answer"]
    assert body["response_state"] == "met"
    assert body["may_set_targets"] is False


def test_vendor_contact_may_not_set_targets(client, line3_case, vendor_contact):
    client.force_login(vendor_contact)
    response = send(
        client,
        "patch",
        f"{API}/cases/{line3_case.pk}",
        {"response_due_at": "2030-03-02T18:00:00+08:00"},
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_stale_version_is_a_conflict(client, line3_case, integration_pm):
    services.set_targets(line3_case, by=integration_pm, now=at(hours=5), vendor_ticket="A")
    client.force_login(integration_pm)
    response = send(
        client, "patch", f"{API}/cases/{line3_case.pk}", {"vendor_ticket": "B", "version": 0}
    )
    assert response.status_code == 409


def test_other_vendor_gets_404(client, line3_case, other_vendor_contact):
    client.force_login(other_vendor_contact)
    assert client.get(f"{API}/cases/{line3_case.pk}").status_code == 404


def test_list_filters(
    client, line3_case, other_line3_case, integration_pm, presales_engineer, line2_engineer
):
    services.set_targets(
        line3_case, by=integration_pm, now=at(hours=5), response_due_at=RESPONSE_DUE
    )
    services.set_targets(other_line3_case, by=presales_engineer, now=at(hours=5), vendor_ticket="B")
    client.force_login(line2_engineer)
    items = client.get(API).json()["items"]
    assert [i["case_id"] for i in items] == [other_line3_case.pk, line3_case.pk]
    items = client.get(API, {"vendor": "北方视频厂家"}).json()["items"]
    assert [i["case_id"] for i in items] == [other_line3_case.pk]
    items = client.get(API, {"overdue": "true"}).json()["items"]
    assert [i["case_id"] for i in items] == [line3_case.pk]
