"""The JSON API: cases through the three lines, problem+json errors, keyset pagination."""

import json

from tests.api.conftest import API, case_body, post
from tests.factories import CustomerFactory, ProductFactory, SiteFactory
from tierdesk.cases.enums import Classification
from tierdesk.cases.models import Case

PROBLEM = "application/problem+json"


def create(client, user, site, product, **overrides) -> dict:
    client.force_login(user)
    response = post(client, "/cases", case_body(site, product, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def act(client, user, case_id, action, **body) -> dict:
    client.force_login(user)
    version = client.get(f"{API}/cases/{case_id}").json()["version"]
    response = post(client, f"/cases/{case_id}/actions/{action}", {"version": version, **body})
    assert response.status_code == 200, response.content
    return response.json()


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"{API}/errors/{code.replace('_', '-')}"
    assert body["title"]
    return body


def test_openapi_schema_lists_the_case_operations(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "tierdesk API"
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[f"{API}/cases"])
    assert {"get", "patch"} <= set(paths[f"{API}/cases/{{case_id}}"])
    assert "post" in paths[f"{API}/cases/{{case_id}}/actions/{{action}}"]
    assert "get" in paths[f"{API}/cases/{{case_id}}/events"]
    conflict = paths[f"{API}/cases/{{case_id}}/actions/{{action}}"]["post"]["responses"]["409"]
    assert conflict["content"][PROBLEM]["schema"]["$ref"] == "#/components/schemas/Problem"
    assert "Problem" in schema["components"]["schemas"]


def test_docs_are_served(client):
    assert client.get(f"{API}/docs").status_code == 200


def test_anonymous_gets_401_problem(client):
    assert_problem(client.get(f"{API}/cases"), 401, "not_authenticated")


def test_field_engineer_creates_a_case_and_reads_it(client, field_engineer, site, product):
    created = create(client, field_engineer, site, product)
    assert created["status"] == "field"
    assert created["owner"] == "alice"
    assert created["region"] == "east"
    assert created["channel"] == "api"
    assert "escalate" in created["available_actions"]
    response = client.get(f"{API}/cases/{created['id']}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["reference"] == created["reference"]
    assert detail["customer"]["id"] == site.customer_id
    assert detail["product"] == product.code


def test_site_of_another_customer_is_a_field_error(client, field_engineer, site, product):
    other = CustomerFactory()
    client.force_login(field_engineer)
    response = post(client, "/cases", case_body(site, product, customer_id=other.pk))
    body = assert_problem(response, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["site_id"]
    assert Case.objects.count() == 0


def test_unknown_ids_and_bad_enums_are_field_errors(client, field_engineer, site, product):
    client.force_login(field_engineer)
    body = assert_problem(
        post(client, "/cases", case_body(site, product, priority="P9")), 422, "validation_error"
    )
    assert [e["field"] for e in body["errors"]] == ["priority"]
    body = assert_problem(
        post(client, "/cases", case_body(site, product, product_id=999999)),
        422,
        "validation_error",
    )
    assert [e["field"] for e in body["errors"]] == ["product_id"]


def test_only_line1_and_line2_open_cases(client, rd_engineer, site, product):
    client.force_login(rd_engineer)
    assert_problem(post(client, "/cases", case_body(site, product)), 403, "permission_denied")


def test_another_regions_case_is_not_found(
    client, field_engineer, north_field_engineer, site, product
):
    created = create(client, field_engineer, site, product)
    client.force_login(north_field_engineer)
    assert_problem(client.get(f"{API}/cases/{created['id']}"), 404, "not_found")
    assert client.get(f"{API}/cases").json()["items"] == []


def test_a_case_walks_the_three_lines(
    client, field_engineer, regional_support, line2_engineer, rd_engineer, site, product
):
    case_id = create(client, field_engineer, site, product)["id"]
    assert act(client, field_engineer, case_id, "escalate", text="重启无效")["status"] == "regional"
    assert act(client, regional_support, case_id, "escalate", text="需二线")["status"] == "line2"
    client.force_login(line2_engineer)
    version = client.get(f"{API}/cases/{case_id}").json()["version"]
    taken = post(client, f"/cases/{case_id}/assign", {"username": "carol", "version": version})
    assert taken.status_code == 200, taken.content
    moved = act(
        client,
        line2_engineer,
        case_id,
        "transfer_rd",
        text="疑似软件缺陷",
        classification=Classification.PRODUCT_DEFECT,
    )
    assert moved["status"] == "rd"
    assert moved["line2_owner"] == "carol"
    back = act(client, rd_engineer, case_id, "hand_back", text="补丁已提供")
    assert (back["status"], back["owner"]) == ("line2", "carol")
    resolved = act(client, line2_engineer, case_id, "resolve", text="升级补丁后恢复")
    assert resolved["status"] == "resolved"
    assert resolved["resolution"] == "升级补丁后恢复"

    client.force_login(line2_engineer)
    events = client.get(f"{API}/cases/{case_id}/events").json()
    steps = [(e["action"], e["actor"], e["to_status"]) for e in events["items"]]
    assert steps[0] == ("", "alice", "field")
    assert [s for s in steps if s[0]] == [
        ("escalate", "alice", "regional"),
        ("escalate", "bob", "line2"),
        ("transfer_rd", "carol", "rd"),
        ("hand_back", "dave", "line2"),
        ("resolve", "carol", "resolved"),
    ]
    assert events["next_cursor"] is None


def test_an_action_that_is_not_possible_is_a_validation_error(
    client, field_engineer, site, product
):
    created = create(client, field_engineer, site, product)
    body = assert_problem(
        post(client, f"/cases/{created['id']}/actions/close", {"version": created["version"]}),
        422,
        "validation_error",
    )
    assert body["errors"][0]["field"] == "action"
    body = assert_problem(
        post(client, f"/cases/{created['id']}/actions/fly", {"version": created["version"]}),
        422,
        "validation_error",
    )
    assert body["errors"][0]["field"] == "action"
    body = assert_problem(
        post(client, f"/cases/{created['id']}/actions/escalate", {"version": created["version"]}),
        422,
        "validation_error",
    )
    assert body["errors"][0]["field"] == "text"


def test_stale_version_is_a_conflict(client, field_engineer, site, product):
    created = create(client, field_engineer, site, product)
    url = f"{API}/cases/{created['id']}"
    changed = client.patch(
        url, json.dumps({"version": created["version"], "priority": "P1"}), "application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["priority"] == "P1"
    assert changed.json()["version"] == created["version"] + 1
    stale = post(
        client,
        f"/cases/{created['id']}/actions/escalate",
        {"version": created["version"], "text": "重启无效"},
    )
    body = assert_problem(stale, 409, "conflict")
    assert body["changed_by"] == "alice"
    assert body["changed_at"]
    assert body["current_version"] == created["version"] + 1
    assert client.get(url).json()["status"] == "field"


def test_list_filters(client, field_engineer, site, product):
    create(client, field_engineer, site, product, title="电源故障", priority="P1")
    create(client, field_engineer, site, product, title="视频丢失", priority="P3")
    other_product = ProductFactory()
    create(client, field_engineer, site, other_product, title="电源模块", priority="P3")

    def titles(**params):
        response = client.get(f"{API}/cases", params)
        assert response.status_code == 200, response.content
        return sorted(item["title"] for item in response.json()["items"])

    assert titles(priority="P1") == ["电源故障"]
    assert titles(q="电源") == ["电源故障", "电源模块"]
    assert titles(product=other_product.code) == ["电源模块"]
    assert titles(status="field", region="east", owner="alice", line=1) == [
        "电源故障",
        "电源模块",
        "视频丢失",
    ]
    assert titles(status="line2") == []
    assert titles(breached=True) == []
    assert len(titles(breached=False)) == 3
    assert titles(opened_after="2000-01-01T00:00:00Z", opened_before="2001-01-01T00:00:00Z") == []
    assert_problem(client.get(f"{API}/cases", {"priority": "P7"}), 422, "validation_error")


def test_cursor_pagination_walks_every_case_once(client, field_engineer, site, product):
    ids = [create(client, field_engineer, site, product, title=f"case {n}")["id"] for n in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{API}/cases", params).json()
        pages += 1
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted(ids, reverse=True)
    assert_problem(client.get(f"{API}/cases", {"cursor": "not a cursor!"}), 400, "bad_request")
    assert_problem(client.get(f"{API}/cases", {"limit": 101}), 422, "validation_error")


def test_list_query_count_does_not_grow_with_the_page(
    client, field_engineer, site, product, django_assert_max_num_queries
):
    for n in range(3):
        create(client, field_engineer, site, product, title=f"case {n}")
    client.force_login(field_engineer)
    with django_assert_max_num_queries(6) as small:
        assert len(client.get(f"{API}/cases").json()["items"]) == 3
    small_count = len(small)
    for n in range(27):
        create(client, field_engineer, site, product, title=f"more {n}")
    client.force_login(field_engineer)
    with django_assert_max_num_queries(small_count):
        assert len(client.get(f"{API}/cases").json()["items"]) == 30


def test_vendor_contact_sees_no_internal_comment(
    client,
    field_engineer,
    regional_support,
    line2_engineer,
    integration_pm,
    vendor_contact,
    video_vendor,
    east,
):
    site = SiteFactory(region=east)
    camera = ProductFactory(category="video")
    case_id = create(client, field_engineer, site, camera)["id"]
    act(client, field_engineer, case_id, "escalate", text="现场无法解决")
    act(client, regional_support, case_id, "escalate", text="需二线")
    act(
        client,
        line2_engineer,
        case_id,
        "transfer_vendor",
        text="厂家摄像机固件问题",
        classification=Classification.PARTNER_PRODUCT,
        vendor_id=video_vendor.pk,
        coordinator_username=integration_pm.username,
    )
    client.force_login(line2_engineer)
    secret = post(client, f"/cases/{case_id}/comments", {"text": "内部 客户合同即将到期"})
    assert secret.status_code == 201, secret.content
    assert secret.json()["internal"] is True
    public = post(
        client, f"/cases/{case_id}/comments", {"text": "请提供固件版本", "internal": False}
    )
    assert public.status_code == 201

    client.force_login(vendor_contact)
    detail = client.get(f"{API}/cases/{case_id}")
    assert detail.status_code == 200
    assert "hand_back" in detail.json()["available_actions"]
    texts = [e["text"] for e in client.get(f"{API}/cases/{case_id}/events").json()["items"]]
    assert "请提供固件版本" in texts
    assert "内部 客户合同即将到期" not in texts
    assert all(
        not e["internal"] for e in client.get(f"{API}/cases/{case_id}/events").json()["items"]
    )


def test_events_paginate_oldest_first(client, field_engineer, site, product):
    case_id = create(client, field_engineer, site, product)["id"]
    for n in range(4):
        assert post(client, f"/cases/{case_id}/comments", {"text": f"note {n}"}).status_code == 201
    first = client.get(f"{API}/cases/{case_id}/events", {"limit": 3}).json()
    second = client.get(
        f"{API}/cases/{case_id}/events", {"limit": 3, "cursor": first["next_cursor"]}
    ).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(ids) == 5
    assert second["next_cursor"] is None


def test_attachments_upload_and_list(client, field_engineer, vendor_contact, site, product):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case_id = create(client, field_engineer, site, product)["id"]
    upload = SimpleUploadedFile("alarm.log", b"2026-01-01 ALARM LOS\n", "text/plain")
    response = client.post(
        f"{API}/cases/{case_id}/attachments", {"file": upload, "internal": "false"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "alarm.log"
    assert response.json()["content_type"] == "text/plain"
    assert response.json()["internal"] is False
    listed = client.get(f"{API}/cases/{case_id}/attachments").json()["items"]
    assert [a["name"] for a in listed] == ["alarm.log"]
    bad = SimpleUploadedFile("tool.exe", b"MZ\x00\x00\x90\x00", "application/octet-stream")
    body = assert_problem(
        client.post(f"{API}/cases/{case_id}/attachments", {"file": bad}), 422, "validation_error"
    )
    assert body["errors"][0]["field"] == "file"


def test_assign_and_problems(
    client, field_engineer, regional_support, line2_engineer, site, product
):
    case_id = create(client, field_engineer, site, product)["id"]
    act(client, field_engineer, case_id, "escalate", text="重启无效")
    act(client, regional_support, case_id, "escalate", text="需二线")
    client.force_login(line2_engineer)
    version = client.get(f"{API}/cases/{case_id}").json()["version"]
    assigned = post(client, f"/cases/{case_id}/assign", {"username": "carol", "version": version})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["owner"] == "carol"
    body = assert_problem(
        post(client, f"/cases/{case_id}/assign", {"username": "nobody", "version": version + 1}),
        422,
        "validation_error",
    )
    assert body["errors"][0]["field"] == "username"

    problem = post(client, "/problems", {"title": "固件内存泄漏", "product_id": product.pk})
    assert problem.status_code == 201, problem.content
    problem_id = problem.json()["id"]
    linked = post(client, f"/cases/{case_id}/problem", {"problem_id": problem_id})
    assert linked.status_code == 200
    assert linked.json()["problem"] == problem_id
    assert [p["id"] for p in client.get(f"{API}/problems").json()["items"]] == [problem_id]
    resolved = post(
        client, f"/problems/{problem_id}/resolve", {"resolution": "升级固件", "case_ids": [case_id]}
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["state"] == "resolved"
    assert client.get(f"{API}/cases/{case_id}").json()["status"] == "resolved"
    assert_problem(client.get(f"{API}/problems/999999"), 404, "not_found")


def test_organization_reference_data(client, field_engineer, site, product, video_vendor):
    client.force_login(field_engineer)
    me = client.get(f"{API}/organization/me").json()
    assert me["username"] == "alice"
    assert me["roles"] == ["field_engineer"]
    assert me["region"] == "east"
    assert [r["code"] for r in client.get(f"{API}/organization/regions").json()] == ["east"]
    assert product.code in [p["code"] for p in client.get(f"{API}/organization/products").json()]
    customers = client.get(f"{API}/organization/customers").json()
    assert customers["items"][0]["sites"][0]["id"] == site.pk
    vendors = client.get(f"{API}/organization/vendors").json()
    assert vendors[0]["categories"] == ["video"]


def test_csrf_is_enforced_for_session_writes(field_engineer, site, product):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(field_engineer)
    response = post(client, "/cases", case_body(site, product))
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM


def test_clocks_pause_and_resume_through_the_api(
    client, field_engineer, rd_engineer, site, product
):
    case = create(client, field_engineer, site, product)
    client.force_login(rd_engineer)
    refused = post(client, f"/cases/{case['id']}/wait", {"waiting_on": "customer"})
    assert_problem(refused, 404, "not_found")

    client.force_login(field_engineer)
    paused = post(
        client,
        f"/cases/{case['id']}/wait",
        {"waiting_on": "customer", "note": "等客户提供日志", "version": case["version"]},
    )
    assert paused.status_code == 200, paused.content
    assert paused.json()["waiting_on"] == "customer"
    assert paused.json()["resolve_due_at"] is None

    stale = post(client, f"/cases/{case['id']}/resume", {"version": case["version"]})
    assert_problem(stale, 409, "conflict")
    resumed = post(client, f"/cases/{case['id']}/resume", {"version": paused.json()["version"]})
    assert resumed.status_code == 200, resumed.content
    assert resumed.json()["waiting_on"] == ""
    assert resumed.json()["resolve_due_at"] is not None
